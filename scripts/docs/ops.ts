/**
 * Writes docs/ops.md, the reference of the spec's op set, from the op declarations themselves:
 *
 *   npx tsx scripts/docs/ops.ts           # (re)write docs/ops.md
 *   npx tsx scripts/docs/ops.ts --check   # exit 1 when docs/ops.md is not what this would write
 *
 * What comes from code: the ops and their order (the registry), kind and arity, the attributes
 * with their types and defaults (walked from each op's zod schema), whether the op has a gradient
 * rule, what a composite decomposes into (its `decompose` traced on the nodes of the op suite's
 * cases, spec/testing/cases), and which backends run it natively (backend-ts and backend-tfjs:
 * their kernel registries; backend-onnx: its lowering table and NATIVE_COMPOSITES). What cannot
 * come from code (what the op computes, its shape, dtype and gradient rules in words) is each
 * op's `doc` (OpDoc in spec/src/ops/registry.ts); an op without one fails the run, naming it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph as GraphT, Node, OpDef } from '../../spec/src/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'docs', 'ops.md');

/**
 * The export condition under which the workspace packages resolve to their TypeScript sources.
 * Without it the backends would load @keras-ts/spec from its built dist/ (a second op registry,
 * possibly stale or absent): the script then runs itself again with it, before importing them.
 */
const SOURCE_CONDITION = 'keras-ts-source';

function hasSourceCondition(): boolean {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return args.some(
    (a, i) => a === `--conditions=${SOURCE_CONDITION}` || a === `-C=${SOURCE_CONDITION}` || ((a === '--conditions' || a === '-C') && args[i + 1] === SOURCE_CONDITION),
  );
}

