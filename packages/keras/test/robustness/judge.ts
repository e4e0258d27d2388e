/**
 * How the property tests judge an outcome: a loader either succeeds or throws an `Error` with a
 * clear message, quickly, without growing memory. Anything else is a problem, with a reason.
 */
import { KerasError } from '../../src/errors.js';

/** JavaScript's own messages: they mean an input reached code that did not expect it. */
const INTERNAL = [
  /Cannot read propert/,
  /Cannot set propert/,
  /Cannot use 'in' operator/,
  /is not a function/,
  /is not iterable/,
  /is not a constructor/,
  /Maximum call stack/,
  /Invalid typed array length/,
  /Invalid array length/,
  /Array buffer allocation failed/,
  /Cannot convert /,
  /undefined is not/,
  /null is not/,
  /Cannot create property/,
  /Offset is outside the bounds/,
  /out of memory/i,
  // A NaN computed into a shape (a quoted "NaN" is the input's own value, echoed).
  /(?<!")\bNaN\b(?!").*\bshape\b|\bshape\b.*(?<!")\bNaN\b(?!")/,
  /Invalid string length/,
  /Converting circular structure/,
];

/** At most this long: a message that echoes a whole hostile input is not a clear message. */
export const MAX_MESSAGE = 4000;

export interface Verdict {
  /** Fails the property: not an Error, no message, internal crash text, too long. */
  problem: string | null;
  /** The error's message (or 'ok'), for reports. */
  summary: string;
}

/** Judges what a loader threw (`undefined` when it returned normally). */
export function judgeError(e: unknown, threw: boolean): Verdict {
  if (!threw) return { problem: null, summary: 'ok' };
  if (!(e instanceof Error)) return { problem: `threw a non-Error: ${String(e)}`, summary: String(e) };
  const msg = e.message;
  if (typeof msg !== 'string' || msg.trim() === '') return { problem: `threw ${e.name} with an empty message`, summary: '' };
  if (msg.length > MAX_MESSAGE) return { problem: `message is ${msg.length} characters long`, summary: msg.slice(0, 200) };
  const internal = INTERNAL.find((r) => r.test(msg));
  if (internal) return { problem: `${e.name} with an internal message: ${msg.slice(0, 300)}`, summary: msg };
  return { problem: null, summary: msg };
}

/** Whether an error is one of the typed errors (for the stricter checks on our own loaders). */
export const isTyped = (e: unknown) => e instanceof KerasError;

/** A short signature of a message for counting distinct outcomes (numbers and quoted names blanked). */
export function signature(msg: string): string {
  return msg
    .replace(/\/[^\s:'"]+/g, '<path>')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b[0-9a-f]{2}( [0-9a-f]{2})+\b/g, 'HEX')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')
    .slice(0, 140);
}
