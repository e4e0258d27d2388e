/**
 * `@keras-ts/backend-tfjs`: the spec's op set on `@tensorflow/tfjs` 4.22 (`cpu` and `wasm` in Node).
 *
 * @example
 * import { createTfjsBackend } from '@keras-ts/backend-tfjs';
 * import { trace, ops } from '@keras-ts/spec';
 * const backend = await createTfjsBackend({ backend: 'wasm' });
 * const exe = backend.compile(trace((x) => ops.relu(x), [{ shape: [3], dtype: 'float32' }]));
 * const [y] = exe.runSync!([{ shape: [3], dtype: 'float32', data: new Float32Array([-1, 0, 2]) }]);
 *
 * @module \@keras-ts/backend-tfjs
 */
import { getOp, KernelRegistry, type Backend, type Capabilities, type Graph, type TensorInterop, KerasValueError } from '@keras-ts/spec';
import { TfjsExecutable } from './executable.js';
import { tfjsInterop } from './interop.js';
import type { Kernel, KernelTable, TfjsBackendName } from './kernel.js';
import { convKernels } from './kernels/conv.js';
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
import { initBackend } from './setup.js';

const TABLES: readonly KernelTable[] = [
  elementwiseKernels,
  layoutKernels,
  reduceKernels,
  sourceKernels,
  matmulKernels,
  slicingKernels,
  indexingKernels,
  convKernels,
  poolKernels,
  resizeKernels,
  nnKernels,
];

/**
 * The registry of every backend-tfjs kernel (fails at load on a duplicate name); with `fused`
 * false, without the kernels of the fused ops the spec's passes make (the passes then do not run).
 */
export function tfjsKernels(fused = true): KernelRegistry<Kernel> {
  const reg = new KernelRegistry<Kernel>('backend-tfjs');
  for (const table of TABLES) for (const [op, k] of Object.entries(table)) reg.register(op, k);
  if (fused) for (const [op, k] of Object.entries(fusedKernels((name) => reg.get(name)))) reg.register(op, k);
  return reg;
}

/** Options of {@link createTfjsBackend}. */
export interface TfjsBackendOptions {
  /**
   * The tfjs backend to run on: 'cpu' (plain JavaScript), 'wasm' (XNNPACK), and in a browser
   * 'webgl' or 'webgpu' (when the browser has it). Default 'cpu'.
   */
  readonly backend?: TfjsBackendName;
  /** Where tfjs' wasm backend loads its .wasm files from (a folder ending in '/'); default on Node: the installed package. */
  readonly wasmPaths?: string;
  /**
   * Register the kernels of the fused ops the spec's passes make: matmul/conv + bias +
   * relu/sigmoid as tf.fused ops, inference batch norms as tf.batchNorm (default true).
   */
  readonly fuse?: boolean;
}

/**
 * The spec's op set on a tfjs backend, named 'tfjs-cpu' or 'tfjs-wasm'. tfjs has one active
 * backend per process: each compile and run switches to this backend's (synchronously).
 */
export class TfjsBackend implements Backend {
  readonly name: string;
  readonly kernels: KernelRegistry<Kernel>;
  readonly capabilities: Capabilities;
  /** tf.Tensors in and out: models on this backend take them in fit, evaluate and predict. */
  readonly interop: TensorInterop;
  private readonly live = new Set<TfjsExecutable>();

  /** Use {@link createTfjsBackend}, which initializes the tfjs backend first. */
  constructor(
    readonly tfjsBackend: TfjsBackendName,
    options: TfjsBackendOptions = {},
  ) {
    this.name = `tfjs-${tfjsBackend}`;
    this.kernels = tfjsKernels(options.fuse ?? true);
    this.interop = tfjsInterop(tfjsBackend);
    this.capabilities = {
      dtypes: ['float32', 'int32', 'bool'],
      training: true,
      fusedKernels: this.kernels.names().filter((op) => getOp(op).kind === 'composite'),
      sync: true,
    };
  }

  compile(graph: Graph): TfjsExecutable {
    const exe = new TfjsExecutable(graph, this.kernels, this.tfjsBackend, (e) => this.live.delete(e));
    this.live.add(exe);
    return exe;
  }

  /** Number of executables not yet disposed. */
  get liveExecutables(): number {
    return this.live.size;
  }

  /** Disposes every executable this backend compiled (and the tensors they hold). */
  dispose(): void {
    for (const e of [...this.live]) e.dispose();
  }
}

/** The tfjs backends {@link createTfjsBackend} accepts. */
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

/**
 * Initializes tfjs' `cpu`, `wasm`, `webgl` or `webgpu` backend (the wasm binaries are read from the installed
 * @tensorflow/tfjs-backend-wasm) and returns a spec Backend running on it.
 */
export async function createTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  const name = options.backend ?? 'cpu';
  if (!TFJS_BACKENDS.includes(name)) throw new KerasValueError(`backend-tfjs: unknown tfjs backend '${String(name)}' (use ${TFJS_BACKENDS.map((b) => `'${b}'`).join(', ')})`);
  await initBackend(name, options.wasmPaths);
  return new TfjsBackend(name, options);
}

export { fromTf, isTfTensor, tfjsInterop, toTf } from './interop.js';
export { TfjsExecutable } from './executable.js';
export type { CompileContext, Kernel, KernelTable, RunFn, TfjsBackendName } from './kernel.js';
