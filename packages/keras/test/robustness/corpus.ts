/**
 * The seed corpus of the property tests: real Keras 3.16 configs and files from the goldens
 * (models, training cases, and single-layer cases wrapped in a Sequential), and the mutations
 * applied to them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const HERE = dirname(fileURLToPath(import.meta.url));
export const GOLDENS = join(HERE, '../../../../conformance/goldens/keras-3.16.0-torch');
export const FILES = join(GOLDENS, 'files');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

function readJson(file: string): JsonObject {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
}

let cache: { name: string; config: JsonObject }[] | null = null;

/**
 * Every real model config: the `model` of each model and training case, and each single-input
 * layer case as `Sequential([InputLayer(batch_shape), layer])`.
 */
export function seedConfigs(): { name: string; config: JsonObject }[] {
  if (cache) return cache;
  const out: { name: string; config: JsonObject }[] = [];
  for (const kind of ['models', 'training']) {
    for (const f of readdirSync(join(GOLDENS, kind)).sort()) {
      if (!f.endsWith('.json')) continue;
      const c = readJson(join(GOLDENS, kind, f));
      if (c.model && typeof c.model === 'object') out.push({ name: `${kind}/${f}`, config: c.model as JsonObject });
    }
  }
  for (const cls of readdirSync(join(GOLDENS, 'layers')).sort()) {
    for (const f of readdirSync(join(GOLDENS, 'layers', cls)).sort()) {
      const c = readJson(join(GOLDENS, 'layers', cls, f));
      const inputs = c.inputs as { shape: number[] }[] | undefined;
      if (!Array.isArray(inputs) || inputs.length !== 1 || c.input_is_list || !c.layer) continue;
      out.push({
        name: `layers/${cls}/${f}`,
        config: {
          class_name: 'Sequential',
          config: {
            name: 'seq',
            layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, ...inputs[0].shape.slice(1)], dtype: 'float32', name: 'in' } }, c.layer],
          },
        },
      });
    }
  }
  cache = out;
  return out;
}

/** Real files: the `.keras`, `.h5` and `.weights.h5` files of the goldens (not the large MobileNet ones). */
export function seedFiles(): string[] {
  return readdirSync(FILES)
    .filter((f) => !f.startsWith('mobilenet'))
    .sort()
    .map((f) => join(FILES, f));
}

// ---- JSON mutations ---------------------------------------------------------------------

/**
 * A deeply nested value, kept opaque while mutating (walking it recursively would overflow the
 * test's own stack); {@link toJsonText} and {@link expand} write it out without recursion.
 */
export class Deep {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object' | 'spec',
  ) {}
  get open(): string {
    return this.kind === 'array' ? '[' : this.kind === 'object' ? '{"config":' : '{"class_name":"Sequential","config":{"layers":[';
  }
  get close(): string {
    return this.kind === 'array' ? ']' : this.kind === 'object' ? '}' : ']}}';
  }
  /** The nested value itself, built bottom-up in a loop. */
  build(): unknown {
    let v: unknown = 1;
    for (let i = 0; i < this.depth; i++) v = this.kind === 'array' ? [v] : this.kind === 'object' ? { config: v } : { class_name: 'Sequential', config: { layers: [v] } };
    return v;
  }
  toJSON(): string {
    return `<nested ${this.kind} x${this.depth}>`;
  }
}

/** JSON text of a value that may hold {@link Deep} parts (the rest is small and shallow). */
export function toJsonText(v: unknown): string {
  if (v instanceof Deep) return v.open.repeat(v.depth) + '1' + v.close.repeat(v.depth);
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The value with every {@link Deep} part built (for loaders that take objects). */
export function expand(v: unknown): unknown {
  if (v instanceof Deep) return v.build();
  if (Array.isArray(v)) return v.map(expand);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]));
  return v;
}

/** Every path (list of keys/indices) to a value inside `v`, the root included. */
export function pathsOf(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === 'object' && !((v as unknown) instanceof Deep)) for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

/** Values that stress loaders: wrong types, huge and negative sizes, deep nesting, long strings. */
export function hostileValue(): fc.Arbitrary<unknown> {
  const deep = fc.record({ depth: fc.integer({ min: 50, max: 200_000 }), kind: fc.constantFrom<Deep['kind']>('array', 'object', 'spec') }).map(({ depth, kind }) => new Deep(depth, kind));
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1, 2, 0.5, -0.5, 1e9, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 53, 1e300, -1e300, '', 'None', 'float64', 'int8', 'uint8', 'float16', '__lambda__', '/dev/zero', '../../etc/passwd', '/etc/passwd', 'sub/../../x.bin', [], {}, [null], [-1], [0], [2 ** 31, 2 ** 31], [1e9, 1e9], [0.5]),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 20 }),
    fc.constant('x'.repeat(100_000)),
    fc.array(fc.integer({ min: -3, max: 100_000 }), { maxLength: 6 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)), { maxKeys: 4 }),
    deep,
  );
}

