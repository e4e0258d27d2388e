/**
 * What every command shares: the I/O the CLI writes to, its error types, the argument parser
 * and atomic file writes.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';

/** Where the CLI reads paths from and writes its output to (the process by default; tests pass their own). */
export interface CliIO {
  /** The directory relative paths resolve against (default: INIT_CWD, where pnpm was run, then the process's). */
  readonly cwd?: string;
  /** One line of normal output (stdout). */
  readonly out?: (line: string) => void;
  /** One line of diagnostics (stderr). */
  readonly err?: (line: string) => void;
}

/** The resolved I/O a command runs with. */
export interface Ctx {
  readonly cwd: string;
  /** The largest input data file read (`--limit input-bytes=N`; default 256 MiB). */
  readonly inputBytes?: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** A failure the CLI reports as one line (exit code 1). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in the command line (exit code 2); the message points at `--help`. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options a command accepts: flags that take a value, flags that do not, and how many positionals. */
export interface ArgSpec {
  readonly values?: readonly string[];
  readonly flags?: readonly string[];
  readonly positionals: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
  readonly help: boolean;
}

/**
 * Parses `argv` for one command with Node's `util.parseArgs`: `--name value` or `--name=value` for
 * value options, bare `--name` for flags, `--help`/`-h` anywhere, and exactly the positionals the
 * spec names. A `--` ends the options. Mistakes are {@link UsageError}s naming the option.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const v of spec.values ?? []) options[v.replace(/^--/, '')] = { type: 'string' };
  for (const f of spec.flags ?? []) options[f.replace(/^--/, '')] = { type: 'boolean' };
  // Not strict: the tokens are checked here, so that every mistake gets the CLI's own message.
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    // The option as typed, without an inline value (`--frob=1` -> `--frob`; `-xy` stays whole).
    const typed = argv[t.index].replace(/^(-[^=]+)=.*$/s, '$1');
    const name = `--${t.name}`;
    if (t.name === 'help') {
      if (argv[t.index] !== '--help' && argv[t.index] !== '-h') throw new UsageError(`unknown option ${typed}`);
      help = true;
    } else if (spec.values?.includes(name) && t.rawName === name) {
      // util.parseArgs takes the next argument as the value whatever it is; another option is not one.
      const v = t.value;
      if (v === undefined || v === '' || (!t.inlineValue && v.startsWith('--') && v.length > 2)) throw new UsageError(`${name} needs a value`);
      if (values.has(name)) throw new UsageError(`${name} given twice`);
      values.set(name, v);
    } else if (spec.flags?.includes(name) && t.rawName === name) {
      if (t.inlineValue) throw new UsageError(`${name} takes no value`);
      flags.add(name);
    } else {
      throw new UsageError(`unknown option ${typed}`);
    }
  }
  if (!help) {
    if (positionals.length < spec.positionals.length) throw new UsageError(`missing ${spec.positionals.slice(positionals.length).join(' and ')}`);
    if (positionals.length > spec.positionals.length) throw new UsageError(`unexpected argument '${positionals[spec.positionals.length]}'`);
  }
  return { positionals, values, flags, help };
}

/** A positive integer option value, or a usage error naming the option. */
export function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new UsageError(`${name} must be a positive integer, got '${v}'`);
  return Number(v);
}

/** Whether a path exists and is a directory. */
export async function isDirectory(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => null);
  return st?.isDirectory() ?? false;
}

/**
 * Writes `text` to `file` through a temporary file in the same directory, renamed over it at the
 * end: a failed write leaves an existing file as it was. The directory must exist.
 */
export async function writeFileAtomic(file: string, text: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const st = await stat(dir).catch(() => null);
  if (!st) throw new CliError(`cannot write ${file}: the directory ${dir} does not exist`);
  if (!st.isDirectory()) throw new CliError(`cannot write ${file}: ${dir} is not a directory`);
  if (await isDirectory(file)) throw new CliError(`cannot write ${file}: it is a directory`);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new CliError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/** An error's message as one line (library messages occasionally span several). */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(' ');
}
