import type { OpCase } from '../case';

export const poolCases: OpCase[] = [];
