import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { L1, L1L2, L2, OrthogonalRegularizer, Regularizer, deserialize, getRegularizer, l1L2, serialize, setBackend, tensor, type Tensor } from '../../src/index.js';

beforeAll(() => setBackend(createTsBackend()));

function close(t: Tensor, want: number, tol = 1e-6): void {
  expect(t.shape).toEqual([]);
  expect(Math.abs(t.data[0] - want)).toBeLessThanOrEqual(tol * (1 + Math.abs(want)));
}

const w = tensor([
  [1, -2],
  [3, -4],
]);

const roundTrip = (r: Regularizer) => {
  const json = JSON.stringify(serialize(r));
  const back = deserialize<Regularizer>('regularizer', JSON.parse(json));
  expect(back.constructor).toBe(r.constructor);
  expect(JSON.stringify(serialize(back))).toBe(json);
};

describe('L1, L2, L1L2', () => {
  it('compute Keras penalties', async () => {
    close(await new L1({ l1: 0.1 }).evaluate(w), 0.1 * 10);
    close(await new L2({ l2: 0.1 }).evaluate(w), 0.1 * 30);
    close(await new L1().evaluate(w), Math.fround(0.01) * 10);
    close(await new L2().evaluate(w), Math.fround(0.01) * 30);
    close(await new L1L2({ l1: 0.1, l2: 0.2 }).evaluate(w), 0.1 * 10 + 0.2 * 30);
    close(await new L1L2({ l2: 0.5 }).evaluate(w), 15);
    close(await new L1L2().evaluate(w), 0);
    close(await l1L2().evaluate(w), Math.fround(0.01) * 40);
  });

  it('use Keras 2 defaults and names (the name l1_l2 gives 0.01 and 0.01, the class 0 and 0)', () => {
    expect(new L1().getConfig()).toEqual({ l1: Math.fround(0.01) });
    expect(new L2().getConfig()).toEqual({ l2: 0.009999999776482582 });
    expect(new L1L2().getConfig()).toEqual({ l1: 0, l2: 0 });
    expect(getRegularizer('l1')).toBeInstanceOf(L1);
    expect(getRegularizer('l2')).toBeInstanceOf(L2);
    expect(getRegularizer('L1L2')!.getConfig()).toEqual({ l1: 0, l2: 0 });
    const both = getRegularizer('l1_l2') as L1L2;
    expect(both).toBeInstanceOf(L1L2);
    expect(both.getConfig()).toEqual({ l1: Math.fround(0.01), l2: Math.fround(0.01) });
    expect(getRegularizer({ class_name: 'L2', config: { l2: 0.001 } })!.getConfig()).toEqual({ l2: Math.fround(0.001) });
    expect(getRegularizer(null)).toBeNull();
    const r = new L1();
    expect(getRegularizer(r)).toBe(r);
    // Keras 2's older `l` spelling; null means the default.
    expect(new L2({ l: 0.5 }).l2).toBe(0.5);
    expect(new L1({ l1: null }).l1).toBe(Math.fround(0.01));
  });

  it('round-trip their configs', () => {
    for (const r of [new L1({ l1: 0.3 }), new L2({ l2: 1e-4 }), new L1L2({ l1: 0.1, l2: 0.2 }), new OrthogonalRegularizer({ factor: 0.2, mode: 'columns' })]) roundTrip(r);
  });

  it('refuse bad penalty numbers and unknown arguments', () => {
    expect(() => new L1({ l1: Number.NaN })).toThrow(/L1: argument 'l1' got NaN: is not a valid regularization penalty number/);
    expect(() => new L2({ l2: Infinity })).toThrow(/L2: argument 'l2' got Infinity: is not a valid regularization penalty number/);
    // @ts-expect-error -- l2 = '0.1' is not an allowed value, to check the runtime error
    expect(() => new L2({ l2: '0.1' })).toThrow(/L2: argument 'l2' got "0.1": is not a valid regularization penalty number/);
    // @ts-expect-error -- 'l3' is deliberately not an argument here, to check the runtime error
    expect(() => new L1L2({ l3: 1 })).toThrow(/L1L2: unknown argument 'l3' \(got 1\); did you mean 'l1'\? L1L2 takes l1, l2/);
    expect(() => getRegularizer('l3')).toThrow(/unknown regularizer 'l3'/);
  });
});

describe('OrthogonalRegularizer', () => {
  it('penalizes the mean absolute cosine between distinct rows (or columns)', async () => {
    // Rows (1, 0), (1, 1), (0, 1): cosines 1/sqrt2, 0, 1/sqrt2 over 3 pairs.
    const x = tensor([
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
    const rows = (2 * Math.SQRT1_2) / 3;
    close(await new OrthogonalRegularizer({ factor: 0.5 }).evaluate(x), 0.5 * rows, 1e-5);
    // Columns (1, 1, 0), (0, 1, 1): cosine 1/2, one pair.
    close(await new OrthogonalRegularizer({ factor: 0.5, mode: 'columns' }).evaluate(x), 0.5 * 0.5, 1e-5);
    expect(new OrthogonalRegularizer().getConfig()).toEqual({ factor: Math.fround(0.01), mode: 'rows' });
    await expect(new OrthogonalRegularizer().evaluate(tensor([1, 2]))).rejects.toThrow(/OrthogonalRegularizer: the weight must have rank 2, got shape \[2\]/);
    // @ts-expect-error -- mode = 'diag' is not an allowed value, to check the runtime error
    expect(() => new OrthogonalRegularizer({ mode: 'diag' })).toThrow(/OrthogonalRegularizer: argument 'mode' got "diag"/);
  });
});
