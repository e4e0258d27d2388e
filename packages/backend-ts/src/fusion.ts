/**
 * Elementwise fusion for backend-ts.
 *
 * The expression of each op comes from its entry in the tables of ./kernels/elementwise.ts, the
 * same entry its standalone kernel is made from. The loops serve two uses: chains of elementwise
 * nodes (grouped here), and the epilogues of fused matmuls and convolutions (./kernels/fused.ts,
 * for the fused ops the spec's fuse-epilogues pass makes).
 *
 * A compile-time pass over a lowered graph groups connected elementwise nodes (unary, binary
 * with broadcasting, clip, where, float/bool casts) whose intermediate values have no reader
 * outside the group, and generates one loop per group with `new Function` from a small
 * expression template: every intermediate value lives in a local variable (rounded to float32
 * with Math.fround, so the results are bit-identical to running the nodes one by one), inputs
 * are read once per element, and the output is written once. Size-1 constants and `fill`
 * nodes become literals.
 *
 * Broadcast inputs are classified after collapsing the output's axes (as TensorFlow's BCast
 * does) so that the common cases are plain index expressions: same shape (`a[o]`), scalar,
 * trailing (a bias or per-channel vector, `a[j]` in an [R, L] view of the output) and
 * leading (`a[r]`, e.g. a [B, 1] divisor); anything else reads through a per-row offset table.
 *
 * Generated functions are cached by their source, so the many groups of one shape of
 * expression (every relu(x + bias) of a network) share one function and one optimized code.
 */
import { isOpNode, sizeOf, type DataArray, type DType, type Node, type Shape, KerasInternalError } from '@keras-ts/spec';
import { BINARY_OPS, literal as lit, SHAPED_OPS, UNARY_OPS } from './kernels/elementwise.js';

/** A fused elementwise loop over the flat output range [start, end). */
export type FusedLoop = (out: DataArray, inputs: readonly DataArray[], start: number, end: number) => void;

/** The result of grouping: which nodes form a group and what the group reads. */
export interface FusionGroup {
  /** The node whose value the group computes (its last member). */
  readonly root: number;
  /** Member nodes in topological order (root last). */
  readonly members: readonly number[];
  /** Nodes read from outside the group, in argument order. */
  readonly inputs: readonly number[];
}

/** H in generated code: every table function, by op name (the default expression calls it). */
const HELPERS: Record<string, unknown> = {
  ...Object.fromEntries(Object.entries(UNARY_OPS).map(([op, e]) => [op, e.f])),
  ...Object.fromEntries(Object.entries(BINARY_OPS).map(([op, e]) => [op, e.f])),
};

/** The expression of one elementwise node from its inputs' expressions, from its table entry. */
function exprOf(node: Node, ins: readonly string[]): string {
  const u = UNARY_OPS[node.op];
  if (u) return u.expr ? u.expr(ins[0]) : `H.${node.op}(${ins[0]})`;
  const b = BINARY_OPS[node.op];
  if (b) return b.expr ? b.expr(ins[0], ins[1]) : `H.${node.op}(${ins[0]}, ${ins[1]})`;
  const s = SHAPED_OPS[node.op];
  if (s) return s.expr(ins, node);
  throw new KerasInternalError(`backend-ts fusion: op '${node.op}' is not elementwise`);
}

const FLOATISH = (d: DType) => d === 'float32' || d === 'bool';

/** Whether `node` can be part of a generated elementwise loop. */
export function isFusible(node: Node, nodes: readonly Node[]): boolean {
  const op = node.op;
  if (!(op in UNARY_OPS || op in BINARY_OPS || op in SHAPED_OPS)) return false;
  if (!FLOATISH(node.dtype) || sizeOf(node.shape) === 0) return false;
  return node.inputs.every((i) => FLOATISH(nodes[i].dtype));
}

/** A size-1 float/bool constant or a `fill`: inlined as a literal instead of read. */
export function literalOf(node: Node): number | null {
  if (!FLOATISH(node.dtype)) return null;
  if (isOpNode(node, 'fill')) return storedValue(node.dtype, node.attrs.value);
  if (isOpNode(node, 'constant') && sizeOf(node.shape) === 1) return node.attrs.data[0];
  return null;
}

