/**
 * Argument parsing of the `seqrate` command on Node's built-in `util.parseArgs` (strict: unknown
 * flags, missing values and values given to boolean flags are errors), with seqrate's own value
 * checks and messages that name the flag. Every problem is a UsageError (exit code 2).
 */
import { parseArgs } from 'node:util';

/** Bad usage: exit code 2, message names the flag. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * How a flag's value is read: `list` accepts `--f 1,2 --f 4` (comma-separated, repeatable); `repeat`
 * accepts `--f a --f b` (repeatable, each value whole, commas included).
 */
export type Kind = 'bool' | 'uint' | 'posint' | 'string' | 'list' | 'repeat';
/** Parsed flags by name. */
export type Flags = Record<string, boolean | number | string | string[]>;

/** The flag named in a parseArgs error message (`'--out <value>'` → `out`). */
function flagIn(message: string): string {
  const m = /'-{1,2}([^'\s<=]+)/.exec(message);
  return m?.[1] ?? '?';
}

/** Translates a parseArgs error into a UsageError that names the flag. */
function usageOf(e: unknown, command: string): UsageError {
  const err = e as Error & { code?: string };
  const name = flagIn(err.message);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(`unknown flag --${name} for 'seqrate ${command}' (see 'seqrate ${command} --help')`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(err.message)) return new UsageError(`flag --${name} takes no value`);
    return new UsageError(`flag --${name} needs a value`);
  }
  return new UsageError(err.message.split('\n')[0]!);
}

/**
 * Parses `--flag`, `--flag value`, `--flag=value` (and `-h`) against `spec`.
 * @example parseFlags(['--seed=3', 'x'], { seed: 'uint' }, 'run') // { flags: { seed: 3 }, positionals: ['x'] }
 */
export function parseFlags(
  args: readonly string[],
  spec: Record<string, Kind>,
  command: string,
): { flags: Flags; positionals: string[] } {
  const options: Record<string, { type: 'boolean' | 'string'; multiple?: boolean; short?: string }> = {};
  for (const [name, kind] of Object.entries(spec)) {
    if (kind === 'bool') options[name] = { type: 'boolean' };
    else options[name] = { type: 'string', ...(kind === 'list' || kind === 'repeat' ? { multiple: true } : {}) };
  }
  if (spec.help !== undefined) options.help = { type: 'boolean', short: 'h' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw usageOf(e, command);
  }
  const flags: Flags = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    if (raw === undefined) continue;
    const kind = spec[name]!;
    if (kind === 'bool') flags[name] = true;
    else if (kind === 'list') flags[name] = (raw as string[]).flatMap((r) => convert(name, 'list', r) as string[]);
    else if (kind === 'repeat') flags[name] = (raw as string[]).map((r) => convert(name, 'string', r) as string);
    else flags[name] = convert(name, kind, raw as string);
  }
  return { flags, positionals: parsed.positionals };
}

/** Converts and checks one flag value. */
function convert(name: string, kind: Kind, raw: string): number | string | string[] {
  if (kind === 'string') {
    if (raw === '') throw new UsageError(`flag --${name} needs a non-empty value`);
    return raw;
  }
  if (kind === 'list') {
    const parts = raw.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) {
      throw new UsageError(`flag --${name} expects a comma-separated list, got '${raw}'`);
    }
    return parts;
  }
  const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || (kind === 'posint' && v < 1)) {
    const what = kind === 'posint' ? 'positive' : 'non-negative';
    throw new UsageError(`flag --${name} expects a ${what} integer, got '${raw}'`);
  }
  return v;
}
