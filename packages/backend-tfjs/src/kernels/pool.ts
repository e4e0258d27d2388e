import * as tf from '@tensorflow/tfjs';
import { ops, sizeOf, type OpNode, type Shape } from '@keras-ts/spec';
import { typedKernels, type CompileContext, type Kernel } from '../kernel.js';

// Pooling. The forward max and average pools of float32 in rank 1 and 2 run on tfjs' kernels
// (which place TF 'SAME' windows as TF does and leave padded positions out of maxima and
// averages). Rank 3, int32 max pooling and the backprops use a window table built at compile time: for every output
// pixel p and window tap t, the input pixel it reads (or a sentinel pixel past the end for a
// padded position). Gathering through it gives the [P, T, C] patches; argmax over T picks the
// first maximum in window scan order, as TF; scatterND adds gradients back.

interface Table {
  /** Output pixels (N * outSpatial) and taps per window. */
  readonly P: number;
  readonly T: number;
  /** Input pixels (N * inSpatial); index S is the sentinel. */
  readonly S: number;
  readonly C: number;
  /** [P * T] input pixel of each tap (S for padding). */
  readonly taps: Int32Array;
  /** [P] number of taps inside the input. */
  readonly count: Float32Array;
}

/** A node of a pool-family op. */
type PoolNode = OpNode<'max_pool' | 'avg_pool' | 'max_pool_grad' | 'max_pool_grad_grad' | 'avg_pool_grad'>;

function windowTable(xShape: Shape, node: PoolNode): Table {
  const a = node.attrs;
  const attrs: ops.PoolAttrs = { rank: a.rank, poolSize: a.poolSize, strides: a.strides, padding: a.padding };
  const { outSpatial, padBefore } = ops.poolGeometry(xShape, attrs);
  const r = a.rank;
  const inSpatial = xShape.slice(1, r + 1);
  const N = xShape[0];
  const C = xShape[r + 1];
  const S = N * sizeOf(inSpatial);
  const outPix = sizeOf(outSpatial);
  const P = N * outPix;
  const T = sizeOf(a.poolSize);
  const taps = new Int32Array(P * T);
  const count = new Float32Array(P);
  const o = new Array<number>(r).fill(0);
  const k = new Array<number>(r).fill(0);
  for (let n = 0; n < N; n++) {
    o.fill(0);
    for (let q = 0; q < outPix; q++) {
      const p = n * outPix + q;
      k.fill(0);
      let c = 0;
      for (let t = 0; t < T; t++) {
        let pix = n;
        let inside = true;
        for (let i = 0; i < r; i++) {
          const pos = o[i] * a.strides[i] - padBefore[i] + k[i];
          if (pos < 0 || pos >= inSpatial[i]) inside = false;
          pix = pix * inSpatial[i] + pos;
        }
        taps[p * T + t] = inside ? pix : S;
        if (inside) c++;
        for (let i = r - 1; i >= 0; i--) {
          if (++k[i] < a.poolSize[i]) break;
          k[i] = 0;
        }
      }
      count[p] = c;
      for (let i = r - 1; i >= 0; i--) {
        if (++o[i] < outSpatial[i]) break;
        o[i] = 0;
      }
    }
  }
  return { P, T, S, C, taps, count };
}

/** Tensors of a window table, uploaded once. */
interface Tables {
  readonly tb: Table;
  /** [P * T] taps. */
  readonly taps: tf.Tensor1D;
  /** [P, 1]: p * T, to index the taps of a window. */
  readonly rowBase: tf.Tensor;
  /** [1, C]: channel numbers. */
  readonly channel: tf.Tensor;
}

function tables(xShape: Shape, node: PoolNode, ctx: CompileContext): Tables {
  const tb = windowTable(xShape, node);
  return {
    tb,
    taps: ctx.keep(tf.tensor1d(tb.taps, 'int32')),
    rowBase: ctx.keep(tf.tensor2d(Int32Array.from({ length: tb.P }, (_, p) => p * tb.T), [tb.P, 1], 'int32')),
    channel: ctx.keep(tf.tensor2d(Int32Array.from({ length: tb.C }, (_, c) => c), [1, tb.C], 'int32')),
  };
}

/** [P, T, C] windows of x, padded positions reading `padValue`. */
function patches(T: Tables, x: tf.Tensor, padValue: number): tf.Tensor {
  const { S, C, P } = T.tb;
  const rows = tf.concat([tf.reshape(x, [S, C]), tf.fill([1, C], padValue, x.dtype as 'float32' | 'int32')], 0);
  return tf.reshape(tf.gather(rows, T.taps), [P, T.tb.T, C]);
}

/** [P, C] flat positions (pixel * C + c) of each window's first maximum, per channel. */
function argmaxPositions(T: Tables, x: tf.Tensor): tf.Tensor {
  const arg = tf.argMax(patches(T, x, -Infinity), 1); // [P, C]
  const pix = tf.gather(T.taps, tf.add(arg, T.rowBase));
  return tf.add(tf.mul(pix, tf.scalar(T.tb.C, 'int32')), T.channel);
}

const as4d = (t: tf.Tensor): tf.Tensor4D => t as tf.Tensor4D;

