/**
 * The kernels' work that threads share, as plain data (typed arrays over SharedArrayBuffers and
 * numbers, so a task can be posted to a worker), and the one function that runs a range of a
 * task's rows: the calling thread and the workers run the same code on their ranges, so each
 * output element is computed exactly as on one thread.
 */
import { loopFromSource } from '../fusion.js';
import type { Epilogue } from '../kernel.js';
import { depthwiseRows } from '../kernels/depthwise.js';
import { convPacker, convPackerT, type ConvGeometry } from '../kernels/im2col.js';
import { matmulColumns, matmulPackedARows, matmulRows } from '../kernels/matmul-core.js';
import { padRows } from '../kernels/slicing.js';

/** A product planned by `gemmPlan` (packed path, K > 0); rows are the batch*M output rows. */
export interface GemmTask {
  readonly kind: 'gemm';
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly out: Float32Array;
  readonly batch: number;
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly aStride: number;
  readonly bStride: number;
}

/** The same product split by output columns (rows are its columns; no epilogue): for products with few rows. */
export interface GemmColumnsTask extends Omit<GemmTask, 'kind'> {
  readonly kind: 'gemm-columns';
}

/**
 * A convolution as a GEMM whose A operand is gathered from `x` into the packed panels
 * (`patches`: im2col(x), rows are output pixels; `patches-t`: its transpose, for the kernel
 * gradient, rows are patch elements); `w` is the B operand.
 */
export interface ConvTask {
  readonly kind: 'conv';
  readonly packer: 'patches' | 'patches-t';
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly out: Float32Array;
  readonly G: ConvGeometry;
  readonly M: number;
  readonly N: number;
  readonly K: number;
}

/** A depthwise convolution; rows are rows of output pixels (see `depthwiseRowCount`). */
export interface DepthwiseTask {
  readonly kind: 'depthwise';
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly out: Float32Array;
  readonly G: ConvGeometry;
  readonly C: number;
  readonly M: number;
}

/** A float32 constant pad whose first axis is not padded; rows are the entries of that axis. */
export interface PadTask {
  readonly kind: 'pad';
  readonly x: Float32Array;
  readonly out: Float32Array;
  readonly xShape: readonly number[];
  readonly outShape: readonly number[];
  /** Elements of `value` before `x` on each axis. */
  readonly before: readonly number[];
  readonly value: number;
}

/** Work split by rows (columns for `gemm-columns`) across threads. */
export type Task = GemmTask | GemmColumnsTask | ConvTask | DepthwiseTask | PadTask;

/**
 * An epilogue as data: the source of its generated loop (see ../fusion.ts), the loop's row
 * length and offset tables, and its arguments after the output (the fused op's operands).
 */
export interface LoopSpec {
  readonly source: string;
  readonly L: number;
  readonly tables: readonly (Int32Array | null)[];
  readonly operands: readonly Float32Array[];
}

/** The epilogue a {@link LoopSpec} describes, updating `out` in place. */
export function epilogueOf(spec: LoopSpec, out: Float32Array): Epilogue {
  const loop = loopFromSource(spec.source, spec.L, spec.tables);
  const args = [out, ...spec.operands];
  return (start, end) => loop(out, args, start, end);
}

/** Runs rows [start, end) of `task`, calling `epilogue` on the finished parts of those rows. */
export function runTask(task: Task, start: number, end: number, epilogue?: Epilogue): void {
  switch (task.kind) {
    case 'gemm': {
      const t = task;
      matmulRows(t.a, t.b, t.out, t.batch, t.M, t.N, t.K, t.transA, t.transB, t.aStride, t.bStride, start, end, epilogue);
      return;
    }
    case 'gemm-columns': {
      const t = task;
      matmulColumns(t.a, t.b, t.out, t.batch, t.M, t.N, t.K, t.transA, t.transB, t.aStride, t.bStride, start, end);
      return;
    }
    case 'conv': {
      const packer = task.packer === 'patches' ? convPacker(task.x, task.G) : convPackerT(task.x, task.G);
      matmulPackedARows(packer, task.w, task.out, task.M, task.N, task.K, false, start, end, epilogue);
      return;
    }
    case 'depthwise':
      depthwiseRows(task.x, task.w, task.out, task.G, task.C, task.M, start, end, epilogue);
      return;
    case 'pad':
      padRows(task.x, task.xShape, task.out, task.outShape, task.before, task.value, start, end);
      return;
  }
}
