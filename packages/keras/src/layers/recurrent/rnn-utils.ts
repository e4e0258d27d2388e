/**
 * Helpers shared by the recurrent layers: turning call arguments into symbolic tensors, weight
 * paths of nested layers, per-sequence dropout masks, the unit-forget-bias initializer, and the
 * limit on the number of time steps a recurrent layer unrolls.
 */
import { ops, Sym, type DType, type Graph, type HostTensor } from '@keras-ts/spec';
import type { Layer, Mask, WeightInitializer } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { requireScope } from '../../engine/scope.js';
import { DEFAULT_LIMITS, getLimits, setLimits } from '../../limits/file-limits.js';
import { KerasShapeError, KerasTypeError, KerasValueError } from '../../errors.js';
import { Tensor, full } from '../../tensor.js';

/** A state size as cells declare it: a number (a vector state) or a shape without the batch axis. */
export type StateSize = number | readonly number[];

/**
 * What a recurrent cell is: a layer with `stateSize` whose `call([x, ...states])` returns
 * `[output, ...newStates]` for one time step (x: [batch, ...features]).
 */
export interface RNNCellLike extends Layer {
  /**
   * One entry per state (a number, or a shape without the batch axis); a single number for one
   * state. A list of numbers is one vector state per number (`[units, units]` for the LSTM), so a
   * single state of shape [h, w, c] is written `[[h, w, c]]`.
   */
  readonly stateSize: StateSize | readonly StateSize[];
  /** The size of the output (defaults to the first state's size). */
  readonly outputSize?: StateSize;
  /** Forgets the dropout masks of the previous sequence (called before each sequence). */
  resetDropoutMasks?(): void;
}

/** Whether a layer looks like a recurrent cell (has `stateSize`). */
export function isCell(x: unknown): x is RNNCellLike {
  return typeof x === 'object' && x !== null && 'stateSize' in x && typeof (x as { call?: unknown }).call === 'function';
}

/** The cell's state sizes as a list of shapes without the batch axis. */
export function stateShapes(cell: RNNCellLike): number[][] {
  const s = cell.stateSize;
  if (typeof s === 'number') return [[s]];
  // A flat list of numbers is one size per state (Keras: [units, units] for the LSTM).
  return (s as readonly StateSize[]).map((e) => (typeof e === 'number' ? [e] : [...e]));
}

