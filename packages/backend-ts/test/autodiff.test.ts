import { grad, ops, trace } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from '../src/index.js';

describe('autodiff through composites', () => {
  it('counts a path between two inputs of a composite once', async () => {
    // d/dK sum(stack([K, 3K])) = 1 + 3 = 4 per element.
    const g = trace((k) => ops.sum(ops.stack([k, ops.mul(k, 3)], 1)), [{ shape: [2], dtype: 'float32' }]);
    const [dk] = grad([g.sym(g.outputs[0])], [g.sym(0)]);
    g.outputs = [dk.id];
    const [d] = await createTsBackend().compile(g).run([{ shape: [2], dtype: 'float32', data: new Float32Array([1, 2]) }]);
    expect(Array.from(d.data)).toEqual([4, 4]);
  });
});
