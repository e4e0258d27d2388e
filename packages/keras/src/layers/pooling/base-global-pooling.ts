import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type InputShape, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { fmtSymShape, normalizeDataFormat, zDataFormatArg } from '../convolutional/conv-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const GlobalPoolingArgs = z.looseObject({
  /** Only 'channels_last' (the default) is supported. */
  dataFormat: zDataFormatArg,
  /** Keep the spatial axes with length 1 (default false: they are removed). */
  keepdims: z.boolean().default(false),
});

/** The arguments of the global pooling layers. */
export interface GlobalPoolingArgs extends LayerArgs, z.input<typeof GlobalPoolingArgs> {}

/**
 * The base of GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D: each channel of a
 * channels-last input [batch, ...spatial, channels] is reduced over all the spatial axes.
 */
export abstract class GlobalPooling extends Layer {
  static override readonly argsSchema: ArgsDeclaration = GlobalPoolingArgs;
  /** The number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  readonly dataFormat = 'channels_last' as const;
  readonly keepdims: boolean;

  constructor(rank: number, args: GlobalPoolingArgs) {
    super(args);
    const what = this.label;
    const a = parseArgs(GlobalPoolingArgs, args, what);
    this.rank = rank;
    normalizeDataFormat(a.dataFormat, what);
    this.keepdims = a.keepdims;
  }

  /** The spatial axes, 1..rank. */
  protected get spatialAxes(): number[] {
    return Array.from({ length: this.rank }, (_, i) => i + 1);
  }

  /** The reduction over the spatial axes. */
  protected abstract reduce(x: Sym, ctx: CallContext): Sym;

  private checkShape(shape: SymbolicShape): void {
    if (shape.length !== this.rank + 2) {
      throw new KerasShapeError(`${this.label} expects inputs of rank ${this.rank + 2} ([batch, ...${this.rank} spatial axes, channels]), got shape ${fmtSymShape(shape)}`);
    }
    if (shape.slice(1, -1).some((d) => d === 0)) {
      throw new KerasShapeError(`${this.label}: the input shape ${fmtSymShape(shape)} has size 0 along a spatial axis it reduces`);
    }
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    if (Array.isArray(shape[0])) throw new KerasValueError(`${this.label} takes one input, got a list of ${shape.length} shapes`);
    this.checkShape(shape);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    this.checkShape(x.shape);
    return this.reduce(x, ctx);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shape = inputShape as SymbolicShape;
    this.checkShape(shape);
    const c = shape[shape.length - 1];
    return this.keepdims ? [shape[0], ...new Array<number>(this.rank).fill(1), c] : [shape[0], c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}
