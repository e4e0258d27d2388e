import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank, toTuple, zIntTuple } from '../core/utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

/** The arguments of `Cropping1D` (each is documented on its schema, `Cropping1DArgs`). */
export interface Cropping1DArgs extends LayerArgs, z.input<typeof Cropping1DArgs> {}

const Cropping1DArgs = z.looseObject({
  /** Steps to remove at the start and the end: an int (both) or [start, end]; default [1, 1]. */
  cropping: zIntTuple(2).default([1, 1]),
});

/**
 * Crops a sequence `[batch, steps, features]` along the steps axis.
 *
 * @example
 * const y = new Cropping1D({ cropping: [1, 2] }).apply(Input({ shape: [6, 2] })); // [null, 3, 2]
 */
export class Cropping1D extends Layer {
  static override readonly className = 'Cropping1D';
  static override readonly argsSchema: ArgsDeclaration = Cropping1DArgs;
  readonly cropping: [number, number];

  constructor(args: Cropping1DArgs = {}) {
    super(args);
    const a = parseArgs(Cropping1DArgs, args, `Cropping1D '${this.name}'`);
    this.cropping = toTuple(a.cropping, 2) as [number, number];
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 3, 'batch, steps, features');
    const [b, e] = this.cropping;
    if (b + e >= x.shape[1]) throw new KerasShapeError(`${this.label}: cropping [${b}, ${e}] removes all ${x.shape[1]} steps of the input of shape ${fmtShape(x.shape)}`);
    return ops.slice(x, [0, b, 0], [-1, x.shape[1] - b - e, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }
}
