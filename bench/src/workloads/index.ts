/**
 * The workloads of `pnpm bench`, in report order: two micro-benchmarks, then the model workloads
 * (each built with keras-ts on every backend of ours and with tfjs-layers on tfjs `cpu` and
 * `wasm`, the same architectures and weights), then the workloads of our API alone
 * (the batch methods against the loops' steps, threads). Models are built lazily, in the first setup.
 */
import { batchMethodWorkloads } from './batch-methods.js';
import type { Workload } from './common.js';
import { lstmTrainWorkload, lstmWorkload } from './lstm.js';
import { conv2dWorkload, matmulWorkload } from './micro.js';
import { mnistWorkloads, type MnistOptions } from './mnist-models.js';
import { inceptionWorkload } from './inception.js';
import { mobilenetWorkload } from './mobilenet.js';
import { threadsWorkloads } from './threads.js';

export function microWorkloads(): Workload[] {
  return [matmulWorkload(512, 512, 512), conv2dWorkload(1, 64, 64, 32, 3, 3, 32)];
}

export function modelWorkloads(o: MnistOptions = {}): Workload[] {
  return [
    ...mnistWorkloads(o),
    lstmWorkload(),
    lstmTrainWorkload(o.trainRuns),
    mobilenetWorkload(),
    // Keras' applications at their defaults: MobileNetV2 (alpha 1.0, 224x224) and InceptionV3 (299x299).
    mobilenetWorkload(1, 1),
    mobilenetWorkload(1, 8),
    inceptionWorkload(1),
    inceptionWorkload(8),
  ];
}

/** Workloads of our API alone, its peers on our backends against each other (not run by the profiling tools). */
export function apiWorkloads(): Workload[] {
  return [...batchMethodWorkloads(), ...threadsWorkloads()];
}

export type { Peer, Workload } from './common.js';
export { tsBackendSource } from './common.js';
