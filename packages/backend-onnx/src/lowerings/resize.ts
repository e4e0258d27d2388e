import { ops } from '@keras-ts/spec';
import { TensorType } from '../builder.js';
import type { AttrsOf, Lowering, LoweringFamily } from '../lowering.js';

/**
 * resize and resize_grad (spec/src/ops/resize.ts), with TF2's half-pixel rules from the spec's
 * ops.resizeTaps / ops.resizeWeights, as every backend.
 */


/** Resize as gathers along H and W (and, for bilinear, the lerps in TF's order). */
const resize: Lowering<AttrsOf<'resize'>> = (b, node, [x], [xn]) => {
  const { method } = node.attrs;
  const [, H, W] = xn.shape;
  const [, h, w] = node.shape;
  const ys = ops.resizeTaps(method, H, h);
  const xs = ops.resizeTaps(method, W, w);
  const g = (t: string, idx: Int32Array, axis: number) => b.node('Gather', [t, b.init(idx, [idx.length], TensorType.INT32)], { axis });
  if (method === 'nearest') return g(g(x, ys.lower, 1), xs.lower, 2);
  const top = g(x, ys.lower, 1);
  const bottom = g(x, ys.upper, 1);
  const lx = b.init(xs.lerp, [w, 1], TensorType.FLOAT);
  const ly = b.init(ys.lerp, [h, 1, 1], TensorType.FLOAT);
  const lerp = (p: string, q: string, t: string) => b.node('Add', [p, b.node('Mul', [b.node('Sub', [q, p]), t])]);
  const t = lerp(g(top, xs.lower, 2), g(top, xs.upper, 2), lx);
  const bt = lerp(g(bottom, xs.lower, 2), g(bottom, xs.upper, 2), lx);
  return lerp(t, bt, ly);
};

/** resize_grad: dx = Ayᵀ · dy · Ax over the spatial axes (resize is separable and linear). */
const resizeGrad: Lowering<AttrsOf<'resize_grad'>> = (b, node, [dy], [dyn]) => {
  const { method } = node.attrs;
  const [, H, W] = node.shape;
  const [, h, w] = dyn.shape;
  const ax = b.init(ops.resizeWeights(method, W, w), [w, W], TensorType.FLOAT);
  const ayT = b.transpose(b.init(ops.resizeWeights(method, H, h), [h, H], TensorType.FLOAT), [1, 0]);
  const cf = b.transpose(dy, [0, 3, 1, 2]); // [N, C, h, w]
  const byW = b.node('MatMul', [cf, ax]); // [N, C, h, W]
  const byH = b.node('MatMul', [ayT, byW]); // [N, C, H, W]
  return b.transpose(byH, [0, 2, 3, 1]);
};

export const resizeLowerings: LoweringFamily = (reg) => {
  reg.add('resize', resize);
  reg.add('resize_grad', resizeGrad);
};
