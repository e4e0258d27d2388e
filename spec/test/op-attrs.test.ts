import { describe, expect, it } from 'vitest';
import { allOps, isOpNode, type Node, type OpAttrs, type OpName, type OpNode } from '../src/index.js';

/**
 * Every op's attributes are typed from its schema (`OpSchemas`, filled next to each op's
 * declaration), so a kernel registered for it receives typed attributes.
 */
/** The ops whose attributes are typed; the type makes this list exactly the keys of `OpSchemas`. */
const TYPED: Record<OpName, true> = {
  scale_shift: true,
  fused_matmul: true,
  fused_conv: true,
  fused_conv_transpose: true,
  fused_depthwise_conv: true,
  neg: true,
  abs: true,
  sign: true,
  exp: true,
  log: true,
  log1p: true,
  expm1: true,
  sqrt: true,
  rsqrt: true,
  square: true,
  reciprocal: true,
  sin: true,
  cos: true,
  tanh: true,
  sigmoid: true,
  relu: true,
  erf: true,
  floor: true,
  ceil: true,
  round: true,
  softplus: true,
  logical_not: true,
  add: true,
  sub: true,
  mul: true,
  div: true,
  pow: true,
  maximum: true,
  minimum: true,
  equal: true,
  not_equal: true,
  less: true,
  less_equal: true,
  greater: true,
  greater_equal: true,
  logical_and: true,
  logical_or: true,
  conv: true,
  conv_transpose: true,
  conv_backprop_filter: true,
  depthwise_conv: true,
  expand_dims: true,
  squeeze: true,
  where: true,
  cast: true,
  clip: true,
  gather: true,
  gather_grad: true,
  take_along_axis: true,
  take_along_axis_grad: true,
  one_hot: true,
  cumsum: true,
  matmul: true,
  softmax: true,
  log_softmax: true,
  variance: true,
  max_pool: true,
  avg_pool: true,
  max_pool_grad: true,
  max_pool_grad_grad: true,
  avg_pool_grad: true,
  sum: true,
  prod: true,
  mean: true,
  logsumexp: true,
  max: true,
  min: true,
  argmax: true,
  argmin: true,
  resize: true,
  resize_grad: true,
  reshape: true,
  transpose: true,
  broadcast_to: true,
  slice: true,
  strided_slice: true,
  strided_slice_grad: true,
  concat: true,
  stack: true,
  pad: true,
  tile: true,
  placeholder: true,
  constant: true,
  fill: true,
  identity: true,
  stop_gradient: true,
  random_uniform: true,
  random_normal: true,
};

describe('typed op attributes', () => {
  it('every op of the spec has its attributes typed by name', () => {
    const typed: Readonly<Record<string, true>> = TYPED;
    const untyped = allOps()
      .map((d) => d.name)
      .filter((n) => !(n in typed));
    expect(untyped, 'ops missing from OpSchemas (add `declare module ... interface OpSchemas` next to the op)').toEqual([]);
  });

  it('types a node of an op from its schema', () => {
    const node: OpNode<'transpose'> = { id: 0, op: 'transpose', inputs: [0], attrs: { perm: [1, 0] }, shape: [2, 3], dtype: 'float32' };
    const perm: number[] = node.attrs.perm;
    const pool: OpAttrs<'max_pool'>['padding'] = 'same';
    expect([perm, pool]).toEqual([[1, 0], 'same']);
  });

  it("types a fused op's node: its producer's attributes and the epilogue", () => {
    const node: OpNode<'fused_matmul'> = {
      id: 2,
      op: 'fused_matmul',
      inputs: [0, 1],
      attrs: { transposeA: false, transposeB: true, epilogue: [{ op: 'relu', at: 0, args: [], attrs: {} }] },
      shape: [2, 3],
      dtype: 'float32',
    };
    const transposeB: boolean = node.attrs.transposeB;
    const steps: readonly string[] = node.attrs.epilogue.map((s) => s.op);
    const padding: OpAttrs<'fused_conv'>['padding'] = 'valid';
    expect([transposeB, steps, padding]).toEqual([true, ['relu'], 'valid']);
  });

  it('narrows a node to its op by name', () => {
    const node: Node = { id: 1, op: 'clip', inputs: [0], attrs: { min: -1, max: 2 }, shape: [3], dtype: 'float32' };
    const range = isOpNode(node, 'clip') ? [node.attrs.min, node.attrs.max] : null;
    expect(range).toEqual([-1, 2]);
    expect(isOpNode(node, 'transpose')).toBe(false);
  });
});
