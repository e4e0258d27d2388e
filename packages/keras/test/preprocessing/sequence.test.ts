import { describe, expect, it } from 'vitest';
import { preprocessing, tensor } from '../../src/index.js';
import { expectArray, loadFixture, type FixtureArray } from './fixtures.js';

const { padSequences, TimeseriesGenerator } = preprocessing.sequence;
const fixture = loadFixture('keras-utils.json');

const camel = (kw: Record<string, unknown>) => Object.fromEntries(Object.entries(kw).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));

describe('preprocessing.sequence.padSequences (against Keras)', () => {
  for (const c of fixture.pad_sequences as { sequences: number[][]; kwargs: Record<string, unknown>; expected: FixtureArray; dtype: string }[]) {
    it(`${JSON.stringify(c.sequences)} ${JSON.stringify(c.kwargs)}`, () => {
      const t = padSequences(c.sequences, camel(c.kwargs));
      expect(t.dtype).toBe(c.dtype);
      expectArray(t, c.expected, 1e-7);
    });
  }

  it('takes tensors and typed arrays as sequences', () => {
    const t = padSequences([tensor([1, 2, 3]), new Int32Array([4])], { maxlen: 2 });
    expect(t.toArray()).toEqual([
      [2, 3],
      [0, 4],
    ]);
    expect(padSequences(tensor([[1, 2, 3], [4, 5, 6]]), { maxlen: 2, truncating: 'post' }).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });

  it('refuses unknown options and bad values, naming them', () => {
    // @ts-expect-error -- 'max_len' is deliberately not an argument here, to check the runtime error
    expect(() => padSequences([[1]], { max_len: 3 })).toThrow(/padSequences: unknown argument 'max_len' \(got 3\); did you mean 'maxlen'\?/);
    // @ts-expect-error -- padding = 'middle' is not an allowed value, to check the runtime error
    expect(() => padSequences([[1]], { padding: 'middle' })).toThrow(/padSequences: argument 'padding' got "middle": expected 'pre' or 'post'/);
    expect(() => padSequences([[1]], { maxlen: 0 })).toThrow(/argument 'maxlen' got 0: expected a positive integer/);
    expect(() => padSequences([[[1, 2]], [[1, 2, 3]]])).toThrow(/the sequence at position 1 have shape \[3\], but those of the first non-empty sequence have shape \[2\]/);
    expect(() => padSequences([])).toThrow(/at least one sequence, or maxlen/);
    expect(padSequences([], { maxlen: 2 }).shape).toEqual([0, 2]);
  });
});

describe('preprocessing.sequence.TimeseriesGenerator (against Keras)', () => {
  const ts = fixture.timeseries as { data: FixtureArray; targets: FixtureArray; cases: { kwargs: Record<string, unknown> & { length: number }; length: number; batches: [FixtureArray, FixtureArray][] }[] };
  const data = tensor(Float32Array.from(ts.data.data), ts.data.shape);
  const targets = tensor(Float32Array.from(ts.targets.data), ts.targets.shape);
  for (const c of ts.cases) {
    it(JSON.stringify(c.kwargs), () => {
      const gen = new TimeseriesGenerator(data, targets, { ...camel(c.kwargs), length: c.kwargs.length });
      expect(gen.length).toBe(c.length);
      c.batches.forEach(([x, y], i) => {
        const [bx, by] = gen.getItem(i);
        expectArray(bx, x, 0);
        expectArray(by, y, 0);
      });
    });
  }

  it('draws random rows when shuffled, reproducibly with a seed', () => {
    const a = new TimeseriesGenerator(data, targets, { length: 3, batchSize: 5, shuffle: true, seed: 4 });
    const b = new TimeseriesGenerator(data, targets, { length: 3, batchSize: 5, shuffle: true, seed: 4 });
    const [xa, ya] = a.getItem(0);
    const [xb, yb] = b.getItem(0);
    expect(xa.toArray()).toEqual(xb.toArray());
    expect(ya.toArray()).toEqual(yb.toArray());
    // Each target is a timestep from startIndex + length = 3 to the end, and its window precedes it.
    (ya.toArray() as number[]).forEach((t, i) => {
      const row = t - 100;
      expect(row).toBeGreaterThanOrEqual(3);
      expect((xa.toArray() as number[][][])[i][2]).toEqual([2 * (row - 1), 2 * (row - 1) + 1]);
    });
  });

  it('names bad arguments', () => {
    // @ts-expect-error -- length is left out on purpose
    expect(() => new TimeseriesGenerator(data, targets, {})).toThrow(/TimeseriesGenerator: argument 'length' got undefined/);
    expect(() => new TimeseriesGenerator(data, targets.sliceRows(0, 5), { length: 2 })).toThrow(/same length: data has 20 timesteps, targets has 5/);
    expect(() => new TimeseriesGenerator(data, targets, { length: 30 })).toThrow(/startIndex \+ length = 30 > endIndex = 19/);
    // @ts-expect-error -- 'sampling_rate' (snake_case) is not an argument; wrong on purpose
    expect(() => new TimeseriesGenerator(data, targets, { length: 2, sampling_rate: 2 })).toThrow(/did you mean 'samplingRate'/);
    expect(() => new TimeseriesGenerator(data, targets, { length: 2 }).getItem(99)).toThrow(/getItem: argument 'index' got 99/);
  });
});
