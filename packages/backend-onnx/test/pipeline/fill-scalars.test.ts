import { ops, trace, type HostTensor } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../../src/index.js';
import { fillScalars } from '../../src/pipeline/fill-scalars.js';
import { planLowering } from '../../src/pipeline/plan.js';
import { onnxOps } from './helpers.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

describe('fill-scalars pass', () => {
  it('takes a fill as a broadcast scalar where the other inputs give the output shape', () => {
    const g = trace((x) => ops.where(ops.greater(x, 0), x, ops.zerosLike(x)), [f32([2, 3])]);
    const where = g.nodes.find((n) => n.op === 'where')!;
    expect(planLowering(g, [fillScalars]).scalarInputs.get(where.id)).toEqual(new Set([2]));
    expect(onnxOps(g)).not.toContain('ConstantOfShape');
  });

  it('materializes a fill that gives the output its shape, or that an earlier node needed as a tensor', () => {
    const shaping = trace((x) => ops.add(x, ops.fill(x.graph, [4, 3], 1)), [f32([3])]);
    expect(planLowering(shaping, [fillScalars]).scalarInputs.size).toBe(0);
    expect(onnxOps(shaping)).toContain('ConstantOfShape');
    const reused = trace((x) => {
      const z = ops.fill(x.graph, [2, 3], 2);
      return [ops.reshape(z, [6]), ops.mul(x, z)];
    }, [f32([2, 3])]);
    expect(planLowering(reused, [fillScalars]).scalarInputs.size).toBe(0);
  });

  it('gives the values of the materialized fill', async () => {
    const g = trace((x) => [ops.add(x, ops.fill(x.graph, [2, 2], 3)), ops.add(x, ops.fill(x.graph, [3, 2, 2], 1))], [f32([2, 2])]);
    const x: HostTensor = { shape: [2, 2], dtype: 'float32', data: Float32Array.from([1, 2, 3, 4]) };
    const exe = createOnnxBackend().compile(g);
    const [a, b] = await exe.run([x]);
    expect(Array.from(a.data)).toEqual([4, 5, 6, 7]);
    expect(b.shape).toEqual([3, 2, 2]);
    expect(Array.from(b.data)).toEqual([2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5]);
    exe.dispose();
  });
});
