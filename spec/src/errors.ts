/**
 * keras-ts' error taxonomy: every error keras-ts throws on purpose is a {@link KerasError}, and
 * its class says what kind of mistake it was, as Keras' Python exceptions do:
 *
 * | class | Python / Keras | for |
 * | --- | --- | --- |
 * | {@link KerasValueError} (a `RangeError`) | `ValueError` | an argument of the right type with a value that is not accepted |
 * | {@link KerasTypeError} (a `TypeError`) | `TypeError` | an argument or input of the wrong type |
 * | {@link KerasNotImplementedError} | `NotImplementedError` | a Keras feature, argument value or op that keras-ts or this backend does not have |
 * | {@link KerasStateError} | `RuntimeError` | a call made at the wrong time: model not compiled, layer not built, executable disposed, backend not started |
 * | {@link KerasShapeError} | `ValueError` | a shape that is invalid or does not fit |
 * | {@link KerasInternalError} | `AssertionError` | a broken invariant inside keras-ts: a bug to report |
 * | {@link OpError} / {@link GraphError} | | an op's inputs that do not fit / a graph that breaks the IR |
 *
 * `@keras-ts/keras` adds `KerasConfigError`, `KerasFileError` and `KerasLimitError` (configs, files,
 * limits), all {@link KerasError}s too. Each carries a stable `code` ({@link KerasErrorCode}), so
 * callers can tell what went wrong without parsing messages.
 */
import type { DType } from './dtype.js';
import { fmtShape, type Shape } from './shape.js';

/** The codes of {@link KerasError}s: one per class (the file and config classes have several). */
export type KerasErrorCode =
  /** An argument with a value that is not accepted ({@link KerasValueError}). */
  | 'BAD_VALUE'
  /** An argument or input of the wrong type ({@link KerasTypeError}). */
  | 'BAD_TYPE'
  /** A feature keras-ts or the backend does not have ({@link KerasNotImplementedError}). */
  | 'NOT_IMPLEMENTED'
  /** A call made when the object is not in the state it needs ({@link KerasStateError}). */
  | 'BAD_STATE'
  /** A broken invariant inside keras-ts ({@link KerasInternalError}). */
  | 'INTERNAL'
  /** An op given inputs or attributes that do not fit ({@link OpError}). */
  | 'BAD_OP_INPUT'
  /** A graph that breaks an invariant of the IR ({@link GraphError}). */
  | 'BAD_GRAPH'
  /** A config (JSON or object) that does not describe a valid object. */
  | 'BAD_CONFIG'
  /** A config nested deeper than any real model (a malformed or hostile file). */
  | 'CONFIG_TOO_DEEP'
  /** A class, function or alias name that is not registered. */
  | 'UNKNOWN_NAME'
  /** A file that cannot be read, or whose content is corrupt, truncated or of another kind. */
  | 'BAD_FILE'
  /** A file whose declared sizes exceed the bytes it actually holds. */
  | 'SIZE_MISMATCH'
  /** A file that points outside its own directory, or at something that is not a regular file. */
  | 'UNSAFE_PATH'
  /** A tensor or weight shape that is invalid or does not fit. */
  | 'BAD_SHAPE'
  /** A file or config over one of the limits of keras' limits/file-limits.ts (size, depth, counts). */
  | 'OVER_LIMIT';

/** Marks keras-ts' errors, so the ones that extend `TypeError` / `RangeError` are KerasErrors too. */
const KERAS_ERROR = Symbol.for('@keras-ts/error');

/** Names an error after its class and marks it as one of keras-ts' errors. */
function mark(e: Error, name: string): void {
  e.name = name;
  Object.defineProperty(e, KERAS_ERROR, { value: true });
}

/**
 * The base of keras-ts' typed errors. `e instanceof KerasError` is true for every one of them,
 * also {@link KerasTypeError} and {@link KerasValueError}, which extend `TypeError` and
 * `RangeError`; `code` says what went wrong.
 * @example
 * try {
 *   await model.fit(x, y);
 * } catch (e) {
 *   if (e instanceof KerasError) console.error(e.code, e.message);
 * }
 */
