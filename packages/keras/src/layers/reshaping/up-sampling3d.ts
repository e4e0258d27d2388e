import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { checkRank, toTuple, zDataFormat, zIntTuple, type DataFormat } from '../core/utils.js';
import { repeatElements } from './repeat.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `UpSampling3D` (each is documented on its schema, `UpSampling3DArgs`). */
export interface UpSampling3DArgs extends LayerArgs, z.input<typeof UpSampling3DArgs> {}

const UpSampling3DArgs = z.looseObject({
  /** Factors for the three spatial axes: an int (all) or [d1, d2, d3]; default [2, 2, 2]. */
  size: zIntTuple(3, true).default(2),
  dataFormat: zDataFormat,
});

/**
 * Upsamples volumes by repeating each voxel `size` times along each spatial axis.
 *
 * @example
 * const y = new UpSampling3D({ size: 2 }).apply(Input({ shape: [4, 4, 4, 1] })); // [null, 8, 8, 8, 1]
 */
export class UpSampling3D extends Layer {
  static override readonly className = 'UpSampling3D';
  static override readonly argsSchema: ArgsDeclaration = UpSampling3DArgs;
  readonly size: [number, number, number];
  readonly dataFormat: DataFormat;

  constructor(args: UpSampling3DArgs = {}) {
    super(args);
    const a = parseArgs(UpSampling3DArgs, args, `UpSampling3D '${this.name}'`);
    this.size = toTuple(a.size, 3) as [number, number, number];
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  override call(inputs: Sym | Sym[]): Sym {
    let x = inputs as Sym;
    checkRank(this.label, x, 5, this.dataFormat);
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    this.size.forEach((s, i) => (x = repeatElements(x, s, first + i)));
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], data_format: this.dataFormat };
  }
}