/** Runs a rank-2 tfjs pool on rank 1 (height 1) and 2 inputs. */
function nativePool(node: PoolNode, x: Shape, op2: typeof tf.maxPool): (t: tf.Tensor) => tf.Tensor {
  const a = node.attrs;
  const out = [...node.shape];
  const size = (a.rank === 1 ? [1, a.poolSize[0]] : a.poolSize) as [number, number];
  const strides = (a.rank === 1 ? [1, a.strides[0]] : a.strides) as [number, number];
  const x4: number[] = a.rank === 1 ? [x[0], 1, x[1], x[2]] : [...x];
  return (t) => tf.reshape(op2(as4d(tf.reshape(t, x4)), size, strides, a.padding), out);
}

/**
 * max_pool: tfjs' maxPool for float32 rank 1 and 2. Rank 3 and int32 use the window table:
 * tfjs' maxPool3d/avgPool3d misplace 'same' windows when strides differ from the pool size
 * (x [1, 3, 5, 5, 2], pool 1, strides [3, 1, 1]: the output is not x[0, 0]), and wasm's
 * MaxPool3D pads with FLT_MIN instead of -inf.
 */
const maxPool: Kernel<'max_pool'> = (node, [x], ctx) => {
  if (x.dtype === 'float32' && node.attrs.rank !== 3) {
    const f = nativePool(node, x.shape, tf.maxPool);
    return ([t]) => f(t);
  }
  const T = tables(x.shape, node, ctx);
  const out = [...node.shape];
  const lowest = x.dtype === 'int32' ? -2147483648 : -Infinity;
  return ([t]) => tf.reshape(tf.max(patches(T, t, lowest), 1), out);
};

/** avg_pool: tfjs' avgPool for rank 1 and 2 (padded positions are not counted); rank 3 sums the window table's patches. */
const avgPool: Kernel<'avg_pool'> = (node, [x], ctx) => {
  if (node.attrs.rank !== 3) {
    const f = nativePool(node, x.shape, tf.avgPool);
    return ([t]) => f(t);
  }
  const T = tables(x.shape, node, ctx);
  const count = ctx.keep(tf.tensor2d(T.tb.count.map((n) => Math.max(n, 1)), [T.tb.P, 1], 'float32'));
  const out = [...node.shape];
  return ([t]) => tf.reshape(tf.div(tf.sum(patches(T, t, 0), 1), count), out);
};

/**
 * dx: each dy added at its window's first maximum. tfjs' MaxPoolGrad is not used: on wasm it
 * breaks ties and 'same' windows differently from TF (op suite: "max_pool_grad ties go to the
 * first maximum in row-major window order: element 1 is 0, expected 7"), and on cpu it is slower
 * than the table (256 ms against 143 ms for x [32, 26, 26, 16], pool 2).
 */
const maxPoolGrad: Kernel<'max_pool_grad'> = (node, [x], ctx) => {
  const T = tables(x.shape, node, ctx);
  const { P, S, C } = T.tb;
  const shape = [...x.shape];
  return ([t, dy]) => {
    const pos = tf.reshape(argmaxPositions(T, t), [P * C, 1]);
    const dx = tf.scatterND(pos, tf.reshape(dy, [P * C]), [(S + 1) * C]);
    return tf.reshape(tf.slice(dx, [0], [S * C]), shape);
  };
};

/** For each window, g at its first maximum of x. */
const maxPoolGradGrad: Kernel<'max_pool_grad_grad'> = (node, [x], ctx) => {
  const T = tables(x.shape, node, ctx);
  const { S, C } = T.tb;
  const out = [...node.shape];
  return ([t, g]) => {
    const flat = tf.concat([tf.reshape(g, [S * C]), tf.zeros([C])], 0);
    return tf.reshape(tf.gather(flat, argmaxPositions(T, t)), out);
  };
};

/** dx: each dy shared equally among the input positions of its window. */
const avgPoolGrad: Kernel<'avg_pool_grad'> = (node, _inputs, ctx) => {
  const inShape = node.attrs.inputShape;
  const tb = windowTable(inShape, node);
  const { P, T, S, C } = tb;
  const pos = new Int32Array(P * T * C);
  for (let i = 0, k = 0; i < P * T; i++) for (let c = 0; c < C; c++) pos[k++] = tb.taps[i] * C + c;
  const positions = ctx.keep(tf.tensor2d(pos, [P * T * C, 1], 'int32'));
  const count = ctx.keep(tf.tensor2d(tb.count.map((n) => Math.max(n, 1)), [P, 1], 'float32'));
  const shape = [...inShape];
  return ([dy]) => {
    const share = tf.broadcastTo(tf.reshape(tf.div(tf.reshape(dy, [P, C]), count), [P, 1, C]), [P, T, C]);
    const dx = tf.scatterND(positions, tf.reshape(share, [P * T * C]), [(S + 1) * C]);
    return tf.reshape(tf.slice(dx, [0], [S * C]), shape);
  };
};

/** Max and average pooling over 1 to 3 spatial axes of channels-last tensors, and their backprops. */
export const poolKernels = typedKernels({
  max_pool: maxPool,
  avg_pool: avgPool,
  max_pool_grad: maxPoolGrad,
  max_pool_grad_grad: maxPoolGradGrad,
  avg_pool_grad: avgPoolGrad,
});
