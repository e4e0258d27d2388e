import type { KernelTable } from '../kernel';

export const slicingKernels: KernelTable = {};
