import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization.js';
import { parseArgs } from '../../engine/layer.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { checkRank, zDataFormat, type DataFormat } from './utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `SpatialDropout2D` (each is documented on its schema, `SpatialDropout2DArgs`). */
export interface SpatialDropout2DArgs extends DropoutArgs, z.input<typeof SpatialDropout2DArgs> {
  noiseShape?: null;
}

const SpatialDropout2DArgs = z.looseObject({
  /** `channels_last` (default) or `channels_first`. */
  dataFormat: zDataFormat,
});

/**
 * Dropout of whole feature maps of a 2D input: in training each channel of each sample is kept
 * or dropped at every position at once (scaled by 1 / (1 - rate)).
 *
 * @example
 * const layer = new SpatialDropout2D({ rate: 0.2 });
 * layer.apply(Input({ shape: [32, 32, 16] }));
 */
export class SpatialDropout2D extends Dropout {
  static override readonly className: string = 'SpatialDropout2D';
  static override readonly argsSchema: ArgsDeclaration = SpatialDropout2DArgs;
  readonly dataFormat: DataFormat;

  constructor(args: SpatialDropout2DArgs) {
    super(args);
    if (this.noiseShape) throw new Error(`${this.label}: argument 'noise_shape' must be null; the layer drops whole channels`);
    this.dataFormat = parseArgs(SpatialDropout2DArgs, args, this.label).dataFormat ?? 'channels_last';
  }

  protected override noiseShapeFor(x: Sym): number[] {
    checkRank(this.label, x, 4, this.dataFormat === 'channels_last' ? 'batch, rows, cols, channels' : 'batch, channels, rows, cols');
    return this.dataFormat === 'channels_last' ? [x.shape[0], 1, 1, x.shape[3]] : [x.shape[0], x.shape[1], 1, 1];
  }

  /** Keras 2 writes Dropout's keys only; `data_format` is added when it is not the default. */
  override getConfig(): Record<string, unknown> {
    const c = super.getConfig();
    if (this.dataFormat !== 'channels_last') c.data_format = this.dataFormat;
    return c;
  }
}

registerClass('layer', SpatialDropout2D);
