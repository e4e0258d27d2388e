import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank, toChannelsFirst, toChannelsLast, toTuple, zDataFormat, zIntTuple, type DataFormat } from '../core/utils.js';
import { repeatElements } from './repeat.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasNotImplementedError, KerasValueError } from '../../errors.js';

const KERAS_INTERPOLATIONS = ['area', 'bicubic', 'bilinear', 'gaussian', 'lanczos3', 'lanczos5', 'mitchellcubic', 'nearest'];

/** The arguments of `UpSampling2D` (each is documented on its schema, `UpSampling2DArgs`). */
export interface UpSampling2DArgs extends LayerArgs, z.input<typeof UpSampling2DArgs> {}

const UpSampling2DArgs = z.looseObject({
  /** Factors for rows and columns: an int (both) or [rows, cols]; default [2, 2]. */
  size: zIntTuple(2, true).default(2),
  dataFormat: zDataFormat,
  /** `nearest` (default, repeats pixels) or `bilinear` (half-pixel centers, as TF 2's resize). */
  interpolation: z.string().default('nearest'),
});

/**
 * Upsamples images by integer factors along rows and columns.
 *
 * @example
 * const y = new UpSampling2D({ size: 2, interpolation: 'bilinear' }).apply(Input({ shape: [8, 8, 3] })); // [null, 16, 16, 3]
 */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  static override readonly argsSchema: ArgsDeclaration = UpSampling2DArgs;
  readonly size: [number, number];
  readonly dataFormat: DataFormat;
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    const a = parseArgs(
      UpSampling2DArgs,
      args,
      `UpSampling2D '${this.name}'`,
    );
    this.size = toTuple(a.size, 2) as [number, number];
    this.dataFormat = a.dataFormat ?? 'channels_last';
    if (a.interpolation !== 'nearest' && a.interpolation !== 'bilinear') {
      const known = KERAS_INTERPOLATIONS.includes(a.interpolation);
      throw new (known ? KerasNotImplementedError : KerasValueError)(
        `UpSampling2D '${this.name}': interpolation '${a.interpolation}' ${known ? 'is not supported by keras-ts' : 'is unknown'}; expected 'nearest' or 'bilinear'`,
      );
    }
    this.interpolation = a.interpolation;
  }

  override call(inputs: Sym | Sym[]): Sym {
    let x = inputs as Sym;
    checkRank(this.label, x, 4, this.dataFormat === 'channels_last' ? 'batch, rows, cols, channels' : 'batch, channels, rows, cols');
    if (this.dataFormat === 'channels_first') x = ops.transpose(x, toChannelsLast(4));
    let y: Sym;
    if (this.interpolation === 'nearest') y = repeatElements(repeatElements(x, this.size[0], 1), this.size[1], 2);
    else y = ops.resize(x, [x.shape[1] * this.size[0], x.shape[2] * this.size[1]], 'bilinear');
    return this.dataFormat === 'channels_first' ? ops.transpose(y, toChannelsFirst(4)) : y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], data_format: this.dataFormat, interpolation: this.interpolation };
  }
}
