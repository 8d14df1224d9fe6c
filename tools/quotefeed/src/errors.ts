// Exit codes and the error classes that carry them. Every failure the user can act on is one of
// these, with a one-line message; main.ts prints `quotefeed: <message>` and exits with the code.

export const ExitCode = {
  OK: 0,
  OTHER: 1,
  USAGE: 2,
  BROKER: 3,
  INPUT: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad arguments or options (exit 2). `command` names the command whose --help would help. */
export class UsageError extends CliError {
  readonly command?: string;
  constructor(message: string, command?: string) {
    super(message, ExitCode.USAGE);
    this.command = command;
  }
}

export type BrokerErrorKind = 'unreachable' | 'refused' | 'timeout' | 'badCredentials' | 'notAuthorized' | 'tls' | 'lost';

/** The broker could not be reached, refused us, or rejected our credentials (exit 3). */
export class BrokerError extends CliError {
  readonly kind: BrokerErrorKind;
  constructor(kind: BrokerErrorKind, message: string) {
    super(message, ExitCode.BROKER);
    this.kind = kind;
  }
}

/** An input file is missing or malformed (exit 4). `line` is 1-based when known. */
export class InputError extends CliError {
  readonly file: string;
  readonly line?: number;
  constructor(file: string, message: string, line?: number) {
    super(line !== undefined ? `${file}:${line}: ${message}` : `${file}: ${message}`, ExitCode.INPUT);
    this.file = file;
    this.line = line;
  }
}

/** One line, whatever the error: no stack, no newlines. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
