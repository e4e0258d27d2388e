import * as tf from '@tensorflow/tfjs';
import {
  allocData,
  checkRunInputs,
  constantData,
  prepareGraph,
  sizeOf,
  type DataArray,
  type DType,
  type Executable,
  type Graph,
  type HostTensor,
  type KernelRegistry,
  type Node,
  KerasStateError,
} from '@keras-ts/spec';
import type { CompileContext, Kernel, RunFn, TfjsBackendName } from './kernel.js';
import { activate } from './setup.js';

interface Step {
  readonly id: number;
  readonly inputs: readonly number[];
  readonly run: RunFn;
  /** Values whose last reader is this step: disposed right after it. */
  readonly release: readonly number[];
}

/** What a kernel's `ctx.memo` function made last, and from which tensor. */
interface Memo {
  src: tf.Tensor | null;
  value: tf.Tensor | null;
}

/** The device copy of a stable input, kept until another object arrives at its slot. */
interface CacheEntry {
  readonly host: HostTensor;
  readonly tensor: tf.Tensor;
}

/**
 * The values that depend only on constants and stable inputs (weights), computed once for one
 * set of stable input objects and reused while the same objects arrive (predict and evaluate feed
 * the same weights every run): e.g. each inference batch norm's `gamma / sqrt(variance + eps)`.
 */
interface Hoisted {
  /** The stable input objects by slot (null: not stable) these values were computed from. */
  readonly key: readonly (HostTensor | null)[];
  /** Steps that read a non-stable value, with release lists that spare the cached values. */
  readonly steps: readonly Step[];
  /** The derived values the remaining steps or the outputs read, kept across runs. */
  readonly values: Map<number, tf.Tensor>;
}

/**
 * The steps with their release lists: each value a step makes is disposed right after its last
 * reader among these steps (at once when nothing reads it); graph outputs, inputs, constants and
 * values made elsewhere never are.
 */
function withReleases(steps: readonly Omit<Step, 'release'>[], outputs: readonly number[]): Step[] {
  const lastUse = new Map<number, number>();
  steps.forEach((s, k) => s.inputs.forEach((i) => lastUse.set(i, k)));
  const owned = new Set(steps.map((s) => s.id));
  const outs = new Set(outputs);
  const release: number[][] = steps.map(() => []);
  for (const [id, k] of lastUse) if (owned.has(id) && !outs.has(id)) release[k].push(id);
  return steps.map((s, k) => {
    if (!lastUse.has(s.id) && !outs.has(s.id)) release[k].push(s.id);
    return { ...s, release: release[k] };
  });
}

const sameKey = (a: readonly (HostTensor | null)[], b: readonly (HostTensor | null)[]): boolean =>
  a.length === b.length && a.every((t, i) => t === b[i]);

const ARRAY: Record<DType, new (n: number) => DataArray> = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

/** An empty tensor of a node's shape and dtype (tfjs kernels are not all safe on size 0). */
function empty(node: Node): RunFn {
  const shape = [...node.shape];
  const dtype = node.dtype;
  return () => tf.tensor(allocData(dtype, 0), shape, dtype);
}

/**
 * A graph compiled for tfjs: the spec's passes run for the kernels registered (composites without
 * a kernel lowered; matmul/conv + bias + activation chains and inference batch norms made fused
 * ops, whose kernels call tf.fused and tf.batchNorm), and each node is bound to a prepared
 * kernel. Constants are uploaded once. A run uploads the inputs, runs the steps inside `tf.tidy`
 * disposing every value after its last reader, and downloads the outputs with dataSync.
 *
 * A `stable` input is uploaded once: its device copy is kept (tf.keep) for its input slot, keyed
 * by the HostTensor object, and disposed as soon as another object arrives at that slot (a
 * weight's next value) or the executable is disposed. Unlike a WeakMap keyed by the object, this
 * frees device memory deterministically: tfjs tensors are not garbage-collected, and a training
 * loop makes a new weight object every step.
 */
export class TfjsExecutable implements Executable {
  private readonly steps: Step[] = [];
  private readonly placeholders: Node[];
  private readonly inputIds: number[];
  private readonly outputs: number[];
  private readonly nodes: readonly Node[];
  private readonly constants = new Map<number, tf.Tensor>();
  private readonly kept: tf.Tensor[] = [];
  private readonly memos: Memo[] = [];
  private readonly cache: (CacheEntry | null)[];
  private disposed = false;
  private hoisted: Hoisted | null = null;
  private lastKey: readonly (HostTensor | null)[] = [];
  private sameKeyRuns = 0;

