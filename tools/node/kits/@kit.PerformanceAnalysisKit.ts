// Node double of hilog (@ohos.hilog). It formats a line the way the platform's NAPI layer does
// (hiviewdfx_hilog, hilog_napi_base.cpp, OpenHarmony 5.0 / API 12), so a test sees what a phone shows:
// - without arguments the format is printed as it is (no % handling at all);
// - %d / %i print only numbers, %s only strings, booleans, null and undefined, %o / %O only objects;
//   an argument of another type prints nothing but is still used up;
// - %% prints %; any other letter is printed as written and uses up no argument;
// - once the arguments are used up, the rest of the format is printed as it is; extra arguments
//   are dropped;
// - a single array argument holds the arguments (with more arguments the call throws);
// - a value without {public} ({private} or no flag) is shown as <private> only in privacy mode
//   (hilog.private.on, off in debug mode). On a developer phone with privacy off every value is
//   printed in clear, so `privacyMode` is off by default: leak scans then see every value handed to
//   hilog, and a secret logged with %{private}s fails them as it would leak on such a phone.
// Lines are kept in `hilog.lines` (and go to stderr when QUOTEDECK_LOG is set). Calls whose output
// differs from what the format promises (a value of the wrong type, a specifier without argument,
// an argument without specifier, a domain out of range) are recorded in `hilog.mismatches`, without
// the values: tests assert there are none. With QUOTEDECK_HILOG_STRICT=1 (set by the Node test
// runner) a process that recorded any exits with code 1 and lists them on stderr.

const PRIVATE_TEXT = '<private>';
const MAX_DOMAIN = 0xffff;
const MAX_TAG_BYTES = 31;
const MAX_LINES = 10000;
const MAX_MISMATCHES = 1000;
/** A specifier the formatter would fill, for spotting ones left without an argument. */
const SPECIFIER = /%(\{(public|private)\})?[dioOs]/;

/** napi_typeof of a value, as the formatter sees it. */
type ArgType = 'number' | 'bigint' | 'string' | 'boolean' | 'undefined' | 'null' | 'object' | 'function' | 'symbol';

interface Param {
  type: ArgType;
  text: string;
}

function typeOf(v: unknown): ArgType {
  return v === null ? 'null' : typeof v as ArgType;
}

function paramOf(v: unknown): Param {
  const type = typeOf(v);
  switch (type) {
    case 'symbol':
    case 'function':
      return { type, text: '' }; // "type mismatch" in the NAPI layer: no text
    case 'object':
      try {
        return { type, text: String(v) };
      } catch {
        return { type, text: '' };
      }
    default:
      return { type, text: String(v) };
  }
}

const ACCEPTS: Record<string, ArgType[]> = {
  d: ['number', 'bigint'],
  i: ['number', 'bigint'],
  s: ['string', 'boolean', 'null', 'undefined'],
  o: ['object'],
  O: ['object'],
};

/** The platform's formatting of `fmt` with `params`; problems are pushed to `problems`. */
function formatLine(fmt: string, params: Param[], privacy: boolean, problems: string[]): string {
  if (params.length === 0) {
    if (SPECIFIER.test(fmt)) problems.push(`"${fmt}" has a specifier but no argument: printed as written`);
    return fmt;
  }
  const len = fmt.length;
  let out = '';
  let pos = 0;
  let used = 0;
  while (pos < len && used < params.length) {
    if (fmt[pos] !== '%') {
      out += fmt[pos];
      pos++;
      continue;
    }
    // `at` is the character just before the conversion letter: the '%', or the '}' after a flag
    let at = pos;
    let isPublic = false;
    if (pos + 8 < len && fmt.substr(pos + 2, 6) === 'public') {
      at = pos + 8;
      isPublic = true;
    } else if (pos + 9 < len && fmt.substr(pos + 2, 7) === 'private') {
      at = pos + 9;
    }
    if (at + 1 >= len) {
      pos = at;
      break;
    }
    const letter = fmt[at + 1];
    const accepted = ACCEPTS[letter];
    if (accepted !== undefined) {
      const p = params[used];
      if (accepted.includes(p.type)) {
        out += privacy && !isPublic ? PRIVATE_TEXT : p.text;
      } else {
        problems.push(`"${fmt}" argument ${used + 1} has type ${p.type}: %${letter} prints only ${accepted.join('/')}, so nothing is printed`);
      }
      used++;
      pos = at + 2;
    } else if (letter === '%') {
      out += fmt[at];
      pos = at + 2;
    } else {
      out += fmt[at]; // the letter follows as plain text
      pos = at + 1;
    }
  }
  if (pos < len) {
    const rest = fmt.substring(pos);
    if (SPECIFIER.test(rest)) problems.push(`"${fmt}" has more specifiers than arguments: the rest is printed as written`);
    out += rest;
  }
  if (used < params.length) problems.push(`"${fmt}" has ${params.length - used} argument(s) more than specifiers: not printed`);
  return out;
}

