/**
 * Shrinking a fuzz case that differs: drop layers one at a time, then the second output, then
 * arguments toward their defaults (a key removed) and sizes toward 1, then the batch and the input
 * sizes, keeping each step while the same difference (backend, phase, kind) persists.
 */
import { REQUIRED_KEYS, type LayerSpec } from './layers.js';
import { prune, type ModelSpec, type NodeSpec } from './models.js';
import type { FuzzCase, Finding } from './check.js';

/** Whether a finding is the same difference as the one being shrunk. */
export function sameFinding(a: Finding, b: Finding): boolean {
  if (a.backend !== b.backend || a.phase !== b.phase || a.kind !== b.kind) return false;
  if (a.kind === 'error' || a.kind === 'keras-error' || a.kind === 'save-error') return normalizeMessage(a.detail) === normalizeMessage(b.detail);
  return true;
}

/** An error message without names and numbers (so that the same error on a smaller model matches). */
export const normalizeMessage = (m: string): string =>
  m
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\[[^\]]*\]/g, '[…]')
    .replace(/\d+/g, 'N')
    .slice(0, 80);

/** Removes node k of a Sequential chain. */
function dropSequential(spec: ModelSpec, k: number): ModelSpec {
  const nodes = spec.nodes.filter((_, i) => i !== k).map((n, i) => ({ ...n, inputs: [i] }));
  return { ...spec, nodes, outputs: [nodes.length] };
}

/** Replaces node k of a graph by its input `via` (every use of its value reads `via`), then prunes. */
function bypass(spec: ModelSpec, k: number, via: number): ModelSpec {
  const nIn = spec.inputs.length;
  const v = k + nIn;
  const re = (u: number) => (u === v ? via : u > v ? u - 1 : u);
  const nodes: NodeSpec[] = spec.nodes.filter((_, i) => i !== k).map((n) => ({ layer: n.layer, inputs: n.inputs.map(re) }));
  const outputs = [...new Set(spec.outputs.map(re))].filter((o) => o >= nIn);
  if (outputs.length === 0) return spec;
  return prune({ ...spec, nodes, outputs });
}

const withLayer = (spec: ModelSpec, k: number, layer: LayerSpec): ModelSpec => ({ ...spec, nodes: spec.nodes.map((n, i) => (i === k ? { ...n, layer } : n)) });

/** Smaller versions of a layer config: each optional key removed, each size made 1 (wrapped layers too). */
function smallerLayers(layer: LayerSpec): LayerSpec[] {
  const out: LayerSpec[] = [];
  const cfg = layer.config;
  for (const key of Object.keys(cfg)) {
    const v = cfg[key];
    if (key === 'layer' && v && typeof v === 'object') {
      for (const inner of smallerLayers(v as LayerSpec)) out.push({ ...layer, config: { ...cfg, layer: inner } });
      continue;
    }
    if (!REQUIRED_KEYS.has(key)) {
      const rest = { ...cfg };
      delete rest[key];
      out.push({ ...layer, config: rest });
    }
    if (['units', 'filters', 'output_dim', 'n'].includes(key) && typeof v === 'number' && v > 1) out.push({ ...layer, config: { ...cfg, [key]: 1 } }, { ...layer, config: { ...cfg, [key]: Math.ceil(v / 2) } });
    if (key === 'kernel_size') {
      const one = Array.isArray(v) ? v.map(() => 1) : 1;
      if (JSON.stringify(one) !== JSON.stringify(v)) out.push({ ...layer, config: { ...cfg, kernel_size: one } });
    }
  }
  return out;
}

/** Every one-step-smaller candidate of a case, most promising first. */
export function* candidates(c: FuzzCase): Generator<FuzzCase> {
  const spec = c.model;
  const nIn = spec.inputs.length;
  for (let k = spec.nodes.length - 1; k >= 0; k--) {
    if (spec.kind === 'sequential') {
      if (spec.nodes.length > 1) yield { ...c, model: dropSequential(spec, k) };
    } else for (const via of new Set(spec.nodes[k].inputs)) yield { ...c, model: bypass(spec, k, via) };
  }
  if (spec.outputs.length > 1) for (const o of spec.outputs) yield { ...c, model: prune({ ...spec, outputs: [o] }) };
  if (spec.kind === 'functional' && spec.nodes.length === 1 && nIn === 1) yield { ...c, model: { ...spec, kind: 'sequential', outputs: [1] } };
  for (let k = 0; k < spec.nodes.length; k++) for (const layer of smallerLayers(spec.nodes[k].layer)) yield { ...c, model: withLayer(spec, k, layer) };
  if (c.train) {
    const t = c.train;
    if (t.epochs > 1) yield { ...c, train: { ...t, epochs: 1 } };
    if (t.samples > t.batch_size) yield { ...c, train: { ...t, samples: t.batch_size } };
    if (t.batch_size > 1) yield { ...c, train: { ...t, batch_size: 1, samples: Math.max(1, Math.ceil(t.samples / t.batch_size)) } };
    const cfg = t.optimizer.config;
    for (const key of Object.keys(cfg)) {
      // The learning rate and epsilon stay: they set how well-conditioned the comparison is.
      if (key === 'learning_rate' || key === 'epsilon') continue;
      const rest = { ...cfg };
      delete rest[key];
      yield { ...c, train: { ...t, optimizer: { ...t.optimizer, config: rest } } };
    }
  }
  if (spec.batch > 1) yield { ...c, model: { ...spec, batch: 1 } };
  for (let i = 0; i < nIn; i++) {
    const shape = spec.inputs[i].shape;
    for (let j = 0; j < shape.length; j++) {
      for (const smaller of new Set([1, Math.ceil(shape[j] / 2), shape[j] - 1])) {
        if (smaller < 1 || smaller >= shape[j]) continue;
        const inputs = spec.inputs.map((s, a) => (a === i ? { ...s, shape: s.shape.map((x, b) => (b === j ? smaller : x)) } : s));
        yield { ...c, model: { ...spec, inputs } };
      }
    }
  }
}

export interface ShrinkResult {
  case: FuzzCase;
  steps: number;
  tries: number;
}

/**
 * Greedy shrinking: take the first smaller candidate that still reproduces, start again from it,
 * until none does or the budget (tries, milliseconds) runs out.
 */
export async function shrink(c: FuzzCase, reproduces: (c: FuzzCase) => Promise<boolean>, budget = { tries: 200, ms: 120_000 }): Promise<ShrinkResult> {
  const start = Date.now();
  let current = c;
  let steps = 0;
  let tries = 0;
  const seen = new Set<string>();
  outer: for (;;) {
    for (const cand of candidates(current)) {
      if (tries >= budget.tries || Date.now() - start > budget.ms) break outer;
      const key = JSON.stringify([cand.model, cand.train]);
      if (seen.has(key)) continue;
      seen.add(key);
      tries++;
      if (await reproduces(cand)) {
        current = cand;
        steps++;
        continue outer;
      }
    }
    break;
  }
  return { case: current, steps, tries };
}
