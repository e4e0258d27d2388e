/**
 * `@keras-ts/backend-ts`: the spec's op set in pure TypeScript on typed arrays.
 *
 * @example
 * import { createTsBackend } from '@keras-ts/backend-ts';
 * import { trace, ops } from '@keras-ts/spec';
 * const backend = createTsBackend();
 * const exe = backend.compile(trace((x) => ops.relu(x), [{ shape: [3], dtype: 'float32' }]));
 * const [y] = exe.runSync!([{ shape: [3], dtype: 'float32', data: new Float32Array([-1, 0, 2]) }]);
 *
 * @module \@keras-ts/backend-ts
 */
import { getOp, KernelRegistry, KerasNotImplementedError, KerasValueError, type Backend, type Capabilities, type Graph } from '@keras-ts/spec';
import { TsExecutable } from './executor.js';
import { defaultThreads, threadsReady, whyNoThreads } from './parallel/pool.js';
import type { Kernel, KernelTable } from './kernel.js';
import { convKernels } from './kernels/conv.js';
import { depthwiseKernels } from './kernels/depthwise.js';
import { elementwiseKernels } from './kernels/elementwise.js';
import { fusedKernels } from './kernels/fused.js';
import { indexingKernels } from './kernels/indexing.js';
import { layoutKernels } from './kernels/layout.js';
import { matmulKernels } from './kernels/matmul.js';
import { nnKernels } from './kernels/nn.js';
import { poolKernels } from './kernels/pool.js';
import { reduceKernels } from './kernels/reduce.js';
import { resizeKernels } from './kernels/resize.js';
import { slicingKernels } from './kernels/slicing.js';
import { sourceKernels } from './kernels/source.js';

const TABLES: readonly KernelTable[] = [
  elementwiseKernels,
  layoutKernels,
  reduceKernels,
  sourceKernels,
  matmulKernels,
  slicingKernels,
  indexingKernels,
  convKernels,
  depthwiseKernels,
  poolKernels,
  resizeKernels,
  nnKernels,
  fusedKernels,
];

/** The registry of every backend-ts kernel (fails at load on a duplicate name); `exclude` leaves ops out. */
export function tsKernels(exclude: readonly string[] = []): KernelRegistry<Kernel> {
  const reg = new KernelRegistry<Kernel>('backend-ts');
  for (const table of TABLES) for (const [op, k] of Object.entries(table)) if (!exclude.includes(op)) reg.register(op, k);
  return reg;
}

/**
 * What backend-ts optimizes; everything is on by default. Turning a part off (in tests, or to
 * measure what it buys) falls back to the plain path, with the same results up to rounding.
 * The environment variable KERAS_TS_DISABLE (a comma-separated list of `fusion`, `epilogues`,
 * `depthwise`, `conv-packing`) sets the defaults.
 */
export interface TsBackendOptions {
  /** Fuse connected elementwise nodes into one generated loop each (needs `new Function`; off by default where it is forbidden). */
  readonly fuseElementwise?: boolean;
  /**
   * Register the kernels of the fused ops of the spec's fuse-epilogues pass (matmul, conv or
   * depthwise_conv with the elementwise chain after it, run on each finished block of the output);
   * they need `fuseElementwise` too. Without them the pass does not run.
   */
  readonly epilogues?: boolean;
  /** Run depthwise_conv with its direct kernel (else it lowers to a grouped conv). */
  readonly depthwiseKernel?: boolean;
  /** Gather conv patches straight into the GEMM's packed panels (else through an im2col matrix). */
  readonly convPacking?: boolean;
  /**
   * Threads the large matmul, conv and depthwise-conv kernels split their output rows across
   * (the calling thread and `threads - 1` worker threads, started on first use and shared by the
   * process; each output element is computed by one thread as on one thread, so results do not
   * depend on it). Default: the available cores (Node's os.availableParallelism(), a browser's
   * navigator.hardwareConcurrency), or the environment variable KERAS_TS_THREADS; `1` runs
   * everything on the calling thread. Where threads cannot be used (no SharedArrayBuffer, or a
   * browser page's main thread, where Atomics.wait is not allowed) it is 1, and asking for more
   * is an error.
   */
  readonly threads?: number;
}