/** A symbolic tensor for a call argument given as a symbolic or a concrete tensor. */
export function toSym(v: unknown, graph: Graph, what: string): Sym {
  if (v instanceof Sym) return v;
  if (v instanceof Tensor || (typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && 'dtype' in v)) {
    const t = v as HostTensor;
    return ops.constant(graph, t.data, t.shape, t.dtype);
  }
  throw new KerasTypeError(`${what} must be a tensor, got ${describe(v)}`);
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (v instanceof Sym) return `a symbolic tensor ${v.dtype}[${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return JSON.stringify(v);
}

/** The first mask of a mask or list of masks (null where there is none). */
export function firstMask(mask: Mask | undefined): Sym | null {
  if (!mask) return null;
  if (Array.isArray(mask)) return (mask as (Sym | null)[])[0] ?? null;
  return mask as Sym;
}

/** A mask as bool (Keras casts a non-bool mask). */
export function boolMask(mask: Sym): Sym {
  return mask.dtype === 'bool' ? mask : ops.cast(mask, 'bool');
}

/** The first shape of one shape or a list of shapes (RNNs called with initial states get a list). */
export function firstShape(shape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
  return shape.length > 0 && Array.isArray(shape[0]) ? (shape as readonly SymbolicShape[])[0] : (shape as SymbolicShape);
}

export function fmtSymShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}

/** Prefixes the variable paths of a layer's weights (`lstm_cell/kernel` -> `lstm/lstm_cell/kernel`). */
export function prefixWeightPaths(layer: Layer, prefix: string): void {
  for (const w of layer.weights) {
    if (!w.path.startsWith(`${prefix}/`)) w.path = `${prefix}/${w.path}`;
  }
}

/** Reverses a tensor along one axis. */
export function reverseAxis(x: Sym, axis: number): Sym {
  const strides = x.shape.map((_, i) => (i === axis ? -1 : 1));
  return ops.stridedSlice(x, x.shape.map(() => null), x.shape.map(() => null), strides);
}

/**
 * Per-sequence dropout masks of a recurrent cell, as Keras' DropoutRNNCellMixin: the same masks
 * are used at every time step of a sequence, and new ones are drawn for the next sequence.
 * A rate outside (0, 1) applies no dropout (Keras clips the rate to [0, 1] and drops only
 * when 0 < rate < 1).
 */
export class DropoutMasks {
  private readonly cache = new Map<string, { graph: Graph; masks: Sym[] }>();

  reset(): void {
    this.cache.clear();
  }

  /** `count` masks shaped like `like`, or null outside training or when the rate drops nothing. */
  get(key: string, like: Sym, rate: number, count: number, training: boolean): Sym[] | null {
    if (!training || !(rate > 0 && rate < 1)) return null;
    const hit = this.cache.get(key);
    if (hit && hit.graph === like.graph && hit.masks[0].shape.every((d, i) => d === like.shape[i])) return hit.masks;
    const scope = requireScope('recurrent dropout');
    const masks = Array.from({ length: count }, () => {
      const u = ops.randomUniform(like.graph, like.shape, scope.nextSeed());
      return ops.where(ops.greaterEqual(u, rate), 1 / (1 - rate), 0);
    });
    this.cache.set(key, { graph: like.graph, masks });
    return masks;
  }
}

/** Clips a dropout rate into [0, 1] as Keras does. */
export function clipRate(r: number): number {
  return Math.min(1, Math.max(0, r));
}

/**
 * The LSTM bias initializer with `unit_forget_bias`: the base initializer for the input gate,
 * ones for the forget gate, the base initializer for the cell and output gates.
 */
export function forgetBiasInitializer(base: WeightInitializer, units: number): WeightInitializer {
  return {
    init(_shape: readonly number[], dtype: DType): Tensor {
      const parts = [base.init([units], dtype), full([units], 1, dtype), base.init([units * 2], dtype)];
      const out = new Float32Array(units * 4);
      let o = 0;
      for (const p of parts) {
        out.set(p.data as ArrayLike<number>, o);
        o += p.size;
      }
      return new Tensor([units * 4], dtype, out);
    },
  };
}

/** The output size of a convolution along one axis (Keras' conv_output_length). */
export function convOutputLength(len: number, kernel: number, padding: 'valid' | 'same', stride: number, dilation: number): number {
  const dk = (kernel - 1) * dilation + 1;
  const out = padding === 'same' ? len : len - dk + 1;
  return Math.floor((out + stride - 1) / stride);
}

/** The default of {@link getMaxUnrollSteps} (the limit `maxUnrollSteps` of limits/file-limits.ts). */
export const DEFAULT_MAX_UNROLL_STEPS = DEFAULT_LIMITS.maxUnrollSteps;

/**
 * The most time steps a recurrent layer (RNN, LSTM, GRU, SimpleRNN, ConvLSTM, Bidirectional)
 * may unroll: 10,000 unless changed with {@link setMaxUnrollSteps} (or the limit
 * `maxUnrollSteps` of `setLimits` / a load's `limits`). The time loop is unrolled when
 * the layer is traced, one copy of the cell per step, so tracing takes time and memory in
 * proportion to the sequence length (tens of seconds for 30,000 steps): without a limit, a model
 * file declaring a very long sequence would hang loading or predicting before anything could
 * object.
 */
export function getMaxUnrollSteps(): number {
  return getLimits().maxUnrollSteps;
}

/**
 * Changes the most time steps a recurrent layer may unroll (a positive integer, or Infinity for
 * no limit). Checked when a layer is applied, built or traced; layers already traced keep working.
 * @example setMaxUnrollSteps(50_000); // allow sequences of up to 50,000 steps
 */
export function setMaxUnrollSteps(steps: number): void {
  if (!(steps === Infinity || (Number.isSafeInteger(steps) && steps > 0))) {
    throw new KerasValueError(`setMaxUnrollSteps: expected a positive integer number of time steps (or Infinity), got ${steps}`);
  }
  setLimits({ maxUnrollSteps: steps });
}

/**
 * Refuses an input with more time steps than {@link getMaxUnrollSteps}, with a
 * {@link KerasShapeError} naming the layer (`label`), the number of steps and the limit. Called
 * before anything is built or traced, so that a hostile sequence length fails at once. A time
 * axis of unknown length (an Input of shape [null, features]) passes: the layer is traced once
 * per concrete input shape, and that trace checks the real length.
 */
export function requireUnrollableTime(label: string, shape: SymbolicShape, timeAxis: number): void {
  const steps = shape[timeAxis];
  const maxUnrollSteps = getMaxUnrollSteps();
  if (typeof steps === 'number' && steps > maxUnrollSteps) {
    throw new KerasShapeError(
      `${label}: the input has ${steps} time steps (shape ${fmtSymShape(shape)}), more than the ${maxUnrollSteps} a recurrent layer may unroll. ` +
        `The time loop is unrolled when the layer is traced, one copy of the cell per step, which for this many steps would take minutes and much memory. ` +
        `If the model really has sequences this long, raise the limit with setMaxUnrollSteps(${steps}) (or more; for one load: loadModel(path, { limits: { maxUnrollSteps: ${steps} } }), on the command line: --limit unroll-steps=${steps}), ` +
        `or feed the sequences in shorter chunks to a stateful layer (it carries its state from one chunk to the next).`,
    );
  }
}
