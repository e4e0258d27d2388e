import { expect } from 'vitest';
import { ops, Sym } from '@keras-ts/spec';
import { Tensor, deserializeLayer, onlyOutput, serialize, type Layer, type Mask } from '../../src/index.js';
import { CompiledFunction, traceKeras } from '../../src/engine/execute.js';
import type { TraceScope } from '../../src/engine/scope.js';

/** Runs a layer on a concrete tensor (inference unless `training`). */
export function run(layer: Layer, x: Tensor, training = false): Tensor {
  return onlyOutput(layer.apply(x, { training }));
}

/** Traces `fn` over the inputs and runs it once (for masks, losses and call arguments). */
export function runTraced(inputs: Tensor[], fn: (xs: Sym[], scope: TraceScope) => readonly Sym[], training = false): Tensor[] {
  return new CompiledFunction(traceKeras(fn, inputs, training)).runSync(inputs);
}

/** One mask (a `computeMask` result) as float32 0/1, for comparing values; fails on none or a list. */
export function floatMask(mask: Mask): Sym {
  if (!(mask instanceof Sym)) throw new Error(`expected one mask, got ${mask === null ? 'null' : `a list of ${mask.length}`}`);
  return ops.cast(mask, 'float32');
}

/** getConfig -> JSON -> fromConfig (through the registry) -> getConfig is unchanged. */
export function expectRoundTrip(layer: Layer): Record<string, unknown> {
  const wire = JSON.parse(JSON.stringify(serialize(layer)));
  const again = deserializeLayer(wire);
  expect(again.className).toBe(layer.className);
  expect(JSON.stringify(serialize(again))).toBe(JSON.stringify(wire));
  return wire.config;
}

export function expectClose(got: Tensor | ArrayLike<number>, want: readonly number[], tol = 1e-5): void {
  const data = got instanceof Tensor ? got.data : got;
  expect(data.length).toBe(want.length);
  want.forEach((w, i) => {
    if (Math.abs(data[i] - w) > tol * (1 + Math.abs(w))) throw new Error(`element ${i}: got ${data[i]}, want ${w} (all: ${Array.from(data).join(', ')})`);
  });
}

export function ones(shape: number[]): Tensor {
  return new Tensor(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1));
}

/** Deterministic standard-normal samples (Box-Muller over an LCG). */
export function normalTensor(shape: number[], seed = 1): Tensor {
  let s = seed;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())));
}

export function stats(data: ArrayLike<number>): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < data.length; i++) m += data[i];
  m /= data.length;
  let v = 0;
  for (let i = 0; i < data.length; i++) v += (data[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(v / data.length) };
}
