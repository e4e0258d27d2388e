import { grad, ops, trace, type HostTensor } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend, lowerGraph, prepareForOnnx } from '../../src/index.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });
const t = (data: number[], shape: number[]): HostTensor => ({ shape, dtype: 'float32', data: Float32Array.from(data) });

/** The ONNX operators `graph` lowers to, after the spec's graph passes. */
function onnxNodes(graph: ReturnType<typeof trace>) {
  return lowerGraph(prepareForOnnx(graph)).builder.nodes;
}

describe('fused ops', () => {
  it('fold a bias vector into Gemm and lower the rest of the epilogue after it', () => {
    const g = trace((x, w, b) => ops.relu(ops.add(ops.matmul(x, w), b)), [f32([2, 2]), f32([2, 2]), f32([1, 2])]);
    const prepared = prepareForOnnx(g);
    expect(prepared.nodes.map((n) => n.op)).toContain('fused_matmul');
    const nodes = onnxNodes(g);
    const gemm = nodes.find((n) => n.op === 'Gemm')!;
    expect(gemm.inputs).toHaveLength(3);
    expect(nodes.map((n) => n.op)).not.toContain('Add');
    expect(nodes.map((n) => n.op)).toContain('Relu');
  });

  it('fold a channel bias into Conv and ConvTranspose', () => {
    const conv = trace((x, w, b) => ops.add(b, ops.conv(x, w, { padding: 'same' })), [f32([1, 5, 5, 2]), f32([3, 3, 2, 4]), f32([1, 1, 1, 4])]);
    expect(onnxNodes(conv).find((n) => n.op === 'Conv')!.inputs).toHaveLength(3);
    const convT = trace((dy, w, b) => ops.add(ops.convTranspose(dy, w, [1, 6, 6, 2], { strides: [2, 2] }), b), [f32([1, 3, 3, 4]), f32([2, 2, 2, 4]), f32([2])]);
    expect(onnxNodes(convT).find((n) => n.op === 'ConvTranspose')!.inputs).toHaveLength(3);
  });

  it('keep as steps what the operator cannot add: a full-shape operand, a bias of a batched matmul', () => {
    const full = trace((x, w, r) => ops.add(ops.matmul(x, w), r), [f32([4, 3]), f32([3, 5]), f32([4, 5])]);
    expect(onnxNodes(full).find((n) => n.op === 'Gemm')!.inputs).toHaveLength(2);
    expect(onnxNodes(full).map((n) => n.op)).toContain('Add');
    const batched = trace((x, w, b) => ops.add(ops.matmul(x, w), b), [f32([2, 4, 3]), f32([2, 3, 5]), f32([5])]);
    expect(onnxNodes(batched).map((n) => n.op)).toEqual(expect.arrayContaining(['MatMul', 'Add']));
  });

  it('give the values of the unfused ops, forward and gradients', async () => {
    const g = trace((x, w, b) => {
      const y = ops.tanh(ops.mul(ops.relu(ops.add(ops.matmul(x, w), b)), 0.5));
      return [y, ...grad([ops.sum(y)], [x, w, b])];
    }, [f32([2, 2]), f32([2, 2]), f32([2])]);
    const exe = createOnnxBackend().compile(g);
    const [y, dx, dw, db] = await exe.run([t([1, 2, 3, 4], [2, 2]), t([1, -1, 2, 0.5], [2, 2]), t([0.5, -4], [2])]);
    // x·w + b = [[5.5, -4], [11.5, -5]]; relu; · 0.5; tanh
    const h = [5.5, 0, 11.5, 0].map((v) => v * 0.5);
    expect(Array.from(y.data)).toEqual(h.map((v) => Math.fround(Math.tanh(v))).map((v) => expect.closeTo(v, 5)));
    // dL/dpre = (1 - tanh²) · 0.5 where pre > 0, else 0
    const dpre = h.map((v, i) => ([0, 2].includes(i) ? (1 - Math.tanh(v) ** 2) * 0.5 : 0));
    expect(Array.from(db.data)).toEqual([dpre[0] + dpre[2], 0].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(dx.data)).toEqual([dpre[0] * 1, dpre[0] * 2, dpre[2] * 1, dpre[2] * 2].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(dw.data)).toEqual([1 * dpre[0] + 3 * dpre[2], 0, 2 * dpre[0] + 4 * dpre[2], 0].map((v) => expect.closeTo(v, 5)));
    exe.dispose();
  });
});