if (!hasSourceCondition()) {
  const run = spawnSync(process.execPath, [...process.execArgv, `--conditions=${SOURCE_CONDITION}`, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const { allOps, Graph, KerasNotImplementedError, KerasTypeError, KerasValueError, liveNodes, lowerComposites, trace, withGraph } = await import('../../spec/src/index.js');
const { ALL_CASES } = await import('../../spec/testing/cases/index.js');
const { tsKernels } = await import('../../packages/backend-ts/src/index.js');
const { tfjsKernels } = await import('../../packages/backend-tfjs/src/index.js');
const { loweredOps, NATIVE_COMPOSITES } = await import('../../packages/backend-onnx/src/lower.js');

// ---------------------------------------------------------------------------------------------
// Attributes, from the zod (v4) schemas
// ---------------------------------------------------------------------------------------------

/** What this script reads of a zod v4 schema: its definition (`schema._zod.def`) and bag. */
interface ZodDef {
  readonly type: string;
  readonly [key: string]: unknown;
}

function zod(schema: unknown): { def: ZodDef; bag: Record<string, unknown> } {
  const internals = (schema as { _zod?: { def?: ZodDef; bag?: Record<string, unknown> } } | null)?._zod;
  if (!internals?.def) throw new KerasTypeError('not a zod v4 schema');
  return { def: internals.def, bag: internals.bag ?? {} };
}

/** A literal value as it reads in TypeScript. */
function literal(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

/** The number type with its refinements: 'integer ≥ 0', 'number', ... */
function numberType(def: ZodDef): string {
  let base = 'number';
  const bounds: string[] = [];
  for (const check of (def.checks as unknown[] | undefined) ?? []) {
    const c = zod(check).def as unknown as { check: string; format?: string; value?: unknown; inclusive?: boolean };
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32')) base = 'integer';
    else if (c.check === 'greater_than') bounds.push(`${c.inclusive ? '≥' : '>'} ${String(c.value)}`);
    else if (c.check === 'less_than') bounds.push(`${c.inclusive ? '≤' : '<'} ${String(c.value)}`);
    else throw new KerasNotImplementedError(`number check '${c.check}${c.format ? ` ${c.format}` : ''}' is not known to scripts/docs/ops.ts`);
  }
  return [base, ...bounds].join(' ');
}

/** The type of a schema in TypeScript-like words. Unknown schema kinds fail (teach this function). */
function typeOf(schema: unknown): string {
  const { def, bag } = zod(schema);
  // Element types with spaces are parenthesized before '[]', except tuples and objects, which are delimited already.
  const wrap = (t: string) => (/[ |]/.test(t) && !/^\[.*\]$|^\{.*\}$/.test(t) ? `(${t})` : t);
  switch (def.type) {
    case 'number':
      return numberType(def);
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>).map(literal).join(' | ');
    case 'literal':
      return (def.values as unknown[]).map(literal).join(' | ');
    case 'array':
      return `${wrap(typeOf(def.element))}[]`;
    case 'tuple':
      if (def.rest) throw new KerasNotImplementedError('tuples with a rest element are not known to scripts/docs/ops.ts');
      return `[${(def.items as unknown[]).map(typeOf).join(', ')}]`;
    case 'union':
      return (def.options as unknown[]).map(typeOf).join(' | ');
    case 'nullable':
      return `${typeOf(def.innerType)} | null`;
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
      return typeOf(def.innerType);
    case 'custom': {
      const cls = bag.Class as { name?: string } | undefined;
      if (!cls?.name) throw new KerasNotImplementedError('custom zod schemas other than z.instanceof are not known to scripts/docs/ops.ts');
      return cls.name;
    }
    case 'record':
      return `Record<${typeOf(def.keyType)}, ${typeOf(def.valueType)}>`;
    case 'unknown':
      return 'unknown';
    case 'object':
      return `{ ${Object.entries(def.shape as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${typeOf(v)}`)
        .join('; ')} }`;
    default:
      throw new KerasNotImplementedError(`zod type '${def.type}' is not known to scripts/docs/ops.ts`);
  }
}

interface Attribute {
  readonly name: string;
  readonly type: string;
  /** The default as a literal, or null when the attribute is required. */
  readonly default: string | null;
  readonly optional: boolean;
}

function attributesOf(op: OpDef): Attribute[] {
  const { def } = zod(op.attrs);
  if (def.type !== 'object') throw new KerasTypeError(`op '${op.name}': its attrs schema is a ${def.type}, not an object`);
  return Object.entries(def.shape as Record<string, unknown>).map(([name, schema]) => {
    const d = zod(schema).def;
    let dflt: string | null = null;
    if (d.type === 'default' || d.type === 'prefault') {
      const v = d.defaultValue;
      dflt = literal(typeof v === 'function' ? (v as () => unknown)() : v);
    }
    return { name, type: typeOf(schema), default: dflt, optional: d.type === 'optional' };
  });
}

// ---------------------------------------------------------------------------------------------
// Decompositions, traced on the op suite's cases
// ---------------------------------------------------------------------------------------------

/** Every node of every case of the op suite that traces (the cases that must fail are left out). */
function exampleNodes(): { graph: GraphT; node: Node }[] {
  const out: { graph: GraphT; node: Node }[] = [];
  for (const cases of Object.values(ALL_CASES)) {
    for (const c of cases) {
      if (c.throws) continue;
      let g: GraphT;
      try {
        g = trace(c.build, c.inputs);
      } catch {
        continue;
      }
      for (const node of g.nodes) out.push({ graph: g, node });
    }
  }
  return out;
}

interface Decomposition {
  /** The ops `decompose` emits directly. */
  readonly direct: string[];
  /** The primitives left once every composite among them is decomposed in turn. */
  readonly primitives: string[];
}

/** The ops a composite decomposes into, over every example node of it (sorted, without placeholders). */
function decompositionOf(op: OpDef, examples: readonly { graph: GraphT; node: Node }[]): Decomposition | null {
  const direct = new Set<string>();
  const primitives = new Set<string>();
  let seen = 0;
  for (const { graph, node } of examples) {
    if (node.op !== op.name) continue;
    seen++;
    const sub = new Graph();
    const ins = node.inputs.map((i) => sub.placeholder(graph.nodes[i].shape, graph.nodes[i].dtype));
    sub.outputs = [withGraph(sub, () => op.decompose!(ins, node.attrs)).id];
    const live = liveNodes(sub);
    for (const n of sub.nodes) if (live.has(n.id) && n.op !== 'placeholder') direct.add(n.op);
    for (const n of lowerComposites(sub).nodes) if (n.op !== 'placeholder') primitives.add(n.op);
  }
  if (seen === 0) return null;
  return { direct: [...direct].sort(), primitives: [...primitives].sort() };
}

// ---------------------------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------------------------

const BACKENDS = ['ts', 'tfjs', 'onnx'] as const;
type BackendName = (typeof BACKENDS)[number];

/**
 * Ops that backend-ts and backend-tfjs do not run through a kernel: their executors bind graph
 * inputs and constants themselves (backend-onnx lowers both, as inputs and initializers).
 */
const BOUND_BY_EXECUTOR = new Set(['placeholder', 'constant']);

function nativeBackends(): (op: OpDef) => BackendName[] {
  const ts = tsKernels();
  const tfjs = tfjsKernels();
  const onnx = new Set(loweredOps());
  return (op) => {
    const out: BackendName[] = [];
    if (ts.has(op.name) || BOUND_BY_EXECUTOR.has(op.name)) out.push('ts');
    if (tfjs.has(op.name) || BOUND_BY_EXECUTOR.has(op.name)) out.push('tfjs');
    // backend-onnx lowers every composite but NATIVE_COMPOSITES before its lowering table sees the graph.
    if (onnx.has(op.name) && (op.kind === 'primitive' || NATIVE_COMPOSITES.includes(op.name))) out.push('onnx');
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

/** Every reason the ops' words are incomplete, each naming its op. */
function docProblems(ops: readonly OpDef[]): string[] {
  const problems: string[] = [];
  for (const op of ops) {
    const d = op.doc;
    if (!d) {
      problems.push(`op '${op.name}' has no doc: add \`doc: { summary, inputs, shape, dtype, grad }\` to its defineOp`);
      continue;
    }
    for (const key of ['summary', 'shape', 'dtype'] as const) {
      if (!d[key]?.trim()) problems.push(`op '${op.name}': doc.${key} is empty`);
    }
    const arity = op.arity === 'variadic' ? 1 : op.arity;
    if (d.inputs.length !== arity) problems.push(`op '${op.name}': doc.inputs names ${d.inputs.length} input(s), the op takes ${op.arity}`);
    if (op.grad && !d.grad?.trim()) problems.push(`op '${op.name}' has a gradient rule but no doc.grad saying what it computes`);
  }
  return problems;
}

