import { ops, sizeOf, trace, type HostTensor, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend, prepareForOnnx } from '../../src/index.js';
import type { NodeValue } from '../../src/proto.js';
import { foldPads } from '../../src/pipeline/fold-pads.js';
import { planLowering } from '../../src/pipeline/plan.js';
import { onnxNodes, onnxOps } from './helpers.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

function tensor(shape: number[], seed: number): HostTensor {
  return { shape, dtype: 'float32', data: Float32Array.from({ length: sizeOf(shape) }, (_, i) => Math.sin(seed + i * 1.7)) };
}

/**
 * A 2-D grouped convolution by its definition, channels-last: x [N, H, W, C] zero-padded by
 * `pads` ([[top, bottom], [left, right]]), kernel [kh, kw, C / groups, Cout].
 */
function convReference(x: HostTensor, w: HostTensor, strides: number[], pads: number[][], groups: number): { shape: number[]; data: number[] } {
  const [N, H, W, C] = x.shape;
  const [kh, kw, cg, cout] = w.shape;
  const outH = Math.floor((H + pads[0][0] + pads[0][1] - kh) / strides[0]) + 1;
  const outW = Math.floor((W + pads[1][0] + pads[1][1] - kw) / strides[1]) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < outH; oh++)
      for (let ow = 0; ow < outW; ow++)
        for (let co = 0; co < cout; co++) {
          const g = Math.floor(co / (cout / groups));
          let s = 0;
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const h = oh * strides[0] + i - pads[0][0];
              const v = ow * strides[1] + j - pads[1][0];
              if (h < 0 || h >= H || v < 0 || v >= W) continue;
              for (let ci = 0; ci < cg; ci++) s += x.data[((n * H + h) * W + v) * C + g * cg + ci] * w.data[((i * kw + j) * cg + ci) * cout + co];
            }
          data.push(s);
        }
  return { shape: [N, outH, outW, cout], data };
}

async function runOnnx(f: (...xs: Sym[]) => Sym | Sym[], inputs: HostTensor[]): Promise<HostTensor[]> {
  const exe = createOnnxBackend().compile(trace(f, inputs));
  try {
    return await exe.run(inputs);
  } finally {
    exe.dispose();
  }
}

/** The value of attribute `name` of an ONNX node. */
function attr(node: NodeValue, name: string): unknown {
  return node.attrs?.[name]?.v;
}

/** A depthwise kernel [kh, kw, C, 1] as the grouped conv kernel [kh, kw, 1, C] it is (the same data). */
function asGrouped(k: HostTensor): HostTensor {
  return { ...k, shape: [k.shape[0], k.shape[1], 1, k.shape[2] * k.shape[3]] };
}

function expectClose(got: HostTensor, want: { shape: number[]; data: number[] }): void {
  expect(got.shape).toEqual(want.shape);
  want.data.forEach((v, i) => expect(got.data[i]).toBeCloseTo(v, 5));
}

