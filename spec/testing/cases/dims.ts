import type { OpCase } from '../case';

export const dimsCases: OpCase[] = [];
