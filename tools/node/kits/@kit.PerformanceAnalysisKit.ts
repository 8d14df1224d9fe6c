// Node double of hilog: HarmonyOS masks arguments that are not %{public}; we do the same so a
// test can assert that nothing private reaches the log. Lines go to stderr only when
// QUOTEDECK_LOG is set, and every line is kept in `hilog.lines` for tests.
function format(fmt: string, args: Object[]): string {
  let i = 0;
  return fmt.replace(/%\{(public|private)\}([sdifo])|%([sdifo])/g, (_m: string, vis: string | undefined) => {
    const v = args[i++];
    return vis === 'public' ? String(v) : '<private>';
  });
}

export class HilogDouble {
  lines: string[] = [];
  LogLevel = { DEBUG: 3, INFO: 4, WARN: 5, ERROR: 6, FATAL: 7 };
  private write(level: string, domain: number, tag: string, fmt: string, args: Object[]): void {
    const line = `${level} ${domain.toString(16)}/${tag}: ${format(fmt, args)}`;
    this.lines.push(line);
    if (this.lines.length > 10000) this.lines.splice(0, 5000);
    if (process.env.QUOTEDECK_LOG) process.stderr.write(`${line}\n`);
  }
  debug(domain: number, tag: string, fmt: string, ...args: Object[]): void { this.write('D', domain, tag, fmt, args); }
  info(domain: number, tag: string, fmt: string, ...args: Object[]): void { this.write('I', domain, tag, fmt, args); }
  warn(domain: number, tag: string, fmt: string, ...args: Object[]): void { this.write('W', domain, tag, fmt, args); }
  error(domain: number, tag: string, fmt: string, ...args: Object[]): void { this.write('E', domain, tag, fmt, args); }
  fatal(domain: number, tag: string, fmt: string, ...args: Object[]): void { this.write('F', domain, tag, fmt, args); }
  isLoggable(): boolean { return true; }
}

export const hilog = new HilogDouble();
