import type { DataArray, HostTensor, Node } from '@keras-ts/spec';

/** Reusable scratch memory a kernel may borrow for the duration of one call. */
export interface KernelContext {
  /** A Float32Array of at least `size` elements; its contents are arbitrary. */
  scratchF32(size: number): Float32Array;
  /** Conv kernels gather patches straight into the GEMM's packed panels (else through im2col); default true. */
  readonly convPacking?: boolean;
}

/**
 * Work to run on finished parts of a kernel's output: `(start, end)` is a range of flat output
 * indices whose values are final. The executor passes one to the kernels of ops it fuses
 * elementwise consumers into (matmul, conv, depthwise_conv); such a kernel calls it so that,
 * together, the calls cover the whole output exactly once, preferably while the range is still
 * in cache. The epilogue updates the range in place.
 */
export type Epilogue = (start: number, end: number) => void;

/**
 * A backend-ts kernel: reads its inputs and writes the node's output into `out`, a buffer of
 * exactly the output's size. `out` holds stale data from earlier use and must be fully written;
 * it never aliases an input.
 */
export type Kernel = (inputs: readonly HostTensor[], node: Node, out: DataArray, ctx: KernelContext, epilogue?: Epilogue) => void;

/** A family of kernels keyed by op name. */
export type KernelTable = Readonly<Record<string, Kernel>>;
