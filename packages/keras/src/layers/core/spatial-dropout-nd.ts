import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { checkRank, zDataFormat, type DataFormat } from './utils.js';

/** The arguments of `SpatialDropout2D` and `SpatialDropout3D` (each is documented on its schema, `SpatialDropoutNDArgs`). */
export interface SpatialDropoutNDArgs extends DropoutArgs, z.input<typeof SpatialDropoutNDArgs> {
  noiseShape?: null;
}

const SpatialDropoutNDArgs = z.looseObject({
  /** `channels_last` (default) or `channels_first`. */
  dataFormat: zDataFormat,
});

/**
 * What SpatialDropout2D and SpatialDropout3D share: dropout of whole feature maps of an input
 * with `spatial.length` spatial axes and a `dataFormat`, each channel of each sample kept or
 * dropped at every position at once (scaled by 1 / (1 - rate)).
 */
export abstract class SpatialDropoutND extends Dropout {
  static override readonly argsSchema: ArgsDeclaration = SpatialDropoutNDArgs;
  readonly dataFormat: DataFormat;
  /** The names of the spatial axes, for the rank check's message (`['rows', 'cols']`). */
  protected abstract readonly spatial: readonly string[];

  constructor(args: SpatialDropoutNDArgs) {
    super(args);
    if (this.noiseShape) throw new KerasValueError(`${this.label}: argument 'noise_shape' must be null; the layer drops whole channels`);
    this.dataFormat = parseArgs(SpatialDropoutNDArgs, args, this.label).dataFormat ?? 'channels_last';
  }

  protected override noiseShapeFor(x: Sym): number[] {
    const last = this.dataFormat === 'channels_last';
    const axes = last ? ['batch', ...this.spatial, 'channels'] : ['batch', 'channels', ...this.spatial];
    checkRank(this.label, x, axes.length, axes.join(', '));
    const ones = this.spatial.map(() => 1);
    return last ? [x.shape[0], ...ones, x.shape[x.rank - 1]] : [x.shape[0], x.shape[1], ...ones];
  }

  /** Keras 2 writes Dropout's keys only; `data_format` is added when it is not the default. */
  override getConfig(): Record<string, unknown> {
    const c = super.getConfig();
    if (this.dataFormat !== 'channels_last') c.data_format = this.dataFormat;
    return c;
  }
}
