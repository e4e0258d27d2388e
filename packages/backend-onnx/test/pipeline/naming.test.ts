import { ops, trace } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { lowerGraph } from '../../src/lower.js';
import { sanitize } from '../../src/pipeline/naming.js';

describe('naming', () => {
  it('names inputs after their placeholders, unique and sanitized, and outputs out_k', () => {
    expect(sanitize('dense/kernel:0')).toBe('dense/kernel:0');
    expect(sanitize('a b#c')).toBe('a_b_c');
    expect(sanitize('')).toBe('input');
    const g = trace((x, y) => ops.add(x, y), [
      { shape: [2], dtype: 'float32' },
      { shape: [2], dtype: 'float32' },
    ]);
    g.nodes[g.inputs[0]] = { ...g.nodes[g.inputs[0]], attrs: { ...g.nodes[g.inputs[0]].attrs, name: 'in put' } };
    g.nodes[g.inputs[1]] = { ...g.nodes[g.inputs[1]], attrs: { ...g.nodes[g.inputs[1]].attrs, name: 'in_put' } };
    const lowered = lowerGraph(g);
    expect(lowered.inputs.map((i) => i.name)).toEqual(['in_put', 'in_put_1']);
    expect(lowered.outputs.map((o) => o.name)).toEqual(['out_0']);
    const named = lowerGraph(g, { inputNames: ['a', undefined], outputNames: ['y'] });
    expect(named.inputs.map((i) => i.name)).toEqual(['a', 'in_put']);
    expect(named.builder.outputs.map((o) => o.name)).toEqual(['y']);
  });

  it('declares a symbolic batch read from the first input that has it', () => {
    const g = trace((x) => ops.reshape(x, [4, 3]), [{ shape: [4, 3, 1], dtype: 'float32' }]);
    const lowered = lowerGraph(g, { dynamicBatch: 4, inputDims: (_k, s) => ['batch', ...s.slice(1)], outputDims: (_k, s) => ['batch', ...s.slice(1)] });
    expect(lowered.builder.batch).toEqual({ size: 4, source: 'input_0' });
    expect(lowered.builder.inputs[0].dims).toEqual(['batch', 3, 1]);
  });
});
