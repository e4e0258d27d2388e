/**
 * A shrunk difference as a `keras-golden/1` case the conformance runner reads (see
 * conformance/goldens/README.md): `model` (predict) or `training`, with the numbers real Keras
 * computed from the `.keras` file keras-ts wrote.
 */
import type { Model, Tensor } from '@keras-ts/keras';
import type { OracleTensor } from '../client.js';
import type { Finding, TrainSpec } from './check.js';

type GoldenTensor = { name?: string; trainable?: boolean; shape: number[]; dtype: string; data: (number | string | null)[] };

const num = (v: number): number | string | null => (Number.isNaN(v) ? null : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v);
export const golden = (t: Tensor | OracleTensor, name?: string, trainable?: boolean): GoldenTensor => ({
  ...(name !== undefined ? { name } : {}),
  ...(trainable !== undefined ? { trainable } : {}),
  shape: [...t.shape],
  dtype: t.dtype ?? 'float32',
  data: Array.from(t.data as ArrayLike<number>, num),
});

const weightsOf = (model: Model, values: readonly (Tensor | OracleTensor)[]) => model.weights.map((w, i) => golden(values[i], w.path, w.trainable));

export interface CaseMeta {
  /** `handwritten/fuzz/<name>`. */
  id: string;
  kerasVersion: string;
  /** How it was found (seed, case) and what differed. */
  note: string;
}

const header = (m: CaseMeta, kind: string, tolerance: { rtol: number; atol: number }) => ({
  format: 'keras-golden/1',
  id: m.id,
  kind,
  keras_version: m.kerasVersion,
  backend: 'tensorflow-cpu-float32',
  fuzz: true,
  note: m.note,
  tolerance,
});

/** A `model` case: predict in inference mode and compare with Keras' outputs. */
export function modelCase(m: CaseMeta, model: Model, weights: Tensor[], inputs: Tensor[], outputs: OracleTensor[]): Record<string, unknown> {
  return {
    ...header(m, 'model', { rtol: 1e-4, atol: 1e-5 }),
    model: JSON.parse(model.toJSON()),
    weights: weightsOf(model, weights),
    inputs: inputs.map((t) => golden(t)),
    outputs: outputs.map((t) => golden(t)),
  };
}

/** A `training` case: fit with the optimizer and mse, unshuffled, and compare the weights after. */
export function trainingCase(
  m: CaseMeta,
  model: Model,
  train: TrainSpec,
  data: { x: Tensor[]; y: Tensor; initial: Tensor[] },
  keras: { weights: OracleTensor[]; loss: number[]; predictAfter: OracleTensor[] },
): Record<string, unknown> {
  return {
    ...header(m, 'training', { rtol: 1e-3, atol: 1e-4 }),
    model: JSON.parse(model.toJSON()),
    compile: { optimizer: train.optimizer, loss: 'mse', metrics: [] },
    fit: { batch_size: train.batch_size, epochs: train.epochs, shuffle: false },
    x: data.x.length === 1 ? golden(data.x[0]) : data.x.map((t) => golden(t)),
    y: golden(data.y),
    initial_weights: weightsOf(model, data.initial),
    history: { loss: keras.loss },
    final_weights: weightsOf(model, keras.weights),
    predict_after: keras.predictAfter.length === 1 ? golden(keras.predictAfter[0]) : keras.predictAfter.map((t) => golden(t)),
  };
}

/** A file name for a shrunk model: its layer classes, then where it was found. */
export function caseName(layers: string[], f: Finding, where: string): string {
  const slug = layers
    .map((l) => l.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toLowerCase())
    .join('-')
    .slice(0, 60);
  return `${slug || 'model'}-${f.phase}-${where.replace(/[^0-9]+/g, '_')}`;
}
