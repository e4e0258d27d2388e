import type { OpCase } from '../case';

export const indexingCases: OpCase[] = [];
