import {
  checkRunInputs,
  constantData,
  fmtShape,
  prepareGraph,
  shapesEqual,
  sizeOf,
  type DataArray,
  type DType,
  type Executable,
  type Graph,
  type HostTensor,
  type KernelRegistry,
  type Node,
} from '@keras-ts/spec';
import { compileGroup, fusionGroups, type CompiledGroup, type FusionGroup } from './fusion.js';
import type { Kernel, KernelContext } from './kernel.js';
import { parallelFor, type Parallel } from './parallel/pool.js';

/** Ops whose output is their input's data unchanged: bound to the input's buffer, never run. */
const ALIAS_OPS = new Set(['reshape', 'identity', 'stop_gradient']);

/** The executor's switches (see TsBackendOptions; epilogues are kernels, registered or not). */
export interface ExecutorOptions {
  readonly fuseElementwise?: boolean;
  readonly convPacking?: boolean;
  /** Threads large kernels may use (default 1); above 1 the plan's buffers are SharedArrayBuffers. */
  readonly threads?: number;
}

/** Where each node's value lives during a run. */
type Binding =
  | { kind: 'input'; index: number }
  | { kind: 'const'; data: DataArray }
  | { kind: 'slot'; slot: number }
  | { kind: 'alias'; of: number };

/** One planned step: a kernel, or a fused elementwise group. */
interface PlannedStep {
  /** The node whose value the step writes. */
  readonly node: Node;
  /** The nodes the step reads. */
  readonly reads: readonly number[];
  /** Kernel step: the kernel (null for a fused group). */
  readonly kernel: Kernel | null;
  readonly group: FusionGroup | null;
  readonly compiled: CompiledGroup | null;
  /** For profiles: the op, or the fused ops. */
  readonly label: string;
  slot: number;
}

class Scratch implements KernelContext {
  constructor(
    readonly convPacking: boolean,
    readonly parallel: Parallel | null,
  ) {}
  private f32 = new Float32Array(0);
  scratchF32(size: number): Float32Array {
    if (this.f32.length < size) this.f32 = new Float32Array(Math.max(size, this.f32.length * 2));
    return this.f32;
  }
}

/** A step's label in profiles: the op, with a fused op's epilogue steps, as `fused_matmul(add+relu)`. */
function labelOf(node: Node): string {
  const steps = node.attrs.epilogue;
  return Array.isArray(steps) ? `${node.op}(${steps.map((st: { op: string }) => st.op).join('+')})` : node.op;
}

const BYTES: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

function view(buffer: ArrayBufferLike, dtype: DType, size: number): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, 0, size);
    case 'int32':
      return new Int32Array(buffer, 0, size);
    case 'bool':
      return new Uint8Array(buffer, 0, size);
  }
}

// ---------------------------------------------------------------------------------
// Profiling (KERAS_TS_PROFILE=1): wall time per op kind, summed over runs.
// ---------------------------------------------------------------------------------

const PROFILE_MODE = typeof process !== 'undefined' ? process.env?.KERAS_TS_PROFILE : undefined;
const PROFILE = !!PROFILE_MODE;
/** KERAS_TS_PROFILE_SHAPES=1: profile labels also carry the step's input and output shapes. */
const PROFILE_SHAPES = PROFILE && !!process.env?.KERAS_TS_PROFILE_SHAPES;
/** KERAS_TS_PROFILE=cpu: process CPU time (less sensitive to other load); anything else: wall time. */
const clock: () => number =
  PROFILE_MODE === 'cpu'
    ? () => {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      }
    : () => performance.now();
const profile = new Map<string, { ms: number; calls: number }>();

/** Time spent per op (or fused group) kind since the last reset, slowest first; empty unless KERAS_TS_PROFILE is set (to `cpu` for CPU time). */
export function tsProfile(): { op: string; ms: number; calls: number }[] {
  return [...profile.entries()].map(([op, v]) => ({ op, ...v })).sort((a, b) => b.ms - a.ms);
}

/** Clears the times {@link tsProfile} reports. */
export function resetTsProfile(): void {
  profile.clear();
}

/**
 * A graph compiled for backend-ts. At compile time: the spec's passes run for the kernels
 * registered (composites without a kernel lowered; a matmul or conv and the elementwise chain
 * after it made one fused op, whose kernel runs the chain on each finished block of the output);
 * the remaining connected elementwise nodes are fused into generated loops (see ./fusion.ts);
 * reshapes are bound to their input's buffer; dead nodes are dropped; every value gets a slot
 * in a memory plan in which a buffer (raw bytes, any dtype) is reused as soon as its last
 * reader has run. Buffers and per-step argument lists are made on the first run and kept.
 */
