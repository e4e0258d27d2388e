import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import {
  convOutputLength,
  fmtSymShape,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
  zDataFormatArg,
  zIntOrList,
  zPaddingArg,
} from '../convolutional/conv-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const PoolingArgs = z.looseObject({
  /** The window size: one integer for every spatial axis, or one per axis (default 2 per axis). */
  poolSize: zIntOrList.optional(),
  /** The step of the window; null (default) means `poolSize`. */
  strides: zIntOrList.nullable().optional(),
  /** 'valid' (default) or 'same' (TF: any extra padding at the end; padded positions are ignored). */
  padding: zPaddingArg.default('valid'),
  /** Only 'channels_last' (the default) is supported. */
  dataFormat: zDataFormatArg,
});

/** The arguments of the max and average pooling layers. */
export interface PoolingArgs extends LayerArgs, z.input<typeof PoolingArgs> {}

/**
 * The base of MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: a window slides over the spatial
 * axes of a channels-last input [batch, ...spatial, channels] and each channel is reduced over it.
 */
export abstract class Pooling extends Layer {
  static override readonly argsSchema: ArgsDeclaration = PoolingArgs;
  /** The number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat = 'channels_last' as const;

  constructor(rank: number, args: PoolingArgs) {
    super(args);
    const what = this.label;
    const a = parseArgs(PoolingArgs, args, what);
    this.rank = rank;
    this.poolSize = normalizeTuple(a.poolSize ?? 2, rank, 'poolSize', what);
    this.strides = a.strides === null || a.strides === undefined ? [...this.poolSize] : normalizeTuple(a.strides, rank, 'strides', what);
    this.padding = normalizePadding(a.padding, ['valid', 'same'], what) as 'valid' | 'same';
    normalizeDataFormat(a.dataFormat, what);
  }

  /** The pooling op over [batch, ...spatial, channels]. */
  protected abstract pool(x: Sym): Sym;

  private spatialOutputShape(spatial: SymbolicShape): (number | null)[] {
    return spatial.map((n, i) => convOutputLength(n, this.poolSize[i], this.padding, this.strides[i]));
  }

  private checkShape(shape: SymbolicShape): void {
    if (shape.length !== this.rank + 2) {
      throw new KerasShapeError(`${this.label} expects inputs of rank ${this.rank + 2} ([batch, ...${this.rank} spatial axes, channels]), got shape ${fmtSymShape(shape)}`);
    }
    const out = this.spatialOutputShape(shape.slice(1, -1));
    if (out.some((d) => d !== null && d <= 0)) {
      throw new KerasShapeError(
        `${this.label}: pool_size [${this.poolSize}] with padding '${this.padding}' is larger than the input's spatial shape ${fmtSymShape(shape.slice(1, -1))} ` +
          `(input shape ${fmtSymShape(shape)}); use padding 'same' or a smaller pool_size`,
      );
    }
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    if (Array.isArray(shape[0])) throw new KerasValueError(`${this.label} takes one input, got a list of ${shape.length} shapes`);
    this.checkShape(shape);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    this.checkShape(x.shape);
    return this.pool(x);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shape = inputShape as SymbolicShape;
    this.checkShape(shape);
    return [shape[0], ...this.spatialOutputShape(shape.slice(1, -1)), shape[shape.length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    // Keras 2 writes the 1D keys in another order than the 2D and 3D ones.
    const own: Record<string, unknown> =
      this.rank === 1
        ? { strides: [...this.strides], pool_size: [...this.poolSize], padding: this.padding, data_format: this.dataFormat }
        : { pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: this.dataFormat };
    return { ...super.getConfig(), ...own };
  }
}
