import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank, toPairs, zDataFormat, zPairs, type DataFormat } from '../core/utils.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

export interface ZeroPaddingNDArgs extends LayerArgs {
  /** Zeros to add per spatial axis: an int (all sides), one int per axis (symmetric), or [before, after] per axis; default 1. */
  padding?: number | readonly (number | readonly [number, number])[];
  dataFormat?: DataFormat | null;
}

/** What ZeroPadding2D and ZeroPadding3D share: `rank` spatial axes padded with [before, after] zeros. */
export abstract class ZeroPaddingND extends Layer {
  static override readonly argsSchema: ArgsDeclaration = argKeys('padding', 'dataFormat');
  readonly padding: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(
    args: ZeroPaddingNDArgs,
    private readonly rank: number,
  ) {
    super(args);
    const a = parseArgs(z.looseObject({ padding: zPairs(rank).default(1), dataFormat: zDataFormat }), args, `${this.className} '${this.name}'`);
    this.padding = toPairs(a.padding, rank);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, this.rank + 2, this.dataFormat);
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const pads = x.shape.map(() => [0, 0] as [number, number]);
    this.padding.forEach((p, i) => (pads[first + i] = [...p]));
    return ops.pad(x, pads);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), data_format: this.dataFormat };
  }
}
