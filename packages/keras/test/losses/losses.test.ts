import { createTsBackend } from '@keras-ts/backend-ts';
import { grad, ops, type Sym } from '@keras-ts/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { Loss, Tensor, deserializeLoss, serialize, setBackend, tensor, type Reduction } from '../../src/index.js';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  LossFunctionWrapper,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
  getLoss,
  meanSquaredError,
} from '../../src/losses/index.js';
import { EagerFunctions } from '../../src/engine/eager.js';

beforeAll(() => setBackend(createTsBackend()));

const EPS = 1e-7;

function close(t: Tensor, want: number | number[], tol = 1e-5): void {
  const got = Array.from(t.data);
  const w = typeof want === 'number' ? [want] : want;
  expect(got.length).toBe(w.length);
  got.forEach((g, i) => expect(Math.abs(g - w[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i]))));
}

async function perSample(loss: Loss, t: Tensor, p: Tensor): Promise<Tensor> {
  return loss.evaluate(t, p, null, 'none');
}

const roundTrip = (l: Loss) => {
  const json = JSON.stringify(serialize(l));
  const back = deserializeLoss(JSON.parse(json));
  expect(back.constructor).toBe(l.constructor);
  expect(JSON.stringify(serialize(back))).toBe(json);
};

// Small hand-checkable case: two samples of two values.
const yT = tensor([
  [0, 1],
  [1, 1],
]);
const yP = tensor([
  [0.5, 0.5],
  [2, 0],
]);

describe('regression losses', () => {
  it('MeanSquaredError: mean of squared errors per sample, and every reduction', async () => {
    const l = new MeanSquaredError();
    close(await perSample(l, yT, yP), [(0.25 + 0.25) / 2, (1 + 1) / 2]);
    close(await l.evaluate(yT, yP, null, 'sum'), 1.25);
    close(await l.evaluate(yT, yP, null, 'sum_over_batch_size'), 0.625);
    close(await l.evaluate(yT, yP), 0.625); // 'auto'
    // Keras' own docstring example, with sample weights.
    const t = tensor([
      [0, 1],
      [0, 0],
    ]);
    const p = tensor([
      [1, 1],
      [1, 0],
    ]);
    close(await l.evaluate(t, p), 0.5);
    close(await l.evaluate(t, p, tensor([0.7, 0.3])), 0.25);
  });

  it('MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError', async () => {
    close(await perSample(new MeanAbsoluteError(), yT, yP), [0.5, 1]);
    // |t - p| / max(|t|, eps): the 0 label divides by eps.
    close(await perSample(new MeanAbsolutePercentageError(), yT, yP), [(100 * (0.5 / EPS + 0.5)) / 2, (100 * (1 + 1)) / 2], 1e-4);
    const lg = (x: number) => Math.log(Math.max(x, EPS) + 1);
    const msle = [((lg(0.5) - lg(0)) ** 2 + (lg(0.5) - lg(1)) ** 2) / 2, ((lg(2) - lg(1)) ** 2 + (lg(0) - lg(1)) ** 2) / 2];
    close(await perSample(new MeanSquaredLogarithmicError(), yT, yP), msle);
  });

  it('Huber: quadratic within delta, linear beyond', async () => {
    // errors 0.5, -0.5 | 1, -1 with delta 0.5: all at or beyond delta.
    const h = (e: number, d: number) => (Math.abs(e) <= d ? 0.5 * e * e : d * Math.abs(e) - 0.5 * d * d);
    close(await perSample(new Huber({ delta: 0.5 }), yT, yP), [(h(0.5, 0.5) + h(0.5, 0.5)) / 2, (h(1, 0.5) + h(1, 0.5)) / 2]);
    close(await perSample(new Huber(), yT, yP), [0.125, 0.5]);
  });

  it('LogCosh and CosineSimilarity', async () => {
    const lc = (x: number) => Math.log(Math.cosh(x));
    close(await perSample(new LogCosh(), yT, yP), [(lc(0.5) + lc(-0.5)) / 2, (lc(1) + lc(-1)) / 2]);
    // sample 0: t=(0,1), p=(.5,.5)/|p| -> -1/sqrt(2); sample 1: t=(1,1)/sqrt2, p=(1,0) -> -1/sqrt(2).
    close(await perSample(new CosineSimilarity(), yT, yP), [-Math.SQRT1_2, -Math.SQRT1_2]);
    // A zero vector gives 0 (l2_normalize's 1e-12 floor), not NaN.
    close(await perSample(new CosineSimilarity(), tensor([[0, 0]]), tensor([[1, 2]])), [0]);
    // axis 0: one value per column.
    close(await perSample(new CosineSimilarity({ axis: 0 }), yT, yP), [-2 / Math.sqrt(4.25), -Math.SQRT1_2]);
  });

  it('Poisson and KLDivergence', async () => {
    const pois = (t: number, p: number) => p - t * Math.log(p + EPS);
    close(await perSample(new Poisson(), yT, yP), [(pois(0, 0.5) + pois(1, 0.5)) / 2, (pois(1, 2) + pois(1, 0)) / 2], 1e-4);
    const t = tensor([[0.2, 0.8]]);
    const p = tensor([[0.5, 0.5]]);
    close(await perSample(new KLDivergence(), t, p), [0.2 * Math.log(0.4) + 0.8 * Math.log(1.6)]);
    // Zeros are clipped to epsilon: 0 * log(0 / p) counts as eps * log(eps / p).
    close(await perSample(new KLDivergence(), tensor([[0, 1]]), tensor([[0.5, 0.5]])), [EPS * Math.log(EPS / 0.5) + Math.log(2)]);
  });

  it('a trailing axis of size 1 is squeezed when ranks differ by one (Keras 2)', async () => {
    const l = new MeanSquaredError();
    // [2, 1] vs [2, 1]: mean over the size-1 axis, one value per sample.
    close(await perSample(l, tensor([[1], [2]]), tensor([[0], [0]])), [1, 4]);
    // [2] vs [2, 1]: the predictions lose their last axis, so the mean runs over the batch (Keras 2 quirk).
    const out = await perSample(l, tensor([1, 2]), tensor([[0], [0]]));
    expect(out.shape).toEqual([]);
    close(out, 2.5);
  });
});

