import type { HostTensor } from '../../src/index.js';
import { ops, currentGraph } from '../../src/index.js';
import { t, ti, type OpCase } from '../case.js';
import { OpCheckFailure } from '../failure.js';

function stats(y: HostTensor): { mean: number; sd: number; min: number; max: number } {
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of y.data) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / y.data.length;
  return { mean, sd: Math.sqrt(s2 / y.data.length - mean * mean), min, max };
}

function near(label: string, v: number, want: number, tol: number): void {
  if (!(Math.abs(v - want) <= tol)) throw new OpCheckFailure(`${label} is ${v}, expected ${want} ± ${tol}`);
}

export const sourceCases: OpCase[] = [
  {
    name: 'constant and fill',
    ops: ['constant', 'fill'],
    inputs: [],
    build: () => [ops.constant(currentGraph(), [1, 2, 3, 4], [2, 2]), ops.fill(currentGraph(), [2, 3], 1.5), ops.fill(currentGraph(), [0], 2)],
    expected: [t([[1, 2], [3, 4]]), t([[1.5, 1.5, 1.5], [1.5, 1.5, 1.5]]), t([], [0])],
  },
  {
    name: 'random_uniform: in range, mean and spread of U(-2, 4), same seed same samples',
    ops: ['random_uniform'],
    inputs: [],
    build: () => {
      const g = currentGraph();
      return [ops.randomUniform(g, [100, 100], 42, -2, 4), ops.randomUniform(g, [100, 100], 42, -2, 4), ops.randomUniform(g, [100, 100], 43, -2, 4)];
    },
    check: ([a, b, c]) => {
      const s = stats(a);
      if (s.min < -2 || s.max >= 4) throw new OpCheckFailure(`samples outside [-2, 4): ${s.min}..${s.max}`);
      near('mean', s.mean, 1, 0.06);
      near('sd', s.sd, 6 / Math.sqrt(12), 0.05);
      if (!a.data.every((v, i) => v === b.data[i])) throw new OpCheckFailure('same seed gave different samples');
      if (a.data.every((v, i) => v === c.data[i])) throw new OpCheckFailure('different seeds gave the same samples');
    },
  },
  {
    name: 'random ops take the seed as a tensor input',
    ops: ['random_uniform', 'random_normal'],
    inputs: [ti(5, [])],
    build: (seed) => [ops.randomUniform(seed.graph, [50], seed), ops.randomUniform(seed.graph, [50], 5), ops.randomNormal(seed.graph, [3], seed)],
    check: ([a, b, c]) => {
      if (!a.data.every((v, i) => v === b.data[i])) throw new OpCheckFailure('a seed tensor and the same seed number gave different samples');
      if (c.shape.join() !== '3') throw new OpCheckFailure(`shape ${c.shape}`);
    },
  },
  {
    name: 'random_uniform rejects a float seed',
    ops: ['random_uniform'],
    inputs: [t(1)],
    build: (seed) => ops.randomUniform(seed.graph, [2], seed),
    throws: /op 'random_uniform' \(inputs: float32\[\]\): the seed input must be an int32 scalar/,
  },
  {
    name: 'random_normal: mean and spread of N(3, 0.5²)',
    ops: ['random_normal'],
    inputs: [],
    build: () => ops.randomNormal(currentGraph(), [101, 99], 7, 3, 0.5),
    check: ([a]) => {
      if (a.shape.join() !== '101,99') throw new OpCheckFailure(`shape ${a.shape}`);
      const s = stats(a);
      near('mean', s.mean, 3, 0.02);
      near('sd', s.sd, 0.5, 0.02);
    },
  },
  {
    name: 'random_uniform rejects maxval <= minval',
    ops: ['random_uniform'],
    inputs: [],
    build: () => ops.randomUniform(currentGraph(), [2], 1, 1, 1),
    throws: /op 'random_uniform' \(inputs: int32\[\]\): maxval \(1\) must be greater than minval \(1\)/,
  },
];
