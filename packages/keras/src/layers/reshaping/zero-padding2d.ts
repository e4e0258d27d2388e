import { ZeroPaddingND, type ZeroPaddingNDArgs } from './zero-padding-nd.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of {@link ZeroPadding2D}. */
export interface ZeroPadding2DArgs extends ZeroPaddingNDArgs {
  /** Zeros to add to rows and columns: an int (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]; default 1. */
  padding?: number | readonly (number | readonly [number, number])[];
}

/**
 * Pads the 2 spatial axes of its input with zeros.
 *
 * @example
 * const y = new ZeroPadding2D({ padding: [[1, 0], [2, 1]] }).apply(Input({ shape: [28, 28, 3] })); // [null, 29, 31, 3]
 */
export class ZeroPadding2D extends ZeroPaddingND {
  static override readonly className = 'ZeroPadding2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 2);
  }
}
