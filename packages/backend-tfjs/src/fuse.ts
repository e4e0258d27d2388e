import * as tf from '@tensorflow/tfjs';
import { ops, shapesEqual, sizeOf, type Graph, type Node } from '@keras-ts/spec';
import type { RunFn, TfjsBackendName } from './kernel.js';

/** A chain of nodes run as one tf.fused op at the position of its last node. */
export interface Fusion {
  /** The graph values the fused op reads. */
  readonly inputs: readonly number[];
  /** The nodes before the last one, which are not run on their own. */
  readonly absorbed: readonly number[];
  readonly run: RunFn;
}

type Activation = 'linear' | 'relu' | 'sigmoid';
const ACTIVATIONS: Record<string, Activation> = { relu: 'relu', sigmoid: 'sigmoid' };

/** The bias operand of add(y, b) or add(b, y): float32 [..., 1, n] broadcasting along the last axis of y. */
function biasOf(add: Node, y: Node, g: Graph): number | null {
  const [p, q] = add.inputs;
  if (p === q) return null;
  const other = p === y.id ? q : q === y.id ? p : null;
  if (other === null) return null;
  const b = g.nodes[other];
  const n = y.shape[y.shape.length - 1];
  if (b.dtype !== 'float32' || b.shape.length === 0 || b.shape.length > y.shape.length) return null;
  if (b.shape[b.shape.length - 1] !== n || sizeOf(b.shape) !== n) return null;
  if (add.shape.length !== y.shape.length || add.shape.some((d, i) => d !== y.shape[i])) return null;
  return other;
}

/** A matmul of two matrices, or a conv that tf.fused.conv2d runs (rank 1 or 2, one group). */
function fusable(n: Node, g: Graph): boolean {
  if (n.op === 'matmul') return n.inputs.every((i) => g.nodes[i].shape.length === 2);
  if (n.op === 'conv') return (n.attrs.rank === 1 || n.attrs.rank === 2) && n.attrs.groups === 1;
  return false;
}

/**
 * Finds matmul / conv nodes followed by a bias add and/or a relu or sigmoid, where every node
 * but the last has that one reader and is not a graph output, and binds each chain to
 * tf.fused.matMul / tf.fused.conv2d (keyed by the chain's last node). On wasm these run bias and
 * activation inside the XNNPACK kernel; on cpu they are the same ops in sequence.
 */
export function planFusions(g: Graph, backend: TfjsBackendName = 'cpu'): Map<number, Fusion> {
  const readers = new Map<number, number[]>();
  for (const n of g.nodes) for (const i of new Set(n.inputs)) readers.set(i, [...(readers.get(i) ?? []), n.id]);
  const outputs = new Set(g.outputs);
  const onlyReader = (id: number): Node | null => {
    const r = readers.get(id);
    return r && r.length === 1 && !outputs.has(id) ? g.nodes[r[0]] : null;
  };
  const out = new Map<number, Fusion>();
  for (const m of g.nodes) {
    if (!fusable(m, g)) continue;
    let last = m;
    let bias: number | null = null;
    let activation: Activation = 'linear';
    const absorbed: number[] = [];
    const next = onlyReader(m.id);
    if (next && next.op === 'add') {
      bias = biasOf(next, m, g);
      if (bias !== null) {
        absorbed.push(last.id);
        last = next;
      }
    }
    const act = onlyReader(last.id);
    // On wasm, tf.fused.matMul's relu (XNNPACK's output clamp) turns NaN into 0, where tf.relu,
    // TF and the spec keep it: there the relu stays a node of its own.
    const keepsNaN = !(backend === 'wasm' && m.op === 'matmul' && act?.op === 'relu');
    if (act && ACTIVATIONS[act.op] && keepsNaN) {
      activation = ACTIVATIONS[act.op];
      absorbed.push(last.id);
      last = act;
    }
    if (last === m) continue;
    const inputs = bias === null ? [...m.inputs] : [...m.inputs, bias];
    out.set(last.id, { inputs, absorbed, run: m.op === 'matmul' ? fusedMatMul(m, activation) : fusedConv(m, g, activation) });
  }
  planAffines(g, onlyReader, out);
  return out;
}

/**
 * Finds `add(mul(x, s), t)` (either operand order) with s and t per-channel vectors along x's last
 * axis and x of rank 2 to 4 — inference-mode batch normalization as the frontend writes it — and
 * runs each as one tf.batchNorm (mean 0, variance 1, epsilon 0, so it computes x * s + t). On
 * tfjs' cpu backend a broadcasting mul or add walks every element through index arithmetic:
 * MobileNetV2's 52 batch norms took 7.5 s of 11 s that way, against 0.25 s as FusedBatchNorm.
 */
