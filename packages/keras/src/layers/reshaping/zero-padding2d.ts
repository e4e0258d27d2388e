import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer';
import { checkRank, toPairs, zDataFormat, zPairs, type DataFormat } from '../core/utils';

export interface ZeroPadding2DArgs extends LayerArgs {
  /** Zeros to add to rows and columns: an int (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]; default 1. */
  padding?: number | readonly (number | readonly [number, number])[];
  dataFormat?: DataFormat | null;
}

/**
 * Pads the 2 spatial axes of its input with zeros.
 *
 * @example
 * const y = new ZeroPadding2D({ padding: [[1, 0], [2, 1]] }).apply(Input({ shape: [28, 28, 3] })); // [null, 29, 31, 3]
 */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  readonly padding: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    const a = parseArgs(z.looseObject({ padding: zPairs(2).default(1), dataFormat: zDataFormat }), args, `ZeroPadding2D '${this.name}'`);
    this.padding = toPairs(a.padding, 2);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 2 + 2, this.dataFormat);
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const pads = x.shape.map(() => [0, 0] as [number, number]);
    this.padding.forEach((p, i) => (pads[first + i] = [...p]));
    return ops.pad(x, pads);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), data_format: this.dataFormat };
  }
}

registerClass('layer', ZeroPadding2D);