function storedValue(dtype: DType, v: number): number {
  const a = dtype === 'float32' ? new Float32Array(1) : new Uint8Array(1);
  a[0] = v;
  return a[0];
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Groups the fusible nodes of a graph (given in topological order). `consumers[id]` lists the
 * nodes reading node `id` (once per reader); `isOutput(id)` says whether a run returns it.
 */
export function fusionGroups(nodes: readonly Node[], consumers: readonly (readonly number[])[], isOutput: (id: number) => boolean, maxMembers = 64): FusionGroup[] {
  const groupOf = new Int32Array(nodes.length).fill(-1);
  const groups: FusionGroup[] = [];
  for (let id = nodes.length - 1; id >= 0; id--) {
    const root = nodes[id];
    if (groupOf[id] >= 0 || !isFusible(root, nodes)) continue;
    const g = groups.length;
    const members = new Set<number>([id]);
    groupOf[id] = g;
    let grew = true;
    while (grew && members.size < maxMembers) {
      grew = false;
      for (const m of [...members]) {
        for (const p of nodes[m].inputs) {
          if (members.has(p) || groupOf[p] >= 0) continue;
          const pn = nodes[p];
          if (!isFusible(pn, nodes) || isOutput(p) || !sameShape(pn.shape, root.shape)) continue;
          if (!consumers[p].every((c) => members.has(c))) continue;
          if (members.size >= maxMembers) break;
          members.add(p);
          groupOf[p] = g;
          grew = true;
        }
      }
    }
    const sorted = [...members].sort((a, b) => a - b);
    const inputs: number[] = [];
    for (const m of sorted) {
      for (const p of nodes[m].inputs) {
        if (members.has(p) || inputs.includes(p) || literalOf(nodes[p]) !== null) continue;
        inputs.push(p);
      }
    }
    groups.push({ root: id, members: sorted, inputs });
  }
  return groups.reverse();
}

/** How an input is indexed in the [R, L] view of the output. */
type Mode = 'full' | 'trail' | 'lead' | 'scalar' | 'table' | 'table-row';

interface Layout {
  /** Elements per row of the collapsed output. */
  readonly L: number;
  readonly modes: readonly Mode[];
  /** Per-row offsets of the inputs read through a table (null for the others). */
  readonly tables: readonly (Int32Array | null)[];
}

/** Collapses the output's axes and classifies each input's broadcast. */
function layoutOf(outShape: Shape, inShapes: readonly Shape[]): Layout {
  const rank = outShape.length;
  const aligned = inShapes.map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
  // Keep the axes of size > 1; merge neighbours on which every input agrees (broadcast or not).
  const dims: number[] = [];
  const flags: boolean[][] = inShapes.map(() => []);
  const strides: number[][] = inShapes.map(() => []);
  for (let d = 0; d < rank; d++) {
    const n = outShape[d];
    if (n === 1) continue;
    const f = aligned.map((s) => s[d] !== 1);
    const last = dims.length - 1;
    if (last >= 0 && f.every((v, k) => v === flags[k][last])) {
      dims[last] *= n;
    } else {
      dims.push(n);
      f.forEach((v, k) => flags[k].push(v));
    }
  }
  if (dims.length === 0) {
    return { L: 1, modes: inShapes.map(() => 'scalar' as Mode), tables: inShapes.map(() => null) };
  }
  // Strides of each input over the collapsed axes (0 where broadcast).
  for (let k = 0; k < inShapes.length; k++) {
    let s = 1;
    for (let d = dims.length - 1; d >= 0; d--) {
      strides[k][d] = flags[k][d] ? s : 0;
      if (flags[k][d]) s *= dims[d];
    }
  }
  const m = dims.length;
  const L = dims[m - 1];
  const R = sizeOf(dims) / L;
  const modes: Mode[] = [];
  const tables: (Int32Array | null)[] = [];
  for (let k = 0; k < inShapes.length; k++) {
    const f = flags[k];
    const inner = f[m - 1];
    const outer = f.slice(0, m - 1);
    let mode: Mode;
    if (m === 1) mode = inner ? 'full' : 'scalar';
    else if (outer.every((v) => v)) mode = inner ? 'full' : m === 2 ? 'lead' : 'table-row';
    else if (outer.every((v) => !v)) mode = inner ? 'trail' : 'scalar';
    else mode = inner ? 'table' : 'table-row';
    modes.push(mode);
    if (mode === 'table' || mode === 'table-row') {
      const t = new Int32Array(R);
      const outerDims = dims.slice(0, m - 1);
      const idx = new Array<number>(m - 1).fill(0);
      let off = 0;
      for (let r = 0; r < R; r++) {
        t[r] = off;
        for (let d = m - 2; d >= 0; d--) {
          idx[d]++;
          off += strides[k][d];
          if (idx[d] < outerDims[d]) break;
          off -= strides[k][d] * outerDims[d];
          idx[d] = 0;
        }
      }
      tables.push(t);
    } else tables.push(null);
  }
  return { L, modes, tables };
}

const loopCache = new Map<string, GeneratedLoop>();

type GeneratedLoop = (out: DataArray, A: readonly DataArray[], start: number, end: number, L: number, T: readonly (Int32Array | null)[]) => void;

/** The generated source of a group's loop: the expression and the input modes. */
function generate(nodes: readonly Node[], group: FusionGroup, modes: readonly Mode[]): string {
  const inputIndex = new Map(group.inputs.map((id, k) => [id, k]));
  const local = new Map<number, string>();
  const ref = (id: number): string => {
    const k = inputIndex.get(id);
    if (k !== undefined) return `x${k}`;
    const l = local.get(id);
    if (l !== undefined) return l;
    const v = literalOf(nodes[id]);
    if (v !== null) return lit(v);
    throw new KerasInternalError(`backend-ts fusion: node %${id} is neither an input nor a member`);
  };
  const body: string[] = [];
  let result = '';
  for (const id of group.members) {
    const n = nodes[id];
    const ins = n.inputs.map(ref);
    const e = exprOf(n, ins);
    if (id === group.root) result = e;
    else {
      const name = `t${id}`;
      local.set(id, name);
      // Each intermediate is rounded as if it had been stored, so fusion changes no result.
      body.push(`const ${name} = ${n.dtype === 'float32' ? `Math.fround(${e})` : e};`);
    }
  }
  const loads = modes.map((m, k) => {
    switch (m) {
      case 'full':
        return `const x${k} = a${k}[o];`;
      case 'trail':
        return `const x${k} = a${k}[j];`;
      case 'table':
        return `const x${k} = a${k}[b${k} + j];`;
      default:
        return '';
    }
  });
  const rowVars = modes
    .map((m, k) => (m === 'lead' ? `x${k} = a${k}[r];` : m === 'table' ? `b${k} = T[${k}][r];` : m === 'table-row' ? `x${k} = a${k}[T[${k}][r]];` : ''))
    .filter((l) => l !== '');
  const usesJ = modes.some((m) => m === 'trail' || m === 'table');
  const scalars = modes.map((m, k) => (m === 'scalar' ? `const x${k} = a${k}[0];` : ''));
  const head = ['return function fused(out, A, start, end, L, T) {', ...modes.map((_, k) => `const a${k} = A[${k}];`), ...scalars];
  const inner = [...loads, ...body, `out[o] = ${result};`];
  if (!usesJ && rowVars.length === 0) {
    // Every input is read at the output index or is a scalar: one flat loop.
    return [...head, 'for (let o = start; o < end; o++) {', ...inner, '}', '};'].filter((l) => l !== '').join('\n');
  }
  // One flat loop; j (the index within a row of length L) wraps, and values read once per row
  // are reloaded when it does (not past the last row).
  const declared = modes
    .map((m, k) => (m === 'lead' || m === 'table-row' ? `let x${k} = 0;` : m === 'table' ? `let b${k} = 0;` : ''))
    .filter((l) => l !== '');
  return [
    ...head,
    'let r = Math.floor(start / L), j = start - r * L;',
    ...declared,
    ...(rowVars.length ? ['if (start < end) {', ...rowVars, '}'] : []),
    'for (let o = start; o < end; o++) {',
    ...inner,
    rowVars.length ? `if (++j === L) { j = 0; r++; if (o + 1 < end) { ${rowVars.join(' ')} } }` : 'if (++j === L) j = 0;',
    '}',
    '};',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** A compiled group: its loop over a flat output range, given the inputs' data. */
export interface CompiledGroup {
  readonly loop: FusedLoop;
  /** The generated source (for tests and profiles). */
  readonly source: string;
  /** A short description of the members, e.g. `mul+add+relu`. */
  readonly label: string;
  /** The row length and per-input offset tables the loop reads its broadcast inputs with. */
  readonly L: number;
  readonly tables: readonly (Int32Array | null)[];
}

/** The loop of a generated source (from the cache, else compiled), with its layout bound. */
export function loopFromSource(source: string, L: number, tables: readonly (Int32Array | null)[]): FusedLoop {
  let fn = loopCache.get(source);
  if (!fn) {
    fn = (new Function('H', source) as (H: Record<string, unknown>) => GeneratedLoop)(HELPERS);
    loopCache.set(source, fn);
  }
  const f = fn;
  return (out, inputs, start, end) => f(out, inputs, start, end, L, tables);
}

/** Generates (or takes from the cache) the loop of one group. */
export function compileGroup(nodes: readonly Node[], group: FusionGroup): CompiledGroup {
  const root = nodes[group.root];
  const layout = layoutOf(root.shape, group.inputs.map((i) => nodes[i].shape));
  const source = generate(nodes, group, layout.modes);
  const { L, tables } = layout;
  const label = group.members.map((m) => nodes[m].op).join('+');
  return { loop: loopFromSource(source, L, tables), source, label, L, tables };
}

/** Clears the cache of generated loops (for tests). */
export function clearFusionCache(): void {
  loopCache.clear();
}
