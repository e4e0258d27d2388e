import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { deserializeLayer, setBackend, Tensor, type Model } from '../../src/index.js';

setBackend(createTsBackend());

/** The golden directory of the real Keras 3.16 files. */
export const GOLDENS = join(__dirname, '../../../../conformance/goldens/keras-3.16.0-torch');
export const FILES = join(GOLDENS, 'files');

export interface GoldenTensor {
  shape: number[];
  dtype: string;
  data: number[];
  name?: string;
}

export interface GoldenCase {
  model: Record<string, unknown>;
  x: GoldenTensor | GoldenTensor[];
  predict_after: GoldenTensor | GoldenTensor[];
  final_weights: GoldenTensor[];
  tolerance: { rtol: number; atol: number };
  compile: { optimizer: { class_name: string; config: Record<string, unknown> }; loss: unknown; metrics?: unknown[] };
  files?: Record<string, string>;
  inputs?: GoldenTensor[];
  outputs?: GoldenTensor[];
}

export function readCase(id: string): GoldenCase {
  return JSON.parse(readFileSync(join(GOLDENS, `${id}.json`), 'utf8')) as GoldenCase;
}

export function tensorOf(g: GoldenTensor): Tensor {
  return new Tensor(g.shape, g.dtype === 'int32' ? 'int32' : 'float32', g.dtype === 'int32' ? Int32Array.from(g.data) : Float32Array.from(g.data));
}

export const inputsOf = (x: GoldenTensor | GoldenTensor[]): Tensor | Tensor[] => (Array.isArray(x) ? x.map(tensorOf) : tensorOf(x));

/** Largest |a - g| / (atol + rtol |g|): at most 1 means within tolerance. */
export function toleranceRatio(actual: { shape: readonly number[]; data: ArrayLike<number> }, golden: GoldenTensor, tol: { rtol: number; atol: number }): number {
  expect([...actual.shape]).toEqual(golden.shape);
  let worst = 0;
  for (let i = 0; i < golden.data.length; i++) worst = Math.max(worst, Math.abs(actual.data[i] - golden.data[i]) / (tol.atol + tol.rtol * Math.abs(golden.data[i])));
  return worst;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The model of a training case, rebuilt from its JSON (fresh weights). */
export function caseModel(c: GoldenCase): Model {
  return deserializeLayer(c.model) as Model;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keras-ts-saving-'));
}

/** Bit-for-bit equality of every weight of two models. */
export function expectSameWeights(a: Model, b: Model): void {
  const wa = a.weights;
  const wb = b.weights;
  expect(wb.map((w) => w.path)).toEqual(wa.map((w) => w.path));
  wa.forEach((w, i) => {
    expect([...wb[i].shape]).toEqual([...w.shape]);
    expect(Buffer.from(wb[i].value.data.buffer, wb[i].value.data.byteOffset, wb[i].value.data.byteLength).equals(Buffer.from(w.value.data.buffer, w.value.data.byteOffset, w.value.data.byteLength))).toBe(true);
  });
}
