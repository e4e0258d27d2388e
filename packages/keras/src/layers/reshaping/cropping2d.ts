import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer';
import { checkRank, toPairs, zDataFormat, zPairs, type DataFormat } from '../core/utils';

export interface Cropping2DArgs extends LayerArgs {
  /** Amount to remove from rows and columns: an int (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]; default 0. */
  cropping?: number | readonly (number | readonly [number, number])[];
  dataFormat?: DataFormat | null;
}

/**
 * Crops the 2 spatial axes of its input.
 *
 * @example
 * const y = new Cropping2D({ cropping: [[2, 2], [4, 4]] }).apply(Input({ shape: [28, 28, 3] })); // [null, 24, 20, 3]
 */
export class Cropping2D extends Layer {
  static override readonly className = 'Cropping2D';
  readonly cropping: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(args: Cropping2DArgs = {}) {
    super(args);
    const a = parseArgs(z.looseObject({ cropping: zPairs(2).default(0), dataFormat: zDataFormat }), args, `Cropping2D '${this.name}'`);
    this.cropping = toPairs(a.cropping, 2);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 2 + 2, this.dataFormat);
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const begin = x.shape.map(() => 0);
    const size = x.shape.map(() => -1);
    this.cropping.forEach(([b, e], i) => {
      const d = x.shape[first + i];
      if (b + e >= d) throw new Error(`${this.label}: cropping ${JSON.stringify(this.cropping)} removes all ${d} entries of axis ${first + i} of the input of shape ${fmtShape(x.shape)}`);
      begin[first + i] = b;
      size[first + i] = d - b - e;
    });
    return ops.slice(x, begin, size);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), data_format: this.dataFormat };
  }
}

registerClass('layer', Cropping2D);
