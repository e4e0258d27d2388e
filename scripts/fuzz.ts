/**
 * The robustness properties of packages/keras/test/robustness with many more runs than
 * `pnpm test` gives them, and a seed of your choice:
 *
 *   pnpm fuzz                          # every property, 2,000 runs each, a random seed
 *   pnpm fuzz --seed 42 --runs 10000   # a given seed and number of runs
 *   pnpm fuzz --only configs           # properties whose name contains "configs"
 *   pnpm fuzz 42                       # a bare number is the seed
 *   pnpm fuzz --strict                 # stop each property at its first problem and shrink it
 *   pnpm fuzz --runs 100000 --seconds 600  # at most 10 minutes per property (a survey's budget)
 *
 * By default every problem is recorded and the run goes on (a survey: all distinct problems with
 * their first input); with --strict a property stops at its first problem, which fast-check
 * shrinks to a small counterexample, as in `pnpm test`.
 *
 * Each property runs in its own child process, so that a crash (a fatal out-of-memory, a WebAssembly
 * abort) is reported with the input that caused it instead of ending the run. Prints, per property,
 * the inputs tried, the distinct outcomes, the slowest input, and any failure with its
 * counterexample; exits with 1 when any property failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Property } from '../packages/keras/test/robustness/properties.js';

/** A command line the fuzz script cannot run (the tool's own error, printed to the terminal). */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROPERTIES_MODULE = join(ROOT, 'packages/keras/test/robustness/properties.ts');

/** keras' loader properties and the CLI's input JSON property (made here: keras' tests may not import the CLI). */
async function properties(): Promise<readonly Property[]> {
  const { PROPERTIES, inputJsonProperty } = (await import(PROPERTIES_MODULE)) as typeof import('../packages/keras/test/robustness/properties.js');
  const { parseInputTensors } = await import('../packages/cli/src/tensor-json.js');
  const { matchInputs } = await import('../packages/cli/src/commands/predict.js');
  return [...PROPERTIES, inputJsonProperty({ parseInputTensors, matchInputs })];
}

