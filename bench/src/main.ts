/**
 * keras-ts benchmarks: every workload run by every contestant in one process, side by side.
 *
 *   pnpm bench                                # from the repo root (runs `tsx bench/src/main.ts`)
 *   pnpm bench --json bench/results/x.json    # also write the figures as JSON
 *   pnpm bench --filter lenet                 # only workloads whose name contains "lenet"
 *   pnpm bench --peers keras-ts/ts,tfjs/cpu,tfjs-layers/cpu   # only these contestants
 *   pnpm bench --min-time 2000 --min-runs 10 --train-runs 3 --ort-threads 2
 *   pnpm bench --full-epochs                  # LeNet's training epoch over all 10,000 digits (slow)
 *   pnpm bench --profile --filter "mobilenetv2 a1 224x224 b1"   # time per op of each contestant (see profile.ts)
 *
 * Contestants: keras-ts on backend-ts, backend-tfjs (tfjs `cpu` and `wasm`) and backend-onnx,
 * and tfjs itself on `cpu` and `wasm` (tfjs-layers for the models, the op for the
 * micro-benchmarks; plus a bare onnxruntime session for those), bare onnxruntime on keras-ts's own
 * ONNX export of each predict model, and Python Keras (TF CPU, a child process) on the Keras
 * applications and the training epochs when the repository's .venv has it. Ratios are against tfjs `cpu`
 * and `wasm` in the same run; the issue's targets are checked and summarized at the end.
 * See bench/README.md for what is measured and how.
 */
import './profile-env.js';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { parseBenchArgs, USAGE } from './args.js';
import { UsageError } from './usage-error.js';
import { runWorkload, report, type PeerResult, type TargetResult, type Workload } from './harness.js';
import { profileWorkload } from './profile.js';
import { apiWorkloads, microWorkloads, modelWorkloads, tsBackendSource } from './workloads/index.js';
import { ortThreadCount, setOrtThreads, useTfjs } from './workloads/common.js';

function printTargets(targets: readonly TargetResult[]): void {
  if (targets.length === 0) return;
  console.log('\ntargets (ratio = against / peer, median wall time; by CPU time in parentheses):');
  for (const t of targets) {
    const what = `${t.workload}: ${t.peer} vs ${t.against}, ${t.text}`.padEnd(96);
    if (t.achieved === undefined) console.log(`  ${what} not evaluated (${t.reason})`);
    else console.log(`  ${what} ${t.achieved.toFixed(2).padStart(6)}x (${t.achievedCpu!.toFixed(2)}x)  ${t.met ? 'met' : 'NOT MET'}`);
  }
}

async function main(): Promise<void> {
  const { options: opts, ortThreads, help } = parseBenchArgs(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (ortThreads !== undefined) setOrtThreads(ortThreads);
  await useTfjs('cpu');
  const ortVersion = (createRequire(import.meta.resolve('@keras-ts/backend-onnx'))('onnxruntime-node/package.json') as { version: string }).version;

  const workloads: Workload[] = [...microWorkloads(), ...modelWorkloads({ lenetTrainSamples: opts.fullEpochs ? 10000 : 2000, trainRuns: opts.trainRuns }), ...apiWorkloads()]
    .filter((w) => !opts.filter || w.name.includes(opts.filter))
    .map((w) => (opts.peers ? { ...w, peers: w.peers.filter((p) => opts.peers!.some((q) => p.name.includes(q))) } : w));

  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    loadAverage: os.loadavg(),
    tfjs: tf.version.tfjs,
    onnxruntime: ortVersion,
    ortThreads: ortThreadCount(),
    backendTs: tsBackendSource,
  };
  console.log(
    `${machine.date}: node ${machine.node}, ${machine.cpu} x ${machine.cores} (load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}), ` +
      `tfjs ${machine.tfjs}, onnxruntime-node ${machine.onnxruntime} (${machine.ortThreads} thread${machine.ortThreads > 1 ? 's' : ''})` +
      (tsBackendSource !== '@keras-ts/backend-ts' ? `, backend-ts from ${tsBackendSource}` : '') +
      (opts.profile
        ? `\nprofile: time per op of each contestant over ${opts.minRuns} runs (--min-runs), after its warm-up runs`
        : `\nmedian of >= ${opts.minRuns} runs and >= ${opts.minTimeMs} ms per peer (big workloads: fewer, see README); ratios = reference median / peer median`),
  );
  if (opts.profile) {
    if (workloads.length === 0) throw new UsageError(`--profile: no workload matches${opts.filter ? ` '${opts.filter}'` : ''}`);
    for (const w of workloads) await profileWorkload(w, opts.minRuns);
    return;
  }
  const results: PeerResult[] = [];
  const targets: TargetResult[] = [];
  for (const w of workloads) {
    const r = await runWorkload(w, opts);
    report(w, r.results, r.targets);
    results.push(...r.results);
    targets.push(...r.targets);
  }
  printTargets(targets);

  if (opts.json) {
    // pnpm runs the script inside bench/; resolve relative paths against the caller's cwd.
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), opts.json);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ machine, options: opts, results, targets }, null, 2) + '\n');
    renameSync(tmp, file);
    console.log(`wrote ${file}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