function planAffines(g: Graph, onlyReader: (id: number) => Node | null, out: Map<number, Fusion>): void {
  const taken = new Set<number>();
  for (const f of out.values()) for (const id of f.absorbed) taken.add(id);
  for (const id of out.keys()) taken.add(id);
  for (const mul of g.nodes) {
    if (mul.op !== 'mul' || mul.dtype !== 'float32' || taken.has(mul.id) || mul.shape.length < 2 || mul.shape.length > 4) continue;
    const add = onlyReader(mul.id);
    if (!add || add.op !== 'add' || taken.has(add.id)) continue;
    const [p, q] = mul.inputs;
    // x is the operand of mul's full shape; the other must be a per-channel vector.
    let x: number | null = null;
    let scale: number | null = null;
    for (const [a, b] of [[p, q], [q, p]] as const) {
      if (x === null && shapesEqual(g.nodes[a].shape, mul.shape) && biasOf(mul, g.nodes[a], g) === b) {
        x = a;
        scale = b;
      }
    }
    if (x === null || scale === null) continue;
    const offset = biasOf(add, mul, g);
    if (offset === null) continue;
    const n = mul.shape[mul.shape.length - 1];
    taken.add(mul.id);
    taken.add(add.id);
    out.set(add.id, {
      inputs: [x, scale, offset],
      absorbed: [mul.id],
      run: ([xt, st, ot]) => tf.batchNorm(xt, tf.zeros([n]), tf.ones([n]), rank1(ot, n), rank1(st, n), 0),
    });
  }
}

/**
 * The bias as a rank-1 tensor whose storage is rank 1 too: tfjs' wasm fused kernels check the
 * shape recorded with the data, which a reshape does not change, so a bias reshaped from another
 * rank is copied (x + 0 is exact).
 */
function rank1(bias: tf.Tensor, n: number): tf.Tensor {
  const r = tf.reshape(bias, [n]);
  const backend = tf.backend() as unknown as { dataIdMap?: { get(id: object): { shape?: number[] } | undefined } };
  const stored = backend.dataIdMap?.get(r.dataId)?.shape;
  return stored && stored.length !== 1 ? tf.add(r, tf.scalar(0)) : r;
}

function fusedMatMul(m: Node, activation: Activation): RunFn {
  const transposeA = m.attrs.transposeA as boolean;
  const transposeB = m.attrs.transposeB as boolean;
  const n = m.shape[m.shape.length - 1];
  return ([a, b, bias]) =>
    tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA, transposeB, bias: bias && rank1(bias, n), activation });
}

const as4d = (t: tf.Tensor): tf.Tensor4D => t as tf.Tensor4D;

function fusedConv(m: Node, g: Graph, activation: Activation): RunFn {
  const a = m.attrs as { rank: number; strides: number[]; dilations: number[]; padding: ops.ConvPadding };
  const x = g.nodes[m.inputs[0]];
  const w = g.nodes[m.inputs[1]];
  const pads = ops.resolveConvPadding(x.shape.slice(1, -1), w.shape.slice(0, -2), a.strides, a.dilations, a.padding);
  const lifted = a.rank === 1;
  const p2 = lifted ? [[0, 0] as [number, number], pads[0]] : pads;
  const pad = p2.every(([b, c]) => b === 0 && c === 0) ? ('valid' as const) : ([[0, 0], p2[0], p2[1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]);
  const strides = (lifted ? [1, a.strides[0]] : a.strides) as [number, number];
  const dilations = (lifted ? [1, a.dilations[0]] : a.dilations) as [number, number];
  const xs: number[] = lifted ? [x.shape[0], 1, ...x.shape.slice(1)] : [...x.shape];
  const ws: number[] = lifted ? [1, ...w.shape] : [...w.shape];
  const cout = w.shape[w.shape.length - 1];
  const outShape = [...m.shape];
  return ([xt, wt, bias]) => {
    const y = tf.fused.conv2d({
      x: as4d(tf.reshape(xt, xs)),
      filter: as4d(tf.reshape(wt, ws)),
      strides,
      pad,
      dataFormat: 'NHWC',
      dilations,
      bias: bias && rank1(bias, cout),
      activation,
    });
    return lifted ? tf.reshape(y, outShape) : y;
  };
}
