/**
 * @keras-ts/backend-ts: the spec's op set in pure TypeScript on typed arrays.
 *
 * @example
 * import { createTsBackend } from '@keras-ts/backend-ts';
 * import { trace, ops } from '@keras-ts/spec';
 * const backend = createTsBackend();
 * const exe = backend.compile(trace((x) => ops.relu(x), [{ shape: [3], dtype: 'float32' }]));
 * const [y] = exe.runSync!([{ shape: [3], dtype: 'float32', data: new Float32Array([-1, 0, 2]) }]);
 */
import { getOp, KernelRegistry, type Backend, type Capabilities, type Graph } from '@keras-ts/spec';
import { TsExecutable } from './executor';
import type { Kernel, KernelTable } from './kernel';
import { convKernels } from './kernels/conv';
import { elementwiseKernels } from './kernels/elementwise';
import { indexingKernels } from './kernels/indexing';
import { layoutKernels } from './kernels/layout';
import { matmulKernels } from './kernels/matmul';
import { nnKernels } from './kernels/nn';
import { poolKernels } from './kernels/pool';
import { reduceKernels } from './kernels/reduce';
import { resizeKernels } from './kernels/resize';
import { slicingKernels } from './kernels/slicing';
import { sourceKernels } from './kernels/source';

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

/** The registry of every backend-ts kernel (fails at load on a duplicate name). */
export function tsKernels(): KernelRegistry<Kernel> {
  const reg = new KernelRegistry<Kernel>('backend-ts');
  for (const table of TABLES) for (const [op, k] of Object.entries(table)) reg.register(op, k);
  return reg;
}

/** The pure-TypeScript backend. */
export class TsBackend implements Backend {
  readonly name = 'ts';
  readonly kernels = tsKernels();
  readonly capabilities: Capabilities = {
    dtypes: ['float32', 'int32', 'bool'],
    training: true,
    fusedKernels: this.kernels.names().filter((op) => getOp(op).kind === 'composite'),
    sync: true,
  };

  compile(graph: Graph): TsExecutable {
    return new TsExecutable(graph, this.kernels);
  }
}

export function createTsBackend(): TsBackend {
  return new TsBackend();
}

export { TsExecutable } from './executor';
export type { Kernel, KernelContext, KernelTable } from './kernel';
