import type { KernelTable } from '../kernel';

export const poolKernels: KernelTable = {};