interface Options {
  seed: number;
  runs: number;
  only: string | null;
  timeLimitMs: number;
  worker: string | null;
  strict: boolean;
  /** Time budget per property (s): no new input is started after it; null for none. */
  seconds: number | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: Math.floor(Math.random() * 2 ** 31), runs: 2000, only: null, timeLimitMs: 30_000, worker: null, strict: false, seconds: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--seed') o.seed = Number(next());
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--only') o.only = next();
    else if (a === '--time-limit') o.timeLimitMs = Number(next());
    else if (a === '--worker') o.worker = next();
    else if (a === '--strict') o.strict = true;
    else if (a === '--seconds') o.seconds = Number(next());
    else if (a === '--help' || a === '-h') {
      console.log('usage: pnpm fuzz [seed] [--seed N] [--runs N] [--only NAME] [--time-limit MS] [--seconds S] [--strict]');
      process.exit(0);
    } else if (/^\d+$/.test(a)) o.seed = Number(a);
    else throw new UsageError(`unknown argument '${a}' (try --help)`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new UsageError(`--seed must be an integer, got ${o.seed}`);
  if (!Number.isSafeInteger(o.runs) || o.runs < 1) throw new UsageError(`--runs must be a positive integer, got ${o.runs}`);
  if (o.seconds !== null && !(o.seconds > 0)) throw new UsageError(`--seconds must be a positive number, got ${o.seconds}`);
  return o;
}

/** In a child: runs one property, saving each case before running it, and prints a JSON report. */
async function worker(o: Options): Promise<void> {
  const PROPERTIES = await properties();
  const { cleanUp } = (await import(PROPERTIES_MODULE)) as typeof import('../packages/keras/test/robustness/properties.js');
  const p = PROPERTIES.find((x) => x.name === o.worker);
  if (!p) throw new UsageError(`--worker ${o.worker}: no such property`);
  const caseFile = process.env.FUZZ_CASE_FILE!;
  const t0 = performance.now();
  let failure: string | null = null;
  let report: Awaited<ReturnType<typeof p.run>> | null = null;
  try {
    report = await p.run({ seed: o.seed, numRuns: o.runs, timeLimitMs: o.timeLimitMs, collect: !o.strict, maxMs: o.seconds === null ? undefined : o.seconds * 1000, onCase: (d) => writeFileSync(caseFile, d) });
  } catch (e) {
    const parts: string[] = [];
    for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) parts.push(String((c as Error).message ?? c).slice(0, 2000));
    failure = parts.join('\n  caused by: ');
  } finally {
    cleanUp();
  }
  const out = {
    name: p.name,
    failure,
    runs: report?.runs ?? null,
    seconds: (performance.now() - t0) / 1000,
    outcomes: report ? [...report.outcomes].sort((a, b) => b[1] - a[1]) : [],
    slowest: report ? { ms: report.slowestMs, input: report.slowest } : null,
    problems: report ? [...report.problems].map(([sig, v]) => ({ sig, ...v })) : [],
  };
  process.stdout.write(`\n@@REPORT@@${JSON.stringify(out)}\n`);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.worker) return worker(o);
  const PROPERTIES = await properties();
  const chosen = PROPERTIES.filter((p) => !o.only || p.name.includes(o.only));
  if (!chosen.length) throw new UsageError(`--only: no property matches '${o.only}'; properties: ${PROPERTIES.map((p) => p.name).join(', ')}`);
  console.log(`fuzz: seed ${o.seed}, ${o.runs} runs per property, ${chosen.length} properties (replay with: pnpm fuzz --seed ${o.seed} --runs ${o.runs}${o.only ? ` --only '${o.only}'` : ''})\n`);
  let failed = 0;
  let total = 0;
  for (const p of chosen) {
    const caseFile = join(tmpdir(), `keras-ts-fuzz-${process.pid}-${p.name.replace(/\W+/g, '_')}.txt`);
    const args = ['--conditions=keras-ts-source', '--import', 'tsx', fileURLToPath(import.meta.url), '--worker', p.name, '--seed', String(o.seed), '--runs', String(o.runs), '--time-limit', String(o.timeLimitMs), ...(o.strict ? ['--strict'] : []), ...(o.seconds === null ? [] : ['--seconds', String(o.seconds)])];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, FUZZ_CASE_FILE: caseFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A case that never returns (a loop inside WebAssembly cannot be interrupted from within) is a
    // hang: when the case file has not changed for three time limits, the child is stopped and
    // the case reported.
    let hung = false;
    const watchdog = setInterval(() => {
      const since = existsSync(caseFile) ? Date.now() - statSync(caseFile).mtimeMs : 0;
      if (since > Math.max(60_000, 3 * o.timeLimitMs)) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 5000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    clearInterval(watchdog);
    const line = stdout.split('\n').find((l) => l.startsWith('@@REPORT@@'));
    console.log(`== ${p.name}: ${p.description}`);
    if (!line) {
      failed++;
      const last = existsSync(caseFile) ? readFileSync(caseFile, 'utf8') : '(unknown)';
      console.log(
        hung
          ? `   HANG: no progress for ${Math.max(60, (3 * o.timeLimitMs) / 1000)} s; stopped while running:\n   ${last}`
          : `   CRASH: the process ended (${signal ? `signal ${signal}` : `exit code ${code}`}) while running:\n   ${last}`,
      );
      console.log(`   ${stderr.split('\n').filter((l) => /error|fatal|abort/i.test(l)).slice(0, 5).join('\n   ')}\n`);
      rmSync(caseFile, { force: true });
      continue;
    }
    rmSync(caseFile, { force: true });
    const r = JSON.parse(line.slice('@@REPORT@@'.length)) as {
      failure: string | null;
      runs: number | null;
      seconds: number;
      outcomes: [string, number][];
      slowest: { ms: number; input: string } | null;
      problems: { sig: string; count: number; example: string }[];
    };
    if (r.failure) {
      failed++;
      console.log(`   FAILED after ${r.seconds.toFixed(1)} s:\n   ${r.failure}\n`);
      continue;
    }
    total += r.runs ?? 0;
    console.log(`   ${r.runs} inputs in ${r.seconds.toFixed(1)} s, ${r.outcomes.length} distinct outcomes; slowest ${r.slowest!.ms.toFixed(0)} ms: ${r.slowest!.input.slice(0, 240)}`);
    for (const [k, n] of r.outcomes.slice(0, 8)) console.log(`   ${String(n).padStart(6)}  ${k.slice(0, 150)}`);
    if (r.outcomes.length > 8) console.log(`   ...and ${r.outcomes.length - 8} more`);
    if (r.problems.length) {
      failed++;
      console.log(`   PROBLEMS (${r.problems.reduce((n, p) => n + p.count, 0)} inputs, ${r.problems.length} distinct):`);
      for (const pr of r.problems) console.log(`   ${String(pr.count).padStart(6)}  ${pr.sig.slice(0, 160)}\n           first: ${pr.example.slice(0, 600)}`);
    }
    console.log('');
  }
  console.log(`fuzz: ${total} inputs; ${failed ? `${failed} propert${failed === 1 ? 'y' : 'ies'} FAILED` : 'every property held'} (seed ${o.seed})`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`fuzz: ${(e as Error).message}`);
  process.exitCode = 2;
});
