/**
 * The browser bench page (bundled by run.ts with esbuild for the browser): a MobileNetV2-style
 * predict and an MLP training epoch, on our API over onnx-web, tfjs-webgl, tfjs-wasm and
 * backend-ts, and on tfjs-layers over the same tfjs backends (wasm, webgl), with the same weights.
 * Contestants run round-robin (one run of each per round, so a burst of load hits all of them);
 * the figure is the median wall time of a run. Outputs are cross-checked against tfjs-layers on
 * wasm. Reports to `window.__bench` and `window.__done`.
 */
import * as tf from '@tensorflow/tfjs';
import { Dense, Input, Model, SGD, Sequential, Tensor, onlyOutput, setBackend, type Layer } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';
import type { Backend } from '@keras-ts/spec';
import { mobilenetV2, oursBuilder, randomizeBatchNorm, SIZE, tfjsBuilder } from '../workloads/mobilenet-arch.js';
import { randomData } from '../workloads/random.js';
import { BROWSER_BENCH, type BrowserBenchReport, type PeerResult } from './report.js';

const page = globalThis as unknown as {
  location: { origin: string; search: string };
  navigator: { userAgent: string; hardwareConcurrency: number };
  crossOriginIsolated?: boolean;
  __bench?: BrowserBenchReport;
  __done?: boolean;
  __error?: string;
  __progress: string[];
};
page.__progress = [];
const params = new URLSearchParams(page.location.search);
const log = (s: string) => page.__progress.push(s);

type Ours = 'onnx-web' | 'tfjs-wasm' | 'tfjs-webgl' | 'ts';
type Theirs = 'wasm' | 'webgl';

const backends = new Map<Ours, Promise<Backend>>();
function ours(name: Ours): Promise<Backend> {
  let b = backends.get(name);
  if (!b) {
    const origin = page.location.origin;
    if (name === 'onnx-web') {
      const threads = Number(params.get('threads') ?? 1);
      b = createOnnxWebBackend({ wasmPaths: `${origin}/ort/`, numThreads: threads });
    } else if (name === 'ts') b = Promise.resolve(createTsBackend());
    else b = createTfjsBackend({ backend: name === 'tfjs-wasm' ? 'wasm' : 'webgl', wasmPaths: `${origin}/wasm/` });
    backends.set(name, b);
  }
  return b;
}

/** Makes tfjs' own backend current for a tfjs-layers contestant (backend-tfjs registered wasm). */
async function theirs(name: Theirs): Promise<void> {
  await ours(name === 'wasm' ? 'tfjs-wasm' : 'tfjs-webgl');
  if (tf.getBackend() !== name) {
    await tf.setBackend(name);
    await tf.ready();
  }
}

interface Contestant {
  readonly name: string;
  /** Runs once; resolves when the output is on the host. */
  run(): Promise<void>;
  output(): Float32Array;
}

/** One workload: how each contestant is made, and how many runs. */
interface BenchWorkload {
  readonly name: string;
  readonly flops: number;
  readonly warmup: number;
  readonly runs: number;
  /** Relative tolerance of the cross-check against tfjs-layers on wasm. */
  readonly tolerance: number;
  ours(name: Ours): Promise<Contestant>;
  theirs(name: Theirs): Promise<Contestant>;
}

function copyWeightsByName(from: readonly Layer[], to: tf.LayersModel): void {
  for (const l of from) {
    const ws = l.getWeights();
    if (ws.length === 0) continue;
    const ts = ws.map((w) => tf.tensor(w.data as Float32Array, [...w.shape], 'float32'));
    to.getLayer(l.name).setWeights(ts);
    ts.forEach((t) => t.dispose());
  }
}

