import type { OpCase } from '../case';

export const convCases: OpCase[] = [];
