/**
 * keras-ts' typed errors: the taxonomy of `@keras-ts/spec` (value, type, not implemented, state,
 * shape, internal, op and graph errors; see its errors module), re-exported, and the errors of
 * configs, files and limits. Each is a {@link KerasError} with a stable `code`, so callers can tell
 * what went wrong without parsing messages; the message says what was wrong, where, and what would
 * fix it.
 *
 * @example
 * try {
 *   await loadModel('model.keras');
 * } catch (e) {
 *   if (e instanceof KerasFileError) console.error(e.code, e.message);
 * }
 */

import { KerasError, KerasShapeError, type KerasErrorCode } from '@keras-ts/spec';

export {
  KerasError,
  KerasValueError,
  KerasTypeError,
  KerasNotImplementedError,
  KerasStateError,
  KerasInternalError,
  KerasShapeError,
  OpError,
  GraphError,
  isKerasError,
  type KerasErrorCode,
} from '@keras-ts/spec';

/**
 * A config that cannot be turned into an object: wrong types, missing keys, unknown names,
 * nesting too deep.
 * @example throw new KerasConfigError('BAD_CONFIG', "layer 'dense': 'units' must be a positive integer");
 */
export class KerasConfigError extends KerasError {
  constructor(code: Extract<KerasErrorCode, 'BAD_CONFIG' | 'CONFIG_TOO_DEEP' | 'UNKNOWN_NAME'>, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * A model or weights file that cannot be read: missing, corrupt, truncated, of another kind,
 * declaring more bytes than it holds, or pointing outside its directory.
 * @example throw new KerasFileError('BAD_FILE', 'model.keras: corrupt or truncated zip archive');
 */
export class KerasFileError extends KerasError {
  constructor(code: Extract<KerasErrorCode, 'BAD_FILE' | 'SIZE_MISMATCH' | 'UNSAFE_PATH'>, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * A file or config that is over one of the limits (`limit` names it, as in `Limits`): refused
 * before the work it bounds is done. The message says how to raise the limit.
 * @example if (e instanceof KerasLimitError) console.error(e.limit, e.found, e.max);
 */
export class KerasLimitError extends KerasError {
  constructor(
    readonly limit: string,
    readonly found: number,
    readonly max: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('OVER_LIMIT', message, options);
  }
}

/**
 * Checks a declared shape: a list of non-negative safe integers. Returns its element count; throws
 * a {@link KerasShapeError} naming `what` otherwise.
 */
export function checkDeclaredShape(shape: unknown, what: string): number {
  if (!Array.isArray(shape)) throw new KerasShapeError(`${what}: the shape must be a list of sizes, got ${describeValue(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw new KerasShapeError(`${what}: the shape [${shape.map(describeValue).join(', ')}] has a size that is not a non-negative integer: ${describeValue(d)}`);
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new KerasShapeError(`${what}: the shape [${shape.join(', ')}] has more elements than can be stored`);
  return n;
}

/**
 * Text safe to print on a terminal: control characters (ANSI escape sequences, carriage returns,
 * bells; names in files are the file author's) shown as `\xNN` / `\uNNNN` escapes. Tabs are kept.
 * @example console.log(printable(layer.name));
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A short, safe rendering of any value for messages (never throws, at most ~100 characters). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined || typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 100 ? `${s.slice(0, 100)}...` : s;
  } catch {
    return Array.isArray(v) ? 'a list' : 'an object';
  }
}

/** Messages longer than this have their very long words (hostile names, paths) shortened. */
const MAX_MESSAGE = 2000;

/**
 * Shortens the very long words of an error's message in place (a 100,000-character layer name or
 * path from a hostile file would otherwise be echoed whole) and returns the error.
 */
export function clipMessage<E>(e: E): E {
  if (e instanceof Error && e.message.length > MAX_MESSAGE) {
    e.message = e.message.replace(/[^\s]{201,}/g, (w) => `${w.slice(0, 100)}...(${w.length} characters)`);
  }
  return e;
}