  constructor(
    graph: Graph,
    kernels: KernelRegistry<Kernel>,
    readonly backend: TfjsBackendName,
    private readonly onDispose: (e: TfjsExecutable) => void = () => {},
  ) {
    activate(backend);
    const g = prepareGraph(graph, (op) => kernels.has(op));
    this.nodes = g.nodes;
    this.placeholders = g.inputs.map((i) => g.nodes[i]);
    this.inputIds = [...g.inputs];
    this.outputs = [...g.outputs];
    this.cache = this.placeholders.map(() => null);
    const ctx: CompileContext = {
      backend,
      keep: (t) => {
        this.kept.push(tf.keep(t));
        return t;
      },
      memo: (make) => {
        const m: Memo = { src: null, value: null };
        this.memos.push(m);
        return (t) => {
          if (m.src === t && m.value && !m.value.isDisposed) return m.value;
          m.value?.dispose();
          m.src = t;
          m.value = tf.keep(make(t));
          return m.value;
        };
      },
    };
    try {
      const planned: { id: number; inputs: readonly number[]; run: RunFn }[] = [];
      for (const node of g.nodes) {
        if (node.op === 'placeholder') continue;
        if (node.op === 'constant') {
          this.constants.set(node.id, ctx.keep(tf.tensor(constantData(node), [...node.shape], node.dtype)));
          continue;
        }
        const infos = node.inputs.map((i) => g.nodes[i]);
        const run = sizeOf(node.shape) === 0 ? empty(node) : kernels.get(node.op)(node, infos, ctx);
        planned.push({ id: node.id, inputs: node.inputs, run });
      }
      this.steps.push(...withReleases(planned, this.outputs));
    } catch (e) {
      this.freeKept();
      throw e;
    }
  }

  private check(inputs: readonly HostTensor[]): void {
    if (this.disposed) throw new KerasStateError('backend-tfjs: this executable was disposed');
    checkRunInputs('backend-tfjs', this.placeholders, inputs);
  }

  /** The device tensor of a stable input: uploaded on first sight of this object at this slot. */
  private stableInput(k: number, t: HostTensor): tf.Tensor {
    const hit = this.cache[k];
    if (hit && hit.host === t) return hit.tensor;
    hit?.tensor.dispose();
    this.cache[k] = null;
    const tensor = tf.keep(upload(t));
    this.cache[k] = { host: t, tensor };
    return tensor;
  }

  runSync(inputs: readonly HostTensor[]): HostTensor[] {
    return this.execute(inputs, (values) => this.download(values, inputs));
  }

  /**
   * Runs the graph and returns what `take` makes of the values (inside the run's tf.tidy: tensors
   * it returns must be kept with tf.keep).
   */
  private execute<R>(inputs: readonly HostTensor[], take: (values: readonly (tf.Tensor | undefined)[]) => R): R {
    this.check(inputs);
    activate(this.backend);
    const values: (tf.Tensor | undefined)[] = new Array(this.nodes.length);
    for (const [id, t] of this.constants) values[id] = t;
    // Stable inputs are uploaded outside the tidy scope (they outlive the run).
    inputs.forEach((t, k) => {
      if (t.stable) values[this.inputIds[k]] = this.stableInput(k, t);
    });
    const key = inputs.map((t) => (t.stable ? t : null));
    this.sameKeyRuns = sameKey(key, this.lastKey) ? this.sameKeyRuns + 1 : 1;
    this.lastKey = key;
    if (this.hoisted && !sameKey(this.hoisted.key, key)) this.dropHoisted();
    // The second run in a row with the same stable inputs computes their derived values once more
    // and keeps them; later runs with those inputs skip the steps that made them.
    const fresh = !this.hoisted && this.sameKeyRuns >= 2 && key.some((t) => t) ? this.planHoist(key) : null;
    let result!: R;
    tf.tidy(() => {
      inputs.forEach((t, k) => {
        if (!t.stable) values[this.inputIds[k]] = upload(t);
      });
      const hoisted = this.hoisted;
      if (hoisted) {
        for (const [id, t] of hoisted.values) values[id] = t;
        this.runSteps(hoisted.steps, values);
      } else if (fresh) {
        this.runSteps(fresh.computeSteps, values);
        const kept = new Map<number, tf.Tensor>();
        for (const id of fresh.kept) kept.set(id, tf.keep(values[id]!));
        this.hoisted = { key: fresh.key, steps: fresh.steps, values: kept };
      } else this.runSteps(this.steps, values);
      result = take(values);
    });
    return result;
  }

