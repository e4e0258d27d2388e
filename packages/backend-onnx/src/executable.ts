import { defaultRuntime, type OrtRuntime, type OrtSession, type OrtTensor } from './runtime.js';
import { fmtShape, shapesEqual, sizeOf, type DataArray, type Executable, type Graph, type HostTensor, KerasInternalError, KerasShapeError, KerasStateError, KerasValueError } from '@keras-ts/spec';
import { GATHER_REFUSED_INDEX, lowerGraph, type IOSpec } from './lower.js';

type Inputs = readonly (IOSpec & { index: number })[];

/** A session being created or ready; released once no run is using it. */
class SessionHandle {
  private active = 0;
  private releaseWanted = false;

  constructor(private readonly session: Promise<OrtSession>) {}

  async run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    this.active++;
    try {
      return await (await this.session).run(feeds);
    } finally {
      this.active--;
      if (this.releaseWanted && this.active === 0) this.doRelease();
    }
  }

  release(): void {
    this.releaseWanted = true;
    if (this.active === 0) this.doRelease();
  }

  private doRelease(): void {
    void this.session.then((s) => s.release()).catch(() => {});
  }
}

/** A session with some stable inputs baked in as initializers. */
interface Specialized {
  /** The baked tensors by graph input position. */
  readonly baked: ReadonlyMap<number, HostTensor>;
  readonly inputs: Inputs;
  readonly session: SessionHandle;
}

/** Session options of every compiled graph. */
export interface OnnxSessionOptions {
  /** Threads of one operator (onnxruntime's default: one per physical core). */
  readonly intraOpNumThreads?: number;
  /**
   * Let onnxruntime's pool threads spin-wait for work after a run (default false). Spinning
   * burns a core between runs, time the JS thread needs for the frontend's work between steps.
   */
  readonly spinning?: boolean;
  /** onnxruntime graph optimizations (default 'all'). */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * Bake `stable` inputs (weights) into a second session once the same weight objects have been
   * fed to two runs in a row (default true), so that onnxruntime can pre-pack them and choose
   * its blocked convolution layouts. Training steps, whose weights change on every run, never
   * trigger it; predict and evaluate loops do. Needs at least `minStableElements` elements.
   */
  readonly specializeStableInputs?: boolean;
  /** Smallest total size of the stable inputs worth a specialized session (default 4096). */
  readonly minStableElements?: number;
  /**
   * onnxruntime's own logging to stderr: 0 verbose ... 3 errors, 4 fatal only (default 4: its
   * errors reach the caller as exceptions with their message, not as coloured lines on stderr).
   */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/**
 * onnxruntime's run errors, with what they mean for the spec's ops where that is known: a Gather
 * index out of bounds (a negative one was moved past the end by the lowering: the spec refuses
 * negative indices, as TF and the other backends).
 */
function explainRunError(e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /indices element out of data bounds, idx=(-?\d+) must be within the inclusive range \[(-?\d+),\s*(-?\d+)\]/.exec(msg);
  if (m) {
    const idx = Number(m[1]) === GATHER_REFUSED_INDEX ? 'a negative index' : `index ${m[1]}`;
    const size = Number(m[3]) + 1;
    return new KerasValueError(`backend-onnx: op 'gather': ${idx} is out of range for an axis of size ${size} (valid: 0..${size - 1}) (onnxruntime: ${msg})`, { cause: e });
  }
  return e instanceof Error ? e : new KerasInternalError(msg);
}

function ortType(dtype: string): 'float32' | 'int32' | 'bool' {
  return dtype as 'float32' | 'int32' | 'bool';
}

/**
 * A graph lowered to an ONNX model, run by one onnxruntime InferenceSession that is created on
 * the first run and reused. Weight inputs marked `stable` keep their ort.Tensor between runs,
 * and when the same stable inputs are fed twice in a row (predict, evaluate) they are baked into
 * a second, specialized session (see {@link OnnxSessionOptions.specializeStableInputs}).
 */
export class OnnxExecutable implements Executable {
  /** The encoded ModelProto (for inspection and tests). */
  readonly model: Uint8Array;
  private readonly inputs: Inputs;
  private readonly outputs: readonly IOSpec[];
  private readonly graphInputs: number;
  private session: SessionHandle | null = null;
  private readonly stableCache = new WeakMap<HostTensor, OrtTensor>();
  private disposed = false;
  /** The stable inputs of the last run (by graph input position) and how many runs in a row fed them. */
  private lastStable: (HostTensor | null)[] = [];
  private sameStableRuns = 0;
  private specialized: Specialized | null = null;
  /** How many specialized sessions were built (for tests). */
  specializations = 0;

  constructor(
    private readonly graph: Graph,
    private readonly options: OnnxSessionOptions = {},
    /** The ONNX Runtime binding (default: onnxruntime-node, set by `@keras-ts/backend-onnx`). */
    private readonly runtime: OrtRuntime = defaultRuntime(),
  ) {
    const lowered = lowerGraph(graph);
    this.model = lowered.builder.encode();
    this.inputs = lowered.inputs;
    this.outputs = lowered.outputs;
    this.graphInputs = graph.inputs.length;
  }

