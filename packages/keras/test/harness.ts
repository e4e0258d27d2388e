import { expect } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  Dense,
  Input,
  KerasTensor,
  Layer,
  Model,
  SGD,
  Tensor,
  deserializeLayer,
  serialize,
  setBackend,
  type SymbolicShape,
} from '../src/index.js';

setBackend(createTsBackend());

export interface LayerTestSpec {
  /** Makes the layer under test (a fresh one each call). */
  make: () => Layer;
  /** Input shape(s) without the batch axis; several for layers called on a list. */
  inputShape: readonly number[] | readonly (readonly number[])[];
  /** Expected output shape(s) without the batch axis. */
  outputShape: readonly number[] | readonly (readonly number[])[];
  /** Expected weight shapes, in `weights` order. */
  weightShapes: readonly (readonly number[])[];
  /** Input dtype (int32 for Embedding); int inputs get values in [0, intRange). */
  inputDtype?: 'float32' | 'int32';
  intRange?: number;
  /** Skip the training step, with the reason (say, the layer's output has no gradient). */
  noTraining?: string;
  batch?: number;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomTensor(shape: readonly number[], rand: () => number, dtype: 'float32' | 'int32' = 'float32', intRange = 4): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'int32') return new Tensor(shape, 'int32', Int32Array.from({ length: n }, () => Math.floor(rand() * intRange)));
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => rand() * 2 - 1));
}

const isList = (s: LayerTestSpec['inputShape']): s is readonly (readonly number[])[] => Array.isArray(s[0]);

/**
 * The shared layer test (after Keras' run_layer_test): config round-trip equal as JSON, weight
 * count and shapes, output shape, and one training step (through a trainable projection in
 * front, so gradients flow through the layer) that lowers the loss.
 */
export async function runLayerTest(spec: LayerTestSpec): Promise<void> {
  // 1. Config round-trip, through the registry as a loader would.
  const layer = spec.make();
  const wire = serialize(layer);
  const again = deserializeLayer(JSON.parse(JSON.stringify(wire)));
  expect(JSON.stringify(serialize(again)), 'config round-trip').toBe(JSON.stringify(wire));

  // 2. Shapes and weights, on placeholders.
  const shapes = isList(spec.inputShape) ? spec.inputShape : [spec.inputShape];
  const dtype = spec.inputDtype ?? 'float32';
  const inputs = shapes.map((s) => Input({ shape: [...s], dtype }));
  const out = layer.apply(isList(spec.inputShape) ? inputs : inputs[0]) as KerasTensor | KerasTensor[];
  const outs = Array.isArray(out) ? out : [out];
  const wantOut = (isList(spec.outputShape) ? spec.outputShape : [spec.outputShape]).map((s) => [null, ...s] as SymbolicShape);
  expect(outs.map((o) => o.shape), 'output shape').toEqual(wantOut);
  expect(layer.weights.map((w) => [...w.shape]), 'weight shapes').toEqual(spec.weightShapes.map((s) => [...s]));

  // 3. A training step lowers the loss.
  if (spec.noTraining) return;
  const rand = seeded(7);
  const batch = spec.batch ?? 3;
  const fresh = spec.make();
  const ins = shapes.map((s) => Input({ shape: [...s], dtype }));
  // A trainable projection before float inputs makes gradients flow through the layer under test.
  const projected = ins.map((x, i) => (dtype === 'float32' ? (new Dense({ units: shapes[i].at(-1)!, name: `proj_${i}_${fresh.name}` }).apply(x) as KerasTensor) : x));
  const y = fresh.apply(isList(spec.inputShape) ? projected : projected[0]) as KerasTensor | KerasTensor[];
  const ys = (Array.isArray(y) ? y : [y]).filter((t) => t.dtype === 'float32');
  const model = new Model({ inputs: ins, outputs: ys });
  model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
  const xs = shapes.map((s) => randomTensor([batch, ...s], rand, dtype, spec.intRange));
  const targets = ys.map((t) => randomTensor([batch, ...(t.shape.slice(1) as number[])], rand));
  const before = await model.evaluate(xs, targets, { batchSize: batch });
  for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, targets);
  const after = await model.evaluate(xs, targets, { batchSize: batch });
  const lossOf = (v: number | number[]) => (Array.isArray(v) ? v[0] : v);
  expect(lossOf(after), `loss after 3 SGD steps (${lossOf(after)}) should be below the loss before (${lossOf(before)})`).toBeLessThan(lossOf(before));
}
