import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { Constraint, MaxNorm, MinMaxNorm, NonNeg, RadialConstraint, UnitNorm, deserialize, getConstraint, serialize, setBackend, tensor, type Tensor } from '../../src/index.js';

beforeAll(() => setBackend(createTsBackend()));

const EPS = 1e-7;

function close(t: Tensor, want: number[], tol = 1e-6): void {
  const got = Array.from(t.data);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]))));
}

// Columns (3, 4) with norm 5 and (0, 1) with norm 1; rows (3, 0) norm 3 and (4, 1) norm sqrt(17).
const w = tensor([
  [3, 0],
  [4, 1],
]);

const roundTrip = (c: Constraint) => {
  const json = JSON.stringify(serialize(c));
  const back = deserialize<Constraint>('constraint', JSON.parse(json));
  expect(back.constructor).toBe(c.constructor);
  expect(JSON.stringify(serialize(back))).toBe(json);
};

describe('norm constraints', () => {
  it('MaxNorm rescales columns whose norm exceeds max_value', async () => {
    const s0 = 2 / (5 + EPS);
    const s1 = 1 / (1 + EPS);
    close(await new MaxNorm().evaluate(w), [3 * s0, 0, 4 * s0, 1 * s1]);
    // axis 1: rows; both exceed 2.
    const r0 = 2 / (3 + EPS);
    const r1 = 2 / (Math.sqrt(17) + EPS);
    close(await new MaxNorm({ axis: 1 }).evaluate(w), [3 * r0, 0, 4 * r1, 1 * r1]);
    // Several axes: the norm of the whole matrix, sqrt(26).
    const a = 2 / (Math.sqrt(26) + EPS);
    close(await new MaxNorm({ axis: [0, 1] }).evaluate(w), [3 * a, 0, 4 * a, a]);
  });

  it('UnitNorm and MinMaxNorm', async () => {
    close(await new UnitNorm().evaluate(w), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)]);
    // min 2, max 4, rate 0.5: column norms 5 -> 0.5*4 + 0.5*5 = 4.5; 1 -> 0.5*2 + 0.5*1 = 1.5.
    const s0 = 4.5 / (5 + EPS);
    const s1 = 1.5 / (1 + EPS);
    close(await new MinMaxNorm({ minValue: 2, maxValue: 4, rate: 0.5 }).evaluate(w), [3 * s0, 0, 4 * s0, 1 * s1]);
    // Defaults 0..1, rate 1: unit columns.
    close(await new MinMaxNorm().evaluate(w), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)]);
  });

  it('NonNeg zeroes negative weights', async () => {
    close(await new NonNeg().evaluate(tensor([[-1, 0, 2.5]])), [0, 0, 2.5]);
  });

  it('name the class and shape when an axis is out of range', async () => {
    await expect(new MaxNorm({ axis: 2 }).evaluate(w)).rejects.toThrow(/MaxNorm: axis 2 is out of range for a weight of shape \[2,2\]/);
    expect(() => new UnitNorm({ axis: 0.5 })).toThrow(/UnitNorm: argument 'axis' got 0.5/);
    // @ts-expect-error -- maxValue = 'big' is not an allowed value, to check the runtime error
    expect(() => new MaxNorm({ maxValue: 'big' })).toThrow(/MaxNorm: argument 'maxValue' got "big"/);
    // @ts-expect-error -- 'minvalue' is deliberately not an argument here, to check the runtime error
    expect(() => new MinMaxNorm({ minvalue: 1 })).toThrow(/MinMaxNorm: unknown argument 'minvalue' \(got 1\); did you mean 'minValue'\? MinMaxNorm takes minValue, maxValue, rate, axis/);
  });
});

describe('RadialConstraint', () => {
  it('makes each kernel radially symmetric, as Keras 2 computes it', async () => {
    // One 3x3 kernel: core k[0,0], ring k[1,1].
    const k3 = tensor(Float32Array.from({ length: 9 }, (_, i) => i), [3, 3, 1, 1]);
    close(await new RadialConstraint().evaluate(k3), [4, 4, 4, 4, 0, 4, 4, 4, 4]);
    // Two 4x4 kernels (in 1, out 2): core 2x2 of k[1,1], ring k[3,3], independently per kernel.
    const data = new Float32Array(32);
    for (let i = 0; i < 16; i++) {
      data[i * 2] = i;
      data[i * 2 + 1] = 100 + i;
    }
    const out = await new RadialConstraint().evaluate(tensor(data, [4, 4, 1, 2]));
    expect(out.shape).toEqual([4, 4, 1, 2]);
    const first = [15, 15, 15, 15, 15, 5, 5, 15, 15, 5, 5, 15, 15, 15, 15, 15];
    close(out, first.flatMap((v) => [v, 100 + v]));
    await expect(new RadialConstraint().evaluate(tensor([[1, 2]]))).rejects.toThrow(/RadialConstraint: the weight must have rank 4 \[rows, cols, in, out\], got shape \[1,2\]/);
    await expect(new RadialConstraint().evaluate(tensor(new Float32Array(6), [3, 2, 1, 1]))).rejects.toThrow(/RadialConstraint: kernels must be square/);
  });
});

describe('configs and names', () => {
  it('write Keras 2 configs and round-trip them', () => {
    expect(serialize(new MaxNorm())).toEqual({ class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } });
    expect(new MinMaxNorm().getConfig()).toEqual({ min_value: 0, max_value: 1, rate: 1, axis: 0 });
    expect(new UnitNorm({ axis: [0, 1, 2] }).getConfig()).toEqual({ axis: [0, 1, 2] });
    expect(new NonNeg().getConfig()).toEqual({});
    for (const c of [new MaxNorm({ maxValue: 3, axis: [0, 1] }), new MinMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.3, axis: 1 }), new UnitNorm({ axis: 1 }), new NonNeg(), new RadialConstraint()]) roundTrip(c);
  });

  it('resolve Keras 2 aliases and identifiers', () => {
    expect(getConstraint('max_norm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('maxnorm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('non_neg')).toBeInstanceOf(NonNeg);
    expect(getConstraint('nonneg')).toBeInstanceOf(NonNeg);
    expect(getConstraint('unit_norm')).toBeInstanceOf(UnitNorm);
    expect(getConstraint('min_max_norm')).toBeInstanceOf(MinMaxNorm);
    expect(getConstraint('radial_constraint')).toBeInstanceOf(RadialConstraint);
    expect(getConstraint('MaxNorm')).toBeInstanceOf(MaxNorm);
    expect((getConstraint({ module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 3, axis: 0 }, registered_name: null }) as MaxNorm).maxValue).toBe(3);
    const c = new NonNeg();
    expect(getConstraint(c)).toBe(c);
    expect(getConstraint(undefined)).toBeNull();
    expect(() => getConstraint('positive')).toThrow(/unknown constraint 'positive'/);
  });
});
