/**
 * keras-ts on @keras-ts/backend-tfjs against tfjs-layers, on the same tfjs backend (cpu, wasm),
 * with the same weights: an MLP (784-512-256-10) and a small CNN (28x28x1 -> conv 3x3x16 -> pool
 * -> conv 3x3x32 -> pool -> dense 10), each timed on
 *
 * - predict: one batch of 256 samples, host Float32Array in, host Float32Array out;
 * - train: one epoch over 2,048 samples, batch 32, SGD (lr 0.01), categorical crossentropy on
 *   one-hot labels, no shuffling.
 *
 * Both peers start from host data on every run (tfjs-layers' inputs are made into tensors
 * inside the timed run, as ours are uploaded by the backend) and read their outputs back.
 *
 * The CNN is not trained on wasm: tfjs-layers cannot (tfjs' wasm backend has no
 * Conv2DBackpropFilter kernel: "Kernel 'Conv2DBackpropFilter' not registered for backend
 * 'wasm'"), so there is no baseline; keras-ts trains it there (its conv_backprop_filter is written
 * as a forward convolution).
 *
 * An epoch takes tens of seconds on tfjs-cpu: the training workloads ask for fewer runs
 * (`runs`, `warmupRuns`), which main.ts may honour.
 *
 * Used two ways:
 * - `tfjsLayersWorkloads()` returns workloads in the shape bench/src/main.ts runs (baseline
 *   tfjs-layers; main.ts' ratio is baseline / peer);
 * - `npx tsx bench/src/tfjs-layers.ts [--filter TEXT] [--runs N] [--json FILE]` runs them
 *   standalone and prints medians and the ratio ours / tfjs-layers (lower is better; the target
 *   for predict is <= 1.15).
 */
import { writeFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createTfjsBackend, type TfjsBackend, type TfjsBackendName } from '../../packages/backend-tfjs/src/index';
import { Conv2D, Dense, Flatten, MaxPooling2D, SGD, Sequential, Tensor, getBackend, setBackend, type Layer } from '../../packages/keras/src/index';

type RunFn = () => void | Promise<void>;

/** A peer of a workload (the same shape as bench/src/main.ts' Peer). */
export interface TfjsBenchPeer {
  name: string;
  setup(): Promise<RunFn>;
  output?(): Float32Array;
  teardown?(): void;
}

/** A workload (the same shape as bench/src/main.ts' Workload, plus suggested run counts). */
export interface TfjsBenchWorkload {
  name: string;
  flops: number;
  baseline: string;
  peers: TfjsBenchPeer[];
  /** Suggested number of measured runs per peer and of warm-up runs (slow workloads ask for few). */
  runs?: number;
  warmupRuns?: number;
}

type ModelKind = 'mlp' | 'cnn';

const PREDICT_BATCH = 256;
const TRAIN_SAMPLES = 2048;
const TRAIN_BATCH = 32;
const LR = 0.01;

/** Deterministic uniform [-1, 1) data (mulberry32). */
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

function oneHot(n: number, classes: number): Float32Array {
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + ((i * 7 + 3) % classes)] = 1;
  return y;
}

const inputShape = (kind: ModelKind): number[] => (kind === 'mlp' ? [784] : [28, 28, 1]);

/** Multiply-adds x 2 of one forward pass of one sample. */
function forwardFlops(kind: ModelKind): number {
  if (kind === 'mlp') return 2 * (784 * 512 + 512 * 256 + 256 * 10);
  return 2 * (26 * 26 * 16 * 9 + 11 * 11 * 32 * 9 * 16 + 5 * 5 * 32 * 10);
}

function kerasModel(kind: ModelKind): Sequential {
  const layers: Layer[] =
    kind === 'mlp'
      ? [new Dense({ units: 512, activation: 'relu', inputShape: [784] }), new Dense({ units: 256, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' })]
      : [
          new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
          new MaxPooling2D({ poolSize: 2 }),
          new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
          new MaxPooling2D({ poolSize: 2 }),
          new Flatten(),
          new Dense({ units: 10, activation: 'softmax' }),
        ];
  const m = new Sequential({ layers });
  m.compile({ optimizer: new SGD({ learningRate: LR }), loss: 'categorical_crossentropy' });
  return m;
}

function tfjsModel(kind: ModelKind): tf.Sequential {
  const layers =
    kind === 'mlp'
      ? [tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 256, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })]
      : [
          tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10, activation: 'softmax' }),
        ];
  const m = tf.sequential({ layers });
  m.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  return m;
}

const backends = new Map<TfjsBackendName, Promise<TfjsBackend>>();
function backendFor(name: TfjsBackendName): Promise<TfjsBackend> {
  let b = backends.get(name);
  if (!b) backends.set(name, (b = createTfjsBackend({ backend: name })));
  return b;
}

