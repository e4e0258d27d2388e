import { describe, expect, it } from 'vitest';
import { SGD, onlyLoss, scoreList, type Logs } from '../../src/index.js';
import { copyWeights, linearData, mlp } from './helpers.js';

/** Two MLPs with the same weights, one compiled with a metric and one without. */
function models() {
  const withMetric = mlp();
  const lossOnly = mlp();
  copyWeights(withMetric, lossOnly);
  withMetric.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  lossOnly.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
  return { withMetric, lossOnly };
}

describe('the values evaluate and the batch methods return', () => {
  it('onlyLoss reads the loss of a model with no metrics; scoreList lists the values whether one or several', async () => {
    const { x, y } = linearData(8, 4);
    const { withMetric, lossOnly } = models();
    const loss: number = onlyLoss(await lossOnly.evaluate(x, y));
    const [loss2, mae]: number[] = scoreList(await withMetric.evaluate(x, y));
    expect(loss).toBeCloseTo(loss2, 6);
    expect(mae).toBeGreaterThan(0);
    expect(scoreList(await lossOnly.testOnBatch(x, y))).toEqual([loss]);
    expect(withMetric.metricsNames).toEqual(['loss', 'mae']);
  });

  it('onlyLoss refuses several values, naming how many and the ways to read them', async () => {
    const { x, y } = linearData(8, 4);
    const { withMetric } = models();
    const values = await withMetric.testOnBatch(x, y);
    expect(() => onlyLoss(values)).toThrow(/expected the loss alone .* got 2 values; read them as a list with scoreList, or pass \{ returnDict: true \}/);
    expect(onlyLoss([0.5])).toBe(0.5);
  });

  it('trainOnBatch and testOnBatch give a record by name with returnDict, as Keras 2', async () => {
    const { x, y } = linearData(8, 4);
    const { withMetric, lossOnly } = models();
    const tested: Logs = await withMetric.testOnBatch(x, y, { returnDict: true });
    expect(Object.keys(tested)).toEqual(['loss', 'mae']);
    expect([tested.loss, tested.mae]).toEqual(scoreList(await withMetric.testOnBatch(x, y)));
    const trained: Logs = await lossOnly.trainOnBatch(x, y, { returnDict: true });
    expect(Object.keys(trained)).toEqual(['loss']);
    // The step trained on the same batch: the loss it reports is the one before the update.
    expect(trained.loss).toBeCloseTo(scoreList(await withMetric.evaluate(x, y))[0], 5);
    expect(onlyLoss(await lossOnly.evaluate(x, y))).toBeLessThan(trained.loss);
  });
});
