/**
 * keras-ts benchmarks: our pure-TypeScript kernels vs @tensorflow/tfjs on its `cpu` backend.
 *
 *   pnpm bench                         # from the repo root (runs `tsx bench/src/main.ts`)
 *   pnpm bench --json results/x.json   # also write the figures as JSON
 *   pnpm bench --filter conv           # only workloads whose name contains "conv"
 *   pnpm bench --min-time 2000 --min-runs 10
 *   pnpm bench --full-epochs           # LeNet's training epoch over all 10,000 digits (slow)
 *
 * Each workload has a baseline peer (tfjs-cpu) and one or more other peers. Every peer
 * is set up once, warmed up, then run repeatedly — peers interleaved round by round so
 * that transient machine load hits all of them alike — until each has at least
 * `--min-runs` samples and `--min-time` ms of measured time (model workloads that take
 * seconds per run set their own, smaller counts). We report the median, the CPU-time
 * median, and peak memory sampled during each peer's runs. The model workloads are in
 * ./workloads/ (keras-ts on backend-ts against tfjs-layers on tfjs `cpu`).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace } from '@keras-ts/spec';
import { modelWorkloads, tsBackendSource } from './workloads/index';

// ---------------------------------------------------------------------------------
// Framework
// ---------------------------------------------------------------------------------

type RunFn = () => void | Promise<void>;

interface Peer {
  name: string;
  /** Prepares inputs (not timed) and returns the function to time. */
  setup(): Promise<RunFn>;
  /** The result of the last run, used to cross-check peers (optional). */
  output?(): Float32Array;
  /** Releases what setup allocated (optional). */
  teardown?(): void;
}

interface Workload {
  name: string;
  /** Floating-point operations of one run (multiply-add = 2), for GFLOP/s. */
  flops: number;
  /** Name of the peer the ratios are computed against. */
  baseline: string;
  peers: Peer[];
  /** Per-workload overrides of --min-runs / --min-time (big workloads run fewer, longer runs). */
  minRuns?: number;
  minTimeMs?: number;
  /** Warm-up runs per peer; when set, --warmup (ms) does not apply. */
  warmupRuns?: number;
  /** Largest acceptable max relative difference of the cross-check (default 1e-4). */
  tolerance?: number;
}

interface Result {
  workload: string;
  peer: string;
  medianMs: number;
  baseline: string;
  baselineMedianMs: number;
  /** baselineMedianMs / medianMs: how many times faster than the baseline this peer is. */
  ratio: number;
  gflops: number;
  runs: number;
  /** Median process CPU time per run; much below medianMs means the machine was busy. */
  medianCpuMs: number;
  /** GFLOP/s by CPU time (flops / medianCpuMs): on a busy machine, closer to what the code can do. */
  gflopsCpu: number;
  /**
   * Peaks of process.memoryUsage() sampled while this peer ran (after each run and every 5 ms
   * when the event loop is free), in MB. rss is the whole process's (both peers' models live in
   * it); heapUsed is the JS heap, arrayBuffers the typed arrays' backing stores.
   */
  peakRssMb: number;
  peakHeapMb: number;
  peakArrayBuffersMb: number;
  /**
   * Median over the timed runs of the growth of heapUsed + arrayBuffers from just before a run
   * to the peak sampled during or right after it, in MB: roughly what one run allocates (and
   * still holds when sampled). The process-wide peaks above mostly reflect what every workload
   * so far left behind; this one is the peer's own.
   */
  runGrowthMb: number;
}

