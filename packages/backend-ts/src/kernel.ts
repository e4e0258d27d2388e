import type { DataArray, HostTensor, Node, OpName, OpNode } from '@keras-ts/spec';
import type { Parallel } from './parallel/pool.js';
import type { LoopSpec } from './parallel/tasks.js';

/** Reusable scratch memory a kernel may borrow for the duration of one call. */
export interface KernelContext {
  /** A Float32Array of at least `size` elements; its contents are arbitrary. */
  scratchF32(size: number): Float32Array;
  /** Conv kernels gather patches straight into the GEMM's packed panels (else through im2col); default true. */
  readonly convPacking?: boolean;
  /** Splits large kernel calls across worker threads (absent: one thread). */
  readonly parallel?: Parallel | null;
}

/**
 * Work to run on finished parts of a kernel's output: `(start, end)` is a range of flat output
 * indices whose values are final. The executor passes one to the kernels of ops it fuses
 * elementwise consumers into (matmul, conv, depthwise_conv); such a kernel calls it so that,
 * together, the calls cover the whole output exactly once, preferably while the range is still
 * in cache. The epilogue updates the range in place. An epilogue that is a generated loop
 * carries its description as `loop`, so that worker threads can run it on their rows.
 */
export type Epilogue = ((start: number, end: number) => void) & { readonly loop?: LoopSpec };

/** The node a kernel for op `N` receives: its attributes typed for an op of the spec's `OpSchemas`. */
export type NodeFor<N extends string> = N extends OpName ? OpNode<N> : Node;

/** Method syntax, so a kernel typed for one op is a `Kernel` (see {@link Kernel}). */
interface KernelSignature<N extends string> {
  kernel(inputs: readonly HostTensor[], node: NodeFor<N>, out: DataArray, ctx: KernelContext, epilogue?: Epilogue): void;
}

/**
 * A backend-ts kernel: reads its inputs and writes the node's output into `out`, a buffer of
 * exactly the output's size. `out` holds stale data from earlier use and must be fully written;
 * it never aliases an input. `Kernel<'conv'>` receives the node with conv's attributes typed
 * (`node.attrs.strides` is a `number[]`); a plain `Kernel` an untyped node. A typed kernel is a
 * `Kernel`: the registry keys kernels by op name and the graph parsed each node's attributes with
 * its op's schema, so a kernel only receives nodes of its op.
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
 * export const shapeKernels = typedKernels({ transpose: ([x], node, out) => permute(x, node.attrs.perm, out) });
 */
export function typedKernels(table: TypedKernelTable): KernelTable {
  const out: Record<string, Kernel> = {};
  for (const [op, kernel] of Object.entries(table)) if (kernel) out[op] = kernel;
  return out;
}
