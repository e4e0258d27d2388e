/**
 * Random valid models for the differential fuzzer: Sequential chains and functional graphs
 * (branches joined by Add, Concatenate, ...) whose shapes fit. Each layer is applied in keras-ts as
 * it is drawn, so the shape after it is known; a layer keras-ts refuses is redrawn (and counted).
 */
import { Input, type KerasTensor } from '@keras-ts/keras';
import { attention, embedding, GENERATORS, mergeSame, type LayerSpec } from './layers.js';
import { makeLayer, prune, type InputSpec, type ModelSpec, type NodeSpec } from './models.js';
import type { Rng } from './rng.js';

/** Most elements one sample may hold after any layer, and the longest axis. */
const MAX_ELEMENTS = 512;
const MAX_DIM = 48;

/** What keras-ts refused while models were drawn (message -> count), for the report. */
export const refusals = new Map<string, number>();

const shapeOf = (t: KerasTensor): number[] => t.shape.slice(1).map((d) => d ?? -1);
const fits = (s: number[]) => s.every((d) => d >= 1 && d <= MAX_DIM) && s.reduce((a, b) => a * b, 1) <= MAX_ELEMENTS;

function drawInput(r: Rng, allowInt: boolean): InputSpec {
  const kind = r.weighted<string>([
    ['vector', 3],
    ['sequence', 4],
    ['image', 3],
    ['tokens', allowInt ? 1.2 : 0],
  ]);
  if (kind === 'vector') return { shape: [r.int(1, 8)], dtype: 'float32' };
  if (kind === 'sequence') return { shape: [r.int(1, 7), r.int(1, 5)], dtype: 'float32' };
  if (kind === 'image') return { shape: [r.int(1, 7), r.int(1, 7), r.int(1, 4)], dtype: 'float32' };
  return { shape: [r.int(1, 6)], dtype: 'int32' };
}

/** A graph under construction: the spec so far and each value's KerasTensor. */
class Graph {
  readonly nodes: NodeSpec[] = [];
  readonly values: KerasTensor[];

  constructor(readonly inputs: InputSpec[]) {
    this.values = inputs.map((s, i) => Input({ shape: s.shape, dtype: s.dtype, name: `input_${i}` }));
  }

  /** Applies a layer to values; false (nothing added) when keras-ts refuses or the shape is out of range. */
  tryApply(layer: LayerSpec, from: number[]): boolean {
    try {
      const ins = from.map((v) => this.values[v]);
      const out = makeLayer(layer, this.nodes.length).apply(ins.length === 1 ? ins[0] : ins);
      if (Array.isArray(out)) return false;
      const t = out;
      if (!fits(shapeOf(t)) || t.dtype !== 'float32') return false;
      this.nodes.push({ layer, inputs: from });
      this.values.push(t);
      return true;
    } catch (e) {
      const msg = (e as Error).message.replace(/'[a-z0-9_]+_\d+'/g, "'…'").replace(/\d+/g, 'N').slice(0, 160);
      const key = `${layer.class_name}: ${msg}`;
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
      return false;
    }
  }

  shape(v: number): number[] {
    return shapeOf(this.values[v]);
  }

  /** Draws a one-input layer for value v and applies it (a few tries); whether one was added. */
  grow(r: Rng, v: number): boolean {
    if (this.values[v].dtype !== 'float32') return false;
    const shape = this.shape(v);
    const gens = GENERATORS.filter((g) => g.ranks.includes(shape.length));
    for (let attempt = 0; attempt < 6; attempt++) {
      const g = r.weighted(gens.map((x) => [x, x.weight] as const));
      const spec = g.gen(r, shape);
      if (spec && this.tryApply(spec, [v])) return true;
    }
    return false;
  }

