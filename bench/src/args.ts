/** The bench's command line, read with Node's `util.parseArgs`. */
import { parseArgs } from 'node:util';
import type { MeasureOptions } from './harness.js';
import { UsageError } from './usage-error.js';

/** What the figures are measured with, and which workloads and contestants run. */
export interface Options extends MeasureOptions {
  json?: string;
  filter?: string;
  peers?: string[];
  fullEpochs: boolean;
  trainRuns: number;
  /** Print each contestant's time per op (`--profile`, over `minRuns` runs) instead of timing them side by side. */
  profile: boolean;
}

/** The command line read: the options, the onnxruntime thread count when given, or a request for the usage. */
export interface BenchArgs {
  readonly options: Options;
  readonly ortThreads?: number;
  readonly help: boolean;
}

export const USAGE =
  'usage: tsx bench/src/main.ts [--json FILE] [--filter TEXT] [--peers NAME,NAME...] [--min-time MS] [--min-runs N] [--warmup MS] ' +
  '[--train-runs N] [--ort-threads N] [--full-epochs] [--profile]';

const OPTIONS = {
  json: { type: 'string' },
  filter: { type: 'string' },
  peers: { type: 'string' },
  'min-time': { type: 'string' },
  'min-runs': { type: 'string' },
  warmup: { type: 'string' },
  'train-runs': { type: 'string' },
  'ort-threads': { type: 'string' },
  'full-epochs': { type: 'boolean' },
  profile: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(arg: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${arg}: expected a number >= ${min}, got '${v}'`);
  return n;
}

/**
 * Reads the bench's arguments (`--name value` or `--name=value`; a `--` is ignored, as pnpm may
 * pass one through). Throws on an unknown argument or a missing value, with the usage; stops at
 * `--help`.
 *
 * @example
 * parseBenchArgs(['--filter', 'lenet', '--min-runs', '10']).options; // { filter: 'lenet', minRuns: 10, ... }
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const options: Options = { minTimeMs: 1000, minRuns: 5, warmupMs: 300, fullEpochs: false, trainRuns: 1, profile: false };
  let ortThreads: number | undefined;
  const args = argv.filter((a) => a !== '--');
  // Not strict: the tokens are checked here, in order, with the bench's own messages.
  const { tokens } = parseArgs({ args, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') throw new UsageError(`unknown argument ${t.kind === 'positional' ? t.value : '--'}\n${USAGE}`);
    const typed = args[t.index];
    const known = Object.hasOwn(OPTIONS, t.name) && (t.rawName === `--${t.name}` || (t.name === 'help' && t.rawName === '-h'));
    if (!known || (OPTIONS[t.name as keyof typeof OPTIONS].type === 'boolean' && t.inlineValue) || (t.rawName === '-h' && typed !== '-h')) {
      throw new UsageError(`unknown argument ${typed}\n${USAGE}`);
    }
    const arg = t.rawName;
    const value = (): string => {
      if (t.value === undefined) throw new UsageError(`${arg} needs a value\n${USAGE}`);
      return t.value;
    };
    if (t.name === 'help') return { options, ortThreads, help: true };
    else if (t.name === 'json') options.json = value();
    else if (t.name === 'filter') options.filter = value();
    else if (t.name === 'peers') options.peers = value().split(',').filter(Boolean);
    else if (t.name === 'min-time') options.minTimeMs = num(arg, value(), 0);
    else if (t.name === 'min-runs') options.minRuns = num(arg, value(), 1);
    else if (t.name === 'warmup') options.warmupMs = num(arg, value(), 0);
    else if (t.name === 'train-runs') options.trainRuns = num(arg, value(), 1);
    else if (t.name === 'ort-threads') ortThreads = num(arg, value(), 1);
    else if (t.name === 'full-epochs') options.fullEpochs = true;
    else if (t.name === 'profile') options.profile = true;
  }
  return { options, ortThreads, help: false };
}
