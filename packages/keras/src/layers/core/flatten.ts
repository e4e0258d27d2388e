import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { zDataFormat } from './utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasNotImplementedError, KerasShapeError } from '../../errors.js';

/** The arguments of `Flatten` (each is documented on its schema, `FlattenArgs`). */
export interface FlattenArgs extends LayerArgs, z.input<typeof FlattenArgs> {}

const FlattenArgs = z.looseObject({
  /** Only `channels_last` (the default) is supported. */
  dataFormat: zDataFormat,
});

/**
 * Flattens every axis but the batch axis: `[batch, d1, d2, ...]` becomes `[batch, d1*d2*...]`
 * (a rank-1 input becomes `[batch, 1]`).
 *
 * @example
 * const y = new Flatten().apply(Input({ shape: [4, 4, 3] })); // KerasTensor [null, 48]
 */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  static override readonly argsSchema: ArgsDeclaration = FlattenArgs;
  readonly dataFormat = 'channels_last' as const;

  constructor(args: FlattenArgs = {}) {
    super(args);
    const a = parseArgs(FlattenArgs, args, `Flatten '${this.name}'`);
    if (a.dataFormat === 'channels_first') {
      throw new KerasNotImplementedError(
        `Flatten '${this.name}': data_format 'channels_first' is not supported; keras-ts flattens channels_last inputs only. ` +
          `Put the channels on the last axis first (e.g. with Permute) and use data_format 'channels_last'`,
      );
    }
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    if (x.rank === 0) throw new KerasShapeError(`${this.label} expects inputs with a batch axis, got a scalar`);
    if (x.rank === 1) return ops.expandDims(x, 1);
    return ops.reshape(x, [x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
