import { EagerRunner, ops, trace, type HostTensor } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend, loweredOps, OnnxExecutable } from '../src/index.js';
import { allOps } from '@keras-ts/spec';

const f32 = (data: number[], shape: number[], stable = false): HostTensor => ({ shape, dtype: 'float32', data: new Float32Array(data), stable });

describe('backend-onnx executable', () => {
  const backend = createOnnxBackend();

  it('declares its capabilities', () => {
    expect(backend.name).toBe('onnx');
    expect(backend.capabilities).toMatchObject({ training: true, sync: false, dtypes: ['float32', 'int32', 'bool'] });
    expect(backend.capabilities.fusedKernels).toEqual(expect.arrayContaining(['softmax', 'log_softmax']));
  });

  it('lowers every primitive op of the spec', () => {
    const missing = allOps()
      .filter((d) => d.kind === 'primitive' && !loweredOps().includes(d.name))
      .map((d) => d.name);
    expect(missing).toEqual([]);
  });

  it('returns fresh outputs and checks its inputs', async () => {
    const exe = backend.compile(trace((x) => ops.neg(x), [{ shape: [2], dtype: 'float32' }]));
    const [a] = await exe.run([f32([1, 2], [2])]);
    const [b] = await exe.run([f32([3, 4], [2])]);
    expect(Array.from(a.data)).toEqual([-1, -2]);
    expect(Array.from(b.data)).toEqual([-3, -4]);
    await expect(exe.run([f32([1, 2, 3], [3])])).rejects.toThrow(/input 0 \('input_0'\) must be float32\[2\], got float32\[3\]/);
    await expect(exe.run([])).rejects.toThrow(/takes 1 input\(s\), got 0/);
    exe.dispose();
    await expect(exe.run([f32([1, 2], [2])])).rejects.toThrow(/disposed/);
  });

  it('refuses gather indices out of range, negative ones included (ONNX would wrap them), as the other backends', async () => {
    const exe = backend.compile(trace((p, i) => ops.gather(ops.exp(p), i), [{ shape: [3], dtype: 'float32' }, { shape: [2], dtype: 'int32' }]));
    const ids = (a: number, b: number): HostTensor => ({ shape: [2], dtype: 'int32', data: Int32Array.from([a, b]) });
    const [ok] = await exe.run([f32([0, 1, 2], [3]), ids(2, 0)]);
    expect(Array.from(ok.data)).toEqual([Math.fround(Math.exp(2)), 1]);
    await expect(exe.run([f32([0, 1, 2], [3]), ids(0, -1)])).rejects.toThrow(/op 'gather': a negative index is out of range for an axis of size 3 \(valid: 0\.\.2\)/);
    await expect(exe.run([f32([0, 1, 2], [3]), ids(3, 0)])).rejects.toThrow(/op 'gather': index 3 is out of range for an axis of size 3/);
    exe.dispose();
  });

  it('returns a graph input and a repeated output', async () => {
    const g = trace((x) => [x, ops.neg(x), ops.neg(x)], [{ shape: [2], dtype: 'float32' }]);
    g.outputs.push(g.outputs[1]);
    const outs = await backend.compile(g).run([f32([1, 2], [2])]);
    expect(outs.map((o) => Array.from(o.data))).toEqual([[1, 2], [-1, -2], [-1, -2], [-1, -2]]);
  });

  it('bakes weights fed twice in a row into a specialized session, and leaves it when they change', async () => {
    const g = trace((x, w) => ops.matmul(x, w), [
      { shape: [2, 64], dtype: 'float32' },
      { shape: [64, 64], dtype: 'float32' },
    ]);
    const exe = backend.compile(g) as OnnxExecutable;
    const x = f32(Array.from({ length: 128 }, (_, i) => Math.sin(i)), [2, 64]);
    const w1 = f32(Array.from({ length: 4096 }, (_, i) => Math.cos(i) / 8), [64, 64], true);
    const w2 = f32(Array.from({ length: 4096 }, (_, i) => Math.cos(2 * i) / 8), [64, 64], true);
    const ref1 = (await exe.run([x, w1]))[0].data;
    expect(exe.specializations).toBe(0);
    expect((await exe.run([x, w1]))[0].data).toEqual(ref1);
    expect(exe.specializations).toBe(1);
    expect((await exe.run([x, w1]))[0].data).toEqual(ref1);
    // New weight values (a training step): the generic session, no new specialization.
    const ref2 = (await exe.run([x, w2]))[0].data;
    expect(ref2).not.toEqual(ref1);
    expect(exe.specializations).toBe(1);
    // A weight that is not marked stable is never baked.
    const loose = { ...w1, stable: false };
    await exe.run([x, loose]);
    await exe.run([x, loose]);
    expect(exe.specializations).toBe(1);
    exe.dispose();
  });

  it('runs eagerly through the EagerRunner', async () => {
    const eager = new EagerRunner(backend);
    const y = await eager.run('relu', [f32([-1, 2], [2])]);
    expect(Array.from(y.data)).toEqual([0, 2]);
    expect(() => eager.runSync('relu', [f32([-1, 2], [2])])).toThrow(/cannot run synchronously/);
    eager.dispose();
  });
});