function truncateTag(tag: string): string {
  const bytes = Buffer.from(tag, 'utf8');
  return bytes.length <= MAX_TAG_BYTES ? tag : bytes.subarray(0, MAX_TAG_BYTES).toString('utf8');
}

export class HilogDouble {
  /** Every printed line, "L dddd/tag: text" (the oldest are trimmed after 10000). */
  lines: string[] = [];
  /** Calls that did not print what their format promises (see the header). */
  mismatches: string[] = [];
  /** Masks values without {public}, as a phone with hilog privacy on does. Off: a developer phone. */
  privacyMode = false;
  LogLevel = { DEBUG: 3, INFO: 4, WARN: 5, ERROR: 6, FATAL: 7 };

  private write(level: string, domain: number, tag: string, fmt: string, args: unknown[]): void {
    const problems: string[] = [];
    if (typeof domain !== 'number' || !Number.isInteger(domain) || domain < 0 || domain > MAX_DOMAIN) {
      this.note(`${tag}: domain ${String(domain)} is outside 0x0-0xFFFF: nothing printed`);
      return;
    }
    let raw = args;
    if (args.length > 0 && Array.isArray(args[0])) {
      if (args.length !== 1) throw new Error('Argc mismatch'); // NAPI_ASSERT in the platform
      raw = args[0] as unknown[];
    }
    const text = formatLine(String(fmt), raw.map(paramOf), this.privacyMode, problems);
    for (const p of problems) this.note(`${tag}: ${p}`);
    const line = `${level} ${domain.toString(16)}/${truncateTag(String(tag))}: ${text}`;
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, MAX_LINES / 2);
    if (process.env.QUOTEDECK_LOG) process.stderr.write(`${line}\n`);
  }

  private note(problem: string): void {
    if (this.mismatches.length < MAX_MISMATCHES) this.mismatches.push(problem);
    if (process.env.QUOTEDECK_LOG) process.stderr.write(`hilog mismatch: ${problem}\n`);
  }

  debug(domain: number, tag: string, fmt: string, ...args: unknown[]): void { this.write('D', domain, tag, fmt, args); }
  info(domain: number, tag: string, fmt: string, ...args: unknown[]): void { this.write('I', domain, tag, fmt, args); }
  warn(domain: number, tag: string, fmt: string, ...args: unknown[]): void { this.write('W', domain, tag, fmt, args); }
  error(domain: number, tag: string, fmt: string, ...args: unknown[]): void { this.write('E', domain, tag, fmt, args); }
  fatal(domain: number, tag: string, fmt: string, ...args: unknown[]): void { this.write('F', domain, tag, fmt, args); }
  isLoggable(domain: number, _tag: string, _level: number): boolean {
    return Number.isInteger(domain) && domain >= 0 && domain <= MAX_DOMAIN;
  }
}

export const hilog = new HilogDouble();

if (process.env.QUOTEDECK_HILOG_STRICT === '1') {
  process.on('exit', () => {
    if (hilog.mismatches.length === 0) return;
    process.stderr.write(`hilog: ${hilog.mismatches.length} call(s) print something else than their format promises:\n`);
    for (const m of hilog.mismatches) process.stderr.write(`  ${m}\n`);
    process.exitCode = 1;
  });
}
