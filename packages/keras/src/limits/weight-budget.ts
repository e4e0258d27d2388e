/**
 * A budget on the weights a config may create while it is being turned into a model, checked
 * before each weight is allocated (`Layer.addWeight` calls {@link chargeWeight}). A 200-byte
 * config can declare a 6 GB weight; without a budget, loading it would allocate (and randomly
 * initialize) all of it before anything could object.
 *
 * - Deserializing a config (`deserialize`, `modelFromJSON`, `Sequential.fromConfig`, ...) runs
 *   under a default budget of {@link getMaxConfigWeightBytes} bytes (2 GiB unless changed with
 *   {@link setMaxConfigWeightBytes}).
 * - Loading a model file runs under a budget derived from the bytes of weights the file actually
 *   holds: a config that declares more weights than the file could fill is refused before any
 *   allocation.
 */
import { KerasShapeError, checkDeclaredShape, KerasValueError } from '../errors.js';
import { getLimits, howToRaise, setLimits } from './file-limits.js';

interface Budget {
  /** Bytes still allowed. */
  left: number;
  /** The whole budget, for messages. */
  readonly total: number;
  /** Builds the error when a weight does not fit (`need` bytes, `left` remaining). */
  readonly refuse: (what: string, need: number, left: number) => Error;
}

const budgets: Budget[] = [];

const BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, bool: 1, uint8: 1, int64: 8, float64: 8 };

/** The default budget of a deserialization, in bytes of weights (the limit `maxWeightBytes` in force). */
export function getMaxConfigWeightBytes(): number {
  return getLimits().maxWeightBytes;
}

/**
 * Changes the default budget of a deserialization (bytes of weights a config may create).
 * @example setMaxConfigWeightBytes(8 * 2 ** 30); // allow configs of up to 8 GiB of weights
 */
export function setMaxConfigWeightBytes(bytes: number): void {
  if (!(bytes > 0)) throw new KerasValueError(`setMaxConfigWeightBytes: expected a positive number of bytes, got ${bytes}`);
  setLimits({ maxWeightBytes: bytes === Infinity ? bytes : Math.ceil(bytes) });
}

/**
 * Runs `fn` with a budget of `maxBytes` bytes of weights (nested budgets apply together: the
 * tighter one refuses first). `refuse` builds the error for a weight that does not fit.
 */
export function withWeightBudget<T>(maxBytes: number, refuse: Budget['refuse'], fn: () => T): T {
  budgets.push({ left: maxBytes, total: maxBytes, refuse });
  try {
    return fn();
  } finally {
    budgets.pop();
  }
}

/** Whether a budget is in force (a deserialization or a file load is running). */
export function hasWeightBudget(): boolean {
  return budgets.length > 0;
}

let charged = 0;

/** How many weights have been checked against a budget since the process started (for tests). */
export function chargedWeightCount(): number {
  return charged;
}

/**
 * Checks a weight about to be created (`owner` names the layer) against the budgets in force and
 * takes its bytes from them. Invalid shapes (negative, fractional, too many elements) are refused
 * whether or not a budget is in force.
 */
export function chargeWeight(owner: string, name: string, shape: readonly number[], dtype: string): void {
  const what = `layer '${owner}', weight '${name}'`;
  const n = checkDeclaredShape(shape, what);
  charged++;
  if (!budgets.length) return;
  const need = n * (BYTES[dtype] ?? 4);
  for (const b of budgets) if (need > b.left) throw b.refuse(`${what} of shape [${shape.join(', ')}]`, need, b.left);
  for (const b of budgets) b.left -= need;
}

/** The default refusal of a deserialization budget. */
export function configBudgetRefusal(what: string, need: number, left: number): Error {
  return new KerasShapeError(
    `${what} needs ${formatBytes(need)}, more than the ${formatBytes(left)} left of the ${formatBytes(getMaxConfigWeightBytes())} a config may allocate; ` +
      `if the model really is this large, raise the limit with setMaxConfigWeightBytes(bytes), or ${howToRaise('maxWeightBytes', getMaxConfigWeightBytes() - left + need).replace(/^if the model really is this large, raise the limit: /, '')}`,
  );
}

/** `1.5 GiB`, `12.0 MiB`, `300 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}
