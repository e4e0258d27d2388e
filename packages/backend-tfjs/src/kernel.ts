import * as tf from '@tensorflow/tfjs';
import type { Node, OpName, OpNode, TensorInfo } from '@keras-ts/spec';

/** The tfjs backends this package runs on. */
/** The tfjs backends backend-tfjs runs on: `cpu` and `wasm` everywhere, `webgl` and `webgpu` in browsers that have them. */
export type TfjsBackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

/** What a kernel may use while it is being prepared for one node of a compiled graph. */
export interface CompileContext {
  /** Which tfjs backend the executable runs on (some kernels differ by backend). */
  readonly backend: TfjsBackendName;
  /**
   * Keeps a tensor made at compile time (an index table, a constant) for the lifetime of the
   * executable; it is disposed with it.
   */
  keep<T extends tf.Tensor>(t: T): T;
  /**
   * A function that returns `make(t)`, made once per tensor object: while the same tensor arrives
   * (a stable input's device copy, kept by the executable while the same weight object arrives)
   * the value made from it is reused, and remade (the old one disposed) when another arrives. The
   * value is disposed with the executable. For the layout changes of weights that are copies on a
   * GPU (webgl's packed textures) but free on cpu and wasm.
   *
   * @example
   * const filter = ctx.memo((w) => tf.reshape(w, [3, 3, c, 1]));
   * return ([x, w]) => tf.depthwiseConv2d(x, filter(w), 1, 'same');
   */
  memo(make: (t: tf.Tensor) => tf.Tensor): (t: tf.Tensor) => tf.Tensor;
}

/** Computes one node's output from its inputs' tensors; runs inside the executable's `tf.tidy`. */
export type RunFn = (inputs: readonly tf.Tensor[]) => tf.Tensor;

/** The node a kernel for op `N` receives: its attributes typed for an op of the spec's `OpSchemas`. */
export type NodeFor<N extends string> = N extends OpName ? OpNode<N> : Node;

/** Method syntax, so a kernel typed for one op is a `Kernel` (see {@link Kernel}). */
interface KernelSignature<N extends string> {
  kernel(node: NodeFor<N>, inputs: readonly TensorInfo[], ctx: CompileContext): RunFn;
}

/**
 * A backend-tfjs kernel: called once per node when a graph is compiled (attributes resolved,
 * tables built, constants uploaded), it returns the function that runs the node.
 * `Kernel<'conv'>` receives the node with conv's attributes typed; a plain `Kernel` an untyped
 * node. A typed kernel is a `Kernel`: the registry keys kernels by op name and the graph parsed
 * each node's attributes with its op's schema, so a kernel only receives nodes of its op.
 */
export type Kernel<N extends string = string> = KernelSignature<N>['kernel'];

/** A family of kernels keyed by op name. */
export type KernelTable = Readonly<Record<string, Kernel>>;

/** A family of kernels keyed by op name, each typed for its op (see {@link typedKernels}). */
export type TypedKernelTable = { readonly [N in OpName]?: Kernel<N> };

/**
 * A kernel table whose kernels are checked against their ops' attribute types: a kernel written
 * inline gets its node typed from the key it is under.
 *
 * @example
 * export const layoutKernels = typedKernels({ transpose: (node) => ([x]) => tf.transpose(x, node.attrs.perm) });
 */
export function typedKernels(table: TypedKernelTable): KernelTable {
  const out: Record<string, Kernel> = {};
  for (const [op, kernel] of Object.entries(table)) if (kernel) out[op] = kernel;
  return out;
}

/**
 * int32 (0 or 1) to bool. tf.notEqual rather than tf.cast: tfjs' wasm cast to bool writes 255
 * for true (seen casting float32).
 */
export function toBool(t: tf.Tensor): tf.Tensor {
  return tf.notEqual(t, tf.scalar(0, t.dtype));
}
