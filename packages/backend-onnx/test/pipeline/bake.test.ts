import { ops, trace, type HostTensor } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { lowerGraph } from '../../src/lower.js';

describe('weight baking', () => {
  it('bakes the given placeholders as initializers; the others stay inputs, with their graph position', () => {
    const g = trace((x, w) => ops.matmul(x, w), [
      { shape: [1, 2], dtype: 'float32' },
      { shape: [2, 2], dtype: 'float32' },
    ]);
    const w: HostTensor = { shape: [2, 2], dtype: 'float32', data: Float32Array.from([1, 2, 3, 4]) };
    const lowered = lowerGraph(g, { bake: new Map([[g.inputs[1], w]]) });
    expect(lowered.inputs.map((i) => [i.name, i.index])).toEqual([['input_0', 0]]);
    const init = lowered.builder.initializers.find((t) => t.dims.join() === '2,2')!;
    expect(Array.from(new Float32Array(init.raw.slice().buffer))).toEqual([1, 2, 3, 4]);
  });
});
