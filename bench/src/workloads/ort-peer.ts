/**
 * The ceiling of backend-onnx on a predict workload: onnxruntime-node called directly on
 * keras-ts's own ONNX export of the same model.
 *
 * The model is built with our API on a fresh backend-onnx wrapped to record what it compiles and
 * runs; one `predict` gives the traced predict graph and the tensors it was fed. The weights (the
 * inputs keras-ts marks `stable`) are baked in as initializers — as backend-onnx's specialized
 * predict session does — and the graph is written with `exportGraphToOnnx` (static shapes, as
 * backend-onnx runs it) into a temporary directory. The timed run is one `session.run` on the
 * host Float32Array and a read of the output's data, in a session with backend-onnx's options
 * (the same intra-op thread count, optimization level 'all', sequential, no spinning, Pad_Fusion
 * off).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tensor, setBackend, type Model } from '@keras-ts/keras';
import { exportGraphToOnnx } from '@keras-ts/backend-onnx';
import { KerasInternalError, type HostTensor } from '@keras-ts/spec';
import { oursName, ortThreadCount, type Peer, type Target } from './common.js';
import { RecordingOnnx } from './recording-onnx.js';

/** The peer's name in reports and in `--peers`. */
export const ORT_EXPORT = 'onnxruntime (own export)';

/** The target: keras-ts/onnx within 1.15x of bare onnxruntime on its own export. */
export function ortTarget(): Target {
  return { peer: oursName('onnx'), against: ORT_EXPORT, min: 1 / 1.15, text: 'overhead <= 1.15x' };
}

interface Data {
  shape: number[];
  data: Float32Array;
}

/**
 * The bare onnxruntime peer of a predict workload: `build` makes the model (on the current
 * backend), `weights` gives the weights every peer shares.
 */
export function ortExportPeer(weights: () => Promise<Model>, build: () => Model, x: Data, batch: number): Peer {
  let session: ort.InferenceSession | null = null;
  let dir: string | null = null;
  let out: Float32Array | null = null;
  return {
    name: ORT_EXPORT,
    async setup() {
      const reference = await weights();
      const rec = new RecordingOnnx();
      setBackend(rec);
      const m = build();
      m.setWeights(reference.getWeights());
      await m.predict(new Tensor(x.shape, 'float32', x.data), { batchSize: batch, verbose: 0 });
      // The predict graph: the largest one run (a model may compile helpers too).
      const traced = rec.largestRan();
      rec.inner.dispose();
      if (!traced) throw new KerasInternalError(`${ORT_EXPORT}: predict ran no graph`);
      const bake = new Map<number, HostTensor>();
      traced.graph.inputs.forEach((id, k) => {
        if (traced.last[k].stable) bake.set(id, traced.last[k]);
      });
      const data = traced.graph.inputs.length - bake.size;
      if (data !== 1) throw new KerasInternalError(`${ORT_EXPORT}: expected one data input in the predict graph besides the stable weights, found ${data}`);
      dir = mkdtempSync(join(tmpdir(), 'keras-ts-bench-ort-'));
      const exported = await exportGraphToOnnx(traced.graph, bake, join(dir, 'model.onnx'), { dynamicBatch: false });
      const s = (session = await ort.InferenceSession.create(exported.path, {
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        logSeverityLevel: 4,
        intraOpNumThreads: ortThreadCount(),
        // As backend-onnx: no spinning between runs, and Pad_Fusion off (it changes ZeroPadding2D -> MaxPooling2D).
        extra: { session: { intra_op: { allow_spinning: '0' } }, optimization: { disable_specified_optimizers: 'Pad_Fusion' } },
      }));
      const [input] = s.inputNames;
      const [output] = s.outputNames;
      return async () => {
        const r = await s.run({ [input]: new ort.Tensor('float32', x.data, x.shape) });
        out = r[output].data as Float32Array;
      };
    },
    output: () => out ?? new Float32Array(0),
    teardown() {
      void session?.release();
      session = null;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
