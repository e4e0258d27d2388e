import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank } from '../core/utils.js';
import { repeatElements } from './repeat.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `UpSampling1D` (each is documented on its schema, `UpSampling1DArgs`). */
export interface UpSampling1DArgs extends LayerArgs, z.input<typeof UpSampling1DArgs> {}

const UpSampling1DArgs = z.looseObject({
  /** How many times each step is repeated (default 2). */
  size: z.number().int().positive().default(2),
});

/**
 * Repeats each step of a sequence `[batch, steps, features]` `size` times.
 *
 * @example
 * const y = new UpSampling1D({ size: 3 }).apply(Input({ shape: [4, 2] })); // [null, 12, 2]
 */
export class UpSampling1D extends Layer {
  static override readonly className = 'UpSampling1D';
  static override readonly argsSchema: ArgsDeclaration = UpSampling1DArgs;
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    super(args);
    this.size = parseArgs(UpSampling1DArgs, args, `UpSampling1D '${this.name}'`).size;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 3, 'batch, steps, features');
    return repeatElements(x, this.size, 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}