/** Makes `name` the active tfjs backend and the keras-ts backend (without recompiling when it already is). */
async function use(name: TfjsBackendName): Promise<TfjsBackend> {
  const b = await backendFor(name);
  await tf.setBackend(name);
  let current: unknown = null;
  try {
    current = getBackend();
  } catch {
    current = null;
  }
  if (current !== b) setBackend(b);
  return b;
}

/** The two models of one workload, built once with the same weights (ours copied into tfjs-layers). */
function modelPair(kind: ModelKind, name: TfjsBackendName): () => Promise<{ ours: Sequential; theirs: tf.Sequential }> {
  let pair: Promise<{ ours: Sequential; theirs: tf.Sequential }> | null = null;
  return () =>
    (pair ??= (async () => {
      await use(name);
      const ours = kerasModel(kind);
      const theirs = tfjsModel(kind);
      const ws = ours.getWeights();
      theirs.setWeights(ws.map((w) => tf.tensor(w.data, w.shape, w.dtype)));
      return { ours, theirs };
    })());
}

function predictWorkload(kind: ModelKind, name: TfjsBackendName): TfjsBenchWorkload {
  const shape = [PREDICT_BATCH, ...inputShape(kind)];
  const x = randomData(shape.reduce((a, b) => a * b, 1), 11);
  const pair = modelPair(kind, name);
  let ourOut: Float32Array = new Float32Array(0);
  let theirOut: Float32Array = new Float32Array(0);
  const ours: TfjsBenchPeer = {
    name: `keras-ts/tfjs-${name}`,
    async setup() {
      const { ours: m } = await pair();
      await use(name);
      const xt = new Tensor(shape, 'float32', x);
      return async () => {
        await use(name);
        ourOut = ((await m.predict(xt, { batchSize: PREDICT_BATCH })) as Tensor).data as Float32Array;
      };
    },
    output: () => ourOut,
  };
  const theirs: TfjsBenchPeer = {
    name: `tfjs-layers/${name}`,
    async setup() {
      const { theirs: m } = await pair();
      return async () => {
        await use(name);
        const xt = tf.tensor(x, shape);
        const y = m.predict(xt, { batchSize: PREDICT_BATCH }) as tf.Tensor;
        theirOut = y.dataSync() as Float32Array;
        y.dispose();
        xt.dispose();
      };
    },
    output: () => theirOut,
  };
  return { name: `${kind} predict ${PREDICT_BATCH} (tfjs-${name})`, flops: PREDICT_BATCH * forwardFlops(kind), baseline: theirs.name, peers: [ours, theirs] };
}

function trainWorkload(kind: ModelKind, name: TfjsBackendName): TfjsBenchWorkload {
  const shape = [TRAIN_SAMPLES, ...inputShape(kind)];
  const x = randomData(shape.reduce((a, b) => a * b, 1), 21);
  const y = oneHot(TRAIN_SAMPLES, 10);
  const pair = modelPair(kind, name);
  const ours: TfjsBenchPeer = {
    name: `keras-ts/tfjs-${name}`,
    async setup() {
      const { ours: m } = await pair();
      const xt = new Tensor(shape, 'float32', x);
      const yt = new Tensor([TRAIN_SAMPLES, 10], 'float32', y);
      return async () => {
        await use(name);
        await m.fit(xt, yt, { epochs: 1, batchSize: TRAIN_BATCH, shuffle: false, verbose: 0 });
      };
    },
  };
  const theirs: TfjsBenchPeer = {
    name: `tfjs-layers/${name}`,
    async setup() {
      const { theirs: m } = await pair();
      return async () => {
        await use(name);
        const xt = tf.tensor(x, shape);
        const yt = tf.tensor(y, [TRAIN_SAMPLES, 10]);
        await m.fit(xt, yt, { epochs: 1, batchSize: TRAIN_BATCH, shuffle: false, verbose: 0, yieldEvery: 'never' });
        xt.dispose();
        yt.dispose();
      };
    },
  };
  // Forward, input gradient and weight gradient: about three forward passes per sample.
  return {
    name: `${kind} train epoch ${TRAIN_SAMPLES}/${TRAIN_BATCH} (tfjs-${name})`,
    flops: 3 * TRAIN_SAMPLES * forwardFlops(kind),
    baseline: theirs.name,
    peers: [ours, theirs],
    runs: 3,
    warmupRuns: 1,
  };
}

