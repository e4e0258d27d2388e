import { expect } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Dense, Sequential, Tensor, setBackend, type Model } from '../../src/index.js';

setBackend(createTsBackend());

/** A small seeded generator (LCG), so every test sees the same data. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A float32 tensor with values uniform in [-1, 1). */
export function randn(shape: readonly number[], seed = 1): Tensor {
  const r = seeded(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => r() * 2 - 1));
}

export function t(values: number[] | number[][], shape?: number[]): Tensor {
  const flat = (values as unknown[]).flat() as number[];
  const s = shape ?? (Array.isArray(values[0]) ? [values.length, (values[0] as number[]).length] : [values.length]);
  return new Tensor(s, 'float32', Float32Array.from(flat));
}

/** y = x @ w + b for a fixed w (a linear regression problem). */
export function linearData(n: number, inDim: number, seed = 3): { x: Tensor; y: Tensor } {
  const x = randn([n, inDim], seed);
  const w = Array.from({ length: inDim }, (_, i) => (i % 2 === 0 ? 1 : -0.5) * (1 + i / inDim));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.3;
    for (let k = 0; k < inDim; k++) s += x.data[i * inDim + k] * w[k];
    y[i] = s;
  }
  return { x, y: new Tensor([n, 1], 'float32', y) };
}

/** Element-wise closeness of a tensor to numbers. */
export function expectClose(actual: Tensor | ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  expect(a.length).toBe(expected.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - expected[i]) <= tol + tol * Math.abs(expected[i]))) {
      throw new Error(`element ${i}: ${a[i]} is not close to ${expected[i]} (tolerance ${tol})\n  actual:   ${Array.from(a).slice(0, 12).join(', ')}\n  expected: ${Array.from(expected).slice(0, 12).join(', ')}`);
    }
  }
}

/** Dense(8, relu) -> Dense(1), input 4, with seeded kernels (fresh names each call). */
export function mlp(name?: string, inputDim = 4): Sequential {
  return new Sequential({
    name,
    layers: [
      new Dense({ units: 8, activation: 'relu', inputShape: [inputDim], kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } } }),
      new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 2 } } }),
    ],
  });
}

/** A copy of a model's weights into another model of the same architecture. */
export function copyWeights(from: Model, to: Model): void {
  to.setWeights(from.getWeights());
}
