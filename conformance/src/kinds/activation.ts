import { Tensor, getActivation, runActivation } from '@keras-ts/keras';
import { compare, fromGolden, type GoldenTensor } from '../compare.js';
import type { KindRunner } from './context.js';

/** `activation`: apply the activation by name to the input. */
export const runActivationCase: KindRunner = async (c, ctx) => {
  const [x] = c.inputs as GoldenTensor[];
  const f = getActivation(c.activation as string);
  const y = await runActivation(f, Tensor.from(fromGolden(x)));
  compare('output', y, (c.outputs as GoldenTensor[])[0], ctx.tolerance, ctx.errors);
};
