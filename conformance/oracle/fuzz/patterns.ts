/**
 * What a shrunk difference is about, as a pattern later cases are matched against: the layers left
 * in the shrunk model with their non-size arguments. A case whose model holds every layer of a
 * pattern (with those arguments) and differs the same way is counted as that difference again,
 * without shrinking it anew.
 */
import { SIZE_KEYS, type LayerSpec } from './layers.js';
import type { ModelSpec } from './models.js';
import type { Finding } from './check.js';

export interface LayerPattern {
  class_name: string;
  /** Arguments whose value must be equal (strings, booleans, integers, lists). */
  equal: Record<string, unknown>;
  /** Arguments that must only be present (floats: any value). */
  present: string[];
  inner?: LayerPattern;
}

export interface Pattern {
  /** The backends that differ this way (or 'keras' / 'keras-ts' for file differences). */
  backends: string[];
  phase: Finding['phase'];
  kind: Finding['kind'];
  layers: LayerPattern[];
}

/** Layers that carry nothing but shape plumbing in a shrunk model (not part of a pattern). */
const PLUMBING = new Set(['Flatten', 'Reshape', 'Concatenate']);

export function layerPattern(l: LayerSpec): LayerPattern {
  const equal: Record<string, unknown> = {};
  const present: string[] = [];
  let inner: LayerPattern | undefined;
  for (const [k, v] of Object.entries(l.config)) {
    if (k === 'layer' && v && typeof v === 'object') inner = layerPattern(v as LayerSpec);
    else if (SIZE_KEYS.has(k)) continue;
    else if (typeof v === 'number' && !Number.isInteger(v)) present.push(k);
    else equal[k] = v;
  }
  return { class_name: l.class_name, equal, present, inner };
}

export function patternOf(spec: ModelSpec, f: Finding, backends = [f.backend]): Pattern {
  const layers = spec.nodes.map((n) => layerPattern(n.layer)).filter((p) => !PLUMBING.has(p.class_name) || spec.nodes.length === 1);
  return { backends, phase: f.phase, kind: f.kind, layers };
}

function layerMatches(p: LayerPattern, l: LayerSpec): boolean {
  if (p.class_name !== l.class_name) return false;
  for (const [k, v] of Object.entries(p.equal)) if (JSON.stringify(l.config[k]) !== JSON.stringify(v)) return false;
  for (const k of p.present) if (!(k in l.config)) return false;
  if (p.inner) return !!l.config.layer && layerMatches(p.inner, l.config.layer as LayerSpec);
  return true;
}

/** Whether a case's model and finding fit a pattern. */
export function matches(p: Pattern, spec: ModelSpec, f: Finding): boolean {
  if (!p.backends.includes(f.backend) || p.phase !== f.phase || p.kind !== f.kind) return false;
  return p.layers.every((lp) => spec.nodes.some((n) => layerMatches(lp, n.layer)));
}

export const describePattern = (p: Pattern): string =>
  p.layers
    .map((l) => {
      const args = [...Object.entries(l.equal).map(([k, v]) => `${k}=${JSON.stringify(v)}`), ...l.present.map((k) => `${k}=…`)];
      return `${l.class_name}${l.inner ? `(${l.inner.class_name})` : ''}${args.length ? `{${args.join(', ')}}` : ''}`;
    })
    .join(' + ');
