import { describe, expect, it } from 'vitest';
import {
  GraphError,
  isKerasError,
  KerasError,
  KerasInternalError,
  KerasNotImplementedError,
  KerasShapeError,
  KerasStateError,
  KerasTypeError,
  KerasValueError,
  OpError,
  type KerasErrorCode,
} from '../src/index.js';

/** One of each class of the taxonomy, with the code and the built-in class it must have. */
const CASES: { error: Error; name: string; code: KerasErrorCode; builtin: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor }[] = [
  { error: new KerasValueError("Dense: 'units' must be a positive integer, got -1"), name: 'KerasValueError', code: 'BAD_VALUE', builtin: RangeError },
  { error: new KerasTypeError('Sequential.add: expected a Layer, got a number'), name: 'KerasTypeError', code: 'BAD_TYPE', builtin: TypeError },
  { error: new KerasNotImplementedError('Conv2D: groups > 1 is not supported'), name: 'KerasNotImplementedError', code: 'NOT_IMPLEMENTED', builtin: Error },
  { error: new KerasStateError("model 'm' is not compiled: call compile() first"), name: 'KerasStateError', code: 'BAD_STATE', builtin: Error },
  { error: new KerasShapeError('a tensor of shape [2, 3] needs 6 values, got 5'), name: 'KerasShapeError', code: 'BAD_SHAPE', builtin: Error },
  { error: new KerasInternalError('fusion: node %3 is neither an input nor a member'), name: 'KerasInternalError', code: 'INTERNAL', builtin: Error },
  { error: new OpError('matmul', [{ shape: [2, 3], dtype: 'float32' }], 'needs two inputs'), name: 'OpError', code: 'BAD_OP_INPUT', builtin: Error },
  { error: new GraphError('node %4 reads %9, which is not defined before it'), name: 'GraphError', code: 'BAD_GRAPH', builtin: Error },
];

describe('the error taxonomy', () => {
  it.each(CASES)('$name is a KerasError with code $code, named after its class', ({ error, name, code, builtin }) => {
    expect(error).toBeInstanceOf(KerasError);
    expect(isKerasError(error)).toBe(true);
    expect(error).toBeInstanceOf(builtin);
    expect(error).toBeInstanceOf(Error);
    expect((error as KerasError).code).toBe(code);
    expect(error.name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
  });

  it('keeps instanceof TypeError / RangeError for the argument errors, and only for them', () => {
    expect(new KerasTypeError('x')).toBeInstanceOf(TypeError);
    expect(new KerasValueError('x')).toBeInstanceOf(RangeError);
    expect(new KerasValueError('x')).not.toBeInstanceOf(TypeError);
    expect(new KerasStateError('x')).not.toBeInstanceOf(TypeError);
    expect(new KerasStateError('x')).not.toBeInstanceOf(RangeError);
  });

  it('tells its classes apart: instanceof a subclass is the usual prototype check', () => {
    const e = new KerasStateError('x');
    expect(e).toBeInstanceOf(KerasStateError);
    expect(e).not.toBeInstanceOf(KerasNotImplementedError);
    expect(new KerasTypeError('x')).not.toBeInstanceOf(KerasValueError);
    expect(() => {
      throw new KerasTypeError('x');
    }).toThrow(KerasError);
  });

  it('does not count other errors as KerasErrors', () => {
    for (const e of [new Error('x'), new TypeError('x'), new RangeError('x'), { message: 'x' }, null, 'x', 3]) {
      expect(e instanceof KerasError).toBe(false);
      expect(isKerasError(e)).toBe(false);
    }
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('underneath');
    expect(new KerasValueError('x', { cause }).cause).toBe(cause);
    expect(new KerasStateError('x', { cause }).cause).toBe(cause);
  });

  it('says that an internal error is a bug in keras-ts', () => {
    expect(new KerasInternalError('fusion: node %3 is neither an input nor a member').message).toBe(
      'fusion: node %3 is neither an input nor a member (an internal error: a bug in keras-ts, please report it)',
    );
  });
});
