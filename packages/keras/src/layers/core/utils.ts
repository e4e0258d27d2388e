import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { requireScope } from '../../engine/scope.js';
import { camelToSnake } from '../../naming.js';
import { KerasNotImplementedError, KerasShapeError } from '../../errors.js';

/**
 * Helpers shared by the core, activation, regularization, preprocessing and reshaping layers:
 * argument schemas for Keras' int-or-tuple arguments, data formats, seeds for random layers.
 */

/** `data_format`: Keras 2 resolves null to `image_data_format()`, which is `channels_last`. */
export const zDataFormat = z.enum(['channels_last', 'channels_first']).nullable().optional();
export type DataFormat = 'channels_last' | 'channels_first';

const zCount = z.number().int().nonnegative();
const zPositive = z.number().int().positive();

/** An int or a tuple of `n` ints (Keras' `normalize_tuple`), non-negative or positive. */
export function zIntTuple(n: number, positive = false) {
  const item = positive ? zPositive : zCount;
  return z.union([item, z.array(item).length(n, `expected ${n} integers`)], {
    error: `expected ${positive ? 'a positive' : 'a non-negative'} integer or a list of ${n} of them`,
  });
}

/** Expands an int to a tuple of `n` copies (already validated by `zIntTuple`). */
export function toTuple(v: number | readonly number[], n: number): number[] {
  return typeof v === 'number' ? Array.from({ length: n }, () => v) : [...v];
}

/**
 * An int, a tuple of `n` ints (symmetric per axis), or a tuple of `n` pairs (before, after), as
 * Cropping2D/3D and ZeroPadding2D/3D take; each entry may itself be an int or a pair.
 */
export function zPairs(n: number) {
  const entry = z.union([zCount, z.array(zCount).length(2, 'expected a pair (before, after)')]);
  return z.union([zCount, z.array(entry).length(n, `expected ${n} entries, one per spatial axis`)], {
    error: `expected a non-negative integer, a list of ${n} integers, or a list of ${n} pairs [before, after]`,
  });
}

/** Normalizes `zPairs` input to `n` pairs. */
export function toPairs(v: number | readonly (number | readonly number[])[], n: number): [number, number][] {
  if (typeof v === 'number') return Array.from({ length: n }, () => [v, v] as [number, number]);
  return v.map((e) => (typeof e === 'number' ? [e, e] : [e[0], e[1]]) as [number, number]);
}

/** Checks an input's rank, with a message naming the layer and the shape. */
export function checkRank(label: string, x: Sym, rank: number, what = ''): void {
  if (x.rank !== rank) {
    throw new KerasShapeError(`${label} expects inputs of rank ${rank}${what ? ` (${what})` : ''}, got shape ${fmtShape(x.shape)}`);
  }
}

/**
 * A seed for one random op of a layer: the trace's per-run seed input (fresh samples every run),
 * offset by the layer's own `seed` when it has one.
 */
export function randomSeed(label: string, layerSeed: number | null): Sym {
  const s = requireScope(`${label}'s random noise`).nextSeed();
  return layerSeed === null ? s : ops.add(s, layerSeed | 0);
}

/** Permutation moving the channels axis from 1 to the end (channels_first to channels_last). */
export function toChannelsLast(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** Permutation moving the channels axis from the end to 1. */
export function toChannelsFirst(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** Keras 2 JSON for a Python tuple: a plain list. */
export function tupleJson<T>(v: readonly T[]): T[] {
  return [...v];
}

/**
 * Refuses Keras 3 config keys this layer does not implement unless they hold their neutral
 * value (e.g. Embedding's `lora_rank: null`, `quantization_config: null`).
 */
export function refuseNonNeutral(label: string, args: Record<string, unknown>, neutral: Record<string, readonly unknown[]>): void {
  for (const [key, ok] of Object.entries(neutral)) {
    const v = args[key];
    if (v === undefined) continue;
    if (!ok.some((n) => n === v)) {
      throw new KerasNotImplementedError(`${label}: argument '${camelToSnake(key)}' = ${JSON.stringify(v)} is not supported (Keras 3 only); only ${ok.map((n) => JSON.stringify(n)).join(' or ')} is accepted`);
    }
  }
}

/** A shape with unknown sizes, for messages: `[None, 3]`. */
export function fmtSymbolic(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}
