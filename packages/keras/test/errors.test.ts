/**
 * The error taxonomy at real throw sites: each kind of mistake raises its class (and code), as
 * Keras raises ValueError, TypeError, NotImplementedError or RuntimeError for it.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchNormalization,
  Conv2D,
  Dense,
  deserialize,
  Input,
  KerasConfigError,
  KerasError,
  KerasNotImplementedError,
  KerasShapeError,
  KerasStateError,
  KerasTypeError,
  KerasValueError,
  Sequential,
  Tensor,
} from '../src/index.js';
import './engine/helpers.js';

/** The error `f` throws (the test fails when it throws none). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

describe('the error taxonomy at its throw sites', () => {
  it('a value out of range is a KerasValueError (a RangeError), naming the layer and the argument', () => {
    const e = thrown(() => new Conv2D({ filters: 6, kernelSize: 3, groups: 4 }));
    expect(e).toBeInstanceOf(KerasValueError);
    expect(e).toBeInstanceOf(RangeError);
    expect((e as KerasValueError).code).toBe('BAD_VALUE');
    expect(e.message).toMatch(/argument 'groups' got 4/);
  });

  it('an unknown keyword argument is a KerasTypeError (a TypeError), as Keras', () => {
    const e = thrown(() => new Dense({ units: 2, input_shape: [3] }));
    expect(e).toBeInstanceOf(KerasTypeError);
    expect(e).toBeInstanceOf(TypeError);
    expect(e).toBeInstanceOf(KerasError);
    expect(e.message).toMatch(/input_shape/);
  });

  it('an input of the wrong shape is a KerasShapeError naming the layer and the shapes', () => {
    const dense = new Dense({ units: 2 });
    dense.apply(Input({ shape: [3] }));
    const e = thrown(() => dense.apply(new Tensor([1, 4], 'float32', new Float32Array(4))));
    expect(e).toBeInstanceOf(KerasShapeError);
    expect((e as KerasShapeError).code).toBe('BAD_SHAPE');
    expect(e.message).toMatch(/last axis is 3, got shape \[1, 4\]/);
  });

  it('training a model that is not compiled is a KerasStateError', async () => {
    const model = new Sequential([Input({ shape: [2] }), new Dense({ units: 1 })]);
    const x = new Tensor([2, 2], 'float32', new Float32Array(4));
    const y = new Tensor([2, 1], 'float32', new Float32Array(2));
    const e = await model.fit(x, y).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(e).toBeInstanceOf(KerasStateError);
    expect((e as KerasStateError).code).toBe('BAD_STATE');
    expect(e?.message).toMatch(/compile/);
  });

  it('a Keras feature keras-ts does not have is a KerasNotImplementedError', () => {
    const e = thrown(() => new BatchNormalization({ renorm: true }));
    expect(e).toBeInstanceOf(KerasNotImplementedError);
    expect((e as KerasNotImplementedError).code).toBe('NOT_IMPLEMENTED');
    expect(e.message).toMatch(/renorm/);
  });

  it('a bad value read from a config is a KerasConfigError naming the class, and keeps the cause', () => {
    const e = thrown(() => deserialize('layer', { class_name: 'Conv2D', config: { name: 'c', filters: 6, kernel_size: 3, groups: 4 } }));
    expect(e).toBeInstanceOf(KerasConfigError);
    expect((e as KerasConfigError).code).toBe('BAD_CONFIG');
    expect(e.message).toMatch(/Conv2D 'c'/);
    expect(e.cause).toBeInstanceOf(KerasValueError);
  });
});
