import { fmtShape, ops, type HostTensor, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { deserialize, serialize, type CustomObjects, type SerializableClass } from '../../serialization/registry.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { KerasTensor } from '../../engine/keras-tensor.js';
import { Layer, configToArgs, parseArgs, type ApplyInputs, type ApplyKwargs, type CallContext, type InputShape, type LayerArgs, type Mask } from '../../engine/layer.js';
import { requireScope } from '../../engine/scope.js';
import { Variable } from '../../engine/variable.js';
import { Tensor, full } from '../../tensor.js';
import { rnnLoop } from './rnn-loop.js';
import { boolMask, describe, firstMask, firstShape, fmtSymShape, isCell, prefixWeightPaths, requireUnrollableTime, stateShapes, toSym, type RNNCellLike } from './rnn-utils.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasStateError, KerasTypeError, KerasValueError } from '../../errors.js';

const RNNArgsSchema = z.looseObject({
  /** Return the whole output sequence ([batch, time, units]) instead of the last output. */
  returnSequences: z.boolean().default(false),
  /** Also return the final states: the call returns [output, ...states]. */
  returnState: z.boolean().default(false),
  /** Process the sequence backwards (the returned sequence is then in reverse time order). */
  goBackwards: z.boolean().default(false),
  /** Keep the final states in variables and start the next call from them (needs a known batch size). */
  stateful: z.boolean().default(false),
  /**
   * The time loop is always unrolled at trace time; as in Keras 2, `true` also changes which
   * outputs a masked backward layer with `zeroOutputForMask` zeroes (see `rnnLoop`).
   */
  unroll: z.boolean().default(false),
  /** Inputs and outputs are [time, batch, ...] instead of [batch, time, ...]. */
  timeMajor: z.boolean().default(false),
  /** Where the mask is 0, output zeros instead of repeating the previous output. */
  zeroOutputForMask: z.boolean().default(false),
  numConstants: z
    .union([z.literal(0), z.null()], { message: 'constants are not supported by this RNN (num_constants must be 0 or null)' })
    .optional(),
});

/** Arguments every recurrent layer takes. */
export interface RNNBaseArgs extends LayerArgs, z.input<typeof RNNArgsSchema> {}

export interface RNNArgs extends RNNBaseArgs {
  /** A cell (a layer with `stateSize`), a list of cells (stacked), or a serialized cell. */
  cell: RNNCellLike | readonly RNNCellLike[] | Record<string, unknown>;
}

/**
 * `returnState` as the type of a recurrent layer keeps it (`RNN<S>`, `LSTM<S>`, ...): `new
 * LSTM({ units: 8, returnState: true })` is an `LSTM<true>`, whose `apply` returns a list
 * (output and states); without it, or with `false`, one tensor; with a `boolean` not known
 * until run time, either.
 */
export interface ReturnStateArg<S extends boolean> {
  returnState?: S;
}

/** What the `call` of a recurrent layer with `returnState` `S` returns: [output, ...states], or the output. */
export type RNNOutputs<S extends boolean> = S extends true ? Sym[] : Sym;

/** Call arguments that RNN layers take besides the inputs. */
export interface RNNCallArgs {
  training?: boolean;
  mask?: Mask | Tensor;
  /** The initial states: one tensor per state of the cell. */
  initialState?: readonly unknown[] | unknown;
  initial_state?: readonly unknown[] | unknown;
  [k: string]: unknown;
}

/**
 * The initial states given to `apply`, one per state: concrete states (host tensors as well) when
 * the inputs are concrete tensors, else as given.
 */
export function initialStates(init: unknown, first: unknown): unknown[] {
  const states: unknown[] = Array.isArray(init) ? [...init] : [init];
  return first instanceof Tensor ? states.map((s) => (s instanceof Tensor ? s : Tensor.from(s as HostTensor))) : states;
}

/**
 * The base recurrent layer: runs a cell over the time axis of its input. The cell is any layer
 * with `stateSize` whose `call([x, ...states])` returns `[output, ...newStates]` for one step.
 *
 * The time loop is unrolled when the layer is traced, so the time length must be known: a
 * functional `Input` needs a fixed sequence length (`Input({ shape: [10, 8] })`, not `[null, 8]`).
 *
 * Call arguments: `mask` ([batch, time]; where 0, the step keeps the previous states and
 * output), `initialState` (a list of tensors, one per state), `training` (dropout).
 *
 * @example
 * const rnn = new RNN({ cell: new LSTMCell({ units: 4 }), returnSequences: true });
 * const y = rnn.apply(Input({ shape: [10, 8] })); // KerasTensor [null, 10, 4]
 */
export class RNN<S extends boolean = false> extends Layer {
  static override readonly className: string = 'RNN';
  static override readonly argsSchema: ArgsDeclaration = argKeys(RNNArgsSchema, 'cell');
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly timeMajor: boolean;
  /** Where the mask is 0, output zeros (Bidirectional sets this to `returnSequences`). */
  zeroOutputForMask: boolean;
  /** The cell run at each time step. */
  cell!: RNNCellLike;
  private stateVariables: Variable[] | null = null;

  constructor(args: (RNNArgs | RNNBaseArgs) & ReturnStateArg<S>) {
    super(args);
    const a = parseArgs(RNNArgsSchema, args, this.label);
    this.returnSequences = a.returnSequences;
    this.returnState = a.returnState;
    this.goBackwards = a.goBackwards;
    this.stateful = a.stateful;
    this.unroll = a.unroll;
    this.timeMajor = a.timeMajor;
    this.zeroOutputForMask = a.zeroOutputForMask;
    this.returnsList = a.returnState;
    this.supportsMasking = true;
    const cellArg = (args as RNNArgs).cell;
    if (cellArg !== undefined && cellArg !== null) this.cell = toCell(cellArg, this.label);
    else if (new.target === RNN) throw new KerasValueError(`${this.label}: argument 'cell' is required (a layer with \`stateSize\`, or a list of them)`);
  }

  /** Number of states of the cell. */
  get numStates(): number {
    return stateShapes(this.cell).length;
  }

  override subLayers(): Layer[] {
    return this.cell ? [this.cell] : [];
  }

  /** Folds `initialState` into the inputs (as Keras 2 does), so that it travels in the graph. */
  protected override prepareApply(inputs: ApplyInputs, kwargs: ApplyKwargs): { inputs: ApplyInputs | readonly unknown[]; kwargs: ApplyKwargs } {
    const { initial_state, initialState, ...rest } = kwargs;
    const init = initial_state ?? initialState;
    this.checkKnownTime(inputs);
    if (init === undefined || init === null) return { inputs, kwargs: rest };
    const xs: readonly unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (xs.length > 1) throw new KerasValueError(`${this.label}: initial states were given both in the inputs list and as initialState`);
    return { inputs: [...xs, ...initialStates(init, xs[0])], kwargs: rest };
  }

  private checkKnownTime(inputs: ApplyInputs): void {
    const first = Array.isArray(inputs) ? inputs[0] : inputs;
    if (first instanceof KerasTensor) this.checkShape(first.shape);
  }

  /**
   * Checks the rank, and that a known time length is within {@link getMaxUnrollSteps} (the
   * loop is unrolled when traced).
   */
  checkShape(shape: SymbolicShape): void {
    const minRank = this.minInputRank();
    const exact = this.exactInputRank();
    if (exact !== null ? shape.length !== exact : shape.length < minRank) {
      const want = exact !== null ? `rank ${exact}` : `rank ${minRank} or more`;
      throw new KerasShapeError(`${this.label} expects inputs of ${want} ([batch, time, ...features]), got shape ${fmtSymShape(shape)}`);
    }
    requireUnrollableTime(this.label, shape, this.timeMajor ? 0 : 1);
  }

  /** The rank the inputs must have at least. */
  protected minInputRank(): number {
    return 3;
  }

  /** The rank the inputs must have exactly (null: any rank from `minInputRank`). */
  protected exactInputRank(): number | null {
    return null;
  }

  override build(inputShape: InputShape): void {
    const shape = firstShape(inputShape);
    this.checkShape(shape);
    const batch = shape[this.timeMajor ? 1 : 0];
    const stepShape: SymbolicShape = [batch, ...shape.slice(2)];
    this.cell.maybeBuild(stepShape);
    prefixWeightPaths(this.cell, this.name);
    if (this.stateful) {
      if (batch === null || batch === undefined) {
        throw new KerasShapeError(
          `${this.label} is stateful, so it needs to know its batch size; got input shape ${fmtSymShape(shape)}. ` +
            `Give the first layer a batchInputShape (Sequential) or the Input a batchSize (functional).`,
        );
      }
      this.stateVariables = stateShapes(this.cell).map((s, i) => new Variable(`state_${i}`, full([batch, ...s], 0), false, `${this.name}/state_${i}`));
    }
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape | SymbolicShape[] {
    this.checkShape(firstShape(inputShape));
    return super.computeOutputShape(inputShape);
  }

  override computeMask(_inputs: Sym | Sym[], mask: Mask): Mask {
    const m = firstMask(mask);
    const out = this.returnSequences ? m : null;
    if (this.returnState) return [out, ...new Array<null>(this.numStates).fill(null)];
    return out;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): RNNOutputs<S> {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    let x = list[0];
    const g = x.graph;
    let initial: Sym[] | null = list.length > 1 ? list.slice(1) : null;
    const kwInit = ctx.kwargs.initial_state ?? ctx.kwargs.initialState;
    if (kwInit !== undefined && kwInit !== null) {
      if (initial) throw new KerasValueError(`${this.label}: initial states were given both in the inputs list and as initial_state`);
      initial = (Array.isArray(kwInit) ? kwInit : [kwInit]).map((v, i) => toSym(v, g, `${this.label}: initial state ${i}`));
    }
    let mask = firstMask(ctx.mask);
    if (!mask && ctx.kwargs.mask !== undefined && ctx.kwargs.mask !== null) mask = toSym(ctx.kwargs.mask, g, `${this.label}: mask`);
    this.checkShape(x.shape);
    // A mask with more axes (a Masking layer before a ConvLSTM) keeps a step where any entry is set.
    if (mask && mask.rank > 2) mask = ops.cast(ops.max(ops.cast(mask, 'float32'), Array.from({ length: mask.rank - 2 }, (_, i) => i + 2)), 'bool');
    if (this.timeMajor) {
      const perm = x.shape.map((_, i) => (i === 0 ? 1 : i === 1 ? 0 : i));
      x = ops.transpose(x, perm);
      if (mask && mask.rank === 2) mask = ops.transpose(mask, [1, 0]);
    }
    const [B, T] = x.shape;
    if (mask) {
      if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
        throw new KerasShapeError(`${this.label}: the mask must be [batch, time] = [${B}, ${T}], got ${fmtShape(mask.shape)} for inputs ${fmtShape(list[0].shape)}`);
      }
      mask = boolMask(mask);
    }
    const shapes = stateShapes(this.cell);
    if (initial) {
      if (initial.length !== shapes.length) {
        throw new KerasValueError(`${this.label} has ${shapes.length} state(s) but was passed ${initial.length} initial state(s) (${initial.map((s) => fmtShape(s.shape)).join(', ')})`);
      }
      initial.forEach((s, i) => {
        const want = [B, ...shapes[i]];
        if (fmtShape(s.shape) !== fmtShape(want)) {
          throw new KerasShapeError(`${this.label}: initial state ${i} must have shape ${fmtShape(want)}, got ${fmtShape(s.shape)}`);
        }
      });
    }
    let states0: Sym[];
    if (this.stateful) {
      const vars = this.stateVariables;
      if (!vars) throw new KerasStateError(`${this.label} is stateful but has no state variables; build it first`);
      if (vars[0].shape[0] !== B) {
        throw new KerasShapeError(`${this.label} is stateful with batch size ${vars[0].shape[0]}; got inputs of shape ${fmtShape(list[0].shape)}`);
      }
      const recorded = vars.map((v) => v.read());
      if (initial) {
        // As Keras 2: the recorded states are used unless they are all zeros.
        const nonZero = ops.greater(recorded.map((s) => ops.sum(ops.abs(s))).reduce((a, b) => ops.add(a, b)), 0);
        states0 = recorded.map((s, i) => ops.where(nonZero, s, initial![i]));
      } else states0 = recorded;
    } else states0 = initial ?? shapes.map((s) => ops.fill(g, [B, ...s], 0));

    this.cell.resetDropoutMasks?.();
    const cellCtx: CallContext = { training: ctx.training, mask: null, kwargs: {} };
    const n = shapes.length;
    const r = rnnLoop(
      (xt, st) => {
        const out = this.cell.call([xt, ...st], cellCtx);
        const flat = (Array.isArray(out) ? out : [out]).flat();
        if (flat.length !== n + 1) {
          throw new KerasValueError(`${this.label}: the cell ${this.cell.label} returned ${flat.length} tensor(s) for a step; expected [output, ...${n} state(s)]`);
        }
        return { output: flat[0], states: flat.slice(1) };
      },
      x,
      states0,
      { goBackwards: this.goBackwards, mask, zeroOutputForMask: this.zeroOutputForMask, returnSequences: this.returnSequences, unroll: this.unroll },
    );
    if (this.stateful) {
      const scope = requireScope(`${this.label} (stateful)`);
      this.stateVariables!.forEach((v, i) => scope.assign(v, r.states[i]));
    }
    let output = this.returnSequences ? r.outputs! : r.last;
    if (this.timeMajor && this.returnSequences) output = ops.transpose(output, output.shape.map((_, i) => (i === 0 ? 1 : i === 1 ? 0 : i)));
    // `S` is the returnState the arguments gave.
    const result: Sym | Sym[] = this.returnState ? [output, ...r.states] : output;
    return result as RNNOutputs<S>;
  }

  /** The state variables of a stateful layer (null entries when not stateful or not built). */
  get states(): (Variable | null)[] {
    return this.stateVariables ?? new Array<null>(this.cell && this.built ? this.numStates : 0).fill(null);
  }

  /** The values of the recorded states of a stateful layer ([] when not stateful). */
  getStates(): Tensor[] {
    return this.stateVariables ? this.stateVariables.map((v) => v.value.clone()) : [];
  }

  /**
   * Resets the recorded states of a stateful layer to zeros, or to the given values (one per
   * state, each [batch, ...stateSize]).
   */
  resetStates(states?: HostTensor | readonly HostTensor[]): void {
    if (!this.stateful) throw new KerasStateError(`${this.label}: reset_states needs a stateful layer (stateful: true)`);
    const vars = this.stateVariables;
    if (!vars) throw new KerasStateError(`${this.label}: the layer is not built yet, so it has no states to reset; call it (or build it) first`);
    if (states === undefined || states === null) {
      for (const v of vars) v.assign(full(v.shape, 0));
      return;
    }
    const list = Array.isArray(states) ? (states as HostTensor[]) : [states as HostTensor];
    if (list.length !== vars.length) throw new KerasValueError(`${this.label} expects ${vars.length} state value(s), got ${list.length}`);
    list.forEach((s, i) => {
      if (fmtShape(s.shape) !== fmtShape(vars[i].shape)) {
        throw new KerasShapeError(`${this.label}: state ${i} has shape ${fmtShape(vars[i].shape)}, the value given has shape ${fmtShape(s.shape)}`);
      }
    });
    list.forEach((s, i) => vars[i].assign(Tensor.from(s)));
  }

  /** Keras 3 spelling of `resetStates`. */
  resetState(states?: HostTensor | readonly HostTensor[]): void {
    this.resetStates(states);
  }

  /** The layer config with the RNN keys (Keras 2 order), without the cell. */
  protected rnnConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      time_major: this.timeMajor,
    };
    if (this.zeroOutputForMask) c.zero_output_for_mask = true;
    return c;
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), cell: serialize(this.cell) };
  }

  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    const args = configToArgs(config);
    if (args.cell && !(args.cell instanceof Layer)) {
      args.cell = Array.isArray(args.cell) ? args.cell.map((c) => deserialize<Layer>('layer', c, custom)) : deserialize<Layer>('layer', args.cell, custom);
    }
    return new this(args);
  }
}