/** One edit of a JSON tree at a path. */
export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'swap'; at: number; other: number }
  | { op: 'duplicate'; at: number }
  | { op: 'number'; at: number; value: number }
  | { op: 'className'; at: number; name: string };

const CLASS_NAMES = ['Dense', 'Conv2D', 'LSTM', 'Sequential', 'Functional', 'Model', 'InputLayer', 'Lambda', 'Bidirectional', 'TimeDistributed', 'Embedding', 'BatchNormalization', 'Reshape', 'Concatenate', 'Add', 'GlorotUniform', 'Adam', 'NoSuchClass', '__keras_tensor__', '__lambda__', 'function'];

export function mutationArb(): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), at, value: hostileValue() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), at, other: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('number' as const), at, value: fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom(2 ** 31, 1e12, 0.5, -1)) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('className' as const), at, name: fc.constantFrom(...CLASS_NAMES) }) },
  );
}

function getAt(root: Json, path: (string | number)[]): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string, Json>)[k as string];
  return v;
}

function setAt(root: { v: Json }, path: (string | number)[], value: unknown): void {
  if (path.length === 0) {
    root.v = value as Json;
    return;
  }
  const parent = getAt(root.v, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path.at(-1)!] = value;
}

/** Applies mutations to a deep copy of `config` (indices are taken modulo the current path count). */
export function mutate(config: JsonObject, mutations: readonly Mutation[]): unknown {
  const root = { v: structuredClone(config) as Json };
  for (const m of mutations) {
    const paths = pathsOf(root.v);
    const path = paths[m.at % paths.length];
    const current = getAt(root.v, path);
    switch (m.op) {
      case 'delete': {
        if (path.length === 0) break;
        const parent = getAt(root.v, path.slice(0, -1));
        if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 1);
        else delete (parent as Record<string, Json>)[path.at(-1) as string];
        break;
      }
      case 'replace':
        setAt(root, path, m.value);
        break;
      case 'swap': {
        const other = paths[m.other % paths.length];
        const isPrefix = (a: (string | number)[], b: (string | number)[]) => a.length <= b.length && a.every((k, i) => b[i] === k);
        if (isPrefix(path, other) || isPrefix(other, path)) break;
        const o = getAt(root.v, other);
        setAt(root, path, o);
        setAt(root, other, current);
        break;
      }
      case 'duplicate': {
        if (Array.isArray(current)) current.push(current[0] instanceof Deep ? current[0] : structuredClone(current[0] ?? null));
        break;
      }
      case 'number':
        if (typeof current === 'number' || Array.isArray(current)) setAt(root, path, Array.isArray(current) ? current.map((x) => (typeof x === 'number' ? m.value : x)) : m.value);
        break;
      case 'className':
        if (current && typeof current === 'object' && !Array.isArray(current) && 'class_name' in current) (current as Record<string, Json>).class_name = m.name;
        break;
    }
  }
  return root.v;
}

// ---- byte mutations ----------------------------------------------------------------------

export type ByteMutation =
  | { op: 'truncate'; fraction: number }
  | { op: 'flip'; at: number; bit: number; count: number }
  | { op: 'fill'; at: number; length: number; byte: number }
  | { op: 'splice'; at: number; bytes: Uint8Array };

export function byteMutationArb(): fc.Arbitrary<ByteMutation> {
  const frac = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), fraction: frac }),
    fc.record({ op: fc.constant('flip' as const), at: frac, bit: fc.integer({ min: 0, max: 7 }), count: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ op: fc.constant('fill' as const), at: frac, length: fc.integer({ min: 1, max: 64 }), byte: fc.constantFrom(0x00, 0xff, 0x7f, 0x80) }),
    fc.record({ op: fc.constant('splice' as const), at: frac, bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  );
}

/** Applies byte mutations to a copy of `bytes`; `region` narrows where they land (e.g. the header). */
export function mutateBytes(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of mutations) {
    // Positions past the 8-byte signature, so that most files are still recognised and parsed.
    const pos = (f: number) => Math.max(0, Math.min(b.length - 1, 8 + Math.floor(f * (b.length - 8))));
    switch (m.op) {
      case 'truncate':
        b = b.subarray(0, 8 + Math.floor(m.fraction * Math.max(0, b.length - 8)));
        break;
      case 'flip': {
        if (!b.length) break;
        // Flips cluster near the start half of the time: headers are where parsers decide sizes.
        const start = pos(m.at < 0.5 ? m.at * 0.02 : m.at);
        for (let k = 0; k < m.count && start + k * 7 < b.length; k++) b[start + k * 7] ^= 1 << m.bit;
        break;
      }
      case 'fill':
        if (b.length) b.fill(m.byte, pos(m.at), pos(m.at) + m.length);
        break;
      case 'splice': {
        const p = pos(m.at);
        const nb = new Uint8Array(b.length + m.bytes.length);
        nb.set(b.subarray(0, p));
        nb.set(m.bytes, p);
        nb.set(b.subarray(p), p + m.bytes.length);
        b = nb;
        break;
      }
    }
  }
  return b;
}
