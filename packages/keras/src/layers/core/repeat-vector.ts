import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank } from './utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `RepeatVector` (each is documented on its schema, `RepeatVectorArgs`). */
export interface RepeatVectorArgs extends LayerArgs, z.input<typeof RepeatVectorArgs> {}

const RepeatVectorArgs = z.looseObject({
  /** Number of repetitions. */
  n: z.number().int().nonnegative(),
});

/**
 * Repeats a `[batch, features]` input `n` times: `[batch, n, features]`.
 *
 * @example
 * const y = new RepeatVector({ n: 3 }).apply(Input({ shape: [32] })); // [null, 3, 32]
 */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  static override readonly argsSchema: ArgsDeclaration = RepeatVectorArgs;
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    this.n = parseArgs(RepeatVectorArgs, args, `RepeatVector '${this.name}'`).n;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 2, 'batch, features');
    return ops.broadcastTo(ops.expandDims(x, 1), [x.shape[0], this.n, x.shape[1]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
