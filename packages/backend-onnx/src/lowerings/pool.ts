import { ops, sizeOf, stridesOf, type Shape } from '@keras-ts/spec';
import { TensorType, type GraphBuilder } from '../builder.js';
import type { AttrsOf, Lowering, LoweringFamily } from '../lowering.js';
import { cfShape, flatPads, fromCF, toCF } from './channels-first.js';

/**
 * Pooling and its gradients (spec/src/ops/pool.ts): MaxPool and AveragePool channels-first. A max
 * pool whose gradient the graph also takes shares one MaxPool with it (values and argmax
 * indices; see pipeline/pool-gradients.ts).
 */

type PoolAttrs = ops.PoolAttrs;

function poolPads(shape: Shape, a: PoolAttrs): [number, number][] {
  const spatial = shape.slice(1, a.rank + 1);
  return ops.resolveConvPadding(
    spatial,
    a.poolSize,
    a.strides,
    spatial.map(() => 1),
    a.padding,
  );
}

function poolAttrsOf(shape: Shape, a: PoolAttrs) {
  return { kernel_shape: a.poolSize, strides: a.strides, pads: flatPads(poolPads(shape, a)) };
}

/** Identifies a max pool of node `xId` with attributes `a` (a max_pool's, or its gradient's, which has the same). */
export function poolKey(xId: number, a: Readonly<Record<string, unknown>>): string {
  return `${xId}|${JSON.stringify([a.rank, a.poolSize, a.strides, a.padding])}`;
}

/**
 * MaxPool of float x (channels-first) with its argmax indices (first maximum in window scan
 * order, flattened over [N, C, ...spatial]), computed once per (x, attributes).
 */
function maxPoolWithIndices(b: GraphBuilder, x: string, xShape: Shape, a: PoolAttrs): [string, string] {
  const [y, idx] = b.memo(`maxpool|${x}|${JSON.stringify([a.rank, a.poolSize, a.strides, a.padding])}`, () =>
    b.nodeN('MaxPool', [b.transpose(x, toCF(a.rank))], { ...poolAttrsOf(xShape, a), storage_order: 0 }, 2),
  );
  return [y, idx];
}

const maxPool: Lowering<AttrsOf<'max_pool'>> = (b, node, [x], [xn]) => {
  const a = node.attrs;
  const r = a.rank;
  // When the graph also backpropagates through this pool, one MaxPool gives both the values and the argmax.
  if (xn.dtype === 'float32' && b.poolsWithGrad.has(poolKey(xn.id, a))) return b.transpose(maxPoolWithIndices(b, x, xn.shape, a)[0], fromCF(r));
  let xc = b.transpose(x, toCF(r));
  // onnxruntime's MaxPool takes float types only: int32 goes through float64 exactly.
  if (xn.dtype === 'int32') xc = b.cast(xc, TensorType.DOUBLE);
  let y = b.node('MaxPool', [xc], poolAttrsOf(xn.shape, a));
  if (xn.dtype === 'int32') y = b.cast(y, TensorType.INT32);
  return b.transpose(y, fromCF(r));
};

const avgPool: Lowering<AttrsOf<'avg_pool'>> = (b, node, [x], [xn]) => {
  const a = node.attrs;
  const r = a.rank;
  const y = b.node('AveragePool', [b.transpose(x, toCF(r))], { ...poolAttrsOf(xn.shape, a), count_include_pad: 0 });
  return b.transpose(y, fromCF(r));
};

/**
 * max_pool_grad: each dy goes to its window's first maximum (MaxPool's argmax indices). With
 * windows that do not overlap (strides >= pool size, the usual case) no two windows share a
 * position, so MaxUnpool places the dys; otherwise they are scatter-added at the indices.
 */
