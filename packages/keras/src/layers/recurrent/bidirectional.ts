import { ops, type HostTensor, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serialize, type CustomObjects, type SerializedObject } from '../../serialization/registry.js';
import { KerasTensor, type SymbolicShape } from '../../engine/keras-tensor.js';
import { Layer, configToArgs, parseArgs, type ApplyInputs, type ApplyKwargs, type CallContext, type InputShape, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { Tensor } from '../../tensor.js';
import { RNN, cloneLayer, initialStates } from './rnn.js';
import { firstMask, firstShape, prefixWeightPaths, requireUnrollableTime, reverseAxis, toSym } from './rnn-utils.js';
import { Wrapper, toLayer } from './wrapper.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasStateError, KerasTypeError, KerasValueError } from '../../errors.js';

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const Args = z.looseObject({
  /** How to combine the two outputs: 'concat' (default), 'sum', 'mul', 'ave', or null for a list of both. */
  mergeMode: z.enum(['concat', 'sum', 'mul', 'ave'], { message: "expected 'concat', 'sum', 'mul', 'ave' or null" }).nullable().default('concat'),
  weights: z.null({ message: 'initial weights are not supported here; call setWeights() after building' }).optional(),
  numConstants: z.union([z.literal(0), z.null()], { message: 'constants are not supported (num_constants must be 0 or null)' }).optional(),
});

/** The arguments of `Bidirectional` (each is documented on its schema, `Args`). */
export interface BidirectionalArgs extends LayerArgs, z.input<typeof Args> {
  /** The recurrent layer to run forwards (a fresh copy named `forward_<name>` is made from its config). */
  layer: RNN | Layer | Record<string, unknown>;
  /** The layer to run backwards (default: a copy of `layer` with go_backwards flipped). */
  backwardLayer?: RNN | Layer | Record<string, unknown> | null;
}

const removePrefix = (s: string, p: string) => (s.startsWith(p) ? s.slice(p.length) : s);

interface RecurrentLike extends Layer {
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
  timeMajor?: boolean;
  zeroOutputForMask?: boolean;
}

function isRecurrent(l: Layer): l is RecurrentLike {
  const r = l as Partial<RecurrentLike>;
  return typeof r.goBackwards === 'boolean' && typeof r.returnSequences === 'boolean';
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the two outputs
 * (Keras 2 semantics). The weights are the forward layer's, then the backward layer's.
 * With `returnSequences`, the backward output is reversed back into time order before merging.
 * With `returnState`, the call returns [output, ...forwardStates, ...backwardStates]
 * (two outputs first when mergeMode is null); `initialState` takes the forward states then the
 * backward ones.
 *
 * @example
 * const bi = new Bidirectional({ layer: new LSTM({ units: 8, returnSequences: true }) });
 * const y = bi.apply(Input({ shape: [20, 4] })); // KerasTensor [null, 20, 16]
 */
export class Bidirectional extends Wrapper {
  static override readonly className = 'Bidirectional';
  static override readonly argsSchema: ArgsDeclaration = argKeys(Args, 'backwardLayer');
  readonly mergeMode: MergeMode;
  readonly forwardLayer: RecurrentLike;
  readonly backwardLayer: RecurrentLike;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
  /** The backward layer's config when one was given (Keras 2 writes it as `backward_layer`). */
  private readonly backwardLayerConfig: SerializedObject | null;

  constructor(args: BidirectionalArgs) {
    super(args);
    const a = parseArgs(Args, args, this.label);
    if (!isRecurrent(this.layer)) {
      throw new KerasTypeError(`${this.label}: argument 'layer' got ${this.layer.label}, which is not a recurrent layer (it has no go_backwards / return_sequences)`);
    }
    this.mergeMode = a.mergeMode as MergeMode;
    const layer = this.layer as RecurrentLike;
    this.forwardLayer = cloneLayer(layer, { name: `forward_${removePrefix(layer.name, 'forward_')}` });
    if (args.backwardLayer !== undefined && args.backwardLayer !== null) {
      const bw = toLayer(args.backwardLayer, this.label, 'backward_layer');
      if (!isRecurrent(bw)) throw new KerasTypeError(`${this.label}: argument 'backward_layer' got ${bw.label}, which is not a recurrent layer`);
      this.backwardLayerConfig = serialize(bw);
      if (!bw.name.startsWith('backward_')) bw.name = `backward_${bw.name}`;
      this.backwardLayer = bw;
    } else {
      this.backwardLayerConfig = null;
      this.backwardLayer = cloneLayer(layer, { name: `backward_${removePrefix(layer.name, 'backward_')}`, go_backwards: !layer.goBackwards });
    }
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards) {
      throw new KerasValueError(`${this.label}: the forward and backward layers must have different go_backwards, got ${f.goBackwards} for both`);
    }
    for (const k of ['stateful', 'return_sequences', 'return_state'] as const) {
      const key = k === 'stateful' ? 'stateful' : k === 'return_sequences' ? 'returnSequences' : 'returnState';
      if (f[key] !== b[key]) throw new KerasValueError(`${this.label}: the forward and backward layers must have the same ${k}, got ${f[key]} and ${b[key]}`);
    }
    // Keras: masked steps output zeros when returning sequences.
    for (const l of [f, b]) if (typeof l.zeroOutputForMask === 'boolean') l.zeroOutputForMask = l.returnSequences;
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.stateful = layer.stateful;
    this.returnsList = this.returnState || this.mergeMode === null;
    this.supportsMasking = true;
  }

  override subLayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  private get timeAxis(): number {
    return this.forwardLayer.timeMajor ? 0 : 1;
  }

  /** Folds `initialState` into the inputs (as Keras 2 does), so that it travels in the graph. */
  protected override prepareApply(inputs: ApplyInputs, kwargs: ApplyKwargs): { inputs: ApplyInputs | readonly unknown[]; kwargs: ApplyKwargs } {
    const { initial_state, initialState, ...rest } = kwargs;
    const init = initial_state ?? initialState;
    const xs: readonly unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (xs[0] instanceof KerasTensor) requireUnrollableTime(this.label, xs[0].shape, this.timeAxis);
    if (init === undefined || init === null) return { inputs, kwargs: rest };
    return { inputs: [...xs, ...initialStates(init, xs[0])], kwargs: rest };
  }

  override build(inputShape: InputShape): void {
    const shape = firstShape(inputShape);
    requireUnrollableTime(this.label, shape, this.timeAxis);
    this.forwardLayer.maybeBuild(shape);
    this.backwardLayer.maybeBuild(shape);
    prefixWeightPaths(this.forwardLayer, this.name);
    prefixWeightPaths(this.backwardLayer, this.name);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape | SymbolicShape[] {
    requireUnrollableTime(this.label, firstShape(inputShape), this.timeAxis);
    return super.computeOutputShape(inputShape);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym | Sym[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    let states: Sym[] | null = list.length > 1 ? list.slice(1) : null;
    const kwInit = ctx.kwargs.initial_state ?? ctx.kwargs.initialState;
    if (kwInit !== undefined && kwInit !== null) {
      states = (Array.isArray(kwInit) ? kwInit : [kwInit]).map((v, i) => toSym(v, x.graph, `${this.label}: initial state ${i}`));
    }
    if (states && states.length % 2 !== 0) {
      throw new KerasValueError(`${this.label}: initial_state must hold the forward layer's states then the backward layer's (an even count), got ${states.length}`);
    }
    let mask = firstMask(ctx.mask);
    if (!mask && ctx.kwargs.mask !== undefined && ctx.kwargs.mask !== null) mask = toSym(ctx.kwargs.mask, x.graph, `${this.label}: mask`);
    const half = states ? states.length / 2 : 0;
    const run = (l: Layer, init: Sym[] | null) =>
      l.apply(x, { training: ctx.training, mask, ...(init ? { initial_state: init } : {}) } as Parameters<Layer['apply']>[1]);
    let y = run(this.forwardLayer, states ? states.slice(0, half) : null);
    let yRev = run(this.backwardLayer, states ? states.slice(half) : null);
    let fStates: Sym[] = [];
    let bStates: Sym[] = [];
    if (this.returnState) {
      [y, ...fStates] = y as Sym[];
      [yRev, ...bStates] = yRev as Sym[];
    }
    let a = y as Sym;
    let b = yRev as Sym;
    if (this.returnSequences) b = reverseAxis(b, this.timeAxis);
    let out: Sym | Sym[];
    switch (this.mergeMode) {
      case 'concat':
        out = ops.concat([a, b], -1);
        break;
      case 'sum':
        out = ops.add(a, b);
        break;
      case 'ave':
        out = ops.div(ops.add(a, b), 2);
        break;
      case 'mul':
        out = ops.mul(a, b);
        break;
      default:
        out = [a, b];
    }
    if (this.returnState) return [...(Array.isArray(out) ? out : [out]), ...fStates, ...bStates];
    return out;
  }

  override computeMask(_inputs: Sym | Sym[], mask: Mask): Mask {
    const m = firstMask(mask);
    const outMask: (Sym | null)[] = this.returnSequences ? (this.mergeMode === null ? [m, m] : [m]) : this.mergeMode === null ? [null, null] : [null];
    if (this.returnState) {
      const n = (this.forwardLayer as unknown as RNN).numStates ?? 0;
      return [...outMask, ...new Array<null>(2 * n).fill(null)];
    }
    return outMask.length === 1 ? outMask[0] : outMask;
  }

  /** The state variables of both layers (stateful layers). */
  get states(): unknown[] {
    const f = (this.forwardLayer as unknown as RNN).states ?? [];
    const b = (this.backwardLayer as unknown as RNN).states ?? [];
    return [...f, ...b];
  }

  /** Resets both layers' recorded states (stateful layers). */
  resetStates(states?: readonly HostTensor[]): void {
    if (!this.stateful) throw new KerasStateError(`${this.label}: reset_states needs a stateful layer (stateful: true)`);
    const f = this.forwardLayer as unknown as RNN;
    const b = this.backwardLayer as unknown as RNN;
    if (!states) {
      f.resetStates();
      b.resetStates();
      return;
    }
    const half = states.length / 2;
    f.resetStates(states.slice(0, half));
    b.resetStates(states.slice(half));
  }

  override getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { ...super.getConfig(), merge_mode: this.mergeMode };
    if (this.backwardLayerConfig) c.backward_layer = this.backwardLayerConfig;
    return c;
  }

  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    const args = configToArgs(config);
    args.layer = toLayer(config.layer, 'Bidirectional', 'layer', custom);
    if (config.backward_layer !== undefined && config.backward_layer !== null) args.backwardLayer = toLayer(config.backward_layer, 'Bidirectional', 'backward_layer', custom);
    return new this(args);
  }
}