interface Options {
  json?: string;
  filter?: string;
  minTimeMs: number;
  minRuns: number;
  warmupMs: number;
  /** Train LeNet on all 10,000 digits (tfjs-cpu then needs 10+ minutes for that epoch alone). */
  fullEpochs: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { minTimeMs: 1000, minRuns: 5, warmupMs: 300, fullEpochs: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--') continue;
    else if (arg === '--json') opts.json = value();
    else if (arg === '--filter') opts.filter = value();
    else if (arg === '--min-time') opts.minTimeMs = Number(value());
    else if (arg === '--min-runs') opts.minRuns = Number(value());
    else if (arg === '--warmup') opts.warmupMs = Number(value());
    else if (arg === '--full-epochs') opts.fullEpochs = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: tsx bench/src/main.ts [--json FILE] [--filter TEXT] [--min-time MS] [--min-runs N] [--warmup MS] [--full-epochs]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall-clock and process CPU time (user + system) of one run, in ms. */
async function timeOnce(fn: RunFn): Promise<[number, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1000];
}

/** Peaks of process.memoryUsage() per peer: sampled after each run and by a timer while the event loop is free. */
class MemorySampler {
  readonly rss: number[];
  readonly heap: number[];
  readonly buffers: number[];
  /** Growth of heapUsed + arrayBuffers over each timed run, per peer. */
  readonly growth: number[][];
  /** Whether runs are timed (growth is recorded only then, not during warm-up). */
  timed = false;
  private before = 0;
  private runPeak = 0;
  current = -1;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(peers: number) {
    this.rss = new Array<number>(peers).fill(0);
    this.heap = new Array<number>(peers).fill(0);
    this.buffers = new Array<number>(peers).fill(0);
    this.growth = Array.from({ length: peers }, () => []);
  }

  /** Marks the start of a run of peer i. */
  begin(i: number): void {
    const m = process.memoryUsage();
    this.before = m.heapUsed + m.arrayBuffers;
    this.runPeak = 0;
    this.current = i;
    this.sample();
  }

  /** Marks the end of the current run. */
  end(): void {
    this.sample();
    if (this.timed && this.current >= 0) this.growth[this.current].push(this.runPeak);
    this.current = -1;
  }

  sample(): void {
    const i = this.current;
    if (i < 0) return;
    const m = process.memoryUsage();
    if (m.rss > this.rss[i]) this.rss[i] = m.rss;
    if (m.heapUsed > this.heap[i]) this.heap[i] = m.heapUsed;
    if (m.arrayBuffers > this.buffers[i]) this.buffers[i] = m.arrayBuffers;
    const g = m.heapUsed + m.arrayBuffers - this.before;
    if (g > this.runPeak) this.runPeak = g;
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), 5);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

function maxRelDiff(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]) / (scale || 1);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

async function runWorkload(w: Workload, opts: Options): Promise<Result[]> {
  const fns: RunFn[] = [];
  for (const p of w.peers) fns.push(await p.setup());

  const mem = new MemorySampler(w.peers.length);
  mem.start();
  const runPeer = async (i: number): Promise<[number, number]> => {
    mem.begin(i);
    const r = await timeOnce(fns[i]);
    mem.end();
    return r;
  };

  // Warm-up: let the JITs (ours and tfjs') settle.
  const warmRuns = w.warmupRuns ?? 3;
  const warmMs = w.warmupRuns === undefined ? opts.warmupMs : 0;
  for (let i = 0; i < w.peers.length; i++) {
    const t0 = performance.now();
    let n = 0;
    while (n < warmRuns || performance.now() - t0 < warmMs) { await runPeer(i); n++; }
  }

  // Measurement, interleaved round-robin.
  mem.timed = true;
  const samples: number[][] = w.peers.map(() => []);
  const cpuSamples: number[][] = w.peers.map(() => []);
  const spent: number[] = w.peers.map(() => 0);
  const minRuns = w.minRuns ?? opts.minRuns;
  const minTime = w.minTimeMs ?? opts.minTimeMs;
  const done = (i: number) => samples[i].length >= minRuns && spent[i] >= minTime;
  while (!w.peers.every((_, i) => done(i))) {
    for (let i = 0; i < w.peers.length; i++) {
      if (done(i)) continue;
      const [ms, cpu] = await runPeer(i);
      samples[i].push(ms);
      cpuSamples[i].push(cpu);
      spent[i] += ms;
    }
  }
  mem.stop();

  // Cross-check outputs against the baseline (after the runs: workloads without warm-up have
  // outputs only then).
  const base = w.peers.find((p) => p.name === w.baseline);
  const baseOut = base?.output?.();
  if (baseOut) {
    for (const p of w.peers) {
      if (p === base || !p.output) continue;
      const d = maxRelDiff(p.output(), baseOut);
      if (!(d <= (w.tolerance ?? 1e-4))) console.warn(`  WARNING ${w.name}: ${p.name} differs from ${w.baseline} (max rel diff ${d.toExponential(2)})`);
    }
  }
  for (const p of w.peers) p.teardown?.();

  const MB = 1 / (1024 * 1024);
  const medians = samples.map(median);
  const bi = w.peers.findIndex((p) => p.name === w.baseline);
  const baseMs = bi >= 0 ? medians[bi] : Number.NaN;
  return w.peers.map((p, i) => ({
    workload: w.name,
    peer: p.name,
    medianMs: medians[i],
    baseline: w.baseline,
    baselineMedianMs: baseMs,
    ratio: baseMs / medians[i],
    gflops: w.flops / (medians[i] * 1e6),
    runs: samples[i].length,
    medianCpuMs: median(cpuSamples[i]),
    gflopsCpu: w.flops / (median(cpuSamples[i]) * 1e6),
    peakRssMb: mem.rss[i] * MB,
    peakHeapMb: mem.heap[i] * MB,
    peakArrayBuffersMb: mem.buffers[i] * MB,
    runGrowthMb: (mem.growth[i].length ? median(mem.growth[i]) : 0) * MB,
  }));
}

