import type { OpCase } from '../case';

export const slicingCases: OpCase[] = [];
