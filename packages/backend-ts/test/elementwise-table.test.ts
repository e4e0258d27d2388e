/**
 * backend-ts writes each elementwise op once (./src/kernels/elementwise.ts): its standalone kernel
 * and its form in generated loops come from one entry. Here every elementwise op of the spec runs
 * both ways, over values that tell implementations apart (NaN, ±0, ±inf, halves), and must agree
 * bit for bit.
 */
import { ops, trace, type DType, type HostTensor, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from '../src/index.js';

const SPECIAL = [NaN, -0, 0, Infinity, -Infinity, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.3, -0.7, 3, 1e-30, 88, -88];

function tensor(values: readonly number[], dtype: DType): HostTensor {
  const data = dtype === 'float32' ? new Float32Array(values) : dtype === 'int32' ? new Int32Array(values) : new Uint8Array(values.map((v) => (v ? 1 : 0)));
  return { shape: [values.length], dtype, data };
}

function both(fn: (...xs: Sym[]) => Sym, inputs: HostTensor[]): [number[], number[]] {
  const g = () => trace(fn, inputs.map((t) => ({ shape: t.shape, dtype: t.dtype })));
  const [fused] = createTsBackend({ fuseElementwise: true }).compile(g()).runSync(inputs);
  const [plain] = createTsBackend({ fuseElementwise: false }).compile(g()).runSync(inputs);
  return [Array.from(fused.data), Array.from(plain.data)];
}

describe('one entry per elementwise op: fused loop and kernel agree bit for bit', () => {
  for (const [op, { dtypes }] of Object.entries(ops.UNARY)) {
    const dtype: DType = dtypes.includes('float32') ? 'float32' : 'bool';
    it(`unary ${op}`, () => {
      const x = tensor(SPECIAL, dtype);
      const [fused, plain] = both((a) => a.graph.apply(op, [a]), [x]);
      expect(fused.map(String)).toEqual(plain.map(String));
      expect(fused.map((v) => Object.is(v, -0))).toEqual(plain.map((v) => Object.is(v, -0)));
    });
  }
  for (const [op, { dtypes }] of Object.entries(ops.BINARY)) {
    const dtype: DType = dtypes.includes('float32') ? 'float32' : 'bool';
    it(`binary ${op}`, () => {
      const a = tensor([...SPECIAL, ...SPECIAL.map(() => 1.5)], dtype);
      const b = tensor([...SPECIAL.map(() => -0.5), ...SPECIAL], dtype);
      const [fused, plain] = both((x, y) => x.graph.apply(op, [x, y]), [a, b]);
      expect(fused.map(String)).toEqual(plain.map(String));
      expect(fused.map((v) => Object.is(v, -0))).toEqual(plain.map((v) => Object.is(v, -0)));
    });
  }
  it('where, cast and clip', () => {
    const x = tensor(SPECIAL, 'float32');
    const [fused, plain] = both((a) => ops.where(ops.cast(a, 'bool'), ops.clip(a, -1, 2), a), [x]);
    expect(fused.map(String)).toEqual(plain.map(String));
  });
});
