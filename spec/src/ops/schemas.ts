import { z } from 'zod';

/** Zod schemas shared by op attribute declarations. */
export const zDType = z.enum(['float32', 'int32', 'bool']);
export const zShape = z.array(z.number().int().nonnegative());
export const zAxes = z.array(z.number().int());