/** The keras-ts vs tfjs-layers workloads, for each tfjs backend asked for. */
export function tfjsLayersWorkloads(names: readonly TfjsBackendName[] = ['cpu', 'wasm']): TfjsBenchWorkload[] {
  const out: TfjsBenchWorkload[] = [];
  for (const name of names) {
    for (const kind of ['mlp', 'cnn'] as const) {
      out.push(predictWorkload(kind, name));
      // tfjs-layers cannot train the CNN on wasm (no Conv2DBackpropFilter kernel there).
      if (!(kind === 'cnn' && name === 'wasm')) out.push(trainWorkload(kind, name));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Standalone runner
// ---------------------------------------------------------------------------------

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (scale || 1));
  return worst;
}

export interface TfjsBenchResult {
  workload: string;
  ours: string;
  theirs: string;
  /** Median wall time of a run. */
  oursMs: number;
  theirsMs: number;
  /** ours / tfjs-layers by wall time (lower is better). */
  ratio: number;
  /** Median process CPU time (user + system) of a run, and the ratio by it: steadier on a busy machine (tfjs runs single-threaded here). */
  oursCpuMs: number;
  theirsCpuMs: number;
  cpuRatio: number;
  runs: number;
}

/** Runs one workload: warm-up, then `runs` interleaved rounds (at least `minMs` per peer); medians. */
export async function runTfjsWorkload(w: TfjsBenchWorkload, minRuns: number, minMs = 1000): Promise<TfjsBenchResult> {
  const runs = w.runs ?? minRuns;
  const warmup = w.warmupRuns ?? 2;
  const fns: RunFn[] = [];
  for (const p of w.peers) fns.push(await p.setup());
  for (let k = 0; k < warmup; k++) for (const f of fns) await f();
  const base = w.peers.findIndex((p) => p.name === w.baseline);
  const peer = base === 0 ? 1 : 0;
  const bo = w.peers[base].output?.();
  const po = w.peers[peer].output?.();
  if (bo && po) {
    const d = maxRelDiff(po, bo);
    if (!(d <= 1e-4)) console.warn(`  WARNING ${w.name}: outputs differ (max rel diff ${d.toExponential(2)})`);
  }
  const samples: number[][] = w.peers.map(() => []);
  const cpu: number[][] = w.peers.map(() => []);
  const spent = w.peers.map(() => 0);
  while (samples.some((s, i) => s.length < runs || spent[i] < minMs)) {
    for (let i = 0; i < fns.length; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fns[i]();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      samples[i].push(ms);
      cpu[i].push((c.user + c.system) / 1000);
      spent[i] += ms;
    }
  }
  for (const p of w.peers) p.teardown?.();
  const oursMs = median(samples[peer]);
  const theirsMs = median(samples[base]);
  const oursCpuMs = median(cpu[peer]);
  const theirsCpuMs = median(cpu[base]);
  return {
    workload: w.name,
    ours: w.peers[peer].name,
    theirs: w.peers[base].name,
    oursMs,
    theirsMs,
    ratio: oursMs / theirsMs,
    oursCpuMs,
    theirsCpuMs,
    cpuRatio: oursCpuMs / theirsCpuMs,
    runs: samples[peer].length,
  };
}

async function main(argv: readonly string[]): Promise<void> {
  let filter: string | undefined;
  let runs = 5;
  let json: string | undefined;
  let names: TfjsBackendName[] = ['cpu', 'wasm'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--filter') filter = argv[++i];
    else if (a === '--runs') runs = Number(argv[++i]);
    else if (a === '--json') json = argv[++i];
    else if (a === '--backend') names = argv[++i].split(',') as TfjsBackendName[];
    else if (a !== '--') throw new Error(`unknown argument ${a} (use --filter TEXT, --runs N, --backend cpu,wasm, --json FILE)`);
  }
  console.log(`node ${process.version}, tfjs ${tf.version.tfjs}; median of >= ${runs} interleaved runs per peer (training: 3); ratio = keras-ts / tfjs-layers, by wall and by process CPU time`);
  const results: TfjsBenchResult[] = [];
  for (const w of tfjsLayersWorkloads(names)) {
    if (filter && !w.name.includes(filter)) continue;
    const r = await runTfjsWorkload(w, runs);
    results.push(r);
    console.log(
      `${w.name.padEnd(40)} keras-ts ${r.oursMs.toFixed(1).padStart(8)} ms   tfjs-layers ${r.theirsMs.toFixed(1).padStart(8)} ms   ratio ${r.ratio.toFixed(2)}x` +
        `   (CPU time ${r.oursCpuMs.toFixed(1)} / ${r.theirsCpuMs.toFixed(1)} ms, ratio ${r.cpuRatio.toFixed(2)}x)`,
    );
  }
  if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
}

const isMain = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (isMain) await main(process.argv.slice(2));