describe('hinge losses', () => {
  it('Hinge and SquaredHinge convert 0/1 labels to -1/1', async () => {
    const t01 = tensor([[0, 1]]);
    const tpm = tensor([[-1, 1]]);
    const p = tensor([[0.3, 0.4]]);
    const h = [(Math.max(1 + 0.3, 0) + Math.max(1 - 0.4, 0)) / 2];
    close(await perSample(new Hinge(), t01, p), h);
    close(await perSample(new Hinge(), tpm, p), h);
    close(await perSample(new SquaredHinge(), t01, p), [(1.3 ** 2 + 0.6 ** 2) / 2]);
    // Labels that are not all 0/1 are used as they are.
    close(await perSample(new Hinge(), tensor([[0, 2]]), p), [(1 + Math.max(1 - 0.8, 0)) / 2]);
  });

  it('CategoricalHinge: max(neg - pos + 1, 0)', async () => {
    const t = tensor([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const p = tensor([
      [0.2, 0.5, 0.3],
      [2, 0.5, 0.1],
    ]);
    close(await perSample(new CategoricalHinge(), t, p), [0.3 - 0.5 + 1, 0]);
  });
});

describe('crossentropy losses', () => {
  const bce = (t: number, p: number) => {
    const o = Math.min(Math.max(p, EPS), 1 - EPS);
    return -(t * Math.log(o + EPS) + (1 - t) * Math.log(1 - o + EPS));
  };
  const sig = (x: number) => 1 / (1 + Math.exp(-x));

  it('BinaryCrossentropy: clipped probabilities, logits, label smoothing', async () => {
    const t = tensor([
      [0, 1],
      [1, 0],
    ]);
    const p = tensor([
      [0.1, 0.8],
      [1, 0],
    ]);
    close(await perSample(new BinaryCrossentropy(), t, p), [(bce(0, 0.1) + bce(1, 0.8)) / 2, (bce(1, 1) + bce(0, 0)) / 2]);
    const x = tensor([[-2, 3]]);
    const lg = (z: number, v: number) => Math.max(v, 0) - v * z + Math.log1p(Math.exp(-Math.abs(v)));
    close(await perSample(new BinaryCrossentropy({ fromLogits: true }), tensor([[1, 0]]), x), [(lg(1, -2) + lg(0, 3)) / 2]);
    // Smoothing 0.2: labels 0 -> 0.1, 1 -> 0.9.
    close(await perSample(new BinaryCrossentropy({ labelSmoothing: 0.2 }), tensor([[0, 1]]), tensor([[0.3, 0.6]])), [(bce(0.1, 0.3) + bce(0.9, 0.6)) / 2]);
    // axis 0: the mean runs down the columns.
    close(await perSample(new BinaryCrossentropy({ axis: 0 }), t, p), [(bce(0, 0.1) + bce(1, 1)) / 2, (bce(1, 0.8) + bce(0, 0)) / 2]);
  });

  it('BinaryFocalCrossentropy with and without class balancing', async () => {
    const t = tensor([[0, 1]]);
    const p = tensor([[0.3, 0.6]]);
    const focal = (z: number, q: number, g: number) => (1 - (z * q + (1 - z) * (1 - q))) ** g * bce(z, q);
    close(await perSample(new BinaryFocalCrossentropy(), t, p), [(focal(0, 0.3, 2) + focal(1, 0.6, 2)) / 2]);
    const bal = [(0.75 * focal(0, 0.3, 1) + 0.25 * focal(1, 0.6, 1)) / 2];
    close(await perSample(new BinaryFocalCrossentropy({ applyClassBalancing: true, gamma: 1 }), t, p), bal);
    const x = tensor([[-1, 0.5]]);
    const fromLogits = [(focal(0, sig(-1), 2) + focal(1, sig(0.5), 2)) / 2];
    close(await perSample(new BinaryFocalCrossentropy({ fromLogits: true }), t, x), fromLogits, 1e-4);
  });

  it('CategoricalCrossentropy: rescaled and clipped probabilities, logits, smoothing', async () => {
    const t = tensor([[0, 1, 0]]);
    // Probabilities summing to 2: rescaled to 0.1, 0.6, 0.3.
    close(await perSample(new CategoricalCrossentropy(), t, tensor([[0.2, 1.2, 0.6]])), [-Math.log(0.6)]);
    const x = [1, 2, 0.5];
    const lse = Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
    close(await perSample(new CategoricalCrossentropy({ fromLogits: true }), t, tensor([x])), [lse - 2]);
    // Smoothing 0.3 over 3 classes: labels 0.1, 0.8, 0.1.
    const q = [0.1, 0.6, 0.3];
    const smoothed = -(0.1 * Math.log(q[0]) + 0.8 * Math.log(q[1]) + 0.1 * Math.log(q[2]));
    close(await perSample(new CategoricalCrossentropy({ labelSmoothing: 0.3 }), t, tensor([q])), [smoothed]);
    // A zero probability is clipped to epsilon.
    close(await perSample(new CategoricalCrossentropy(), t, tensor([[0.5, 0, 0.5]])), [-Math.log(EPS)], 1e-4);
    await expect(perSample(new CategoricalCrossentropy(), tensor([[1, 0]]), tensor([[0.5, 0.2, 0.3]]))).rejects.toThrow(
      /categorical_crossentropy: y_true of shape \[1,2\] is not compatible with y_pred of shape \[1,3\]/,
    );
  });

  it('CategoricalFocalCrossentropy', async () => {
    const t = tensor([[0, 1, 0]]);
    const q = [0.2, 0.5, 0.3];
    close(await perSample(new CategoricalFocalCrossentropy(), t, tensor([q])), [0.25 * 0.5 ** 2 * -Math.log(0.5)]);
    close(await perSample(new CategoricalFocalCrossentropy({ alpha: 1, gamma: 0 }), t, tensor([q])), [-Math.log(0.5)]);
  });

  it('SparseCategoricalCrossentropy: int or float labels, [batch] or [batch, 1]', async () => {
    const q = tensor([
      [0.1, 0.6, 0.3],
      [0.5, 0.25, 0.25],
    ]);
    const want = [-Math.log(0.6), -Math.log(0.25)];
    const l = new SparseCategoricalCrossentropy();
    close(await perSample(l, tensor([1, 2], [2], 'int32'), q), want);
    close(await perSample(l, tensor([1, 2]), q), want);
    close(await perSample(l, tensor([[1], [2]]), q), want);
    close(await perSample(l, tensor([[1], [2]], [2, 1], 'int32'), q), want);
    const x = [1, 2, 0.5];
    const lse = Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
    close(await perSample(new SparseCategoricalCrossentropy({ fromLogits: true }), tensor([0], [1], 'int32'), tensor([x])), [lse - 1]);
    // Sequences: [batch, time] labels with [batch, time, classes] predictions.
    const seq = await perSample(l, tensor([[1, 2]], [1, 2], 'int32'), tensor([[[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]]));
    expect(seq.shape).toEqual([1, 2]);
    close(seq, want);
    await expect(perSample(l, tensor([1, 2, 0], [3], 'int32'), q)).rejects.toThrow(
      /sparse_categorical_crossentropy: labels of shape \[3\] do not fit predictions of shape \[2,3\]; expected \[2\]/,
    );
  });

  it('SparseCategoricalCrossentropy ignore_class: zero loss there, and the mean counts only the others', async () => {
    const q = tensor([
      [0.1, 0.6, 0.3],
      [0.5, 0.25, 0.25],
      [0.2, 0.2, 0.6],
    ]);
    const labels = tensor([1, -1, 2], [3], 'int32');
    const l = new SparseCategoricalCrossentropy({ ignoreClass: -1 });
    const a = -Math.log(0.6);
    const c = -Math.log(0.6);
    close(await l.evaluate(labels, q, null, 'none'), [a, 0, c]);
    close(await l.evaluate(labels, q, null, 'sum'), a + c);
    close(await l.evaluate(labels, q, null, 'sum_over_batch_size'), (a + c) / 2);
    close(await l.evaluate(labels, q), (a + c) / 2);
    close(await l.evaluate(labels, q, tensor([2, 5, 1])), (2 * a + c) / 2);
  });

  it('predictions straight out of a sigmoid or softmax are taken back to their logits (Keras 2)', async () => {
    const eager = new EagerFunctions();
    const run = async (fn: (xs: Sym[]) => Sym, inputs: Tensor[]) => (await eager.run(String(fn), inputs, (xs) => [fn(xs)]))[0];
    // softmax([0, 40]) saturates: probabilities clip at 1e-7, logits give the exact 40.
    const logits = tensor([[0, 40]]);
    const cce = new CategoricalCrossentropy();
    close(await run(([t, x]) => cce.compute(t, ops.softmax(x)), [tensor([[1, 0]]), logits]), 40, 1e-4);
    close(await cce.evaluate(tensor([[1, 0]]), tensor([[0, 1]])), -Math.log(EPS), 1e-4);
    const scce = new SparseCategoricalCrossentropy();
    close(await run(([t, x]) => scce.compute(t, ops.softmax(x)), [tensor([0], [1], 'int32'), logits]), 40, 1e-4);
    const bceLoss = new BinaryCrossentropy();
    close(await run(([t, x]) => bceLoss.compute(t, ops.sigmoid(x)), [tensor([[1]]), tensor([[-30]])]), 30, 1e-4);
    // A softmax over another axis is not taken back: probabilities are rescaled over the class axis and clipped.
    const t2 = tensor([
      [1, 0],
      [0, 1],
    ]);
    const x2 = tensor([
      [0, 0],
      [40, 0],
    ]);
    close(await run(([t, x]) => cce.compute(t, ops.softmax(x, 0), null, 'none'), [t2, x2]), [-Math.log(EPS), Math.log(3)], 1e-4);
  });

  it('binary crossentropy from logits has the gradient sigmoid(x) - t, also at x = 0', async () => {
    const eager = new EagerFunctions();
    const x = tensor([[0, 2, -1]]);
    const t = tensor([[1, 0, 1]]);
    const [g] = await eager.run('bce-grad', [t, x], ([tt, xx]) => grad([new BinaryCrossentropy({ fromLogits: true }).compute(tt, xx, null, 'sum')], [xx]));
    close(g, [(0.5 - 1) / 3, 1 / (1 + Math.exp(-2)) / 3, (1 / (1 + Math.exp(1)) - 1) / 3]);
  });
});

describe('configs', () => {
  it('write Keras 2 configs in Keras 2 key order, with reduction auto', () => {
    expect(serialize(new MeanSquaredError())).toEqual({ class_name: 'MeanSquaredError', config: { reduction: 'auto', name: 'mean_squared_error' } });
    expect(Object.keys(new BinaryFocalCrossentropy().getConfig())).toEqual(['reduction', 'name', 'apply_class_balancing', 'alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis']);
    expect(new CategoricalFocalCrossentropy().getConfig()).toEqual({ reduction: 'auto', name: 'categorical_focal_crossentropy', alpha: 0.25, gamma: 2, from_logits: false, label_smoothing: 0, axis: -1 });
    expect(new SparseCategoricalCrossentropy({ fromLogits: true }).getConfig()).toEqual({ reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: true, ignore_class: null });
    expect(new Huber().getConfig()).toEqual({ reduction: 'auto', name: 'huber_loss', delta: 1 });
    expect(new CosineSimilarity({ axis: 1, reduction: 'sum', name: 'cos' }).getConfig()).toEqual({ reduction: 'sum', name: 'cos', axis: 1 });
  });

  it('round-trip through JSON for every loss', () => {
    const all: Loss[] = [
      new MeanSquaredError({ reduction: 'sum' }),
      new MeanAbsoluteError({ name: 'm' }),
      new MeanAbsolutePercentageError(),
      new MeanSquaredLogarithmicError(),
      new Huber({ delta: 0.3 }),
      new LogCosh(),
      new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1, axis: 0 }),
      new BinaryFocalCrossentropy({ applyClassBalancing: true, alpha: 0.4, gamma: 1.5 }),
      new CategoricalCrossentropy({ labelSmoothing: 0.2 }),
      new CategoricalFocalCrossentropy({ alpha: 0.5, gamma: 3, fromLogits: true }),
      new SparseCategoricalCrossentropy({ ignoreClass: 3, reduction: 'none' }),
      new KLDivergence(),
      new Poisson(),
      new CosineSimilarity({ axis: 0 }),
      new Hinge(),
      new SquaredHinge(),
      new CategoricalHinge(),
    ];
    for (const l of all) roundTrip(l);
  });

  it('read Keras 3 configs (module, registered_name, reduction null, dtype, SCCE axis -1)', () => {
    const k3 = deserializeLoss({
      module: 'keras.losses',
      class_name: 'SparseCategoricalCrossentropy',
      config: { name: 'scce', reduction: null, from_logits: true, ignore_class: null, axis: -1, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } } },
      registered_name: null,
    }) as SparseCategoricalCrossentropy;
    expect(k3).toBeInstanceOf(SparseCategoricalCrossentropy);
    expect(k3.reduction).toBe('none');
    expect(k3.fromLogits).toBe(true);
    expect(k3.name).toBe('scce');
    expect(deserializeLoss({ class_name: 'Hinge', config: { name: 'hinge', reduction: 'mean' } }).reduction).toBe('sum_over_batch_size');
    expect(() => deserializeLoss({ class_name: 'SparseCategoricalCrossentropy', config: { axis: 1 } })).toThrow(/SparseCategoricalCrossentropy: argument 'axis' got 1: only axis -1 is supported/);
    expect(() => deserializeLoss({ class_name: 'MeanSquaredError', config: { dtype: 'float16' } })).toThrow(/MeanSquaredError: argument 'dtype' got "float16"; losses compute in float32/);
    // Keras 2 .keras files name the function in `fn`.
    expect(deserializeLoss({ class_name: 'MeanSquaredError', config: { reduction: 'auto', name: 'mean_squared_error', fn: 'mean_squared_error' } })).toBeInstanceOf(MeanSquaredError);
    const w = deserializeLoss({ class_name: 'LossFunctionWrapper', config: { reduction: 'auto', name: 'x', fn: 'mae' } });
    expect(w).toBeInstanceOf(LossFunctionWrapper);
  });

  it('refuse bad arguments with the class, argument and value', () => {
    // @ts-expect-error -- 'foo' is deliberately not an argument here, to check the runtime error
    expect(() => new MeanSquaredError({ foo: 1 })).toThrow(/MeanSquaredError: unknown argument 'foo' \(got 1\); MeanSquaredError takes reduction, name/);
    expect(() => new BinaryCrossentropy({ labelSmoothing: 2 })).toThrow(/BinaryCrossentropy: argument 'labelSmoothing' got 2/);
    // @ts-expect-error -- delta = 'a' is not an allowed value, to check the runtime error
    expect(() => new Huber({ delta: 'a' })).toThrow(/Huber: argument 'delta' got "a"/);
    expect(() => new MeanSquaredError({ reduction: 'mean_with_sample_weight' as Reduction })).toThrow(
      /MeanSquaredError: argument 'reduction' got "mean_with_sample_weight": expected 'auto', 'sum_over_batch_size', 'sum' or 'none'/,
    );
    expect(() => new SparseCategoricalCrossentropy({ ignoreClass: 1.5 })).toThrow(/argument 'ignoreClass' got 1.5/);
    expect(() => deserializeLoss('nope')).toThrow(/unknown loss 'nope'/);
  });

  it('resolve Keras 2 aliases', () => {
    const cases: [string, unknown][] = [
      ['mse', MeanSquaredError],
      ['MSE', MeanSquaredError],
      ['mean_squared_error', MeanSquaredError],
      ['mae', MeanAbsoluteError],
      ['mape', MeanAbsolutePercentageError],
      ['msle', MeanSquaredLogarithmicError],
      ['kld', KLDivergence],
      ['kullback_leibler_divergence', KLDivergence],
      ['logcosh', LogCosh],
      ['huber_loss', Huber],
      ['bce', BinaryCrossentropy],
      ['binary_focal_crossentropy', BinaryFocalCrossentropy],
      ['categorical_crossentropy', CategoricalCrossentropy],
      ['sparse_categorical_crossentropy', SparseCategoricalCrossentropy],
      ['categorical_focal_crossentropy', CategoricalFocalCrossentropy],
      ['poisson', Poisson],
      ['cosine_similarity', CosineSimilarity],
      ['hinge', Hinge],
      ['squared_hinge', SquaredHinge],
      ['categorical_hinge', CategoricalHinge],
      ['Huber', Huber],
    ];
    for (const [name, cls] of cases) expect(deserializeLoss(name)).toBeInstanceOf(cls);
  });
});

describe('getLoss and plain functions', () => {
  it('accepts a name, a config, an instance, a function or null', async () => {
    expect(getLoss('mse')).toBeInstanceOf(MeanSquaredError);
    expect(getLoss({ class_name: 'Huber', config: { delta: 2 } })).toMatchObject({ delta: 2 });
    const l = new Poisson();
    expect(getLoss(l)).toBe(l);
    expect(getLoss(null)).toBeNull();
    const myLoss = (t: Sym, p: Sym) => ops.sum(ops.abs(ops.sub(p, t)), -1);
    const w = getLoss(myLoss)!;
    expect(w).toBeInstanceOf(LossFunctionWrapper);
    expect(w.name).toBe('myLoss');
    close(await w.evaluate(yT, yP, null, 'none'), [1, 2]);
    // @ts-expect-error -- 3 is not a loss identifier, on purpose
    expect(() => getLoss(3)).toThrow(/could not interpret a loss from 3/);
  });

  it('the plain functions work over symbolic tensors (no squeeze, as Keras 2)', async () => {
    const eager = new EagerFunctions();
    const [out] = await eager.run('mse-fn', [yT, yP], ([t, p]) => [meanSquaredError(t, p)]);
    close(out, [0.25, 1]);
  });
});
