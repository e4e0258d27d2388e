import { grad, ops, trace } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { planLowering } from '../../src/pipeline/plan.js';
import { poolGradients } from '../../src/pipeline/pool-gradients.js';
import { onnxNodes } from './helpers.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });
const pool = { poolSize: [2, 2], strides: [2, 2], padding: 'valid' as const };

describe('pool-gradients pass', () => {
  it('lets a max pool and its gradient share one MaxPool with indices', () => {
    const g = trace((x) => {
      const y = ops.maxPool(x, pool);
      return [y, ...grad([ops.sum(y)], [x])];
    }, [f32([1, 4, 4, 2])]);
    expect(planLowering(g, [poolGradients]).poolsWithGrad.size).toBe(1);
    const maxPools = onnxNodes(g, 'MaxPool');
    expect(maxPools).toHaveLength(1);
    expect(maxPools[0].outputs).toHaveLength(2);
  });

  it('leaves a max pool without a gradient alone', () => {
    const g = trace((x) => ops.maxPool(x, pool), [f32([1, 4, 4, 2])]);
    expect(planLowering(g, [poolGradients]).poolsWithGrad.size).toBe(0);
    expect(onnxNodes(g, 'MaxPool')[0].outputs).toHaveLength(1);
  });
});
