// Dispatch: finds the command, parses its arguments, runs it, and turns every failure into one
// line on stderr plus an exit code (0 ok, 1 other, 2 usage, 3 broker, 4 bad input file).
import { formatHelp, parseArgs } from './args';
import { CliError, ExitCode, UsageError, oneLine } from './errors';
import { CommandContext, CommandRegistry } from './registry';
import { createRegistry } from './commands/index';

export const PROGRAM = 'quotefeed';

export function topLevelHelp(registry: CommandRegistry): string {
  const cmds = registry.list();
  const width = Math.max(...cmds.map((c) => c.spec.name.length));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'QuoteDeck companion: simulated and recorded quote feeds over MQTT.',
    '',
    'commands:',
    ...cmds.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's options.`,
    'Exit codes: 0 ok, 1 other error, 2 usage, 3 broker unreachable/refused/bad credentials, 4 bad input file.',
  ].join('\n');
}

export async function runCli(argv: readonly string[], ctx: CommandContext, registry: CommandRegistry = createRegistry()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    ctx.stderr.write(`${topLevelHelp(registry)}\n`);
    return ExitCode.USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' ? rest[0] : undefined;
    const cmd = sub !== undefined ? registry.get(sub) : undefined;
    if (sub !== undefined && !cmd) {
      ctx.stderr.write(`${PROGRAM}: unknown command "${sub}"\n`);
      return ExitCode.USAGE;
    }
    ctx.stdout.write(`${cmd ? formatHelp(cmd.spec, PROGRAM) : topLevelHelp(registry)}\n`);
    return ExitCode.OK;
  }
  const cmd = registry.get(name);
  if (!cmd) {
    const known = registry.list().map((c) => c.spec.name).join(', ');
    ctx.stderr.write(`${PROGRAM}: unknown command "${name}" (commands: ${known}; see ${PROGRAM} --help)\n`);
    return ExitCode.USAGE;
  }
  try {
    const args = parseArgs(cmd.spec, rest);
    if (args.help) {
      ctx.stdout.write(`${formatHelp(cmd.spec, PROGRAM)}\n`);
      return ExitCode.OK;
    }
    return (await cmd.run(args, ctx)) ?? ExitCode.OK;
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr.write(`${PROGRAM} ${err.command ?? name}: ${oneLine(err)} (see ${PROGRAM} ${err.command ?? name} --help)\n`);
      return err.exitCode;
    }
    if (err instanceof CliError) {
      ctx.stderr.write(`${PROGRAM} ${name}: ${oneLine(err)}\n`);
      return err.exitCode;
    }
    ctx.stderr.write(`${PROGRAM} ${name}: ${oneLine(err)}\n`);
    if (ctx.env.QUOTEFEED_DEBUG && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return ExitCode.OTHER;
  }
}
