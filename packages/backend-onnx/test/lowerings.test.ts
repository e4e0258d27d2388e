import { allOps, getOp, ops, trace, type HostTensor } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../src/index.js';
import { LoweringRegistry } from '../src/lowering.js';
import { NATIVE_COMPOSITES, onnxLowerings } from '../src/lowerings/index.js';

describe('the lowering registry', () => {
  it('refuses an op the spec does not have, and a second lowering of an op', () => {
    const reg = new LoweringRegistry();
    reg.add('neg', (b, _n, ins) => b.node('Neg', ins));
    expect(() => reg.add('neg', (b, _n, ins) => b.node('Neg', ins))).toThrow(/backend-onnx: a kernel for 'neg' is already registered/);
    expect(() => reg.add('no_such_op', (b, _n, ins) => b.node('Neg', ins))).toThrow(/'no_such_op', which is not an op of the spec/);
  });

  it('holds every family once (building it again does not throw) and every op it holds is a spec op', () => {
    const names = onnxLowerings().names();
    expect(new Set(names).size).toBe(names.length);
    const specOps = new Set(allOps().map((d) => d.name));
    expect(names.filter((op) => !specOps.has(op))).toEqual([]);
  });

  it('runs as native composites exactly the composites it has lowerings for', () => {
    expect([...NATIVE_COMPOSITES].sort()).toEqual(['fused_conv', 'fused_conv_transpose', 'fused_matmul', 'log_softmax', 'logsumexp', 'mean', 'softmax']);
    expect(NATIVE_COMPOSITES.every((op) => getOp(op).kind === 'composite')).toBe(true);
    expect(createOnnxBackend().capabilities.fusedKernels).toEqual(NATIVE_COMPOSITES);
  });
});

describe('reductions of empty tensors', () => {
  it('give the identity of each reduction, as backend-ts', async () => {
    const g = trace((x) => [ops.sum(x, [0]), ops.prod(x, [0]), ops.mean(x, [0]), ops.logsumexp(x, [0])], [{ shape: [0, 2], dtype: 'float32' }]);
    const exe = createOnnxBackend().compile(g);
    const x: HostTensor = { shape: [0, 2], dtype: 'float32', data: new Float32Array(0) };
    const outs = await exe.run([x]);
    expect(outs.map((o) => Array.from(o.data))).toEqual([
      [0, 0],
      [1, 1],
      [NaN, NaN],
      [-Infinity, -Infinity],
    ]);
    exe.dispose();
  });
});
