import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { AffineNormalization, zAffineArgs, type AffineNormalizationArgs } from './affine-normalization.js';
import { knownDims, validateAxes, zAxisArg } from './axes.js';
import { batchNormalize } from './math.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const LayerNormalizationArgs = z.looseObject({
  /** The axis or axes to normalize over (default -1); gamma and beta have their sizes. */
  axis: zAxisArg.default(-1),
  ...zAffineArgs(),
  // Keras 3 only; read at its neutral value.
  rmsScaling: z.literal(false, { error: 'rms_scaling (Keras 3) is not supported; expected false' }).optional(),
});

/** The arguments of {@link LayerNormalization}. */
export interface LayerNormalizationArgs extends AffineNormalizationArgs, z.input<typeof LayerNormalizationArgs> {}

/**
 * Normalizes each sample over `axis` (the last by default) to mean 0 and variance 1, then scales
 * by `gamma` and shifts by `beta` (both shaped like the normalized axes). The same in training
 * and inference.
 *
 * @example
 * const ln = new LayerNormalization({ axis: [1, 2] });
 * const y = ln.apply(Input({ shape: [3, 4] })); // gamma and beta are [3, 4]
 */
export class LayerNormalization extends AffineNormalization {
  static override readonly className = 'LayerNormalization';
  static override readonly argsSchema: ArgsDeclaration = LayerNormalizationArgs;
  /** The axis argument; after `build`, the resolved list of non-negative axes (as Keras 2). */
  axis: number | number[];

  constructor(args: LayerNormalizationArgs = {}) {
    let a!: z.output<typeof LayerNormalizationArgs>;
    super(args, (what) => (a = parseArgs(LayerNormalizationArgs, args, what)));
    this.axis = typeof a.axis === 'number' ? a.axis : [...a.axis];
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const axes = validateAxes(this.label, this.axis, shape);
    const dims = knownDims(this.label, axes, shape);
    this.axis = axes;
    this.addAffineWeights(shape, dims);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const axes = this.axis as number[];
    this.checkBuiltFor(x, axes);
    // As Keras 2, the weights are reshaped (not transposed) into the broadcast shape.
    const toB = this.broadcaster(x, axes);
    const [mean, variance] = ops.moments(x, axes, true);
    return batchNormalize(x, mean, variance, this.beta ? toB(this.beta.read()) : null, this.gamma ? toB(this.gamma.read()) : null, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis, ...this.affineConfig() };
  }
}