function report(w: Workload, results: Result[]): void {
  const base = results.find((r) => r.peer === w.baseline);
  const fmt = (r: Result) => `${r.peer}  ${r.medianMs.toFixed(1).padStart(7)} ms (${r.gflops.toFixed(2).padStart(5)} GFLOP/s)`;
  for (const r of results) {
    if (r.peer === w.baseline) continue;
    const tail = base ? `   ${fmt(base)}   ratio ${r.ratio.toFixed(2)}x (${base.peer} / ${r.peer})` : '';
    console.log(`${w.name.padEnd(40)} ${fmt(r)}${tail}`);
  }
  const memOf = (r: Result) =>
    `${r.peer} +${r.runGrowthMb.toFixed(1)} MB per run (process rss ${r.peakRssMb.toFixed(0)} MB, heap ${r.peakHeapMb.toFixed(0)} MB, buffers ${r.peakArrayBuffersMb.toFixed(0)} MB)`;
  console.log(`  memory: ${results.map(memOf).join('; ')}; runs: ${results.map((r) => `${r.peer} ${r.runs}`).join(', ')}`);
  // Single-threaded peers: wall time well above CPU time means other processes took the CPU.
  const busy = results.filter((r) => r.medianMs > 1.25 * r.medianCpuMs);
  if (base && busy.length > 0) {
    const cpuRatios = results
      .filter((r) => r !== base)
      .map((r) => `${r.peer} ${(base.medianCpuMs / r.medianCpuMs).toFixed(2)}x`);
    console.log(`  (machine busy: wall time > 1.25 x CPU time for ${busy.map((r) => r.peer).join(', ')}; ` +
      `ratio by CPU time: ${cpuRatios.join(', ')})`);
  }
}

// ---------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------

