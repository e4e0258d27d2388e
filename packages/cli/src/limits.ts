/**
 * `--limit NAME=VALUE`, accepted by every command: raises or lowers one of the limits a model file
 * is held to (keras' `Limits`, by their command-line names: `layers`, `config-bytes`, ...), or the
 * CLI's own `input-bytes` (the size of `predict --input`). Values are positive integers, with an
 * optional binary suffix for sizes (`512M`, `8GiB`), or `inf` for no limit.
 */
import { DEFAULT_LIMITS, LIMIT_FLAGS, type Limits } from '@keras-ts/keras';
import { UsageError } from './util.js';

/** The default of `input-bytes`: the largest `predict --input` file read (256 MiB). */
export const DEFAULT_INPUT_BYTES = 256 * 2 ** 20;

/** The limits of one run: the model limits given, and the input file's. */
export interface CliLimits {
  readonly model: Partial<Limits>;
  readonly inputBytes: number;
}

const BY_FLAG = new Map(Object.entries(LIMIT_FLAGS).map(([k, f]) => [f, k as keyof Limits]));

const SUFFIX: Record<string, number> = { '': 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

const showDefault = (name: string, v: number) => (name.endsWith('bytes') && v >= 2 ** 20 ? `${v / 2 ** 20} MiB` : v.toLocaleString('en-US'));

/** The help text listing every limit with its default. */
export const LIMIT_USAGE = `Limits (--limit NAME=VALUE, repeatable, on every command; sizes take K, M, G suffixes; 'inf' for none):
${[...Object.entries(LIMIT_FLAGS).map(([k, f]) => [f, DEFAULT_LIMITS[k as keyof Limits]] as const), ['input-bytes', DEFAULT_INPUT_BYTES] as const]
  .map(([f, v]) => `  ${f.padEnd(20)} default ${showDefault(f, v)}`)
  .join('\n')}`;

function parseValue(name: string, text: string): number {
  if (/^(inf|infinity)$/i.test(text)) return Infinity;
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SUFFIX[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || (!name.endsWith('bytes') && unit !== 1)) {
    throw new UsageError(`--limit ${name}: '${text}' is not a positive integer${name.endsWith('bytes') ? ' (optionally with K, M, G or T), ' : ', '}or 'inf'`);
  }
  const v = Number(m[1]) * unit;
  if (!(v > 0) || !Number.isSafeInteger(v)) throw new UsageError(`--limit ${name}: '${text}' must be a positive integer below 2^53, or 'inf'`);
  return v;
}

/**
 * Takes every `--limit NAME=VALUE` (or `--limit=NAME=VALUE`) out of a command's arguments (those
 * before a `--`) and returns the rest with the limits they set. Unknown names are usage errors.
 */
export function takeLimits(argv: readonly string[]): { rest: string[]; limits: CliLimits } {
  const rest: string[] = [];
  const model: Partial<Limits> = {};
  let inputBytes = DEFAULT_INPUT_BYTES;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    let spec: string | undefined;
    if (a === '--limit') {
      spec = argv[++i];
      if (spec === undefined || spec.startsWith('--')) throw new UsageError('--limit needs NAME=VALUE (e.g. --limit layers=20000)');
    } else if (a.startsWith('--limit=')) spec = a.slice('--limit='.length);
    else {
      rest.push(a);
      continue;
    }
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--limit needs NAME=VALUE, got '${spec}' (e.g. --limit layers=20000)`);
    const name = spec.slice(0, eq);
    const value = spec.slice(eq + 1);
    if (name === 'input-bytes') inputBytes = parseValue(name, value);
    else {
      const key = BY_FLAG.get(name);
      if (!key) throw new UsageError(`--limit: unknown limit '${name}' (one of ${[...BY_FLAG.keys(), 'input-bytes'].join(', ')})`);
      model[key] = parseValue(name, value);
    }
  }
  return { rest, limits: { model, inputBytes } };
}
