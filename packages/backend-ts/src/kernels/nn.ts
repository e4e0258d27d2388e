import type { KernelTable } from '../kernel';

export const nnKernels: KernelTable = {};