/** Deterministic uniform [-1, 1) data (mulberry32), so every run sees the same inputs. */
function randomData(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Workload: matmul
// ---------------------------------------------------------------------------------

function matmulWorkload(M: number, N: number, K: number): Workload {
  const a = randomData(M * K, 1);
  const b = randomData(K * N, 2);

  let oursOut: Float32Array = new Float32Array(M * N);
  const ours: Peer = {
    name: 'backend-ts',
    async setup() {
      // The backend's own path: a traced graph compiled once, run on host tensors.
      const exe = createTsBackend().compile(trace((x, y) => ops.matmul(x, y), [{ shape: [M, K], dtype: 'float32' }, { shape: [K, N], dtype: 'float32' }]));
      const inputs = [{ shape: [M, K], dtype: 'float32' as const, data: a }, { shape: [K, N], dtype: 'float32' as const, data: b }];
      return () => {
        oursOut = exe.runSync(inputs)[0].data as Float32Array;
      };
    },
    output: () => oursOut,
  };

  let ta: tf.Tensor2D | undefined, tb: tf.Tensor2D | undefined;
  let tfOut: Float32Array = new Float32Array(0);
  const tfjs: Peer = {
    name: 'tfjs-cpu',
    async setup() {
      ta = tf.tensor2d(a, [M, K]);
      tb = tf.tensor2d(b, [K, N]);
      const x = ta, y = tb;
      return () => {
        const c = tf.matMul(x, y);
        tfOut = c.dataSync() as Float32Array;
        c.dispose();
      };
    },
    output: () => tfOut,
    teardown() { ta?.dispose(); tb?.dispose(); },
  };

  return { name: `matmul ${M}x${N}x${K}`, flops: 2 * M * N * K, baseline: tfjs.name, peers: [ours, tfjs] };
}

// ---------------------------------------------------------------------------------
// Workload: conv2d (NHWC, HWIO filter, stride 1, 'same' padding)
// ---------------------------------------------------------------------------------

function conv2dWorkload(B: number, H: number, W: number, C: number, KH: number, KW: number, F: number): Workload {
  const x = randomData(B * H * W * C, 3);
  const f = randomData(KH * KW * C * F, 4);

  let oursOut: Float32Array = new Float32Array(B * H * W * F);
  const ours: Peer = {
    name: 'backend-ts',
    async setup() {
      const exe = createTsBackend().compile(
        trace((xx, ff) => ops.conv(xx, ff, { padding: 'same' }), [
          { shape: [B, H, W, C], dtype: 'float32' },
          { shape: [KH, KW, C, F], dtype: 'float32' },
        ]),
      );
      const inputs = [{ shape: [B, H, W, C], dtype: 'float32' as const, data: x }, { shape: [KH, KW, C, F], dtype: 'float32' as const, data: f }];
      return () => {
        oursOut = exe.runSync(inputs)[0].data as Float32Array;
      };
    },
    output: () => oursOut,
  };

  let tx: tf.Tensor4D | undefined, tfl: tf.Tensor4D | undefined;
  let tfOut: Float32Array = new Float32Array(0);
  const tfjs: Peer = {
    name: 'tfjs-cpu',
    async setup() {
      tx = tf.tensor4d(x, [B, H, W, C]);
      tfl = tf.tensor4d(f, [KH, KW, C, F]);
      const xx = tx, ff = tfl;
      return () => {
        const y = tf.conv2d(xx, ff, 1, 'same');
        tfOut = y.dataSync() as Float32Array;
        y.dispose();
      };
    },
    output: () => tfOut,
    teardown() { tx?.dispose(); tfl?.dispose(); },
  };

  return {
    name: `conv2d ${KH}x${KW} ${B}x${H}x${W}x${C} -> ${F}, same`,
    flops: 2 * B * H * W * F * KH * KW * C,
    baseline: tfjs.name,
    peers: [ours, tfjs],
  };
}

// ---------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  await tf.setBackend('cpu');
  await tf.ready();

  const workloads: Workload[] = [
    matmulWorkload(512, 512, 512),
    conv2dWorkload(1, 64, 64, 32, 3, 3, 32),
    ...modelWorkloads({ lenetTrainSamples: opts.fullEpochs ? 10000 : 2000 }),
  ].filter((w) => !opts.filter || w.name.includes(opts.filter));

  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}, tfjs ${tf.version.tfjs} (backend ${tf.getBackend()}); ` +
    `median of >= ${opts.minRuns} runs and >= ${opts.minTimeMs} ms per peer (model workloads: fewer, see README)` +
    (tsBackendSource !== '@keras-ts/backend-ts' ? `; model workloads on backend-ts from ${tsBackendSource}` : ''));
  const all: Result[] = [];
  for (const w of workloads) {
    const results = await runWorkload(w, opts);
    report(w, results);
    all.push(...results);
  }

  if (opts.json) {
    // pnpm runs the script inside bench/; resolve relative paths against the caller's cwd.
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), opts.json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
    console.log(`wrote ${file}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
