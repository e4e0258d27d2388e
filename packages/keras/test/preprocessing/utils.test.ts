import { describe, expect, it } from 'vitest';
import { tensor, utils } from '../../src/index.js';
import { expectArray, loadFixture, type FixtureArray } from './fixtures.js';

const fixture = loadFixture('keras-utils.json');

describe('utils.toCategorical (against Keras)', () => {
  for (const c of fixture.to_categorical as { y: number | number[]; num_classes?: number; expected: FixtureArray }[]) {
    it(`${JSON.stringify(c.y)}, numClasses ${c.num_classes ?? 'inferred'}`, () => {
      expectArray(utils.toCategorical(c.y, c.num_classes), c.expected, 0);
    });
  }

  it('takes a tensor and a dtype', () => {
    const t = utils.toCategorical(tensor([[2], [0]], undefined, 'int32'), 3, 'int32');
    expect(t.dtype).toBe('int32');
    expect(t.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('names the label out of range, and bad arguments', () => {
    expect(() => utils.toCategorical([0, 3], 3)).toThrow(/toCategorical: the label 3 at flat index 1 is out of range for 3 classes/);
    expect(() => utils.toCategorical([0, -4], 3)).toThrow(/label -4/);
    expect(() => utils.toCategorical([0, 1], 2.5)).toThrow(/toCategorical: argument 'numClasses' got 2.5: expected a positive integer/);
    expect(() => utils.toCategorical([0, Number.NaN])).toThrow(/argument 'y'.*flat index 1 is NaN/);
    expect(() => utils.toCategorical([[0, 1], [2]])).toThrow(/toCategorical: argument 'y' is ragged: item \[1\] has 1 values but item \[0\] has 2/);
    expect(() => utils.toCategorical([], null)).toThrow(/numClasses.*cannot be inferred/);
    // @ts-expect-error -- dtype 'float64' is not allowed, on purpose
    expect(() => utils.toCategorical([1], 2, 'float64')).toThrow(/argument 'dtype' got "float64"/);
  });
});

describe('utils.normalize (against Keras 2)', () => {
  for (const c of fixture.normalize as { x: FixtureArray; axis: number; order: number | 'inf'; expected: FixtureArray }[]) {
    it(`shape [${c.x.shape}], axis ${c.axis}, order ${c.order}`, () => {
      const x = tensor(Float32Array.from(c.x.data), c.x.shape);
      expectArray(utils.normalize(x, c.axis, c.order === 'inf' ? Infinity : c.order), c.expected, 1e-6);
    });
  }

  it('reads nested arrays; a 1-D input gives [1, n] as Keras 2', () => {
    expect(utils.normalize([3, 4]).shape).toEqual([1, 2]);
    expect(utils.normalize([[3, 4], [0, 0]]).toArray()).toEqual([
      [0.6000000238418579, 0.800000011920929],
      [0, 0],
    ]);
  });

  it('names a bad axis or order', () => {
    expect(() => utils.normalize([[1, 2]], 2)).toThrow(/normalize: argument 'axis' got 2: expected an integer axis in \[-2, 1\] for an array of rank 2/);
    // @ts-expect-error -- order must be a number; 'l2' is wrong on purpose
    expect(() => utils.normalize([[1, 2]], -1, 'l2')).toThrow(/normalize: argument 'order' got "l2"/);
  });
});

describe('utils.Sequence', () => {
  class Squares extends utils.Sequence<number> {
    ends = 0;
    get length() {
      return 3;
    }
    getItem(i: number) {
      return i * i;
    }
    override onEpochEnd() {
      this.ends++;
    }
  }

  it('iterates one pass with for await', async () => {
    const seen: number[] = [];
    for await (const v of new Squares()) seen.push(v);
    expect(seen).toEqual([0, 1, 4]);
  });
});
