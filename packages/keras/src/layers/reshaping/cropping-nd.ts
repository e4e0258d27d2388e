import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank, toPairs, zDataFormat, zPairs, type DataFormat } from '../core/utils.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

export interface CroppingNDArgs extends LayerArgs {
  /** Amount to remove per spatial axis: an int (all sides), one int per axis (symmetric), or [before, after] per axis. */
  cropping?: number | readonly (number | readonly [number, number])[];
  dataFormat?: DataFormat | null;
}

/** What Cropping2D and Cropping3D share: `rank` spatial axes cropped by [before, after] pairs. */
export abstract class CroppingND extends Layer {
  static override readonly argsSchema: ArgsDeclaration = argKeys('cropping', 'dataFormat');
  readonly cropping: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(
    args: CroppingNDArgs,
    private readonly rank: number,
    defaultCropping: number,
  ) {
    super(args);
    const a = parseArgs(z.looseObject({ cropping: zPairs(rank).default(defaultCropping), dataFormat: zDataFormat }), args, `${this.className} '${this.name}'`);
    this.cropping = toPairs(a.cropping, rank);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, this.rank + 2, this.dataFormat);
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const begin = x.shape.map(() => 0);
    const size = x.shape.map(() => -1);
    this.cropping.forEach(([b, e], i) => {
      const d = x.shape[first + i];
      if (b + e >= d) throw new KerasShapeError(`${this.label}: cropping ${JSON.stringify(this.cropping)} removes all ${d} entries of axis ${first + i} of the input of shape ${fmtShape(x.shape)}`);
      begin[first + i] = b;
      size[first + i] = d - b - e;
    });
    return ops.slice(x, begin, size);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), data_format: this.dataFormat };
  }
}
