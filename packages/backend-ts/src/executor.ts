import {
  allocData,
  constantData,
  fmtShape,
  lowerComposites,
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
import type { Kernel, KernelContext } from './kernel';

interface Step {
  readonly node: Node;
  readonly kernel: Kernel;
  readonly slot: number;
  readonly inputs: readonly number[];
}

/** Where each node's value lives during a run. */
type Binding = { kind: 'input'; index: number } | { kind: 'const'; data: DataArray } | { kind: 'slot'; slot: number };

class Scratch implements KernelContext {
  private f32 = new Float32Array(0);
  scratchF32(size: number): Float32Array {
    if (this.f32.length < size) this.f32 = new Float32Array(Math.max(size, this.f32.length * 2));
    return this.f32;
  }
}

/**
 * A graph compiled for backend-ts: composites without a fused kernel are lowered, dead nodes
 * dropped, and every intermediate value is given a slot in a memory plan in which a buffer is
 * reused as soon as its last reader has run. Buffers are allocated on the first run and kept
 * for the next ones.
 */
export class TsExecutable implements Executable {
  private readonly steps: Step[] = [];
  private readonly bindings = new Map<number, Binding>();
  private readonly slotSpecs: { dtype: DType; size: number }[] = [];
  private slots: DataArray[] | null = null;
  private readonly placeholders: Node[];
  private readonly outputs: number[];
  private readonly scratch = new Scratch();
  private readonly nodes: readonly Node[];

  constructor(graph: Graph, kernels: KernelRegistry<Kernel>) {
    const g = lowerComposites(graph, (op) => kernels.has(op));
    this.nodes = g.nodes;
    this.placeholders = g.inputs.map((i) => g.nodes[i]);
    this.outputs = [...g.outputs];
    g.inputs.forEach((id, index) => this.bindings.set(id, { kind: 'input', index }));

    const lastUse = new Map<number, number>();
    for (const n of g.nodes) for (const i of n.inputs) lastUse.set(i, n.id);
    for (const o of g.outputs) lastUse.set(o, Infinity);

    const free: number[] = [];
    for (const node of g.nodes) {
      if (node.op === 'placeholder') continue;
      if (node.op === 'constant') {
        this.bindings.set(node.id, { kind: 'const', data: constantData(node) });
        continue;
      }
      const size = sizeOf(node.shape);
      const fi = free.findIndex((s) => this.slotSpecs[s].dtype === node.dtype && this.slotSpecs[s].size === size);
      let slot: number;
      if (fi >= 0) slot = free.splice(fi, 1)[0];
      else {
        slot = this.slotSpecs.length;
        this.slotSpecs.push({ dtype: node.dtype, size });
      }
      this.bindings.set(node.id, { kind: 'slot', slot });
      this.steps.push({ node, kernel: kernels.get(node.op), slot, inputs: node.inputs });
      for (const i of new Set(node.inputs)) {
        const b = this.bindings.get(i)!;
        if (b.kind === 'slot' && lastUse.get(i) === node.id) free.push(b.slot);
      }
      if (!lastUse.has(node.id)) free.push(slot); // never read: reusable at once
    }
  }

  /** How many buffers the plan uses (for tests of reuse). */
  get bufferCount(): number {
    return this.slotSpecs.length;
  }

  private check(inputs: readonly HostTensor[]): void {
    if (inputs.length !== this.placeholders.length) {
      throw new Error(`backend-ts: the graph takes ${this.placeholders.length} input(s), got ${inputs.length}`);
    }
    inputs.forEach((t, k) => {
      const p = this.placeholders[k];
      const name = String(p.attrs.name);
      if (t.dtype !== p.dtype || !shapesEqual(t.shape, p.shape)) {
        throw new Error(`backend-ts: input ${k} ('${name}') must be ${p.dtype}${fmtShape(p.shape)}, got ${t.dtype}${fmtShape(t.shape)}`);
      }
      if (t.data.length !== sizeOf(t.shape)) {
        throw new Error(`backend-ts: input ${k} ('${name}') has ${t.data.length} elements for shape ${fmtShape(t.shape)}`);
      }
    });
  }

  runSync(inputs: readonly HostTensor[]): HostTensor[] {
    this.check(inputs);
    const slots = (this.slots ??= this.slotSpecs.map((s) => allocData(s.dtype, s.size)));
    const value = (id: number): DataArray => {
      const b = this.bindings.get(id)!;
      return b.kind === 'slot' ? slots[b.slot] : b.kind === 'const' ? b.data : inputs[b.index].data;
    };
    const tensor = (id: number): HostTensor => {
      const n = this.nodes[id];
      return { shape: n.shape, dtype: n.dtype, data: value(id) };
    };
    for (const step of this.steps) {
      step.kernel(step.inputs.map(tensor), step.node, slots[step.slot], this.scratch);
    }
    return this.outputs.map((id) => {
      const n = this.nodes[id];
      return { shape: n.shape, dtype: n.dtype, data: value(id).slice() };
    });
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    return this.runSync(inputs);
  }

  dispose(): void {
    this.slots = null;
  }
}