const concat = (parts: readonly ArrayLike<number>[]): Float32Array => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** MobileNetV2 alpha 0.35, 224x224x3, include_top: predict of `batch` images. */
function mobilenetWorkload(batch: number): BenchWorkload {
  const alpha = 0.35;
  const xData = randomData(batch * SIZE * SIZE * 3, 41);
  let reference: Model | null = null;
  const ref = async (): Promise<Model> => {
    if (!reference) {
      setBackend(await ours('ts'));
      const inp = Input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      reference = new Model({ inputs: inp, outputs: mobilenetV2(oursBuilder, inp, alpha).out });
      randomizeBatchNorm(reference);
    }
    return reference;
  };
  const flops = batch * mobilenetV2({ conv: () => null, depthwise: () => null, bn: () => null, relu6: () => null, pad: () => null, add: () => null, gap: () => null, dense: () => null }, null, alpha).flops;
  return {
    name: `mobilenetv2 a${alpha} ${SIZE}x${SIZE} b${batch} predict`,
    flops,
    warmup: 2,
    runs: Number(params.get('runs') ?? 15),
    tolerance: 1e-3,
    async ours(name) {
      const r = await ref();
      const backend = await ours(name);
      setBackend(backend);
      const inp = Input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      const m = new Model({ inputs: inp, outputs: mobilenetV2(oursBuilder, inp, alpha).out });
      m.setWeights(r.getWeights());
      const x = new Tensor([batch, SIZE, SIZE, 3], 'float32', xData);
      let out: Float32Array = new Float32Array(0);
      return {
        name: `keras-ts/${name}`,
        async run() {
          setBackend(backend);
          out = onlyOutput(await m.predict(x, { batchSize: batch, verbose: 0 })).data as Float32Array;
        },
        output: () => out,
      };
    },
    async theirs(name) {
      const r = await ref();
      await theirs(name);
      const tin = tf.input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      const m = tf.model({ inputs: tin, outputs: mobilenetV2(tfjsBuilder, tin, alpha).out });
      copyWeightsByName(r.layers, m);
      let out: Float32Array = new Float32Array(0);
      return {
        name: `tfjs-layers/${name}`,
        async run() {
          await theirs(name);
          const x = tf.tensor(xData, [batch, SIZE, SIZE, 3]);
          const y = m.predict(x, { batchSize: batch }) as tf.Tensor;
          out = (await y.data()) as Float32Array;
          y.dispose();
          x.dispose();
        },
        output: () => out,
      };
    },
  };
}

/**
 * The MLP of the Node bench (Dense 784-512-256-10, relu, relu, softmax; SGD 0.01, categorical
 * crossentropy), one epoch of `samples` digits-shaped rows at batch 32, no shuffling. The rows are
 * deterministic pseudo-random pixels with labels from a fixed rule (the page has no MNIST file).
 */
function mlpTrainWorkload(samples: number): BenchWorkload {
  const batch = 32;
  const x = randomData(samples * 784, 7, 0, 1);
  const y = new Float32Array(samples * 10);
  for (let i = 0; i < samples; i++) y[i * 10 + ((i * 7 + 3) % 10)] = 1;
  let reference: Sequential | null = null;
  const oursModel = () => {
    const m = new Sequential({
      layers: [new Dense({ units: 512, activation: 'relu', inputShape: [784], name: 'd1' }), new Dense({ units: 256, activation: 'relu', name: 'd2' }), new Dense({ units: 10, activation: 'softmax', name: 'd3' })],
    });
    m.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'categorical_crossentropy' });
    return m;
  };
  const ref = async () => {
    if (!reference) {
      setBackend(await ours('ts'));
      reference = oursModel();
    }
    return reference;
  };
  return {
    name: `mlp train epoch ${samples}/b${batch}`,
    flops: 3 * samples * 2 * (784 * 512 + 512 * 256 + 256 * 10),
    // The first epoch compiles (our training step, tfjs' kernels); every run trains further, and the
    // cross-check compares the weights after each contestant's first epoch (the warm-up).
    warmup: 1,
    runs: Number(params.get('train-runs') ?? 3),
    tolerance: 1e-3,
    async ours(name) {
      const r = await ref();
      const backend = await ours(name);
      setBackend(backend);
      const m = oursModel();
      m.setWeights(r.getWeights());
      const xt = new Tensor([samples, 784], 'float32', x);
      const yt = new Tensor([samples, 10], 'float32', y);
      let out: Float32Array | null = null;
      return {
        name: `keras-ts/${name}`,
        async run() {
          setBackend(backend);
          await m.fit(xt, yt, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
          out ??= concat(m.getWeights().map((w) => w.data));
        },
        output: () => out ?? new Float32Array(0),
      };
    },
    async theirs(name) {
      const r = await ref();
      await theirs(name);
      const m = tf.sequential({
        layers: [tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784], name: 'd1' }), tf.layers.dense({ units: 256, activation: 'relu', name: 'd2' }), tf.layers.dense({ units: 10, activation: 'softmax', name: 'd3' })],
      });
      m.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
      copyWeightsByName(r.layers, m);
      const xt = tf.tensor(x, [samples, 784]);
      const yt = tf.tensor(y, [samples, 10]);
      let out: Float32Array | null = null;
      return {
        name: `tfjs-layers/${name}`,
        async run() {
          await theirs(name);
          await m.fit(xt, yt, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0, yieldEvery: 'never' });
          out ??= concat(await Promise.all(m.getWeights().map(async (w) => (await w.data()) as Float32Array)));
        },
        output: () => out ?? new Float32Array(0),
      };
    },
  };
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Largest difference from the reference, relative to the reference's largest magnitude. */
function relDiff(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return worst / Math.max(scale, 1e-12);
}

