import type { KernelTable } from '../kernel';

export const resizeKernels: KernelTable = {};
