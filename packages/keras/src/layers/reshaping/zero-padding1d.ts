import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank, toTuple, zDataFormat, zIntTuple, type DataFormat } from '../core/utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `ZeroPadding1D` (each is documented on its schema, `ZeroPadding1DArgs`). */
export interface ZeroPadding1DArgs extends LayerArgs, z.input<typeof ZeroPadding1DArgs> {}

const ZeroPadding1DArgs = z.looseObject({
  /** Zeros to add at the start and the end of the steps axis: an int (both) or [start, end]; default 1. */
  padding: zIntTuple(2).default(1),
  /** Keras 3 argument: `channels_last` (default) or `channels_first`. */
  dataFormat: zDataFormat,
});

/**
 * Pads a sequence `[batch, steps, features]` with zeros along the steps axis.
 *
 * @example
 * const y = new ZeroPadding1D({ padding: [1, 2] }).apply(Input({ shape: [4, 2] })); // [null, 7, 2]
 */
export class ZeroPadding1D extends Layer {
  static override readonly className = 'ZeroPadding1D';
  static override readonly argsSchema: ArgsDeclaration = ZeroPadding1DArgs;
  readonly padding: [number, number];
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding1DArgs = {}) {
    super(args);
    const a = parseArgs(ZeroPadding1DArgs, args, `ZeroPadding1D '${this.name}'`);
    this.padding = toTuple(a.padding, 2) as [number, number];
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 3, this.dataFormat === 'channels_last' ? 'batch, steps, features' : 'batch, features, steps');
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0]];
    pads[this.dataFormat === 'channels_last' ? 1 : 2] = [...this.padding];
    return ops.pad(x, pads);
  }

  /** Keras 2 writes `padding` only; `data_format` is added when it is not the default. */
  override getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { ...super.getConfig(), padding: [...this.padding] };
    if (this.dataFormat !== 'channels_last') c.data_format = this.dataFormat;
    return c;
  }
}
