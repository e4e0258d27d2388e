import { resolveAxis, type Shape } from '@keras-ts/spec';
import { TensorType } from '../builder.js';
import type { AttrsOf, Lowering, LoweringFamily } from '../lowering.js';
import { expandTo } from './shape.js';

/** gather, take_along_axis, their gradients, one_hot and cumsum (spec/src/ops/indexing.ts). */


/** What a negative gather index becomes: past the end of any axis, so onnxruntime refuses it. */
export const GATHER_REFUSED_INDEX = 2 ** 31 - 1;

/**
 * gather: ONNX's Gather wraps negative indices (numpy); the spec refuses them, as TF and the
 * other backends: they are moved past the end, which onnxruntime refuses (see OnnxExecutable.run).
 */
const gather: Lowering<AttrsOf<'gather'>> = (b, node, [p, i], [pn]) => {
  const safe = b.node('Where', [b.node('Less', [i, b.scalar(0, 'int32')]), b.scalar(GATHER_REFUSED_INDEX, 'int32'), i]);
  return b.node('Gather', [p, safe], { axis: resolveAxis(node.attrs.axis, pn.shape.length) });
};

/** gather_grad: dy scatter-added (ScatterND, reduction add) into zeros, with the gather axis moved first. */
const gatherGrad: Lowering<AttrsOf<'gather_grad'>> = (b, node, [dy, idx], [, idxn]) => {
  const { paramsShape } = node.attrs;
  const ax = resolveAxis(node.attrs.axis, paramsShape.length);
  const ir = idxn.shape.length;
  const outer = paramsShape.slice(0, ax);
  const inner = paramsShape.slice(ax + 1);
  // dy [outer, idx..., inner] -> [idx..., outer, inner]
  const dyPerm = [...Array.from({ length: ir }, (_, i) => ax + i), ...Array.from({ length: ax }, (_, i) => i), ...inner.map((_, i) => ax + ir + i)];
  const updates = b.transpose(dy, dyPerm);
  const indices = b.reshape(b.cast(idx, TensorType.INT64), [...idxn.shape, 1]);
  const zerosShape = [paramsShape[ax], ...outer, ...inner];
  const scattered = b.node('ScatterND', [b.full(zerosShape, 0, node.dtype), indices, updates], { reduction: 'add' });
  // [n, outer, inner] -> [outer, n, inner]
  const back = [...outer.map((_, i) => i + 1), 0, ...inner.map((_, i) => ax + 1 + i)];
  return b.transpose(scattered, back);
};

/** The shape take_along_axis broadcasts `x` to: the output's shape with x's size along the axis. */
function takeAlongXShape(xShape: Shape, outShape: Shape, ax: number): number[] {
  return outShape.map((d, i) => (i === ax ? xShape[ax] : d));
}

const takeAlongAxis: Lowering<AttrsOf<'take_along_axis'>> = (b, node, [x, idx], [xn, idxn]) => {
  const ax = resolveAxis(node.attrs.axis, xn.shape.length);
  const xs = takeAlongXShape(xn.shape, node.shape, ax);
  return b.node('GatherElements', [expandTo(b, x, xn.shape, xs), expandTo(b, idx, idxn.shape, node.shape)], { axis: ax });
};

const takeAlongAxisGrad: Lowering<AttrsOf<'take_along_axis_grad'>> = (b, node, [dy, idx], [dyn, idxn]) => {
  const { inputShape } = node.attrs;
  const ax = resolveAxis(node.attrs.axis, inputShape.length);
  const xs = takeAlongXShape(inputShape, dyn.shape, ax);
  const scattered = b.node('ScatterElements', [b.full(xs, 0, node.dtype), expandTo(b, idx, idxn.shape, dyn.shape), dy], {
    axis: ax,
    reduction: 'add',
  });
  const axes = inputShape.flatMap((d, i) => (d !== xs[i] ? [i] : []));
  return axes.length ? b.node('ReduceSum', [scattered, b.i64(axes)], { keepdims: 1 }) : scattered;
};

/** one_hot: Equal against a range and Where (ONNX's OneHot wraps negative indices; the spec gives off rows). */
const oneHot: Lowering<AttrsOf<'one_hot'>> = (b, node, [idx], [idxn]) => {
  const { depth, onValue, offValue } = node.attrs;
  const range = b.init(Int32Array.from({ length: depth }, (_, i) => i), [depth], TensorType.INT32);
  const eq = b.node('Equal', [b.reshape(idx, [...idxn.shape, 1], idxn.shape), range]);
  return b.node('Where', [eq, b.scalar(onValue, 'float32'), b.scalar(offValue, 'float32')]);
};

export const indexingLowerings: LoweringFamily = (reg) => {
  reg.add('gather', gather);
  reg.add('gather_grad', gatherGrad);
  reg.add('take_along_axis', takeAlongAxis);
  reg.add('take_along_axis_grad', takeAlongAxisGrad);
  reg.add('one_hot', oneHot);
  reg.add('cumsum', (b, node, [x], [xn]) => {
    const { axis, exclusive, reverse } = node.attrs;
    return b.node('CumSum', [x, b.i64s(resolveAxis(axis, xn.shape.length))], { exclusive: exclusive ? 1 : 0, reverse: reverse ? 1 : 0 });
  });
};
