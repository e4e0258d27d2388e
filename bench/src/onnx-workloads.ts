/**
 * Workloads of backend-onnx (keras-ts models on onnxruntime-node) against tfjs-layers on
 * @tensorflow/tfjs-backend-wasm, with the same architectures and the same weights:
 *
 * - `mlp predict`: Dense 784-512-256-10 (relu, relu, softmax) on a batch of 256;
 * - `cnn predict`: 28x28x1 -> Conv2D(16, 3, same, relu) -> MaxPool 2 -> Conv2D(32, 3, same, relu)
 *   -> MaxPool 2 -> Flatten -> Dense(64, relu) -> Dense(10, softmax) on a batch of 256;
 * - `mlp fit` / `cnn fit`: one epoch of SGD (lr 0.01) over 2,048 samples in batches of 32,
 *   categorical crossentropy on one-hot labels, no shuffling (each run restarts from the same
 *   weights); the CNN's epoch only with `slow` (tfjs-wasm cannot train convolutions);
 * - `ort matmul 512x512x512`: a bare MatMul in an onnxruntime session (no keras-ts on the path),
 *   for reference against tf.matMul on wasm.
 *
 * The shapes match the Peer/Workload types of bench/src/main.ts, so main.ts can add
 * `...(await onnxWorkloads())` to its list; bench/src/onnx-bench.ts runs them on their own.
 * The tfjs peers need `await tf.setBackend('wasm')` first (see {@link setupTfjsWasm}).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { Conv2D, Dense, Flatten, MaxPooling2D, SGD, Sequential, Tensor, setBackend, type Layer, type Model } from '@keras-ts/keras';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type RunFn = () => void | Promise<void>;

export interface Peer {
  name: string;
  setup(): Promise<RunFn>;
  output?(): Float32Array;
  teardown?(): void;
}

export interface Workload {
  name: string;
  flops: number;
  baseline: string;
  peers: Peer[];
}

export const TFJS_WASM = 'tfjs-wasm';
export const ONNX = 'backend-onnx';

/** Loads tfjs' wasm backend from the installed package's files and makes it current. */
export async function setupTfjsWasm(): Promise<string> {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths(`${dist}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error("tfjs backend 'wasm' failed to initialize");
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `${tf.getBackend()}, simd ${simd}, threads ${threads}`;
}

/** Deterministic uniform [-1, 1) data (mulberry32). */
export function randomData(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1) * scale;
  }
  return out;
}

function oneHot(n: number, k: number): Float32Array {
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) y[i * k + ((i * 7 + 3) % k)] = 1;
  return y;
}

interface Arch {
  name: string;
  inputShape: number[];
  keras(): Model;
  tfjs(): tf.Sequential;
  /** Multiply-adds x 2 of one forward pass of one sample. */
  flopsPerSample: number;
}

const mlp: Arch = {
  name: 'mlp 784-512-256-10',
  inputShape: [784],
  keras: () =>
    new Sequential({
      layers: [
        new Dense({ units: 512, activation: 'relu', inputShape: [784] }) as Layer,
        new Dense({ units: 256, activation: 'relu' }),
        new Dense({ units: 10, activation: 'softmax' }),
      ],
    }),
  tfjs: () =>
    tf.sequential({
      layers: [
        tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
        tf.layers.dense({ units: 256, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
  flopsPerSample: 2 * (784 * 512 + 512 * 256 + 256 * 10),
};

const cnn: Arch = {
  name: 'cnn 28x28x1 c16-p-c32-p-d64-d10',
  inputShape: [28, 28, 1],
  keras: () =>
    new Sequential({
      layers: [
        new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }) as Layer,
        new MaxPooling2D({ poolSize: 2 }),
        new Conv2D({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
        new MaxPooling2D({ poolSize: 2 }),
        new Flatten({}),
        new Dense({ units: 64, activation: 'relu' }),
        new Dense({ units: 10, activation: 'softmax' }),
      ],
    }),
  tfjs: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 64, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
  flopsPerSample: 2 * (28 * 28 * 16 * 9 * 1 + 14 * 14 * 32 * 9 * 16 + 7 * 7 * 32 * 64 + 64 * 10),
};

/** Same starting weights for both peers: Glorot-like uniform values from a fixed seed. */
function initialWeights(model: Model): Tensor[] {
  return model.weights.map((w, k) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const fanIn = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 0;
    const scale = fanIn ? Math.sqrt(6 / (fanIn + w.shape[w.shape.length - 1])) : 0.01;
    return new Tensor([...w.shape], 'float32', randomData(n, 100 + k, scale));
  });
}

/** onnxruntime's intra-op threads for backend-onnx (undefined: its default, one per core). */
let ortThreads: number | undefined;

async function kerasModel(arch: Arch, lr: number | null): Promise<Model> {
  setBackend(createOnnxBackend(ortThreads ? { intraOpNumThreads: ortThreads } : {}));
  const m = arch.keras();
  if (lr !== null) m.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'categorical_crossentropy' });
  await m.predict(new Tensor([1, ...arch.inputShape], 'float32', new Float32Array(arch.inputShape.reduce((a, b) => a * b, 1))));
  m.setWeights(initialWeights(m));
  return m;
}

function tfjsModel(arch: Arch, keras: Model, lr: number | null): tf.Sequential {
  const m = arch.tfjs();
  m.setWeights(keras.getWeights().map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
  if (lr !== null) m.compile({ optimizer: tf.train.sgd(lr), loss: 'categoricalCrossentropy' });
  return m;
}

function predictWorkload(arch: Arch, batch: number): Workload {
  const x = randomData(batch * arch.inputShape.reduce((a, b) => a * b, 1), 7);
  let kerasOut: Float32Array = new Float32Array(0);
  let tfOut: Float32Array = new Float32Array(0);
  let weightsFrom: Model | null = null;
  const ours: Peer = {
    name: ONNX,
    async setup() {
      const m = await kerasModel(arch, null);
      weightsFrom = m;
      const xt = new Tensor([batch, ...arch.inputShape], 'float32', x);
      return async () => {
        kerasOut = ((await m.predict(xt, { batchSize: batch })) as Tensor).data as Float32Array;
      };
    },
    output: () => kerasOut,
  };
  let model: tf.Sequential | null = null;
  let xt: tf.Tensor | null = null;
  const theirs: Peer = {
    name: TFJS_WASM,
    async setup() {
      model = tfjsModel(arch, weightsFrom!, null);
      xt = tf.tensor(x, [batch, ...arch.inputShape]);
      const m = model;
      const input = xt;
      return async () => {
        const y = m.predict(input, { batchSize: batch }) as tf.Tensor;
        tfOut = (await y.data()) as Float32Array;
        y.dispose();
      };
    },
    output: () => tfOut,
    teardown() {
      xt?.dispose();
      model?.dispose();
    },
  };
  return { name: `${arch.name} predict, batch ${batch}`, flops: arch.flopsPerSample * batch, baseline: TFJS_WASM, peers: [ours, theirs] };
}

/**
 * tfjs' wasm backend cannot train convolutions (no Conv2DBackpropFilter kernel: "Kernel
 * 'Conv2DBackpropFilter' not registered for backend 'wasm'"), so `tfjsBackend` lets the CNN's
 * training run on tfjs' cpu backend instead (the baseline is then named tfjs-cpu).
 */
function fitWorkload(arch: Arch, samples: number, batch: number, lr: number, tfjsBackend: 'wasm' | 'cpu' = 'wasm'): Workload {
  const baseline = tfjsBackend === 'wasm' ? TFJS_WASM : 'tfjs-cpu';
  const x = randomData(samples * arch.inputShape.reduce((a, b) => a * b, 1), 11);
  const y = oneHot(samples, 10);
  let weightsFrom: Model | null = null;
  let kerasOut: Float32Array = new Float32Array(0);
  let tfOut: Float32Array = new Float32Array(0);
  let kerasModelRef: Model | null = null;
  let start: Tensor[] = [];
  const ours: Peer = {
    name: ONNX,
    async setup() {
      const m = await kerasModel(arch, lr);
      kerasModelRef = m;
      weightsFrom = m;
      start = m.getWeights();
      const xt = new Tensor([samples, ...arch.inputShape], 'float32', x);
      const yt = new Tensor([samples, 10], 'float32', y);
      let first = true;
      return async () => {
        // Every run trains one epoch from the same starting weights (the reset is not timed
        // in a meaningful way: setWeights only swaps host arrays).
        m.setWeights(start);
        await m.fit(xt, yt, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
        if (first) {
          kerasOut = Float32Array.from(m.getWeights().flatMap((w) => Array.from(w.data as Float32Array)));
          first = false;
        }
      };
    },
    output: () => kerasOut,
  };
  let model: tf.Sequential | null = null;
  let xt: tf.Tensor | null = null;
  let yt: tf.Tensor | null = null;
  let startTf: tf.Tensor[] = [];
  const theirs: Peer = {
    name: baseline,
    async setup() {
      if (tfjsBackend !== tf.getBackend() && !(await tf.setBackend(tfjsBackend))) throw new Error(`tfjs backend '${tfjsBackend}' failed`);
      model = tfjsModel(arch, weightsFrom!, lr);
      startTf = start.map((w) => tf.tensor(w.data as Float32Array, [...w.shape]));
      xt = tf.tensor(x, [samples, ...arch.inputShape]);
      yt = tf.tensor(y, [samples, 10]);
      const m = model;
      const input = xt;
      const target = yt;
      let first = true;
      return async () => {
        m.setWeights(startTf);
        await m.fit(input, target, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
        if (first) {
          tfOut = Float32Array.from(m.getWeights().flatMap((w) => Array.from(w.dataSync() as Float32Array)));
          first = false;
        }
      };
    },
    output: () => tfOut,
    teardown() {
      xt?.dispose();
      yt?.dispose();
      for (const t of startTf) t.dispose();
      model?.dispose();
      void kerasModelRef;
      if (tfjsBackend !== 'wasm') void tf.setBackend('wasm');
    },
  };
  // Forward + backward ~ 3x the forward flops.
  return { name: `${arch.name} fit 1 epoch, ${samples} x batch ${batch}, SGD`, flops: 3 * arch.flopsPerSample * samples, baseline, peers: [ours, theirs] };
}

/** A bare 512x512x512 MatMul in onnxruntime (a one-node graph through backend-onnx) vs tf.matMul on wasm. */
function ortMatmulWorkload(n: number): Workload {
  const a = randomData(n * n, 1);
  const b = randomData(n * n, 2);
  let ortOut: Float32Array = new Float32Array(0);
  let tfOut: Float32Array = new Float32Array(0);
  const ours: Peer = {
    name: 'onnxruntime',
    async setup() {
      const { trace, ops } = await import('@keras-ts/spec');
      const exe = createOnnxBackend(ortThreads ? { intraOpNumThreads: ortThreads } : {}).compile(
        trace((x, y) => ops.matmul(x, y), [
          { shape: [n, n], dtype: 'float32' },
          { shape: [n, n], dtype: 'float32' },
        ]),
      );
      // The executable only wraps the arrays in ort.Tensors around InferenceSession.run.
      const feeds = [
        { shape: [n, n], dtype: 'float32' as const, data: a },
        { shape: [n, n], dtype: 'float32' as const, data: b },
      ];
      return async () => {
        ortOut = (await exe.run(feeds))[0].data as Float32Array;
      };
    },
    output: () => ortOut,
  };
  let ta: tf.Tensor | null = null;
  let tb: tf.Tensor | null = null;
  const theirs: Peer = {
    name: TFJS_WASM,
    async setup() {
      ta = tf.tensor2d(a, [n, n]);
      tb = tf.tensor2d(b, [n, n]);
      const x = ta;
      const y = tb;
      return async () => {
        const c = tf.matMul(x, y);
        tfOut = (await c.data()) as Float32Array;
        c.dispose();
      };
    },
    output: () => tfOut,
    teardown() {
      ta?.dispose();
      tb?.dispose();
    },
  };
  return { name: `ort matmul ${n}x${n}x${n}`, flops: 2 * n * n * n, baseline: TFJS_WASM, peers: [ours, theirs] };
}

/**
 * The workloads, in the order they are reported. `slow` adds the CNN's training epoch, whose
 * only tfjs baseline is the plain-JS cpu backend (wasm cannot train convolutions): about 14
 * minutes per epoch on tfjs-cpu here, against seconds on backend-onnx.
 */
export function onnxWorkloads(options: { slow?: boolean; threads?: number } = {}): Workload[] {
  ortThreads = options.threads;
  return [
    predictWorkload(mlp, 256),
    predictWorkload(cnn, 256),
    fitWorkload(mlp, 2048, 32, 0.01),
    ...(options.slow ? [fitWorkload(cnn, 2048, 32, 0.01, 'cpu')] : []),
    ortMatmulWorkload(512),
  ];
}