function gradientText(op: OpDef): string {
  const words = op.doc!.grad;
  if (op.grad) return words!;
  if (op.kind === 'composite') return `No rule of its own: the gradient of its decomposition.${words ? ` ${words}` : ''}`;
  if (op.arity === 0) return words ?? 'None: the op has no inputs.';
  return words ?? 'None: the op has no gradient rule (it is not differentiable).';
}

function code(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

function inputsText(op: OpDef): string {
  const names = op.doc!.inputs;
  if (names.length === 0) return 'none';
  return op.arity === 'variadic' ? `\`${names[0]}\`… (one or more)` : code(names);
}

/** The anchor GitHub gives a heading: lower case, spaces to '-', punctuation other than '-' and '_' dropped. */
function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9_ -]/g, '').replace(/ /g, '-');
}

function render(): string {
  const ops = allOps();
  const problems = docProblems(ops);
  if (problems.length) {
    throw Object.assign(new KerasValueError(`the op declarations lack words for docs/ops.md:\n  ${problems.join('\n  ')}`), { problems });
  }
  const native = nativeBackends();
  const examples = exampleNodes();
  const primitives = ops.filter((o) => o.kind === 'primitive').length;
  const lines: string[] = [];
  const push = (...ls: string[]) => lines.push(...ls);

  push(
    '# The op set',
    '',
    '<!-- Generated by scripts/docs/ops.ts from the op declarations in spec/src/ops/. Do not edit:',
    '     change the declarations (and their `doc`) and run `npx tsx scripts/docs/ops.ts`. -->',
    '',
    `The ${ops.length} ops of \`@keras-ts/spec\` (${primitives} primitive, ${ops.length - primitives} composite), in declaration order.`,
    'Each is declared once in `spec/src/ops/` with `defineOp`; this page is generated from those declarations:',
    '',
    "- **Attributes** come from the op's zod schema (the graph parses every node's attributes with it and fills the defaults).",
    "- **Shape**, **Dtype** and **Gradient** describe the op's `infer` and `grad` rules in words (its `doc`). A shape rule that rejects its inputs",
    '  makes tracing fail with an `OpError` naming the op, the inputs and the problem, before any backend runs.',
    '- A **primitive** must be implemented by every backend. A **composite** is defined by its decomposition into other ops',
    '  (listed as traced on the op suite\'s cases); a backend runs that decomposition unless it has a kernel of its own for the',
    "  composite. A composite without a gradient rule gets the gradient of its decomposition.",
    '- **Native** lists the backends that run the op with a kernel (backend-ts, backend-tfjs) or an ONNX lowering (backend-onnx) of',
    '  its own: their kernel registries and lowering table, read when this page was generated.',
    '',
    '## Index',
    '',
    '| Op | Kind | Inputs | ts | tfjs | onnx |',
    '|---|---|---|:-:|:-:|:-:|',
  );
  for (const op of ops) {
    const n = native(op);
    const mark = (b: BackendName) => (n.includes(b) ? '✓' : op.kind === 'composite' ? 'decomposed' : '**missing**');
    push(`| [\`${op.name}\`](#${anchor(op.name)}) | ${op.kind} | ${inputsText(op)} | ${BACKENDS.map(mark).join(' | ')} |`);
  }
  push('');

  for (const op of ops) {
    const d = op.doc!;
    const n = native(op);
    push(`## ${op.name}`, '');
    push(`*${op.kind}${op.pure === false ? ' · random (`pure: false`)' : ''}*`, '');
    push(d.summary, '');
    push(`- **Inputs:** ${inputsText(op)}`);
    const attrs = attributesOf(op);
    if (attrs.length === 0) push('- **Attributes:** none');
    else {
      push('- **Attributes:**');
      for (const a of attrs) {
        const dflt = a.default !== null ? `, default \`${a.default}\`` : a.optional ? ', optional' : ', required';
        push(`  - \`${a.name}\`: \`${a.type}\`${dflt}`);
      }
    }
    push(`- **Shape:** ${d.shape}`);
    push(`- **Dtype:** ${d.dtype}`);
    push(`- **Gradient:** ${gradientText(op)}`);
    if (op.kind === 'composite') {
      const dec = decompositionOf(op, examples);
      if (!dec) throw new KerasValueError(`composite op '${op.name}' appears in no case of the op suite (spec/testing/cases): its decomposition cannot be traced`);
      const same = dec.direct.length === dec.primitives.length && dec.direct.every((o, i) => o === dec.primitives[i]);
      push(`- **Decomposes into:** ${code(dec.direct)}${same ? '' : ` (primitives: ${code(dec.primitives)})`}`);
    }
    const missing = BACKENDS.filter((b) => !n.includes(b));
    let nativeText = n.length ? n.join(', ') : 'none';
    if (missing.length && op.kind === 'composite') nativeText += ` (${missing.join(', ')}: runs the decomposition)`;
    else if (missing.length) nativeText += ` (**missing** in ${missing.join(', ')})`;
    push(`- **Native:** ${nativeText}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  let text: string;
  try {
    text = render();
  } catch (e) {
    console.error(`scripts/docs/ops.ts: ${(e as Error).message}`);
    process.exit(1);
  }
  const rel = relative(process.cwd(), OUT) || OUT;
  if (check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : null;
    if (current !== text) {
      console.error(`${rel} is ${current === null ? 'missing' : 'stale'}: run \`npx tsx scripts/docs/ops.ts\` and commit the result`);
      process.exit(1);
    }
    console.log(`${rel} is up to date (${allOps().length} ops)`);
    return;
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${rel} (${allOps().length} ops)`);
}

main();