const maxPoolGrad: Lowering<AttrsOf<'max_pool_grad'>> = (b, node, [x, dy], [xn, dyn]) => {
  const a = node.attrs;
  const r = a.rank;
  const [, idx] = maxPoolWithIndices(b, x, xn.shape, a);
  const dyc = b.transpose(dy, toCF(r));
  const inCF = cfShape(xn.shape, r);
  if (a.strides.every((s, i) => s >= a.poolSize[i])) {
    const dx = b.node('MaxUnpool', [dyc, idx, b.i64(inCF)], { kernel_shape: a.poolSize, strides: a.strides, pads: flatPads(poolPads(xn.shape, a)) });
    return b.transpose(dx, fromCF(r));
  }
  const upd = b.reshape(dyc, [sizeOf(dyn.shape)]);
  const flatIdx = b.reshape(idx, [sizeOf(dyn.shape)]);
  const dx = b.node('ScatterElements', [b.full([sizeOf(xn.shape)], 0, 'float32'), flatIdx, upd], { axis: 0, reduction: 'add' });
  return b.transpose(b.reshape(dx, inCF), fromCF(r));
};

const maxPoolGradGrad: Lowering<AttrsOf<'max_pool_grad_grad'>> = (b, node, [x, g], [xn]) => {
  const a = node.attrs;
  const r = a.rank;
  const [, idx] = maxPoolWithIndices(b, x, xn.shape, a);
  const gFlat = b.reshape(b.transpose(g, toCF(r)), [sizeOf(xn.shape)]);
  const picked = b.node('GatherElements', [gFlat, b.reshape(idx, [sizeOf(node.shape)])], { axis: 0 });
  return b.transpose(b.reshape(picked, cfShape(node.shape, r)), fromCF(r));
};

/** Per output window, how many input positions it covers (padding excluded), shaped [1, ...out, 1]. */
function windowCounts(inShape: Shape, outShape: Shape, a: PoolAttrs): Float32Array {
  const r = a.rank;
  const pads = poolPads(inShape, a);
  const perAxis = Array.from({ length: r }, (_, d) => {
    const n = inShape[d + 1];
    return Array.from({ length: outShape[d + 1] }, (_, o) => {
      const lo = Math.max(o * a.strides[d] - pads[d][0], 0);
      const hi = Math.min(o * a.strides[d] - pads[d][0] + a.poolSize[d], n);
      return Math.max(hi - lo, 0);
    });
  });
  const out = outShape.slice(1, r + 1);
  const counts = new Float32Array(sizeOf(out));
  const st = stridesOf(out);
  for (let i = 0; i < counts.length; i++) {
    let c = 1;
    for (let d = 0; d < r; d++) c *= perAxis[d][Math.floor(i / st[d]) % out[d]];
    counts[i] = c;
  }
  return counts;
}

/** avg_pool_grad: dy divided by each window's count, then the adjoint of the window sum (a depthwise ConvTranspose with a ones kernel). */
const avgPoolGrad: Lowering<AttrsOf<'avg_pool_grad'>> = (b, node, [dy], [dyn]) => {
  const a = node.attrs;
  const r = a.rank;
  const inShape = a.inputShape;
  const C = inShape[r + 1];
  const counts = b.init(windowCounts(inShape, dyn.shape, a), [1, ...dyn.shape.slice(1, r + 1), 1], TensorType.FLOAT);
  const scaled = b.node('Div', [dy, counts]);
  const pads = poolPads(inShape, a);
  const outSpatial = dyn.shape.slice(1, r + 1);
  const spatial = inShape.slice(1, r + 1);
  const outputPadding = spatial.map((s, i) => s - ((outSpatial[i] - 1) * a.strides[i] + a.poolSize[i] - pads[i][0] - pads[i][1]));
  const ones = b.init(new Float32Array(C * sizeOf(a.poolSize)).fill(1), [C, 1, ...a.poolSize], TensorType.FLOAT);
  const y = b.node('ConvTranspose', [b.transpose(scaled, toCF(r)), ones], {
    strides: a.strides,
    pads: flatPads(pads),
    group: C,
    kernel_shape: a.poolSize,
    output_padding: outputPadding,
  });
  return b.transpose(y, fromCF(r));
};

export const poolLowerings: LoweringFamily = (reg) => {
  reg.add('max_pool', maxPool);
  reg.add('avg_pool', avgPool);
  reg.add('max_pool_grad', maxPoolGrad);
  reg.add('max_pool_grad_grad', maxPoolGradGrad);
  reg.add('avg_pool_grad', avgPoolGrad);
};
