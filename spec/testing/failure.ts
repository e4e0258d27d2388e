/**
 * A check of the shared op suite that a backend failed: a value, a shape or a gradient it computed
 * is not the one expected. It is the suite's assertion failure (as vitest's `AssertionError`), not
 * a `KerasError`: those say what a caller did wrong, this says a backend computed wrong.
 *
 * @example
 * import { OpCheckFailure } from '@keras-ts/spec/testing';
 * if (y.shape.join() !== '2,3') throw new OpCheckFailure(`shape ${y.shape}, expected 2,3`);
 */
export class OpCheckFailure extends Error {
  override readonly name = 'OpCheckFailure';
}
