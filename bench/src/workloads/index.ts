/**
 * Model workloads: keras-ts on backend-ts against tfjs-layers on tfjs `cpu`, the same
 * architectures and weights. Each entry is built lazily (models are made in the first setup).
 */
import type { Workload } from './common';
import { lstmWorkload } from './lstm';
import { mnistWorkloads, type MnistOptions } from './mnist-models';
import { mobilenetWorkload } from './mobilenet';

export function modelWorkloads(o: MnistOptions = {}): Workload[] {
  return [...mnistWorkloads(o), lstmWorkload(), mobilenetWorkload()];
}

export type { Peer, Workload } from './common';
export { tsBackendSource } from './common';
