import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer.js';
import { fmtSymbolic } from '../core/utils.js';
import type { Variable } from '../../engine/variable.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const PReLUArgs = z.looseObject({
  /** Initializer of the slopes (default `'zeros'`). */
  alphaInitializer: zOptionalIdentifier,
  alphaRegularizer: zOptionalIdentifier,
  alphaConstraint: zOptionalIdentifier,
  /** Axes (1-based, the batch axis is 0) along which one slope is shared, e.g. `[1, 2]` for images. */
  sharedAxes: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).nullable().optional(),
});

/** The arguments of `PReLU` (each is documented on its schema, `PReLUArgs`). */
export interface PReLUArgs extends LayerArgs, z.input<typeof PReLUArgs> {}

/**
 * Parametric ReLU: `x` for `x > 0`, `alpha * x` otherwise, with a learned slope per position
 * (shared along `sharedAxes`).
 *
 * @example
 * const layer = new PReLU({ sharedAxes: [1, 2] }); // one slope per channel of an image
 */
export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  static override readonly argsSchema: ArgsDeclaration = PReLUArgs;
  readonly alphaInitializer;
  readonly alphaRegularizer;
  readonly alphaConstraint;
  readonly sharedAxes: number[] | null;
  alpha!: Variable;

  constructor(args: PReLUArgs = {}) {
    super(args);
    const a = parseArgs(PReLUArgs, args, `PReLU '${this.name}'`);
    this.alphaInitializer = toInitializer(a.alphaInitializer, 'zeros');
    this.alphaRegularizer = toRegularizer(a.alphaRegularizer);
    this.alphaConstraint = toConstraint(a.alphaConstraint);
    this.sharedAxes = a.sharedAxes === null || a.sharedAxes === undefined ? null : typeof a.sharedAxes === 'number' ? [a.sharedAxes] : [...a.sharedAxes];
    this.supportsMasking = true;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const param = shape.slice(1).map((d) => d);
    for (const ax of this.sharedAxes ?? []) {
      if (ax >= shape.length) throw new KerasValueError(`${this.label}: shared axis ${ax} is out of range for inputs of shape ${fmtSymbolic(shape)} (axes 1..${shape.length - 1})`);
      param[ax - 1] = 1;
    }
    param.forEach((d, i) => {
      if (d === null) throw new KerasShapeError(`${this.label}: axis ${i + 1} of the input shape ${fmtSymbolic(shape)} must be known (or listed in shared_axes)`);
    });
    this.alpha = this.addWeight({ name: 'alpha', shape: param as number[], initializer: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint });
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const want = this.alpha.shape;
    const ok = x.rank === want.length + 1 && want.every((d, i) => d === 1 || d === x.shape[i + 1]);
    if (!ok) throw new KerasShapeError(`${this.label} was built for slopes of shape ${fmtShape(want)}; it cannot take inputs of shape ${fmtShape(x.shape)}`);
    return ops.sub(ops.relu(x), ops.mul(this.alpha.read(), ops.relu(ops.neg(x))));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha_initializer: serialize(this.alphaInitializer),
      alpha_regularizer: serializeOptional(this.alphaRegularizer),
      alpha_constraint: serializeOptional(this.alphaConstraint),
      shared_axes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }
}
