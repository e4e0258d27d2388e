import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const PermuteArgs = z.looseObject({
  /** A permutation of the non-batch axes, 1-based: `[2, 1]` swaps the first two. */
  dims: z
    .array(z.number().int())
    .min(1)
    .refine((d) => [...d].sort((a, b) => a - b).every((v, i) => v === i + 1), 'expected a permutation of 1..n (axes are 1-based; the batch axis 0 stays first)'),
});

/** The arguments of `Permute` (each is documented on its schema, `PermuteArgs`). */
export interface PermuteArgs extends LayerArgs, z.input<typeof PermuteArgs> {}

/**
 * Permutes the non-batch axes of its input.
 *
 * @example
 * const y = new Permute({ dims: [2, 1] }).apply(Input({ shape: [10, 64] })); // [null, 64, 10]
 */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  static override readonly argsSchema: ArgsDeclaration = PermuteArgs;
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    this.dims = [...parseArgs(PermuteArgs, args, `Permute '${this.name}'`).dims];
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    if (x.rank !== this.dims.length + 1) {
      throw new KerasShapeError(`${this.label} with dims [${this.dims.join(', ')}] expects inputs of rank ${this.dims.length + 1}, got shape ${fmtShape(x.shape)}`);
    }
    return ops.transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
