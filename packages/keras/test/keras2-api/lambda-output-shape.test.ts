import { describe, expect, it } from 'vitest';
import { ops, type Sym } from '@keras-ts/spec';
import { Input, KerasTensor, Lambda, Model, Tensor, deserializeLayer, onlyOutput, registerLambda, type SymbolicShape } from '../../src/index.js';
import { expectClose, randn } from '../engine/helpers.js';

describe('Lambda output_shape as a function (Keras 2)', () => {
  it('gives the output shape from the input shape, batch axis included', async () => {
    // Keras 2's antirectifier-style shape function: the last axis doubled.
    const shapeFn = (s: SymbolicShape | SymbolicShape[]) => {
      const shape = [...(s as SymbolicShape)];
      shape[shape.length - 1] = (shape[shape.length - 1] as number) * 2;
      return shape;
    };
    const layer = new Lambda({ function: (x) => ops.concat([ops.relu(x as Sym), ops.relu(ops.neg(x as Sym))], 1), outputShape: shapeFn });
    const inp = Input({ shape: [3] });
    const out = onlyOutput(layer.apply(inp));
    expect(out.shape).toEqual([null, 6]);
    expect(layer.computeOutputShape([5, 3])).toEqual([5, 6]);
    const m = new Model(inp, out);
    const x = randn([2, 3], 4);
    const y = await m.predict(x);
    const want = [0, 1].flatMap((r) => [...[0, 1, 2].map((c) => Math.max(x.data[r * 3 + c], 0)), ...[0, 1, 2].map((c) => Math.max(-x.data[r * 3 + c], 0))]);
    expectClose(y, want);
  });

  it('serializes by registered name and reads back', () => {
    const fn = (s: SymbolicShape | SymbolicShape[]) => [(s as SymbolicShape)[0], 1];
    registerLambda('sum_last_shape', fn);
    registerLambda('sum_last', (x) => ops.sum(x as Sym, -1, true));
    const layer = new Lambda({ function: 'sum_last', outputShape: fn });
    const c = layer.getConfig();
    expect(c.output_shape).toBe('sum_last_shape');
    expect(c.output_shape_type).toBe('function');
    const back = deserializeLayer({ class_name: 'Lambda', config: c }) as Lambda;
    expect(back.computeOutputShape([null, 7])).toEqual([null, 1]);
    expect(() => new Lambda({ function: 'sum_last', outputShape: (s) => s }).getConfig()).toThrow(/output_shape function is not registered/);
  });

  it('refuses other values with a message saying what to pass', () => {
    // @ts-expect-error -- outputShape = 'x' is not an allowed value, to check the runtime error
    expect(() => new Lambda({ function: 'sum_last', outputShape: 'x' })).toThrow(/a list of sizes .* or a function/);
  });
});
