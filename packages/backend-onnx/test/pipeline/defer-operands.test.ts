import { ops, trace, type HostTensor, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend, lowerGraph, prepareForOnnx } from '../../src/index.js';
import { deferOperands } from '../../src/pipeline/defer-operands.js';
import { planLowering } from '../../src/pipeline/plan.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

/** x · w + h · u + b, as an LSTM step adds its projections (x · w traced first). */
const step = (x: Sym, w: Sym, h: Sym, u: Sym, b: Sym) =>
  ops.add(ops.add(ops.matmul(x, w), ops.matmul(ops.tanh(h), u)), b);

describe('defer-operands pass', () => {
  const g = prepareForOnnx(trace(step, [f32([2, 3]), f32([3, 4]), f32([2, 5]), f32([5, 4]), f32([4])]));

  it("defers an epilogue operand computed after the producer's inputs and read only by the fused node", () => {
    const fused = g.nodes.find((n) => n.op === 'fused_matmul')!;
    const recurrent = g.nodes.find((n) => n.op === 'matmul')!;
    expect(fused.inputs).toContain(recurrent.id);
    expect([...planLowering(g, [deferOperands]).deferred]).toEqual([recurrent.id]);
  });

  it("emits the producer's operator first, then the deferred operand, as the unfused graph", () => {
    const lowered = lowerGraph(g);
    const nodes = lowered.builder.nodes.filter((n) => n.op === 'Gemm' || n.op === 'Add');
    // x · w (the fused node's operator), then h · u (the deferred operand), then the adds.
    expect(nodes.map((n) => n.op)).toEqual(['Gemm', 'Gemm', 'Add', 'Add']);
    expect(nodes[0].inputs[0]).toBe(lowered.inputs[0].name);
  });

  it('gives the values of the plain ops', async () => {
    const t = (data: number[], shape: number[]): HostTensor => ({ shape, dtype: 'float32', data: Float32Array.from(data) });
    const inputs = [t([1, 0, 2, 0, 1, 1], [2, 3]), t(Array.from({ length: 12 }, (_, i) => i / 10), [3, 4]), t(Array(10).fill(0), [2, 5]), t(Array(20).fill(1), [5, 4]), t([1, 2, 3, 4], [4])];
    const exe = createOnnxBackend().compile(trace(step, inputs));
    const [y] = await exe.run(inputs);
    // h = 0: x · w + b; row 0 = w[0] + 2 w[2], row 1 = w[1] + w[2]
    const w = (r: number, c: number) => (r * 4 + c) / 10;
    const want = [0, 1].flatMap((r) => [0, 1, 2, 3].map((c) => (r === 0 ? w(0, c) + 2 * w(2, c) : w(1, c) + w(2, c)) + c + 1));
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    exe.dispose();
  });
});
