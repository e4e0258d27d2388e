/**
 * Runs the backend-onnx workloads (bench/src/onnx-workloads.ts) against tfjs-layers on the wasm
 * backend, with the methodology of bench/src/main.ts: each peer set up untimed, warmed up, then
 * peers run round-robin until each has >= --min-runs samples and >= --min-time ms; medians.
 *
 *   pnpm --filter @keras-ts/bench exec tsx src/onnx-bench.ts [--filter TEXT] [--min-time MS] [--min-runs N] [--json FILE] [--slow]
 *
 * --slow adds the CNN training epoch against tfjs-cpu (tfjs-wasm has no Conv2DBackpropFilter);
 * --threads N sets onnxruntime's intra-op threads (default: one per core).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { onnxWorkloads, setupTfjsWasm, type RunFn, type Workload } from './onnx-workloads';

interface Options {
  slow?: boolean;
  threads?: number;
  json?: string;
  filter?: string;
  minTimeMs: number;
  minRuns: number;
  warmupMs: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { minTimeMs: 2000, minRuns: 5, warmupMs: 300 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--') continue;
    else if (a === '--json') o.json = v();
    else if (a === '--slow') o.slow = true;
    else if (a === '--threads') o.threads = Number(v());
    else if (a === '--filter') o.filter = v();
    else if (a === '--min-time') o.minTimeMs = Number(v());
    else if (a === '--min-runs') o.minRuns = Number(v());
    else if (a === '--warmup') o.warmupMs = Number(v());
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function maxRelDiff(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) return Infinity;
  let scale = 0;
  for (const v of y) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]) / (scale || 1);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

interface Result {
  workload: string;
  peer: string;
  medianMs: number;
  baseline: string;
  baselineMedianMs: number;
  ratio: number;
  gflops: number;
  runs: number;
  maxRelDiff?: number;
}

async function run(w: Workload, o: Options): Promise<Result[]> {
  const fns: RunFn[] = [];
  for (const p of w.peers) fns.push(await p.setup());
  for (const fn of fns) {
    const t0 = performance.now();
    let n = 0;
    while (n < 2 || performance.now() - t0 < o.warmupMs) {
      await fn();
      n++;
    }
  }
  const base = w.peers.find((p) => p.name === w.baseline);
  const diffs = new Map<string, number>();
  const baseOut = base?.output?.();
  if (baseOut) {
    for (const p of w.peers) {
      if (p === base || !p.output) continue;
      const d = maxRelDiff(p.output(), baseOut);
      diffs.set(p.name, d);
      if (!(d <= 1e-4)) console.warn(`  note ${w.name}: ${p.name} differs from ${w.baseline} by max rel diff ${d.toExponential(2)}`);
    }
  }
  const samples: number[][] = w.peers.map(() => []);
  const spent = w.peers.map(() => 0);
  const done = (i: number) => samples[i].length >= o.minRuns && spent[i] >= o.minTimeMs;
  while (!w.peers.every((_, i) => done(i))) {
    for (let i = 0; i < fns.length; i++) {
      if (done(i)) continue;
      const t0 = performance.now();
      await fns[i]();
      const ms = performance.now() - t0;
      samples[i].push(ms);
      spent[i] += ms;
    }
  }
  for (const p of w.peers) p.teardown?.();
  const med = samples.map(median);
  const bi = w.peers.findIndex((p) => p.name === w.baseline);
  return w.peers.map((p, i) => ({
    workload: w.name,
    peer: p.name,
    medianMs: med[i],
    baseline: w.baseline,
    baselineMedianMs: med[bi],
    ratio: med[bi] / med[i],
    gflops: w.flops / (med[i] * 1e6),
    runs: samples[i].length,
    ...(diffs.has(p.name) ? { maxRelDiff: diffs.get(p.name) } : {}),
  }));
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const backend = await setupTfjsWasm();
  const workloads = onnxWorkloads({ slow: o.slow, threads: o.threads }).filter((w) => !o.filter || w.name.includes(o.filter));
  console.log(`node ${process.version}, tfjs ${tf.version.tfjs} (backend ${backend}), onnxruntime threads ${o.threads ?? 'default'}; median of >= ${o.minRuns} runs and >= ${o.minTimeMs} ms per peer`);
  const all: Result[] = [];
  for (const w of workloads) {
    const rs = await run(w, o);
    const b = rs.find((r) => r.peer === w.baseline)!;
    for (const r of rs) {
      if (r === b) continue;
      console.log(
        `${w.name.padEnd(58)} ${r.peer} ${r.medianMs.toFixed(1).padStart(8)} ms   ${b.peer} ${b.medianMs.toFixed(1).padStart(8)} ms   ratio ${r.ratio.toFixed(2)}x (${b.peer} / ${r.peer})`,
      );
    }
    all.push(...rs);
  }
  if (o.json) {
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), o.json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
    console.log(`wrote ${file}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
