import type { DataArray, HostTensor, Node } from '@keras-ts/spec';

/** Reusable scratch memory a kernel may borrow for the duration of one call. */
export interface KernelContext {
  /** A Float32Array of at least `size` elements; its contents are arbitrary. */
  scratchF32(size: number): Float32Array;
}

/**
 * A backend-ts kernel: reads its inputs and writes the node's output into `out`, a buffer of
 * exactly the output's size. `out` holds stale data from earlier use and must be fully written;
 * it never aliases an input.
 */
export type Kernel = (inputs: readonly HostTensor[], node: Node, out: DataArray, ctx: KernelContext) => void;

/** A family of kernels keyed by op name. */
export type KernelTable = Readonly<Record<string, Kernel>>;
