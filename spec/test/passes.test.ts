import { describe, expect, it } from 'vitest';
import { fuseEpilogues, grad, isOpNode, lowerComposites, ops, prepareGraph, reluMask, scaleShift, trace, type Graph, type Sym } from '../src/index.js';

const f32 = (...shape: number[]) => ({ shape, dtype: 'float32' as const });
const all = (): boolean => true;
const opsOf = (g: Graph): string[] => g.nodes.filter((n) => n.op !== 'placeholder').map((n) => n.op);

/** A dense layer: relu(x·w + b). */
const dense = (x: Sym, w: Sym, b: Sym): Sym => ops.relu(ops.add(ops.matmul(x, w), b));

describe('fuse-epilogues', () => {
  it('makes matmul + bias + relu one fused_matmul whose decomposition is the nodes it replaced', () => {
    const g = trace(dense, [f32(4, 3), f32(3, 5), f32(5)]);
    const fused = fuseEpilogues.run(g, all);
    fused.validate();
    expect(opsOf(fused)).toEqual(['fused_matmul']);
    const node = fused.nodes[fused.outputs[0]];
    expect(node.inputs).toEqual([0, 1, 2]);
    expect(node.attrs.epilogue).toEqual([
      { op: 'add', at: 0, args: [2], attrs: {} },
      { op: 'relu', at: 0, args: [], attrs: {} },
    ]);
    expect(lowerComposites(fused).toString()).toBe(lowerComposites(g).toString());
  });

  it('takes a conv, batch-norm scale and shift, relu6 and a residual add, operands in either place', () => {
    const g = trace(
      (x, w, s, t, r) => ops.add(r, ops.clip(ops.add(t, ops.mul(ops.conv(x, w, { padding: 'same' }), s)), 0, 6)),
      [f32(1, 5, 5, 2), f32(3, 3, 2, 4), f32(4), f32(4), f32(1, 5, 5, 4)],
    );
    const fused = fuseEpilogues.run(g, all);
    expect(opsOf(fused)).toEqual(['fused_conv']);
    const node = fused.nodes[fused.outputs[0]];
    const steps = isOpNode(node, 'fused_conv') ? node.attrs.epilogue.map((s) => `${s.op}@${s.at}`) : [];
    expect(steps).toEqual(['mul@0', 'add@1', 'clip@0', 'add@1']);
    expect(lowerComposites(fused).toString()).toBe(lowerComposites(g).toString());
  });

  it('stops at a value with a second reader, at a graph output and at a shape change', () => {
    const g = trace(
      (x, w, b) => {
        const y = ops.add(ops.matmul(x, w), b);
        return [ops.relu(y), ops.sigmoid(y)];
      },
      [f32(2, 3), f32(3, 4), f32(1, 4)],
    );
    expect(opsOf(fuseEpilogues.run(g, all))).toEqual(['fused_matmul', 'relu', 'sigmoid']);
    const out = trace((x, w) => {
      const y = ops.matmul(x, w);
      return [y, ops.relu(y)];
    }, [f32(2, 3), f32(3, 4)]);
    expect(fuseEpilogues.run(out, all)).toBe(out);
    const grow = trace((x, w, b) => ops.add(ops.matmul(x, w), b), [f32(1, 3), f32(3, 4), f32(2, 1, 1)]);
    expect(fuseEpilogues.run(grow, all)).toBe(grow);
  });

  it('makes only the fused ops the backend has', () => {
    const g = trace(dense, [f32(4, 3), f32(3, 5), f32(5)]);
    expect(fuseEpilogues.run(g, (op) => op !== 'fused_matmul')).toBe(g);
  });
});

describe('relu-mask', () => {
  it("reads relu's output in relu's gradient mask, which lets a training graph fuse", () => {
    const g = trace(
      (x, w, b) => {
        const loss = ops.sum(dense(x, w, b));
        return [loss, ...grad([loss], [w])];
      },
      [f32(4, 3), f32(3, 5), f32(5)],
    );
    const masked = reluMask.run(g, all);
    masked.validate();
    const gt = masked.nodes.find((n) => n.op === 'greater')!;
    expect(masked.nodes[gt.inputs[0]].op).toBe('relu');
    // The relu joins the fused op only when nothing else reads its input.
    expect(opsOf(fuseEpilogues.run(masked, all))).not.toContain('relu');
    expect(opsOf(fuseEpilogues.run(g, all))).toContain('relu');
  });
});

describe('scale-shift', () => {
  it('makes inference batch normalization (vectors over the last axis) one scale_shift', () => {
    const g = trace((x, s, t) => ops.add(t, ops.mul(s, x)), [f32(2, 3, 3, 4), f32(4), f32(1, 1, 1, 4)]);
    const r = scaleShift.run(g, all);
    expect(opsOf(r)).toEqual(['scale_shift']);
    expect(r.nodes[r.outputs[0]].inputs).toEqual([0, 1, 2]);
    expect(scaleShift.run(g, (op) => op !== 'scale_shift')).toBe(g);
    const full = trace((x, s, t) => ops.add(ops.mul(x, s), t), [f32(2, 4), f32(2, 4), f32(4)]);
    expect(scaleShift.run(full, all)).toBe(full);
  });

  it('takes one of two overlapping matches (a batch of 1 makes every [1, n] value a channel vector)', () => {
    const g = trace((x, y, s, t) => ops.add(ops.mul(x, s), ops.mul(y, t)), [f32(1, 4), f32(1, 4), f32(4), f32(4)]);
    const r = scaleShift.run(g, all);
    r.validate();
    expect(opsOf(r)).toEqual(['mul', 'scale_shift']);
  });
});

describe('prepareGraph', () => {
  it('lowers the composites the backend lacks and runs the passes its kernels ask for', () => {
    const g = trace((x, w, b) => ops.softmax(dense(x, w, b)), [f32(4, 3), f32(3, 5), f32(5)]);
    const plain = prepareGraph(g, (op) => !op.startsWith('fused_') && op !== 'softmax');
    expect(opsOf(plain)).not.toContain('fused_matmul');
    expect(opsOf(plain)).not.toContain('softmax');
    const fusing = prepareGraph(g, (op) => op === 'fused_matmul' || op === 'softmax');
    expect(opsOf(fusing)).toEqual(['fused_matmul', 'softmax']);
  });
});
