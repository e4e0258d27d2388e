import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const ReshapeArgs = z.looseObject({
  /** The output shape without the batch axis; one entry may be -1 (inferred). */
  targetShape: z
    .array(z.number().int().refine((d) => d > 0 || d === -1, 'expected positive sizes or -1'))
    .refine((s) => s.filter((d) => d === -1).length <= 1, 'at most one dimension may be -1'),
});

/** The arguments of `Reshape` (each is documented on its schema, `ReshapeArgs`). */
export interface ReshapeArgs extends LayerArgs, z.input<typeof ReshapeArgs> {}

/**
 * Reshapes every sample to `targetShape` (the batch axis is kept).
 *
 * @example
 * const y = new Reshape({ targetShape: [3, -1] }).apply(Input({ shape: [6, 2] })); // [null, 3, 4]
 */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  static override readonly argsSchema: ArgsDeclaration = ReshapeArgs;
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    this.targetShape = [...parseArgs(ReshapeArgs, args, `Reshape '${this.name}'`).targetShape];
  }

  /** The target shape with the -1 resolved for a sample of `sampleShape`, or an error. */
  private resolve(sampleShape: readonly number[]): number[] {
    const out = [...this.targetShape];
    const original = sampleShape.reduce((a, b) => a * b, 1);
    const unknown = out.indexOf(-1);
    const known = out.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const bad = () =>
      new KerasShapeError(`${this.label}: cannot reshape a sample of shape ${fmtShape(sampleShape)} (${original} elements) to target_shape [${this.targetShape.join(', ')}]; the total size must be unchanged`);
    if (unknown >= 0) {
      if (known === 0 || original % known !== 0) throw bad();
      out[unknown] = original / known;
    } else if (original !== known) throw bad();
    return out;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    if (x.rank === 0) throw new KerasShapeError(`${this.label} expects inputs with a batch axis, got a scalar`);
    return ops.reshape(x, [x.shape[0], ...this.resolve(x.shape.slice(1))]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: [...this.targetShape] };
  }
}
