import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer';
import { checkRank, toPairs, zDataFormat, zPairs, type DataFormat } from '../core/utils';

export interface ZeroPadding3DArgs extends LayerArgs {
  /** Zeros to add to each spatial axis: an int (all sides), [d1, d2, d3] (symmetric), or [[before, after] x 3]; default 1. */
  padding?: number | readonly (number | readonly [number, number])[];
  dataFormat?: DataFormat | null;
}

/**
 * Pads the 3 spatial axes of its input with zeros.
 *
 * @example
 * const y = new ZeroPadding3D({ padding: 1 }).apply(Input({ shape: [8, 8, 8, 1] })); // [null, 10, 10, 10, 1]
 */
export class ZeroPadding3D extends Layer {
  static override readonly className = 'ZeroPadding3D';
  readonly padding: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding3DArgs = {}) {
    super(args);
    const a = parseArgs(z.looseObject({ padding: zPairs(3).default(1), dataFormat: zDataFormat }), args, `ZeroPadding3D '${this.name}'`);
    this.padding = toPairs(a.padding, 3);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    checkRank(this.label, x, 3 + 2, this.dataFormat);
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const pads = x.shape.map(() => [0, 0] as [number, number]);
    this.padding.forEach((p, i) => (pads[first + i] = [...p]));
    return ops.pad(x, pads);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), data_format: this.dataFormat };
  }
}

registerClass('layer', ZeroPadding3D);
