import type { OpCase } from '../case';

export const resizeCases: OpCase[] = [];
