import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, type Sym } from '@keras-ts/spec';
import { Input, KerasTensor, Lambda, deserializeLayer, outputList, registerLambda, serialize, setBackend, tensor } from '../../src/index.js';
import { expectClose, expectRoundTrip, run, runTraced, floatMask } from './helpers.js';

setBackend(createTsBackend());

registerLambda('lt_scale', (x, { factor }) => ops.mul(x as Sym, factor as number));
registerLambda('lt_split', (x) => [ops.relu(x as Sym), ops.neg(x as Sym)]);
registerLambda('lt_mask', (x) => ops.greater(x as Sym, 0));
registerLambda('lt_training', (x, { training }) => ops.add(x as Sym, training ? 1 : 0));

describe('Lambda', () => {
  it('runs a registered function with its arguments and the training flag', () => {
    expectClose(run(new Lambda({ function: 'lt_scale', arguments: { factor: 3 } }), tensor([[1, 2]])), [3, 6]);
    const t = new Lambda({ function: 'lt_training' });
    expectClose(run(t, tensor([[1]]), true), [2]);
    expectClose(run(t, tensor([[1]])), [1]);
  });
  it('may return several outputs and compute a mask', () => {
    const layer = new Lambda({ function: 'lt_split', mask: 'lt_mask' });
    const [a, b, m] = runTraced([tensor([[-1, 2]])], ([s]) => {
      const [p, q] = outputList(layer.apply(s));
      return [p, q, floatMask(layer.computeMask(s, null))];
    });
    expectClose(a, [0, 2]);
    expectClose(b, [1, -2]);
    expectClose(m, [0, 1]);
    const outs = outputList(new Lambda({ function: 'lt_split' }).apply(Input({ shape: [3] })));
    expect(outs.map((o) => o.shape)).toEqual([[null, 3], [null, 3]]);
  });
  it('stores the function by name in the Keras 2 form and round-trips', () => {
    const c = expectRoundTrip(new Lambda({ function: 'lt_scale', arguments: { factor: 2 }, outputShape: [4], name: 'lam' }));
    expect(c).toEqual({
      name: 'lam', trainable: true, dtype: 'float32',
      function: 'lt_scale', function_type: 'function', module: null,
      output_shape: [4], output_shape_type: 'raw', output_shape_module: null,
      arguments: { factor: 2 },
    });
    const m = expectRoundTrip(new Lambda({ function: 'lt_split', mask: 'lt_mask' }));
    expect([m.mask, m.mask_type]).toEqual(['lt_mask', 'function']);
  });
  it('a function given directly serializes under its registered name', () => {
    const fn = (x: Sym | Sym[]) => ops.abs(x as Sym);
    registerLambda('lt_abs', fn);
    expect(new Lambda({ function: fn }).getConfig().function).toBe('lt_abs');
    expect(() => new Lambda({ function: (x) => x, name: 'anon' }).getConfig()).toThrow(/Lambda 'anon': its function is not registered.*registerLambda/);
  });
  it('loading an unregistered name says how to register it', () => {
    expect(() => deserializeLayer({ class_name: 'Lambda', config: { name: 'l', function: 'nowhere', function_type: 'function', module: '__main__', arguments: {} } })).toThrow(
      /Lambda 'l': the function 'nowhere' is not registered\. Register it before creating or loading the layer: registerLambda\('nowhere'.*customObjects.*never evaluates code/,
    );
    expect(() => new Lambda({ function: 'missing', name: 'l2' })).toThrow(/Lambda 'l2': the function 'missing' is not registered/);
  });
  it('takes functions from customObjects', () => {
    const custom = { lt_custom: (x: Sym) => ops.mul(x, 10) };
    const l = deserializeLayer({ class_name: 'Lambda', config: { name: 'lc', function: 'lt_custom', function_type: 'function', module: null, arguments: {} } }, custom);
    expectClose(run(l, tensor([[1]])), [10]);
    expect(serialize(l).config.function).toBe('lt_custom');
  });
  it('refuses Python lambdas (code) in Keras 2 and Keras 3 configs', () => {
    expect(() => deserializeLayer({ class_name: 'Lambda', config: { name: 'py', function: ['4wEAAAAA', null, null], function_type: 'lambda', module: '__main__', arguments: {} } })).toThrow(
      /Lambda 'py': the function is a Python lambda stored as code; keras-ts never evaluates code from a config/,
    );
    expect(() => deserializeLayer({ class_name: 'Lambda', config: { name: 'py3', function: { class_name: '__lambda__', config: { code: 'x' } }, arguments: {} } })).toThrow(/Python lambda/);
  });
  it('reads a Keras 3 named function', () => {
    const l = deserializeLayer({
      class_name: 'Lambda',
      config: { name: 'k3', function: { module: 'builtins', class_name: 'function', config: 'lt_scale', registered_name: 'function' }, arguments: { factor: 5 }, output_shape: null },
    });
    expectClose(run(l, tensor([[1]])), [5]);
  });
  it('refuses a second function under a taken name', () => {
    expect(() => registerLambda('lt_scale', (x) => x)).toThrow(/a different function is already registered as 'lt_scale'/);
  });
});