export class KerasError extends Error {
  constructor(
    readonly code: KerasErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    mark(this, new.target.name);
  }

  /** True for every keras-ts error (on `KerasError` itself); the usual check on its subclasses. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === KerasError) return typeof value === 'object' && value !== null && KERAS_ERROR in value;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * An argument of the right type whose value is not accepted: out of range, not one of the
 * allowed names, inconsistent with another argument (Python's `ValueError`). A `RangeError`.
 * @example throw new KerasValueError(`Dense: 'units' must be a positive integer, got ${units}`);
 */
export class KerasValueError extends RangeError {
  /** Always `'BAD_VALUE'`. */
  readonly code = 'BAD_VALUE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    mark(this, new.target.name);
  }
}

/**
 * An argument or input of the wrong type: a string where a number goes, a plain array where a
 * tensor goes, a function that is not a layer (Python's `TypeError`). A `TypeError`.
 * @example throw new KerasTypeError(`Sequential.add: expected a Layer, got ${describe(x)}`);
 */
export class KerasTypeError extends TypeError {
  /** Always `'BAD_TYPE'`. */
  readonly code = 'BAD_TYPE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    mark(this, new.target.name);
  }
}

/**
 * A Keras feature, argument value or op that keras-ts, or the backend in use, does not have
 * (Python's `NotImplementedError`). The message names what is missing and, where there is one,
 * what to use instead.
 * @example throw new KerasNotImplementedError("Conv2D: dilation_rate with strides > 1 is not supported");
 */
export class KerasNotImplementedError extends KerasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_IMPLEMENTED', message, options);
  }
}

/**
 * A call made when the object, or the environment, is not in the state it needs: a model used
 * before `compile`, a layer's weights read before it is built, an executable run after `dispose`,
 * a backend that cannot start here (what Keras raises as `RuntimeError`, or `ValueError` naming
 * the missing step).
 * @example throw new KerasStateError('You must compile your model before training/testing: call model.compile(optimizer, loss)');
 */
export class KerasStateError extends KerasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_STATE', message, options);
  }
}

/**
 * A broken invariant inside keras-ts: not the caller's mistake but a bug to report. The message
 * says so.
 * @example throw new KerasInternalError(`fusion: node %${id} is neither an input nor a member`);
 */
export class KerasInternalError extends KerasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', `${message} (an internal error: a bug in keras-ts, please report it)`, options);
  }
}

/**
 * A shape that is invalid (negative, fractional, too large) or does not fit the tensor it is
 * meant for.
 * @example throw new KerasShapeError("weight 'dense/kernel': the file declares shape [-1, 4]");
 */
export class KerasShapeError extends KerasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_SHAPE', message, options);
  }
}

/**
 * An op was given inputs or attributes that do not fit. Raised when the op is traced, before
 * any backend runs; the message names the op, the input shapes and dtypes, and what is wrong.
 * @example throw new OpError('matmul', [a, b], `inner dimensions differ: ${a.shape[1]} vs ${b.shape[0]}`);
 */
export class OpError extends KerasError {
  constructor(
    readonly op: string,
    readonly inputs: readonly { shape: Shape; dtype: DType }[],
    readonly problem: string,
  ) {
    const ins = inputs.map((t) => `${t.dtype}${fmtShape(t.shape)}`).join(', ');
    super('BAD_OP_INPUT', `op '${op}' (inputs: ${ins || 'none'}): ${problem}`);
  }
}

/**
 * A graph breaks an invariant of the IR (bad input reference, wrong recorded shape, ...).
 * @example throw new GraphError(`node %${id} reads %${input}, which is not defined before it`);
 */
export class GraphError extends KerasError {
  constructor(message: string) {
    super('BAD_GRAPH', message);
  }
}

/**
 * Whether an error is one of keras-ts' typed errors (the same as `e instanceof KerasError`).
 * @example if (isKerasError(e)) console.error(e.code);
 */
export function isKerasError(e: unknown): e is KerasError {
  return e instanceof KerasError;
}
