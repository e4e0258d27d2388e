import type { DType } from './dtype.js';
import { fmtShape, type Shape } from './shape.js';

/**
 * An op was given inputs or attributes that do not fit. Raised when the op is traced, before
 * any backend runs; the message names the op, the input shapes and dtypes, and what is wrong.
 */
export class OpError extends Error {
  constructor(
    readonly op: string,
    readonly inputs: readonly { shape: Shape; dtype: DType }[],
    readonly problem: string,
  ) {
    const ins = inputs.map((t) => `${t.dtype}${fmtShape(t.shape)}`).join(', ');
    super(`op '${op}' (inputs: ${ins || 'none'}): ${problem}`);
    this.name = 'OpError';
  }
}

/** A graph breaks an invariant of the IR (bad input reference, wrong recorded shape, ...). */
export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphError';
  }
}