  private runSteps(steps: readonly Step[], values: (tf.Tensor | undefined)[]): void {
    for (const step of steps) {
      const ins = step.inputs.map((i) => values[i]!);
      let y = step.run(ins);
      if (ins.includes(y)) y = y.clone(); // every value gets its own handle, so it can be disposed
      values[step.id] = y;
      for (const r of step.release) values[r]!.dispose();
    }
  }

  /**
   * Splits the steps for a set of stable inputs: derived steps read only constants, stable inputs
   * and derived values; the kept values are the derived ones a non-derived step or an output
   * reads. Returns the steps of the computing run (every step, the kept values never released) and
   * of the later runs (the non-derived steps only).
   */
  private planHoist(key: readonly (HostTensor | null)[]): { key: readonly (HostTensor | null)[]; computeSteps: Step[]; steps: Step[]; kept: Set<number> } {
    const known = new Set<number>(this.constants.keys());
    key.forEach((t, k) => t && known.add(this.inputIds[k]));
    const derived = new Set<number>();
    for (const s of this.steps) {
      if (s.inputs.every((i) => known.has(i) || derived.has(i))) derived.add(s.id);
    }
    const outs = new Set(this.outputs);
    const kept = new Set<number>();
    const rest = this.steps.filter((s) => !derived.has(s.id));
    for (const s of rest) for (const i of s.inputs) if (derived.has(i)) kept.add(i);
    for (const o of outs) if (derived.has(o)) kept.add(o);
    const computeSteps = this.steps.map((s) => ({ ...s, release: s.release.filter((r) => !kept.has(r)) }));
    // The later runs release only what the remaining steps make (the kept values are not theirs).
    return { key, computeSteps, steps: withReleases(rest, this.outputs), kept };
  }

  private dropHoisted(): void {
    for (const t of this.hoisted?.values.values() ?? []) t.dispose();
    this.hoisted = null;
  }

  /**
   * Reads the outputs. cpu's dataSync returns the tensor's own storage, which is handed over
   * as is unless it is shared with an input, a constant or another output (then it is copied).
   */
  private download(values: readonly (tf.Tensor | undefined)[], inputs: readonly HostTensor[]): HostTensor[] {
    const shared = new Set<unknown>();
    if (this.backend === 'cpu') {
      for (const t of this.constants.values()) shared.add(t.dataId);
      for (const t of this.hoisted?.values.values() ?? []) shared.add(t.dataId);
      inputs.forEach((_, k) => shared.add(values[this.inputIds[k]]!.dataId));
    }
    return this.outputs.map((id) => {
      const node = this.nodes[id];
      const t = values[id]!;
      let data = t.dataSync() as DataArray;
      const Ctor = ARRAY[node.dtype];
      if (!(data instanceof Ctor)) {
        const c = new Ctor(data.length);
        c.set(data);
        data = c;
      } else if (this.backend === 'cpu') {
        if (shared.has(t.dataId)) data = data.slice();
        shared.add(t.dataId);
      }
      return { shape: [...node.shape], dtype: node.dtype, data };
    });
  }

  /**
   * Runs the graph. On webgpu the outputs are read asynchronously (tf.Tensor.data): tfjs' synchronous
   * WebGPU readback gives zeros and loses the device in headless Chromium's SwiftShader WebGPU.
   */
  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    if (this.backend !== 'webgpu') return this.runSync(inputs);
    const outs = this.execute(inputs, (values) => this.outputs.map((id) => tf.keep(values[id]!.clone())));
    try {
      return await Promise.all(
        outs.map(async (t, k) => {
          const node = this.nodes[this.outputs[k]];
          let data = (await t.data()) as DataArray;
          const Ctor = ARRAY[node.dtype];
          if (!(data instanceof Ctor)) {
            const c = new Ctor(data.length);
            c.set(data);
            data = c;
          }
          return { shape: [...node.shape], dtype: node.dtype, data };
        }),
      );
    } finally {
      tf.dispose(outs);
    }
  }

  private freeKept(): void {
    for (const t of this.kept) t.dispose();
    this.kept.length = 0;
    for (const m of this.memos) {
      m.value?.dispose();
      m.value = m.src = null;
    }
    this.memos.length = 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.freeKept();
    this.dropHoisted();
    this.lastKey = [];
    this.constants.clear();
    for (const e of this.cache) e?.tensor.dispose();
    this.cache.fill(null);
    this.onDispose(this);
  }
}

/** A host tensor as a tfjs tensor (on cpu the typed array is used in place, not copied). */
function upload(t: HostTensor): tf.Tensor {
  return tf.tensor(t.data, [...t.shape], t.dtype);
}
