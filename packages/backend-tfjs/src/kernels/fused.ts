import * as tf from '@tensorflow/tfjs';
import { isChannelVector, ops, sizeOf, type Node, type OpNode, type TensorInfo } from '@keras-ts/spec';
import { typedKernels, type CompileContext, type Kernel, type KernelTable, type RunFn } from '../kernel.js';

// Kernels of the fused ops the spec's passes make (fuse-epilogues, scale-shift). A fused op's
// leading bias add and relu or sigmoid go to tf.fused.matMul / tf.fused.conv2d (on wasm, bias
// and activation inside the XNNPACK kernel; on cpu the same ops in sequence); the producer and
// the other steps run through this backend's own kernels for them.

type Activation = 'linear' | 'relu' | 'sigmoid';
const ACTIVATIONS: Readonly<Record<string, Activation>> = { relu: 'relu', sigmoid: 'sigmoid' };

/** Finds the kernel of an op of the spec in this backend's registry. */
export type KernelLookup = (op: string) => Kernel;

/** A node standing for part of a fused node (its producer or one step): what kernels read. */
function partNode(op: string, attrs: Record<string, unknown>, shape: readonly number[]): Node {
  return { id: -1, op, inputs: [], attrs, shape, dtype: 'float32' };
}

/**
 * The bias as a rank-1 tensor whose storage is rank 1 too: tfjs' wasm fused kernels check the
 * shape recorded with the data, which a reshape does not change, so a bias reshaped from another
 * rank is copied (x + 0 is exact).
 */
function rank1(bias: tf.Tensor, n: number): tf.Tensor {
  const r = tf.reshape(bias, [n]);
  const backend = tf.backend() as unknown as { dataIdMap?: { get(id: object): { shape?: number[] } | undefined } };
  const stored = backend.dataIdMap?.get(r.dataId)?.shape;
  return stored && stored.length !== 1 ? tf.add(r, tf.scalar(0)) : r;
}

/** The fused ops whose producer tf.fused can run. */
type TfFusedOp = 'fused_matmul' | 'fused_conv';

/** The tf.fused call for a fused node's producer with a bias (an input index, or null) and an activation, or null when tf.fused cannot run it. */
type FusedCall<N extends TfFusedOp> = (node: OpNode<N>, infos: readonly TensorInfo[], bias: number | null, activation: Activation, ctx: CompileContext) => RunFn | null;

const fusedMatMul: FusedCall<'fused_matmul'> = (node, [a, b], bias, activation, ctx) => {
  if (a.shape.length !== 2 || b.shape.length !== 2) return null;
  const { transposeA, transposeB } = node.attrs;
  // tfjs 4.22's wasm _FusedMatMul adds the bias wrongly when either operand is transposed
  // (errors of order 1 against matMul + add; cpu is right): there it stays a step of its own.
  if (ctx.backend === 'wasm' && bias !== null && (transposeA || transposeB)) return null;
  const n = node.shape[node.shape.length - 1];
  return (ins) =>
    tf.fused.matMul({ a: ins[0] as tf.Tensor2D, b: ins[1] as tf.Tensor2D, transposeA, transposeB, bias: bias === null ? undefined : rank1(ins[bias], n), activation });
};

const as4d = (t: tf.Tensor): tf.Tensor4D => t as tf.Tensor4D;

