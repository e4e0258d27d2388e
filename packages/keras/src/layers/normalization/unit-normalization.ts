import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { validateAxes, zAxisArg } from './axes.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const UnitNormalizationArgs = z.looseObject({
  /** The axis or axes whose L2 norm becomes 1 (default -1). */
  axis: zAxisArg.default(-1),
});

/** The arguments of `UnitNormalization` (each is documented on its schema, `UnitNormalizationArgs`). */
export interface UnitNormalizationArgs extends LayerArgs, z.input<typeof UnitNormalizationArgs> {}

/**
 * Scales each sample so that its L2 norm over `axis` is 1:
 * `x / sqrt(max(sum(x^2), 1e-12))` (as `tf.math.l2_normalize`).
 *
 * @example
 * const y = new UnitNormalization().apply(tensor([[3, 4]])); // [[0.6, 0.8]]
 */
export class UnitNormalization extends Layer {
  static override readonly className = 'UnitNormalization';
  static override readonly argsSchema: ArgsDeclaration = UnitNormalizationArgs;
  /** The axis argument; after `build`, the resolved list of non-negative axes (as Keras 2). */
  axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    const a = parseArgs(UnitNormalizationArgs, args, `UnitNormalization '${this.name}'`);
    this.axis = typeof a.axis === 'number' ? a.axis : [...a.axis];
    this.supportsMasking = true;
  }

  override build(inputShape: InputShape): void {
    this.axis = validateAxes(this.label, this.axis, inputShape as SymbolicShape);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const axes = validateAxes(this.label, this.axis, x.shape);
    return ops.mul(x, ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axes, true), 1e-12)));
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    return inputShape as SymbolicShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
