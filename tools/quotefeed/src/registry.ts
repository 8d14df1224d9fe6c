// The command table. Each command is a spec (options, help) plus a run function; main.ts only
// dispatches. To add one (watch, demo): write src/commands/<name>.ts exporting a Command and
// register it in src/commands/index.ts.
import type { Writable } from 'node:stream';
import { CommandSpec, ParsedArgs } from './args';

export interface CommandContext {
  stdout: Writable;
  stderr: Writable;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Command {
  spec: CommandSpec;
  /** Returns the exit code (0 when void); throws CliError for failures. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number | void>;
  /** Registered but left out of the command list (work in progress). */
  hidden?: boolean;
}

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();

  register(cmd: Command): this {
    if (this.commands.has(cmd.spec.name)) throw new Error(`command ${cmd.spec.name} registered twice`);
    this.commands.set(cmd.spec.name, cmd);
    return this;
  }

  get(name: string): Command | undefined {
    return this.commands.get(name);
  }

  /** Listed commands, in registration order. */
  list(): Command[] {
    return [...this.commands.values()].filter((c) => !c.hidden);
  }
}