  /** Joins two values: a same-shape merge, a Concatenate, or both flattened and concatenated. */
  join(r: Rng, a: number, b: number): boolean {
    if (a === b || this.values[a]?.dtype !== 'float32' || this.values[b]?.dtype !== 'float32') return false;
    const sa = this.shape(a);
    const sb = this.shape(b);
    const same = sa.length === sb.length && sa.every((d, i) => d === sb[i]);
    if (sa.length === 2 && sb.length === 2 && r.bool(0.3)) {
      const att = attention(r, sa, sb);
      if (att && this.tryApply(att, [a, b])) return true;
    }
    if (same && sa.length === 1 && r.bool(0.15)) return this.tryApply({ class_name: 'Dot', config: { axes: 1, ...(r.bool(0.4) ? { normalize: true } : {}) } }, [a, b]);
    if (same && r.bool(0.7)) return this.tryApply(mergeSame(r), [a, b]);
    if (sa.length === sb.length) {
      const diff = sa.map((d, i) => (d === sb[i] ? -1 : i)).filter((i) => i >= 0);
      if (diff.length <= 1) {
        const axis = diff.length === 1 ? diff[0] + 1 : r.int(1, sa.length);
        return this.tryApply({ class_name: 'Concatenate', config: axis === sa.length && r.bool(0.5) ? {} : { axis } }, [a, b]);
      }
    }
    const flat = (v: number) => (this.shape(v).length === 1 ? v : this.tryApply({ class_name: 'Flatten', config: {} }, [v]) ? this.values.length - 1 : -1);
    const fa = flat(a);
    const fb = flat(b);
    return fa >= 0 && fb >= 0 && this.tryApply({ class_name: 'Concatenate', config: {} }, [fa, fb]);
  }
}

/** Values a value depends on (itself included). */
function ancestors(nodes: NodeSpec[], nIn: number, v: number, seen = new Set<number>()): Set<number> {
  if (seen.has(v)) return seen;
  seen.add(v);
  if (v >= nIn) for (const u of nodes[v - nIn].inputs) ancestors(nodes, nIn, u, seen);
  return seen;
}

function startInput(r: Rng, g: Graph, i: number): number {
  if (g.inputs[i].dtype === 'int32') return g.tryApply(embedding(r), [i]) ? g.values.length - 1 : -1;
  if (g.inputs[i].shape.length === 2 && r.bool(0.08) && g.tryApply({ class_name: 'Masking', config: r.bool(0.5) ? {} : { mask_value: 0 } }, [i])) return g.values.length - 1;
  return i;
}

/** A random Sequential model: one input, 1 to 6 layers. */
function sequential(r: Rng): ModelSpec | null {
  const g = new Graph([drawInput(r, true)]);
  let v = startInput(r, g, 0);
  if (v < 0) return null;
  const n = r.int(1, 6);
  for (let i = 0; i < n; i++) if (g.grow(r, v)) v = g.values.length - 1;
  if (g.nodes.length === 0) return null;
  return { kind: 'sequential', inputs: g.inputs, nodes: g.nodes, outputs: [g.values.length - 1], batch: r.int(1, 3) };
}

/** A random functional model: one or two inputs, branches joined by merges, one or two outputs. */
function functional(r: Rng): ModelSpec | null {
  const first = drawInput(r, true);
  const inputs = [first];
  if (r.bool(0.35)) inputs.push(r.bool(0.6) ? { ...first, shape: [...first.shape.slice(0, -1), r.int(1, 5)] } : drawInput(r, false));
  const g = new Graph(inputs);
  const heads = inputs.map((_, i) => startInput(r, g, i));
  if (heads.some((h) => h < 0)) return null;
  const steps = r.int(2, 7);
  for (let i = 0; i < steps; i++) {
    const recent = g.values.length - 1 - r.int(0, Math.min(2, g.values.length - 1));
    const pool = [...heads, ...Array.from({ length: g.nodes.length }, (_, k) => k + inputs.length)].filter((v) => g.values[v].dtype === 'float32');
    const others = pool.filter((x) => x !== recent);
    if (others.length && r.bool(0.3)) {
      g.join(r, recent, r.pick(others));
    } else if (r.bool(0.2) && g.values.length > inputs.length) {
      // a second branch from an earlier value, joined later
      g.grow(r, r.pick(pool));
    } else g.grow(r, recent);
  }
  if (g.nodes.length === 0) return null;
  let out = g.values.length - 1;
  const nIn = inputs.length;
  // Every input must reach the output.
  for (let i = 0; i < nIn; i++) {
    if (ancestors(g.nodes, nIn, out).has(i)) continue;
    if (!g.join(r, out, heads[i])) return null;
    out = g.values.length - 1;
  }
  const outputs = [out];
  const used = new Set(g.nodes.flatMap((n) => n.inputs));
  const leaves = g.nodes.map((_, k) => k + nIn).filter((v) => v !== out && !used.has(v));
  if (leaves.length && r.bool(0.5)) outputs.push(r.pick(leaves));
  return prune({ kind: 'functional', inputs, nodes: g.nodes, outputs, batch: r.int(1, 3) });
}

/** A random model (retried until one fits). */
export function generateModel(r: Rng): ModelSpec {
  for (;;) {
    const m = r.bool(0.55) ? sequential(r) : functional(r);
    if (m) return m;
  }
}
