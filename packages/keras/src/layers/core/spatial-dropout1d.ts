import type { Sym } from '@keras-ts/spec';
import { Dropout, type DropoutArgs } from './dropout.js';
import { checkRank } from './utils.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

export interface SpatialDropout1DArgs extends DropoutArgs {
  noiseShape?: null;
}

/**
 * Dropout of whole feature maps of a sequence `[batch, steps, channels]`: in training each
 * channel of each sample is kept or dropped for every step at once (scaled by 1 / (1 - rate)).
 *
 * @example
 * const layer = new SpatialDropout1D({ rate: 0.2 });
 * layer.apply(Input({ shape: [10, 8] }));
 */
export class SpatialDropout1D extends Dropout {
  static override readonly className: string = 'SpatialDropout1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: SpatialDropout1DArgs) {
    super(args);
    if (this.noiseShape) throw new KerasValueError(`${this.label}: argument 'noise_shape' must be null; the layer drops whole channels (noise shape [batch, 1, channels])`);
  }

  protected override noiseShapeFor(x: Sym): number[] {
    checkRank(this.label, x, 3, 'batch, steps, channels');
    return [x.shape[0], 1, x.shape[2]];
  }
}
