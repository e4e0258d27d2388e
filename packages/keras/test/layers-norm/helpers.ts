import { expect } from 'vitest';
import type { Sym } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Tensor, deserializeLayer, serialize, setBackend, type Layer } from '../../src/index.js';
import { CompiledFunction, traceKeras } from '../../src/engine/execute.js';
import type { TraceScope } from '../../src/engine/scope.js';

setBackend(createTsBackend());

export { floatMask } from '../layers-core/helpers.js';

/** Traces `fn` over the inputs and runs it once (for masks and call arguments). */
export function runTraced(inputs: Tensor[], fn: (xs: Sym[], scope: TraceScope) => readonly Sym[], training = false): Tensor[] {
  return new CompiledFunction(traceKeras(fn, inputs, training)).runSync(inputs);
}

/** getConfig -> JSON -> deserialize -> getConfig is unchanged; returns the config. */
export function expectRoundTrip(layer: Layer): Record<string, unknown> {
  const wire = JSON.parse(JSON.stringify(serialize(layer)));
  const again = deserializeLayer(wire);
  expect(again.className).toBe(layer.className);
  expect(JSON.stringify(serialize(again))).toBe(JSON.stringify(wire));
  return wire.config;
}

export function expectClose(got: Tensor | ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  const data = got instanceof Tensor ? got.data : got;
  expect(data.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(data[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) {
      throw new Error(`element ${i}: got ${data[i]}, want ${want[i]} (all: ${Array.from(data).join(', ')})`);
    }
  }
}

/** Deterministic values in [-1, 1). */
export function randomTensor(shape: number[], seed = 1): Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    shape,
    'float32',
    Float32Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 4294967296) * 2 - 1;
    }),
  );
}

export const f32 = (shape: number[], values: number[]) => new Tensor(shape, 'float32', Float32Array.from(values));
export const bool = (shape: number[], values: number[]) => new Tensor(shape, 'bool', Uint8Array.from(values));