describe('fold-pads pass', () => {
  // MobileNetV2's stride-2 block: ZeroPadding2D(((0, 1), (0, 1))) then a 3x3 depthwise conv, 'valid'.
  const zeroPadDepthwise = (x: Sym, k: Sym) => ops.depthwiseConv(ops.pad(x, [[0, 0], [0, 1], [0, 1], [0, 0]]), k, { strides: 2 });

  it("lowers a conv that reads a zero pad from the pad's input, with the pads in Conv's pads, and emits no Pad", () => {
    const g = prepareForOnnx(trace(zeroPadDepthwise, [f32([1, 6, 6, 4]), f32([3, 3, 4, 1])]));
    const conv = g.nodes.find((n) => n.op === 'conv')!;
    const plan = planLowering(g, [foldPads]);
    const replaced = plan.replaced.get(conv.id)!;
    expect(replaced.inputs[0]).toBe(g.nodes[conv.inputs[0]].inputs[0]);
    expect(replaced.attrs.padding).toEqual([[0, 1], [0, 1]]);
    expect(plan.deferred).toEqual(new Set([conv.inputs[0]]));
    expect(onnxOps(g)).not.toContain('Pad');
    const [c] = onnxNodes(g, 'Conv');
    expect(attr(c, 'pads')).toEqual([0, 0, 1, 1]);
    expect(attr(c, 'group')).toBe(4);
  });

  it('gives the values of the padded convolution (depthwise, valid, stride 2)', async () => {
    const x = tensor([2, 6, 7, 4], 1);
    const k = tensor([3, 3, 4, 1], 2);
    const [y] = await runOnnx(zeroPadDepthwise, [x, k]);
    expectClose(y, convReference(x, asGrouped(k), [2, 2], [[0, 1], [0, 1]], 4));
  });

  it("adds the pad to a 'same' conv's own padding, in a fused conv with bias and relu", async () => {
    const f = (x: Sym, w: Sym, b: Sym) => ops.relu(ops.add(ops.conv(ops.pad(x, [[0, 0], [2, 1], [1, 0], [0, 0]]), w, { strides: [2, 1], padding: 'same' }), b));
    const x = tensor([1, 5, 6, 3], 3);
    const w = tensor([3, 2, 3, 4], 4);
    const b = tensor([4], 5);
    const g = prepareForOnnx(trace(f, [x, w, b]));
    expect(g.nodes.some((n) => n.op === 'fused_conv')).toBe(true);
    expect(onnxOps(g)).not.toContain('Pad');
    // The padded input is 8 x 7: 'same' with k 3 x 2, strides 2 x 1 pads [0, 1] and [0, 1]; plus the pad's [2, 1] and [1, 0].
    expect(attr(onnxNodes(g, 'Conv')[0], 'pads')).toEqual([2, 1, 2, 1]);
    const [y] = await runOnnx(f, [x, w, b]);
    const want = convReference(x, w, [2, 1], [[2, 2], [1, 1]], 1);
    expectClose(y, { shape: want.shape, data: want.data.map((v, i) => Math.max(v + b.data[i % 4], 0)) });
  });

  it('keeps a pad of another value, one over the channels, and one before a pool', () => {
    const k = f32([3, 3, 4, 1]);
    const other = trace((x: Sym, w: Sym) => ops.depthwiseConv(ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], 1), w), [f32([1, 6, 6, 4]), k]);
    const channels = trace((x: Sym, w: Sym) => ops.conv(ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 1]]), w), [f32([1, 6, 6, 3]), f32([3, 3, 4, 2])]);
    const pool = trace((x: Sym) => ops.maxPool(ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), { poolSize: 2 }), [f32([1, 6, 6, 4])]);
    for (const g of [other, channels, pool].map(prepareForOnnx)) {
      expect(planLowering(g, [foldPads]).replaced.size).toBe(0);
      expect(onnxOps(g)).toContain('Pad');
    }
  });

  it('folds the pad into the conv and still emits it, once, for another reader', async () => {
    const f = (x: Sym, w: Sym) => {
      const p = ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
      return [ops.depthwiseConv(p, w), ops.sum(p)];
    };
    const x = tensor([1, 4, 5, 2], 6);
    const k = tensor([3, 3, 2, 1], 7);
    const g = prepareForOnnx(trace(f, [x, k]));
    const plan = planLowering(g, [foldPads]);
    expect(plan.replaced.size).toBe(1);
    expect(plan.deferred.size).toBe(0);
    expect(onnxOps(g).filter((op) => op === 'Pad')).toHaveLength(1);
    expect(attr(onnxNodes(g, 'Conv')[0], 'pads')).toEqual([1, 1, 1, 1]);
    const [y, s] = await runOnnx(f, [x, k]);
    expectClose(y, convReference(x, asGrouped(k), [1, 1], [[1, 1], [1, 1]], 2));
    expect(s.data[0]).toBeCloseTo(Array.from(x.data).reduce((a, v) => a + v, 0), 4);
  });
});
