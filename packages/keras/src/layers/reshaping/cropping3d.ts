import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer';
import { checkRank, toPairs, zDataFormat, zPairs, type DataFormat } from '../core/utils';

export interface Cropping3DArgs extends LayerArgs {
  /** Amount to remove from each spatial axis: an int (all sides), [d1, d2, d3] (symmetric), or [[before, after] x 3]; default 1. */
  cropping?: number | readonly (number | readonly [number, number])[];
  dataFormat?: DataFormat | null;
}

/**
 * Crops the 3 spatial axes of its input.
 *
 * @example
 * const y = new Cropping3D({ cropping: 1 }).apply(Input({ shape: [8, 8, 8, 1] })); // [null, 6, 6, 6, 1]
 */
export class Cropping3D extends Layer {
  static override readonly className = 'Cropping3D';
  readonly cropping: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(args: Cropping3DArgs = {}) {
    super(args);
    const a = parseArgs(z.looseObject({ cropping: zPairs(3).default(1), dataFormat: zDataFormat }), args, `Cropping3D '${this.name}'`);
    this.cropping = toPairs(a.cropping, 3);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 3 + 2, this.dataFormat);
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

registerClass('layer', Cropping3D);
