import { ZeroPaddingND, type ZeroPaddingNDArgs } from './zero-padding-nd.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of {@link ZeroPadding3D}. */
export interface ZeroPadding3DArgs extends ZeroPaddingNDArgs {
  /** Zeros to add to each spatial axis: an int (all sides), [d1, d2, d3] (symmetric), or [[before, after] x 3]; default 1. */
  padding?: number | readonly (number | readonly [number, number])[];
}

/**
 * Pads the 3 spatial axes of its input with zeros.
 *
 * @example
 * const y = new ZeroPadding3D({ padding: 1 }).apply(Input({ shape: [8, 8, 8, 1] })); // [null, 10, 10, 10, 1]
 */
export class ZeroPadding3D extends ZeroPaddingND {
  static override readonly className = 'ZeroPadding3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: ZeroPadding3DArgs = {}) {
    super(args, 3);
  }
}
