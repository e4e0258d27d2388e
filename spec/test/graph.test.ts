import { describe, expect, it } from 'vitest';
import { Graph, GraphError, KernelRegistry, OpError, defineOp, grad, liveNodes, lowerComposites, ops, trace } from '../src/index.js';
import { z } from 'zod';

const f32 = (...shape: number[]) => ({ shape, dtype: 'float32' as const });

describe('tracing', () => {
  it('records SSA nodes with inferred shapes and dtypes', () => {
    const g = trace((x, w) => ops.relu(ops.matmul(x, w)), [f32(2, 3), f32(3, 4)]);
    expect(g.nodes.map((n) => n.op)).toEqual(['placeholder', 'placeholder', 'matmul', 'relu']);
    expect(g.nodes[3].shape).toEqual([2, 4]);
    expect(g.inputs).toEqual([0, 1]);
    expect(g.outputs).toEqual([3]);
    g.validate();
  });

  it('rejects bad attributes with the op, the inputs and the attribute', () => {
    expect(() => trace((x) => ops.sum(x, [0.5]), [f32(2)])).toThrow(OpError);
    expect(() => trace((x) => ops.sum(x, [0.5]), [f32(2)])).toThrow(/op 'sum' \(inputs: float32\[2\]\): attribute 'axes.0' .*\(got 0.5\)/);
    expect(() => trace((x) => ops.clip(x, Number.NaN, 1), [f32(2)])).toThrow(/attribute 'min'/);
  });

  it('numbers become scalar constants of the tensor dtype', () => {
    const g = trace((x) => ops.mul(x, 2), [{ shape: [2], dtype: 'int32' }]);
    expect(g.nodes[1]).toMatchObject({ op: 'constant', dtype: 'int32', shape: [] });
  });

  it('refuses nullary builders outside trace and inputs from another graph', () => {
    // @ts-expect-error -- shape left undefined on purpose
    expect(() => ops.fill(undefined, [1], 0)).toThrow();
    const a = new Graph().placeholder([1]);
    const b = new Graph().placeholder([1]);
    expect(() => ops.add(a, b)).toThrow(/another graph/);
  });
});

describe('graph validation', () => {
  it('catches a forward reference and a wrong recorded shape', () => {
    const g = trace((x) => ops.exp(x), [f32(2)]);
    (g.nodes as unknown[])[1] = { ...g.nodes[1], inputs: [5] };
    expect(() => g.validate()).toThrow(GraphError);
    const h = trace((x) => ops.exp(x), [f32(2)]);
    (h.nodes as unknown[])[1] = { ...h.nodes[1], shape: [3] };
    expect(() => h.validate()).toThrow(/records float32\[3\] but its rule gives float32\[2\]/);
  });
});

describe('grad', () => {
  it('appends the backward graph; the gradient of sum(x^2) is 2x', () => {
    const g = trace((x) => ops.sum(ops.square(x)), [f32(3)]);
    const before = g.nodes.length;
    const [dx] = grad([g.sym(g.outputs[0])], [g.sym(g.inputs[0])]);
    expect(g.nodes.length).toBeGreaterThan(before);
    expect(dx.shape).toEqual([3]);
    g.validate();
  });

  it('gives zeros for an input the output does not depend on', () => {
    const g = trace((x, y) => ops.sum(x), [f32(2), f32(3)]);
    const [, dy] = grad([g.sym(g.outputs[0])], [g.sym(0), g.sym(1)]);
    expect(dy.node).toMatchObject({ op: 'fill', shape: [3] });
  });

  it('differentiates composites through their decomposition', () => {
    const g = trace((x) => ops.mean(x), [f32(4)]);
    const [dx] = grad([g.sym(g.outputs[0])], [g.sym(0)]);
    expect(dx.shape).toEqual([4]);
  });

  it('refuses int inputs and ops without a gradient', () => {
    const g = trace((x) => ops.cast(x, 'float32'), [{ shape: [2], dtype: 'int32' }]);
    expect(() => grad([g.sym(g.outputs[0])], [g.sym(0)])).toThrow(/only float32 tensors have gradients/);
  });
});

describe('lowering', () => {
  it('expands composites not kept and drops dead nodes', () => {
    const g = trace((x) => {
      ops.exp(x); // dead
      return ops.logsumexp(x, 0);
    }, [f32(3)]);
    const low = lowerComposites(g);
    expect(low.nodes.filter((n) => n.op === 'exp')).toHaveLength(1); // the decomposition's, not the dead one
    expect(low.nodes.map((n) => n.op)).not.toContain('logsumexp');
    low.validate();
    const kept = lowerComposites(g, (op) => op === 'logsumexp');
    expect(kept.nodes.map((n) => n.op)).toEqual(['placeholder', 'logsumexp']);
    expect(liveNodes(g).size).toBe(2);
  });
});

describe('op and kernel registries', () => {
  it('refuses a second op of one name', () => {
    expect(() => defineOp({ name: 'add', kind: 'primitive', arity: 2, attrs: z.strictObject({}), infer: ([a]) => a })).toThrow(/already defined/);
  });

  it('refuses duplicate and unknown kernels', () => {
    const reg = new KernelRegistry<() => void>('test');
    reg.register('add', () => {});
    expect(() => reg.register('add', () => {})).toThrow(/already registered/);
    expect(() => reg.register('no_such_op', () => {})).toThrow(/not an op of the spec/);
    expect(() => reg.get('mul')).toThrow(/no kernel for op 'mul'/);
  });
});
