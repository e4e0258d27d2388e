import { EagerRunner, ops, trace, type HostTensor } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from '../src/index.js';

const f32 = (data: number[], shape: number[]): HostTensor => ({ shape, dtype: 'float32', data: new Float32Array(data) });

describe('backend-ts executor', () => {
  const backend = createTsBackend();

  it('reuses buffers along a chain of elementwise ops', () => {
    const exe = backend.compile(
      trace((x) => {
        let y = x;
        for (let i = 0; i < 10; i++) y = ops.tanh(ops.mul(y, 1.5));
        return y;
      }, [{ shape: [1000], dtype: 'float32' }]),
    );
    // 20 intermediate values, but at most two are live at any time.
    expect(exe.bufferCount).toBeLessThanOrEqual(3);
  });

  it('returns fresh outputs that later runs do not overwrite', () => {
    const exe = backend.compile(trace((x) => ops.neg(x), [{ shape: [2], dtype: 'float32' }]));
    const [a] = exe.runSync(f32Arr([1, 2]));
    const [b] = exe.runSync(f32Arr([3, 4]));
    expect(Array.from(a.data)).toEqual([-1, -2]);
    expect(Array.from(b.data)).toEqual([-3, -4]);
  });

  it('checks inputs against the graph', () => {
    const exe = backend.compile(trace((x) => ops.neg(x), [{ shape: [2], dtype: 'float32' }]));
    expect(() => exe.runSync([f32([1, 2, 3], [3])])).toThrow(/input 0 \('input_0'\) must be float32\[2\], got float32\[3\]/);
    expect(() => exe.runSync([])).toThrow(/takes 1 input\(s\), got 0/);
  });

  it('runs composites with a fused kernel as one node and others lowered', () => {
    expect(backend.capabilities.training).toBe(true);
    expect(backend.capabilities.fusedKernels.every((op) => backend.kernels.has(op))).toBe(true);
  });

  it('compiles each eager signature once', async () => {
    const eager = new EagerRunner(backend);
    const x = f32([-1, 2], [2]);
    for (let i = 0; i < 5; i++) expect(Array.from((await eager.run('relu', [x])).data)).toEqual([0, 2]);
    await eager.run('relu', [f32([1, 2, 3], [3])]);
    await eager.run('sum', [x], { axes: [0], keepdims: false });
    expect(eager.compiled).toBe(3);
    expect(eager.runSync('neg', [x]).data[0]).toBe(1);
    eager.dispose();
  });
});

function f32Arr(data: number[]): HostTensor[] {
  return [f32(data, [data.length])];
}