  private createSession(model: Uint8Array): SessionHandle {
    return new SessionHandle(this.runtime.createSession(model, {
      graphOptimizationLevel: this.options.graphOptimizationLevel ?? 'all',
      executionMode: 'sequential',
      logSeverityLevel: this.options.logSeverityLevel ?? 4,
      ...(this.options.intraOpNumThreads ? { intraOpNumThreads: this.options.intraOpNumThreads } : {}),
      // onnxruntime's Pad_Fusion rule folds a constant-0 Pad into a following MaxPool's pads, which
      // pad with -inf: ZeroPadding2D -> MaxPooling2D after a convolution then loses the zeros (a
      // negative window gives its maximum instead of 0), and pads >= the pool size fail to load.
      extra: { session: { intra_op: { allow_spinning: this.options.spinning ? '1' : '0' } }, optimization: { disable_specified_optimizers: 'Pad_Fusion' } },
    }));
  }

  private getSession(): SessionHandle {
    if (this.disposed) throw new KerasStateError('backend-onnx: the executable was disposed');
    this.session ??= this.createSession(this.model);
    return this.session;
  }

  private releaseSpecialized(): void {
    const s = this.specialized;
    this.specialized = null;
    s?.session.release();
  }

  /**
   * Picks the session for this run: the specialized one when its baked tensors are exactly
   * this run's stable inputs; builds one when the same stable inputs come a second time in a row.
   */
  private chooseSession(inputs: readonly HostTensor[]): { session: SessionHandle; inputs: Inputs } {
    if (this.options.specializeStableInputs === false) return { session: this.getSession(), inputs: this.inputs };
    const stable = inputs.map((t) => (t.stable ? t : null));
    const same = stable.length === this.lastStable.length && stable.every((t, i) => t === this.lastStable[i]);
    this.sameStableRuns = same ? this.sameStableRuns + 1 : 1;
    this.lastStable = stable;
    const sp = this.specialized;
    if (sp) {
      let hit = true;
      for (const [i, t] of sp.baked) if (inputs[i] !== t) hit = false;
      if (hit) return { session: sp.session, inputs: sp.inputs };
      this.releaseSpecialized();
    }
    const size = stable.reduce((n, t) => n + (t ? t.data.length : 0), 0);
    if (this.sameStableRuns >= 2 && size >= (this.options.minStableElements ?? 4096)) {
      const baked = new Map<number, HostTensor>();
      const bakeById = new Map<number, HostTensor>();
      stable.forEach((t, i) => {
        if (t) {
          baked.set(i, t);
          bakeById.set(this.graph.inputs[i], t);
        }
      });
      const lowered = lowerGraph(this.graph, { bake: bakeById });
      const session = this.createSession(lowered.builder.encode());
      this.specialized = { baked, inputs: lowered.inputs, session };
      this.specializations++;
      return { session, inputs: lowered.inputs };
    }
    return { session: this.getSession(), inputs: this.inputs };
  }

  private check(inputs: readonly HostTensor[]): void {
    if (inputs.length !== this.graphInputs) {
      throw new KerasValueError(`backend-onnx: the graph takes ${this.graphInputs} input(s), got ${inputs.length}`);
    }
    for (const spec of this.inputs) {
      const t = inputs[spec.index];
      if (t.dtype !== spec.dtype || !shapesEqual(t.shape, spec.shape)) {
        throw new KerasValueError(`backend-onnx: input ${spec.index} ('${spec.name}') must be ${spec.dtype}${fmtShape(spec.shape)}, got ${t.dtype}${fmtShape(t.shape)}`);
      }
      if (t.data.length !== sizeOf(t.shape)) {
        throw new KerasShapeError(`backend-onnx: input ${spec.index} ('${spec.name}') has ${t.data.length} elements for shape ${fmtShape(t.shape)}`);
      }
    }
  }

  private tensor(t: HostTensor): OrtTensor {
    if (t.stable) {
      let c = this.stableCache.get(t);
      if (!c) {
        c = this.runtime.tensor(ortType(t.dtype), t.data, t.shape);
        this.stableCache.set(t, c);
      }
      return c;
    }
    return this.runtime.tensor(ortType(t.dtype), t.data, t.shape);
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    this.check(inputs);
    if (this.disposed) throw new KerasStateError('backend-onnx: the executable was disposed');
    const chosen = this.chooseSession(inputs);
    const feeds: Record<string, OrtTensor> = {};
    for (const spec of chosen.inputs) feeds[spec.name] = this.tensor(inputs[spec.index]);
    let results: Record<string, OrtTensor>;
    try {
      results = await chosen.session.run(feeds);
    } catch (e) {
      throw explainRunError(e);
    }
    return this.outputs.map((o) => {
      const r = results[o.name];
      let data = r.data as DataArray;
      if (o.dtype === 'bool' && !(data instanceof Uint8Array)) data = Uint8Array.from(data as ArrayLike<number>);
      return { shape: o.shape, dtype: o.dtype, data };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session?.release();
    this.session = null;
    this.releaseSpecialized();
    this.lastStable = [];
  }
}