/** Whether code can be generated at run time (a Content-Security-Policy may forbid it). */
function canGenerateCode(): boolean {
  try {
    return new Function('return 1')() === 1;
  } catch {
    return false;
  }
}

function env(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] : undefined;
}

function defaultOptions(): Required<TsBackendOptions> {
  const off = (env('KERAS_TS_DISABLE') ?? '').split(',').map((s) => s.trim());
  const threads = env('KERAS_TS_THREADS');
  return {
    fuseElementwise: !off.includes('fusion') && canGenerateCode(),
    epilogues: !off.includes('epilogues'),
    depthwiseKernel: !off.includes('depthwise'),
    convPacking: !off.includes('conv-packing'),
    threads: threads ? checkThreads(Number(threads), `the environment variable KERAS_TS_THREADS ('${threads}')`) : defaultThreads(),
  };
}

/** `threads` if it is a whole number >= 1 that this platform can use. */
function checkThreads(threads: number, where: string): number {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new KerasValueError(`backend-ts: ${where} must be a whole number >= 1 (1 = no worker threads), got ${threads}`);
  }
  const why = threads > 1 ? whyNoThreads() : null;
  if (why) throw new KerasNotImplementedError(`backend-ts: ${where} is ${threads}, but worker threads cannot be used here: ${why}; pass threads: 1`);
  return threads;
}

/** The pure-TypeScript backend. */
export class TsBackend implements Backend {
  readonly name = 'ts';
  readonly options: Required<TsBackendOptions>;
  readonly kernels: KernelRegistry<Kernel>;
  readonly capabilities: Capabilities;

  constructor(options: TsBackendOptions = {}) {
    const defaults = defaultOptions();
    this.options = {
      fuseElementwise: options.fuseElementwise ?? defaults.fuseElementwise,
      epilogues: options.epilogues ?? defaults.epilogues,
      depthwiseKernel: options.depthwiseKernel ?? defaults.depthwiseKernel,
      convPacking: options.convPacking ?? defaults.convPacking,
      threads: options.threads === undefined ? defaults.threads : checkThreads(options.threads, "createTsBackend's option 'threads'"),
    };
    const fused = Object.keys(fusedKernels);
    const exclude = [
      ...(this.options.depthwiseKernel ? [] : ['depthwise_conv', 'fused_depthwise_conv']),
      ...(this.options.epilogues && this.options.fuseElementwise ? [] : fused),
    ];
    this.kernels = tsKernels(exclude);
    this.capabilities = {
      dtypes: ['float32', 'int32', 'bool'],
      training: true,
      fusedKernels: this.kernels.names().filter((op) => getOp(op).kind === 'composite'),
      sync: true,
    };
  }

  compile(graph: Graph): TsExecutable {
    return new TsExecutable(graph, this.kernels, this.options);
  }

  /**
   * Resolves once this backend's worker threads are loaded. They start with the first large
   * kernel call (which, like every call until then, runs on the calling thread); awaiting this
   * first makes every large call use them.
   * @example
   * const backend = createTsBackend({ threads: 2 });
   * await backend.threadsReady();
   */
  threadsReady(): Promise<void> {
    return threadsReady(this.options.threads);
  }
}

/**
 * Creates the pure-TypeScript backend; every optimization is on unless `options` (or
 * KERAS_TS_DISABLE) turns it off.
 * @example
 * const backend = createTsBackend({ fuseElementwise: false });
 * setBackend(backend); // @keras-ts/keras
 */
export function createTsBackend(options: TsBackendOptions = {}): TsBackend {
  return new TsBackend(options);
}

export { TsExecutable, tsProfile, resetTsProfile, type ExecutorOptions } from './executor.js';
export type { Epilogue, Kernel, KernelContext, KernelTable } from './kernel.js';