async function runWorkload(w: BenchWorkload): Promise<{ name: string; flops: number; tolerance: number; peers: PeerResult[] }> {
  const peers: { c: Contestant; times: number[]; error?: string }[] = [];
  const make: (() => Promise<Contestant>)[] = [...BROWSER_BENCH.ours.map((n) => () => w.ours(n)), ...BROWSER_BENCH.theirs.map((n) => () => w.theirs(n))];
  const names = [...BROWSER_BENCH.ours.map((n) => `keras-ts/${n}`), ...BROWSER_BENCH.theirs.map((n) => `tfjs-layers/${n}`)];
  // --peers: only the contestants named (run.ts checked the names).
  const wanted = params.get('peers')?.split(',');
  const failed: PeerResult[] = [];
  for (const [k, m] of make.entries()) {
    if (wanted && !wanted.includes(names[k])) continue;
    try {
      log(`${w.name}: setting up ${names[k]}`);
      const c = await m();
      for (let i = 0; i < w.warmup; i++) await c.run();
      peers.push({ c, times: [] });
    } catch (e) {
      failed.push({ peer: names[k], medianMs: null, runs: 0, error: String((e as Error)?.message ?? e) });
    }
  }
  for (let round = 0; round < w.runs; round++) {
    for (const p of peers) {
      // A task boundary between runs (the page stays responsive).
      await new Promise((r) => setTimeout(r, 0));
      const t0 = performance.now();
      await p.c.run();
      p.times.push(performance.now() - t0);
    }
    log(`${w.name}: round ${round + 1}/${w.runs}`);
  }
  const ref = peers.find((p) => p.c.name === 'tfjs-layers/wasm')?.c.output();
  return {
    name: w.name,
    flops: w.flops,
    tolerance: w.tolerance,
    peers: [
      ...peers.map((p) => ({ peer: p.c.name, medianMs: median(p.times), runs: p.times.length, times: p.times, diff: ref ? relDiff(p.c.output(), ref) : undefined })),
      ...failed,
    ],
  };
}

(async () => {
  try {
    const filter = params.get('filter');
    const samples = Number(params.get('samples') ?? 2048);
    const workloads = [mobilenetWorkload(Number(params.get('batch') ?? 1)), mlpTrainWorkload(samples)].filter((w) => !filter || w.name.includes(filter));
    const results = [];
    for (const w of workloads) results.push(await runWorkload(w));
    page.__bench = {
      userAgent: page.navigator.userAgent,
      crossOriginIsolated: page.crossOriginIsolated === true,
      hardwareConcurrency: page.navigator.hardwareConcurrency,
      onnxThreads: Number(params.get('threads') ?? 1),
      workloads: results,
    };
  } catch (e) {
    page.__error = String((e as Error)?.stack ?? e);
  }
  page.__done = true;
})();
