import { ops } from '../../src/index.js';
import { rand, t, tb, ti, type OpCase } from '../case.js';

export const elementwiseCases: OpCase[] = [
  {
    name: 'where with broadcasting condition',
    ops: ['where'],
    inputs: [tb([true, false, true]), t([[1, 2, 3], [4, 5, 6]]), t(-1)],
    build: (c, a, b) => ops.where(c, a, b),
    expected: t([[1, -1, 3], [4, -1, 6]]),
  },
  {
    name: 'where gradient goes to the chosen branch',
    ops: ['where'],
    inputs: [tb([[true], [false]]), rand([2, 3], 5), rand([3], 6)],
    build: (c, a, b) => ops.where(c, a, b),
    check: () => {},
    grad: true,
  },
  {
    name: 'where rejects a float condition',
    ops: ['where'],
    inputs: [t([1]), t([1]), t([2])],
    build: (c, a, b) => ops.where(c, a, b),
    throws: /op 'where' .*the condition must be bool, got float32/,
  },
  {
    name: 'cast float to int truncates toward zero; to bool tests nonzero',
    ops: ['cast'],
    inputs: [t([-1.7, -0.2, 0, 0.9, 2.5])],
    build: (x) => [ops.cast(x, 'int32'), ops.cast(x, 'bool')],
    expected: [ti([-1, 0, 0, 0, 2]), tb([true, true, false, true, true])],
  },
  {
    name: 'cast bool and int to float',
    ops: ['cast'],
    inputs: [tb([true, false]), ti([3, -4])],
    build: (b, i) => [ops.cast(b, 'float32'), ops.cast(i, 'float32')],
    expected: [t([1, 0]), t([3, -4])],
  },
  {
    name: 'clip',
    ops: ['clip'],
    inputs: [t([-2, -0.5, 0.5, 3])],
    build: (x) => ops.clip(x, -1, 1),
    expected: t([-1, -0.5, 0.5, 1]),
  },
  {
    // relu6 and its spellings (clip, or maximum then minimum) keep NaN, as TF: -inf and inf are
    // clipped. The second output puts clip in an elementwise chain (fused loops on backends that fuse).
    name: 'clip, maximum and minimum keep NaN (relu6)',
    ops: ['clip', 'maximum', 'minimum'],
    inputs: [t([NaN, -Infinity, Infinity, -1, 3, 7])],
    build: (x) => [ops.clip(x, 0, 6), ops.clip(ops.add(x, x), 0, 6), ops.minimum(ops.maximum(x, ops.zerosLike(x)), ops.fill(x.graph, x.shape, 6))],
    expected: [t([NaN, 0, 6, 0, 3, 6]), t([NaN, 0, 6, 0, 6, 6]), t([NaN, 0, 6, 0, 3, 6])],
  },
  {
    name: 'clip on int32',
    ops: ['clip'],
    inputs: [ti([-5, 0, 5])],
    build: (x) => ops.clip(x, -1, 2),
    expected: ti([-1, 0, 2]),
  },
  {
    name: 'clip gradient passes inside the range only',
    ops: ['clip'],
    inputs: [t([-2, -0.5, 0.5, 3, 0.9])],
    build: (x) => ops.clip(x, -1, 1),
    check: () => {},
    grad: true,
  },
  {
    name: 'clip rejects min > max',
    ops: ['clip'],
    inputs: [t([1])],
    build: (x) => ops.clip(x, 2, 1),
    throws: /op 'clip' \(inputs: float32\[1\]\): attribute 'min' \(2\) is greater than 'max' \(1\)/,
  },
];