/** A cell from a cell, a list of cells (stacked), or a serialized cell. */
function toCell(v: unknown, label: string): RNNCellLike {
  if (Array.isArray(v)) {
    const cells = v.map((c) => toCell(c, label));
    return new StackedRNNCells({ cells });
  }
  if (v instanceof Layer) {
    if (!isCell(v)) throw new KerasTypeError(`${label}: argument 'cell' got ${v.label}, which is not a recurrent cell (it has no \`stateSize\`)`);
    return v;
  }
  if (typeof v === 'object' && v !== null && typeof (v as { class_name?: unknown }).class_name === 'string') {
    return toCell(deserialize<Layer>('layer', v), label);
  }
  throw new KerasTypeError(`${label}: argument 'cell' got ${describe(v)}: expected a recurrent cell (a layer with \`stateSize\`), a list of cells, or a serialized cell`);
}

/** Rebuilds a layer from its own config with its own class (custom classes included). */
export function cloneLayer<T extends Layer>(layer: T, overrides: Record<string, unknown> = {}): T {
  const cls = layer.constructor as unknown as SerializableClass<T>;
  const config = { ...layer.getConfig(), ...overrides };
  const custom: Record<string, SerializableClass> = {};
  const cell = (layer as unknown as { cell?: Layer }).cell;
  if (cell) {
    custom[cell.className] = cell.constructor as unknown as SerializableClass;
    for (const c of (cell as unknown as { cells?: Layer[] }).cells ?? []) custom[c.className] = c.constructor as unknown as SerializableClass;
  }
  return cls.fromConfig(config, custom);
}