export class TsExecutable implements Executable {
  private readonly steps: PlannedStep[] = [];
  private readonly bindings = new Map<number, Binding>();
  /** Bytes of each slot of the memory plan. */
  private readonly slotBytes: number[] = [];
  private readonly placeholders: Node[];
  private readonly outputs: number[];
  private readonly scratch: Scratch;
  private readonly nodes: readonly Node[];
  /** Made on the first run. */
  private prepared: { run: (() => void)[]; values: Map<number, DataArray>; holders: { data: DataArray }[]; patches: [DataArray[], number, number][] } | null = null;

  constructor(graph: Graph, kernels: KernelRegistry<Kernel>, options: ExecutorOptions = {}) {
    this.scratch = new Scratch(options.convPacking ?? true, parallelFor(options.threads ?? 1));
    const g = prepareGraph(graph, (op) => kernels.has(op));
    const nodes = g.nodes;
    this.nodes = nodes;
    this.placeholders = g.inputs.map((i) => nodes[i]);
    this.outputs = [...g.outputs];
    const outputSet = new Set(g.outputs);
    g.inputs.forEach((id, index) => this.bindings.set(id, { kind: 'input', index }));

    const consumers: number[][] = nodes.map(() => []);
    for (const n of nodes) for (const i of new Set(n.inputs)) consumers[i].push(n.id);

    // Fusion: connected elementwise nodes become one generated loop each.
    const groups = options.fuseElementwise === false ? [] : fusionGroups(nodes, consumers, (id) => outputSet.has(id));
    const absorbed = new Set<number>();
    const groupAt = new Map<number, FusionGroup>();
    for (const group of groups) {
      for (const m of group.members) if (m !== group.root) absorbed.add(m);
      groupAt.set(group.root, group);
    }

    // Steps in topological order.
    const planned: PlannedStep[] = [];
    for (const node of nodes) {
      if (node.op === 'placeholder') continue;
      if (node.op === 'constant') {
        this.bindings.set(node.id, { kind: 'const', data: constantData(node) });
        continue;
      }
      if (ALIAS_OPS.has(node.op) && nodes[node.inputs[0]].dtype === node.dtype) {
        this.bindings.set(node.id, { kind: 'alias', of: node.inputs[0] });
        continue;
      }
      if (absorbed.has(node.id)) continue;
      const group = groupAt.get(node.id);
      if (group) {
        const compiled = compileGroup(nodes, group);
        planned.push({ node, reads: group.inputs, kernel: null, group, compiled, label: compiled.label, slot: -1 });
      } else {
        planned.push({ node, reads: node.inputs, kernel: kernels.get(node.op), group: null, compiled: null, label: labelOf(node), slot: -1 });
      }
    }

    // Drop steps no output needs (e.g. fills that became literals).
    const root = (id: number): number => {
      let b = this.bindings.get(id);
      while (b && b.kind === 'alias') {
        id = b.of;
        b = this.bindings.get(id);
      }
      return id;
    };
    const stepOf = new Map(planned.map((s) => [s.node.id, s]));
    const needed = new Set<number>();
    const stack = this.outputs.map(root);
    while (stack.length) {
      const id = stack.pop()!;
      if (needed.has(id)) continue;
      needed.add(id);
      const s = stepOf.get(id);
      if (s) for (const r of s.reads) stack.push(root(r));
    }
    for (const s of planned) if (needed.has(s.node.id)) this.steps.push(s);

    // Memory plan over buffer roots: a slot is free once the last step reading its value has run.
    const lastUse = new Map<number, number>();
    this.steps.forEach((s, k) => {
      for (const r of s.reads) lastUse.set(root(r), k);
    });
    for (const o of this.outputs) lastUse.set(root(o), Infinity);
    const free: number[] = [];
    this.steps.forEach((s, k) => {
      const bytes = sizeOf(s.node.shape) * BYTES[s.node.dtype];
      // Best fit among the free slots; else grow the largest free one; else a new slot.
      let best = -1;
      for (let f = 0; f < free.length; f++) {
        const cap = this.slotBytes[free[f]];
        if (cap >= bytes && (best < 0 || cap < this.slotBytes[free[best]])) best = f;
      }
      if (best < 0 && free.length > 0) {
        best = 0;
        for (let f = 1; f < free.length; f++) if (this.slotBytes[free[f]] > this.slotBytes[free[best]]) best = f;
      }
      let slot: number;
      if (best >= 0) {
        slot = free.splice(best, 1)[0];
        this.slotBytes[slot] = Math.max(this.slotBytes[slot], bytes);
      } else {
        slot = this.slotBytes.length;
        this.slotBytes.push(bytes);
      }
      s.slot = slot;
      this.bindings.set(s.node.id, { kind: 'slot', slot });
      for (const r of new Set(s.reads.map(root))) {
        const b = this.bindings.get(r)!;
        if (b.kind === 'slot' && lastUse.get(r) === k) free.push(b.slot);
      }
      if (!lastUse.has(s.node.id)) free.push(slot); // never read: reusable at once
    });
  }