const fusedConv2d: FusedCall<'fused_conv'> = (node, [x, w], bias, activation) => {
  const a = node.attrs;
  if ((a.rank !== 1 && a.rank !== 2) || a.groups !== 1) return null;
  const pads = ops.resolveConvPadding(x.shape.slice(1, -1), w.shape.slice(0, -2), a.strides, a.dilations, a.padding);
  const lifted = a.rank === 1;
  const p2 = lifted ? [[0, 0] as [number, number], pads[0]] : pads;
  const pad = p2.every(([p, q]) => p === 0 && q === 0) ? ('valid' as const) : ([[0, 0], p2[0], p2[1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]);
  const strides = (lifted ? [1, a.strides[0]] : a.strides) as [number, number];
  const dilations = (lifted ? [1, a.dilations[0]] : a.dilations) as [number, number];
  const xs: number[] = lifted ? [x.shape[0], 1, ...x.shape.slice(1)] : [...x.shape];
  const ws: number[] = lifted ? [1, ...w.shape] : [...w.shape];
  const cout = w.shape[w.shape.length - 1];
  const outShape = [...node.shape];
  return (ins) => {
    const y = tf.fused.conv2d({
      x: as4d(tf.reshape(ins[0], xs)),
      filter: as4d(tf.reshape(ins[1], ws)),
      strides,
      pad,
      dataFormat: 'NHWC',
      dilations,
      bias: bias === null ? undefined : rank1(ins[bias], cout),
      activation,
    });
    return lifted ? tf.reshape(y, outShape) : y;
  };
};

/**
 * The kernel of fused_<producer>: tf.fused for the producer with the epilogue's leading bias add
 * (a vector over the last axis) and relu or sigmoid when `call` can; the rest of the epilogue
 * (everything, when it cannot) runs step by step through the registry's kernels.
 */
function fusedKernel<N extends TfFusedOp>(producer: string, call: FusedCall<N>, kernelOf: KernelLookup): (node: OpNode<N>, infos: readonly TensorInfo[], ctx: CompileContext) => RunFn {
  return (node, infos, ctx) => {
    const steps = node.attrs.epilogue;
    const out: TensorInfo = { shape: node.shape, dtype: 'float32' };
    let k = 0;
    let bias: number | null = null;
    let activation: Activation = 'linear';
    const first = steps[0];
    if (first?.op === 'add' && first.args.length === 1 && isChannelVector(infos[first.args[0]], out)) {
      bias = first.args[0];
      k = 1;
    }
    // On wasm, tf.fused.matMul's relu (XNNPACK's output clamp) turns NaN into 0, where tf.relu,
    // TF and the spec keep it: there the relu stays a step of its own.
    const act = steps[k] && ACTIVATIONS[steps[k].op];
    if (act && !(ctx.backend === 'wasm' && producer === 'matmul' && act === 'relu')) {
      activation = act;
      k++;
    }
    const fast = k > 0 ? call(node, infos, bias, activation, ctx) : null;
    if (!fast) k = 0;
    const head: RunFn = fast ?? kernelOf(producer)(partNode(producer, ops.producerAttrs(node.attrs), node.shape), infos.slice(0, 2), ctx);
    const rest = steps.slice(k).map((s) => ({
      run: kernelOf(s.op)(partNode(s.op, s.attrs, node.shape), ops.stepInputs(s, out, infos), ctx),
      step: s,
    }));
    if (rest.length === 0) return head;
    return (ins) => {
      let y = head(ins);
      for (const { run, step } of rest) y = run(ops.stepInputs(step, y, ins));
      return y;
    };
  };
}

/**
 * scale_shift: x · scale + shift as one tf.batchNorm (mean 0, variance 1, epsilon 0) when x has
 * rank 2 to 4 and scale and shift are vectors over its last axis (inference batch normalization;
 * on tfjs' cpu backend a broadcasting mul or add walks every element through index arithmetic:
 * MobileNetV2's 52 batch norms took 7.5 s of 11 s that way, against 0.25 s as FusedBatchNorm).
 */
const scaleShift: Kernel = (node, [x, s, t], ctx) => {
  const n = x.shape[x.shape.length - 1];
  const vector = (v: TensorInfo) => isChannelVector(v, x);
  if (x.shape.length < 2 || x.shape.length > 4 || !vector(s) || !vector(t) || sizeOf(node.shape) === 0) {
    return ([xt, st, tt]) => tf.add(tf.mul(xt, st), tt);
  }
  // The mean and variance are made once (on webgl each would be a texture upload per run).
  const zeros = ctx.keep(tf.zeros([n]));
  const ones = ctx.keep(tf.ones([n]));
  return ([xt, st, tt]) => tf.batchNorm(xt, zeros, ones, rank1(tt, n), rank1(st, n), 0);
};

/** The kernels of the fused ops, the steps they do not hand to tf.fused run by `kernelOf`. */
export function fusedKernels(kernelOf: KernelLookup): KernelTable {
  return typedKernels({
    fused_matmul: fusedKernel('matmul', fusedMatMul, kernelOf),
    fused_conv: fusedKernel('conv', fusedConv2d, kernelOf),
    scale_shift: scaleShift,
  });
}
