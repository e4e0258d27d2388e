/**
 * Micro-benchmarks: one op, traced once and compiled by each of our backends, against the same op
 * called directly in tfjs (`cpu`, `wasm`) and in a bare onnxruntime session (no keras-ts on the
 * path: the ONNX model backend-onnx lowers the graph to, run with InferenceSession.run).
 *
 * - `matmul 512x512x512`: float32 [512, 512] x [512, 512];
 * - `conv2d 3x3 1x64x64x32 -> 32, same`: NHWC input, HWIO filter, stride 1.
 *
 * Our peers run the compiled graph on host tensors (uploaded on every run); tfjs' inputs are made
 * into tensors before timing, and its output read back (`dataSync`) inside the run.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { OnnxExecutable } from '@keras-ts/backend-onnx';
import { ops, trace, type Backend, type Graph, type HostTensor, type Sym } from '@keras-ts/spec';
import { getBackend } from '@keras-ts/keras';
import { OUR_BACKENDS, TFJS_BACKENDS, ortThreadCount, oursName, randomData, useOurs, useTfjs, type OurBackend, type Peer, type TfjsName, type Workload } from './common.js';

interface MicroDef {
  name: string;
  flops: number;
  inputs: { shape: number[]; seed: number }[];
  /** The op over symbolic inputs (traced once per backend). */
  graph: (...xs: Sym[]) => Sym;
  /** The same op in tfjs. */
  tfjs: (...xs: tf.Tensor[]) => tf.Tensor;
}

export const tfjsOpsName = (n: TfjsName): string => `tfjs/${n}`;
export const ORT_BARE = 'onnxruntime (bare)';

function microWorkload(def: MicroDef): Workload {
  const host: HostTensor[] = def.inputs.map(({ shape, seed }) => ({ shape, dtype: 'float32', data: randomData(shape.reduce((a, b) => a * b, 1), seed) }));
  const g = (): Graph => trace(def.graph, def.inputs.map(({ shape }) => ({ shape, dtype: 'float32' as const })));

  const oursPeer = (b: OurBackend): Peer => {
    let out: Float32Array = new Float32Array(0);
    return {
      name: oursName(b),
      async setup() {
        await useOurs(b);
        const exe = (getBackend() as Backend).compile(g());
        return async () => {
          await useOurs(b);
          out = (await exe.run(host))[0].data as Float32Array;
        };
      },
      output: () => out,
    };
  };

  const tfjsPeer = (n: TfjsName): Peer => {
    let out: Float32Array = new Float32Array(0);
    let held: tf.Tensor[] = [];
    return {
      name: tfjsOpsName(n),
      async setup() {
        await useTfjs(n);
        held = host.map((t) => tf.tensor(t.data as Float32Array, [...t.shape]));
        const xs = held;
        return async () => {
          await useTfjs(n);
          const y = def.tfjs(...xs);
          out = y.dataSync() as Float32Array;
          y.dispose();
        };
      },
      output: () => out,
      teardown: () => held.forEach((t) => t.dispose()),
    };
  };

  let ortOut: Float32Array = new Float32Array(0);
  let session: ort.InferenceSession | null = null;
  const bare: Peer = {
    name: ORT_BARE,
    async setup() {
      const model = new OnnxExecutable(g()).model;
      const s = (session = await ort.InferenceSession.create(model, {
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        intraOpNumThreads: ortThreadCount(),
        logSeverityLevel: 3,
      }));
      const feeds: Record<string, ort.Tensor> = {};
      s.inputNames.forEach((name, i) => (feeds[name] = new ort.Tensor('float32', host[i].data as Float32Array, [...host[i].shape])));
      return async () => {
        const r = await s.run(feeds);
        ortOut = r[s.outputNames[0]].data as Float32Array;
      };
    },
    output: () => ortOut,
    teardown: () => void session?.release(),
  };

  return {
    name: def.name,
    flops: def.flops,
    peers: [...OUR_BACKENDS.map(oursPeer), ...TFJS_BACKENDS.map(tfjsPeer), bare],
    references: TFJS_BACKENDS.map(tfjsOpsName),
    checkAgainst: tfjsOpsName('cpu'),
    targets: [{ peer: oursName('ts'), against: tfjsOpsName('cpu'), min: 3, text: '>= 3x faster' }],
  };
}

export function matmulWorkload(m: number, n: number, k: number): Workload {
  return microWorkload({
    name: `matmul ${m}x${n}x${k}`,
    flops: 2 * m * n * k,
    inputs: [
      { shape: [m, k], seed: 1 },
      { shape: [k, n], seed: 2 },
    ],
    graph: (a, b) => ops.matmul(a, b),
    tfjs: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  });
}

export function conv2dWorkload(b: number, h: number, w: number, c: number, kh: number, kw: number, f: number): Workload {
  return microWorkload({
    name: `conv2d ${kh}x${kw} ${b}x${h}x${w}x${c} -> ${f}, same`,
    flops: 2 * b * h * w * f * kh * kw * c,
    inputs: [
      { shape: [b, h, w, c], seed: 3 },
      { shape: [kh, kw, c, f], seed: 4 },
    ],
    graph: (x, k) => ops.conv(x, k, { padding: 'same' }),
    tfjs: (x, k) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'),
  });
}