  /** How many buffers the plan uses (for tests of reuse). */
  get bufferCount(): number {
    return this.slotBytes.length;
  }

  /** Bytes of all the plan's buffers. */
  get planBytes(): number {
    return this.slotBytes.reduce((a, b) => a + b, 0);
  }

  /** The steps a run executes, by label (ops, or fused ops joined by '+'), for tests and profiles. */
  get stepLabels(): string[] {
    return this.steps.map((s) => s.label);
  }

  private check(inputs: readonly HostTensor[]): void {
    checkRunInputs('backend-ts', this.placeholders, inputs);
  }

  /** Allocates the buffers and builds each step's argument lists and closure (first run). */
  private prepare(inputs: readonly HostTensor[]): NonNullable<TsExecutable['prepared']> {
    // With threads, values live in shared memory, where worker threads read and write them.
    const Buffer = this.scratch.parallel ? SharedArrayBuffer : ArrayBuffer;
    const buffers = this.slotBytes.map((b) => new Buffer(b));
    const values = new Map<number, DataArray>();
    for (const s of this.steps) values.set(s.node.id, view(buffers[s.slot], s.node.dtype, sizeOf(s.node.shape)));
    // Inputs are reached through holders whose data is replaced on every run.
    const holders = this.placeholders.map((p, k) => ({ shape: p.shape, dtype: p.dtype, data: inputs[k].data }));
    const patches: [DataArray[], number, number][] = [];
    const resolve = (id: number): { tensor: HostTensor; input: number } => {
      const b = this.bindings.get(id)!;
      const n = this.nodes[id];
      switch (b.kind) {
        case 'input':
          return { tensor: holders[b.index], input: b.index };
        case 'const':
          return { tensor: { shape: n.shape, dtype: n.dtype, data: b.data }, input: -1 };
        case 'slot':
          return { tensor: { shape: n.shape, dtype: n.dtype, data: values.get(id)! }, input: -1 };
        case 'alias': {
          const r = resolve(b.of);
          return { tensor: r.input >= 0 ? holders[r.input] : { shape: n.shape, dtype: n.dtype, data: r.tensor.data }, input: r.input };
        }
      }
    };
    // An alias of an input must report its own shape: wrap holders per alias node.
    const tensorOf = (id: number): HostTensor => {
      const r = resolve(id);
      const n = this.nodes[id];
      if (r.input >= 0 && !shapesEqual(n.shape, holders[r.input].shape)) {
        const h = holders[r.input];
        return {
          shape: n.shape,
          dtype: n.dtype,
          get data() {
            return h.data;
          },
        };
      }
      return r.tensor;
    };
    const scratch = this.scratch;
    const run = this.steps.map((s): (() => void) => {
      const out = values.get(s.node.id)!;
      if (!s.group) {
        const ins = s.reads.map(tensorOf);
        const kernel = s.kernel!;
        const node = s.node;
        return () => kernel(ins, node, out, scratch);
      }
      const loop = s.compiled!.loop;
      const args: DataArray[] = [];
      s.group.inputs.forEach((id, k) => {
        const r = resolve(id);
        if (r.input >= 0) patches.push([args, k, r.input]);
        args.push(r.tensor.data);
      });
      const n = out.length;
      return () => loop(out, args, 0, n);
    });
    return { run, values, holders, patches };
  }

  runSync(inputs: readonly HostTensor[]): HostTensor[] {
    this.check(inputs);
    const p = (this.prepared ??= this.prepare(inputs));
    for (let k = 0; k < inputs.length; k++) p.holders[k].data = inputs[k].data;
    for (const [args, pos, input] of p.patches) args[pos] = inputs[input].data;
    if (PROFILE) {
      for (let k = 0; k < p.run.length; k++) {
        const t0 = clock();
        p.run[k]();
        const ms = clock() - t0;
        const st = this.steps[k];
        const label = PROFILE_SHAPES ? `${st.label} ${st.reads.map((r) => fmtShape(this.nodes[r].shape)).join(',')} -> ${fmtShape(st.node.shape)}` : st.label;
        const e = profile.get(label);
        if (e) {
          e.ms += ms;
          e.calls++;
        } else profile.set(label, { ms, calls: 1 });
      }
    } else {
      for (const f of p.run) f();
    }
    return this.outputs.map((id) => {
      const n = this.nodes[id];
      return { shape: n.shape, dtype: n.dtype, data: this.valueOf(id, inputs, p.values).slice() };
    });
  }

  private valueOf(id: number, inputs: readonly HostTensor[], values: Map<number, DataArray>): DataArray {
    const b = this.bindings.get(id)!;
    switch (b.kind) {
      case 'input':
        return inputs[b.index].data;
      case 'const':
        return b.data;
      case 'slot':
        return values.get(id)!;
      case 'alias':
        return this.valueOf(b.of, inputs, values);
    }
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    return this.runSync(inputs);
  }

  dispose(): void {
    this.prepared = null;
  }
}
