// A small declarative argument parser: each command declares its positionals and options, the
// parser validates types and ranges and produces the command's --help text. No dependencies.
import { UsageError } from './errors';

export type OptionType = 'string' | 'number' | 'integer' | 'boolean';
export type OptionValue = string | number | boolean;

export interface OptionSpec {
  type: OptionType;
  description: string;
  /** Placeholder in help, e.g. `N` for `--rate N`. */
  valueName?: string;
  default?: OptionValue;
  choices?: readonly string[];
  /** Inclusive lower bound for numbers (`greaterThan` is exclusive). */
  min?: number;
  greaterThan?: number;
  max?: number;
  /** Booleans: also accept `--no-<name>`. */
  negatable?: boolean;
  /** Never echo the value (passwords). */
  secret?: boolean;
  /** Strings only: may be given several times; the values are joined with '\n' (see repeatedValues). */
  repeatable?: boolean;
}

/** The values of a repeatable string option, in the order given. */
export function repeatedValues(value: OptionValue | undefined): string[] {
  return typeof value === 'string' && value.length > 0 ? value.split('\n') : [];
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  positionals?: readonly PositionalSpec[];
  options: Readonly<Record<string, OptionSpec>>;
  /** Extra help paragraphs (notes, examples). */
  details?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  /** Option values by their long name; defaults are filled in. */
  options: Record<string, OptionValue | undefined>;
  /** Names the user actually gave (not defaulted). */
  given: Set<string>;
  help: boolean;
}

function convert(cmd: string, name: string, spec: OptionSpec, raw: string): OptionValue {
  const shown = spec.secret ? '' : ` "${raw}"`;
  switch (spec.type) {
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got${shown}`, cmd);
      }
      return raw;
    case 'boolean':
      if (/^(true|yes|1)$/i.test(raw)) return true;
      if (/^(false|no|0)$/i.test(raw)) return false;
      throw new UsageError(`--${name} takes no value (or true/false), got${shown}`, cmd);
    case 'number':
    case 'integer': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) {
        throw new UsageError(`--${name} expects ${spec.type === 'integer' ? 'an integer' : 'a number'}, got${shown}`, cmd);
      }
      if (spec.min !== undefined && n < spec.min) throw new UsageError(`--${name} must be at least ${spec.min}, got ${n}`, cmd);
      if (spec.greaterThan !== undefined && n <= spec.greaterThan) {
        throw new UsageError(`--${name} must be greater than ${spec.greaterThan}, got ${n}`, cmd);
      }
      if (spec.max !== undefined && n > spec.max) throw new UsageError(`--${name} must be at most ${spec.max}, got ${n}`, cmd);
      return n;
    }
  }
}

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, OptionValue | undefined> = {};
  const given = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  let i = 0;
  const set = (name: string, value: OptionValue): void => {
    options[name] = value;
    given.add(name);
  };
  while (i < argv.length) {
    const arg = argv[i++];
    if (arg === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`, spec.name);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const opt = spec.options[name];
    if (!opt && name.startsWith('no-')) {
      const base = name.slice(3);
      const b = spec.options[base];
      if (b && b.type === 'boolean' && b.negatable) {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`, spec.name);
        set(base, false);
        continue;
      }
    }
    if (!opt) throw new UsageError(`unknown option --${name}`, spec.name);
    if (opt.type === 'boolean') {
      set(name, inline === undefined ? true : convert(spec.name, name, opt, inline));
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value${opt.valueName ? ` (${opt.valueName})` : ''}`, spec.name);
      }
      raw = next;
      i++;
    }
    const value = convert(spec.name, name, opt, raw);
    const before = options[name];
    set(name, opt.repeatable === true && given.has(name) && typeof before === 'string' ? `${before}\n${value}` : value);
  }
  for (const [name, opt] of Object.entries(spec.options)) {
    if (!given.has(name) && opt.default !== undefined) options[name] = opt.default;
  }
  if (!help) {
    const declared = spec.positionals ?? [];
    const required = declared.filter((p) => p.required).length;
    if (positionals.length < required) {
      throw new UsageError(`missing ${declared[positionals.length].name}`, spec.name);
    }
    if (positionals.length > declared.length) {
      throw new UsageError(`unexpected argument "${positionals[declared.length]}"`, spec.name);
    }
  }
  return { positionals, options, given, help };
}

function optionLabel(name: string, opt: OptionSpec): string {
  if (opt.type === 'boolean') return opt.negatable ? `--${name}, --no-${name}` : `--${name}`;
  const placeholder = opt.valueName ?? (opt.choices ? opt.choices.join('|') : opt.type === 'string' ? 'VALUE' : 'N');
  return `--${name} ${placeholder}`;
}

export function formatHelp(spec: CommandSpec, program = 'quotefeed'): string {
  const pos = (spec.positionals ?? []).map((p) => (p.required ? p.name : `[${p.name}]`)).join(' ');
  const lines = [`usage: ${program} ${spec.name}${pos ? ` ${pos}` : ''} [options]`, '', spec.summary, ''];
  const rows: [string, string][] = [];
  for (const p of spec.positionals ?? []) rows.push([p.name, p.description]);
  for (const [name, opt] of Object.entries(spec.options)) {
    let desc = opt.description;
    if (opt.default !== undefined && opt.type !== 'boolean' && !opt.secret) desc += ` (default ${opt.default})`;
    if (opt.type === 'boolean' && opt.negatable) desc += opt.default === true ? ' (default on)' : ' (default off)';
    rows.push([optionLabel(name, opt), desc]);
  }
  rows.push(['-h, --help', 'show this help']);
  const width = Math.min(30, Math.max(...rows.map(([l]) => l.length)));
  for (const [label, desc] of rows) {
    lines.push(label.length > width ? `  ${label}\n  ${' '.repeat(width)}  ${desc}` : `  ${label.padEnd(width)}  ${desc}`);
  }
  if (spec.details?.length) lines.push('', ...spec.details);
  return lines.join('\n');
}
