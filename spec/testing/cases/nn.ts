import type { OpCase } from '../case';

export const nnCases: OpCase[] = [];
