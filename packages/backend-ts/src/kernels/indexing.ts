import type { KernelTable } from '../kernel';

export const indexingKernels: KernelTable = {};
