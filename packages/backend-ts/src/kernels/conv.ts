import type { KernelTable } from '../kernel';

export const convKernels: KernelTable = {};
