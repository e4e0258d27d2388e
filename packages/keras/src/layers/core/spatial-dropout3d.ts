import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization.js';
import { parseArgs } from '../../engine/layer.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { checkRank, zDataFormat, type DataFormat } from './utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `SpatialDropout3D` (each is documented on its schema, `SpatialDropout3DArgs`). */
export interface SpatialDropout3DArgs extends DropoutArgs, z.input<typeof SpatialDropout3DArgs> {
  noiseShape?: null;
}

const SpatialDropout3DArgs = z.looseObject({
  /** `channels_last` (default) or `channels_first`. */
  dataFormat: zDataFormat,
});

/**
 * Dropout of whole feature maps of a 3D input: in training each channel of each sample is kept
 * or dropped at every position at once (scaled by 1 / (1 - rate)).
 *
 * @example
 * const layer = new SpatialDropout3D({ rate: 0.2 });
 * layer.apply(Input({ shape: [8, 8, 8, 4] }));
 */
export class SpatialDropout3D extends Dropout {
  static override readonly className: string = 'SpatialDropout3D';
  static override readonly argsSchema: ArgsDeclaration = SpatialDropout3DArgs;
  readonly dataFormat: DataFormat;

  constructor(args: SpatialDropout3DArgs) {
    super(args);
    if (this.noiseShape) throw new Error(`${this.label}: argument 'noise_shape' must be null; the layer drops whole channels`);
    this.dataFormat = parseArgs(SpatialDropout3DArgs, args, this.label).dataFormat ?? 'channels_last';
  }

  protected override noiseShapeFor(x: Sym): number[] {
    checkRank(this.label, x, 5, this.dataFormat === 'channels_last' ? 'batch, dim1, dim2, dim3, channels' : 'batch, channels, dim1, dim2, dim3');
    return this.dataFormat === 'channels_last' ? [x.shape[0], 1, 1, 1, x.shape[4]] : [x.shape[0], x.shape[1], 1, 1, 1];
  }

  /** Keras 2 writes Dropout's keys only; `data_format` is added when it is not the default. */
  override getConfig(): Record<string, unknown> {
    const c = super.getConfig();
    if (this.dataFormat !== 'channels_last') c.data_format = this.dataFormat;
    return c;
  }
}

registerClass('layer', SpatialDropout3D);
