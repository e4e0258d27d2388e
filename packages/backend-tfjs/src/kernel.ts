import * as tf from '@tensorflow/tfjs';
import type { Node, TensorInfo } from '@keras-ts/spec';

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
}

/** Computes one node's output from its inputs' tensors; runs inside the executable's `tf.tidy`. */
export type RunFn = (inputs: readonly tf.Tensor[]) => tf.Tensor;

/**
 * A backend-tfjs kernel: called once per node when a graph is compiled (attributes resolved,
 * tables built, constants uploaded), it returns the function that runs the node.
 */
export type Kernel = (node: Node, inputs: readonly TensorInfo[], ctx: CompileContext) => RunFn;

/** A family of kernels keyed by op name. */
export type KernelTable = Readonly<Record<string, Kernel>>;

/**
 * int32 (0 or 1) to bool. tf.notEqual rather than tf.cast: tfjs' wasm cast to bool writes 255
 * for true (seen casting float32).
 */
export function toBool(t: tf.Tensor): tf.Tensor {
  return tf.notEqual(t, tf.scalar(0, t.dtype));
}
