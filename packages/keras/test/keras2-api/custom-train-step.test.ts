import { describe, expect, it } from 'vitest';
import { grad, ops, type Sym } from '@keras-ts/spec';
import { Dense, Model, Tensor, metrics, tensor, onlyLoss, scoreList, type StepData, type StepLogs } from '../../src/index.js';
import { expectClose, linearData, randn } from '../engine/helpers.js';

/** tf.keras' guide model ("Customizing what happens in fit"), in keras-ts: its own train step over the compiled loss and metrics. */
class CustomModel extends Model {
  static override readonly className = 'CustomModel';
  readonly dense = new Dense({ units: 1, kernelInitializer: 'zeros' });
  traced = 0;
  override call(x: Sym | Sym[]): Sym {
    return this.dense.apply(x as Sym);
  }
  override trainStep([x, y]: StepData): StepLogs {
    this.traced++;
    const yPred = this.apply(x, { training: true });
    const loss = this.compiledLoss(y, yPred);
    const vars = this.trainableWeights;
    this.optimizer.applyGradients(grad([loss], vars.map((v) => v.read())), vars);
    this.compiledMetrics.updateState(y, yPred);
    return Object.fromEntries(this.metrics.map((m) => [m.name, m]));
  }
}

/** A model whose step computes its own loss (no compiled loss) and logs a plain scalar. */
class OwnLoss extends Model {
  static override readonly className = 'OwnLoss';
  readonly dense = new Dense({ units: 1 });
  override call(x: Sym | Sym[]): Sym {
    return this.dense.apply(x as Sym);
  }
  override trainStep([x, y]: StepData): StepLogs {
    const yPred = this.apply(x, { training: true });
    const loss = ops.mean(ops.abs(ops.sub(yPred, y as Sym)));
    const vars = this.trainableWeights;
    this.optimizer.applyGradients(grad([loss], vars.map((v) => v.read())), vars);
    return { mae: loss, constant: 7 };
  }
  override testStep([x, y]: StepData): StepLogs {
    const yPred = this.apply(x);
    return { mae: ops.mean(ops.abs(ops.sub(yPred, y as Sym))) };
  }
}

describe('a custom trainStep / testStep (tf.keras 2.2+ semantics)', () => {
  it('fit calls trainStep per batch and logs what it returns; the compiled loss tracker averages by batch size', async () => {
    const { x, y } = linearData(64, 3);
    const m = new CustomModel();
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const h = await m.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    const loss = h.history.loss;
    expect(loss[3]).toBeLessThan(loss[0]);
    // Traced once per batch signature: the step function's body ran once, not per batch.
    expect(m.traced).toBe(1);
    // The default testStep: evaluate gives the compiled loss and metric, as the built-in step.
    const [l, mae] = scoreList(await m.evaluate(x, y, { batchSize: 64 }));
    const p = await m.predict(x);
    let se = 0;
    let ae = 0;
    for (let i = 0; i < 64; i++) (se += (p.data[i] - y.data[i]) ** 2), (ae += Math.abs(p.data[i] - y.data[i]));
    expectClose([l, mae], [se / 64, ae / 64], 1e-4);
  });

  it('the first epoch with zero weights logs the loss tracker mean over the epoch', async () => {
    // With kernel zeros and a tiny learning rate the predictions stay ~0: the epoch's loss is ~mean(y^2).
    const x = randn([32, 2], 3);
    const y = randn([32, 1], 4);
    const m = new CustomModel();
    m.compile({ optimizer: { class_name: 'SGD', config: { learning_rate: 1e-9 } }, loss: 'mse' });
    const h = await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const meanSq = Array.from(y.data).reduce((a, v) => a + v * v, 0) / 32;
    expectClose([h.history.loss[0]], [meanSq], 1e-4);
  });

  it('a step with its own loss trains without a compiled loss; the epoch logs are the last batch\'s', async () => {
    const { x, y } = linearData(48, 3, 9);
    const m = new OwnLoss();
    m.compile({ optimizer: 'adam' });
    const h = await m.fit(x, y, { epochs: 6, batchSize: 48, verbose: 0, validationData: [x, y] });
    const mae = h.history.mae;
    expect(mae[5]).toBeLessThan(mae[0]);
    expect(h.history.constant).toEqual([7, 7, 7, 7, 7, 7]);
    expect(h.history).toHaveProperty('val_mae');
    const evaluated = onlyLoss(await m.evaluate(x, y, { batchSize: 48 }));
    const p = await m.predict(x);
    expectClose([evaluated], [Array.from(p.data).reduce((a, v, i) => a + Math.abs(v - y.data[i]), 0) / 48], 1e-4);
  });

  it('refuses a step that returns something else', async () => {
    class Bad extends OwnLoss {
      override trainStep(): StepLogs {
        // @ts-expect-error -- a string log value is not a StepLogs entry, on purpose
        return { bad: 'x' };
      }
    }
    const m = new Bad();
    m.compile({ optimizer: 'sgd' });
    await expect(m.fit(randn([4, 3]), tensor([[1], [2], [3], [4]]), { verbose: 0 })).rejects.toThrow(/must be a symbolic tensor, a metric or a number/);
    expect(metrics.Mean).toBeDefined();
  });
});

describe('trainOnBatch with a custom trainStep', () => {
  it('runs the model\'s own step and returns what it logs', async () => {
    const { x, y } = linearData(16, 3, 2);
    const m = new OwnLoss();
    m.compile({ optimizer: 'adam' });
    const first = scoreList(await m.trainOnBatch(x, y));
    expect(first).toHaveLength(2);
    expect(first[1]).toBe(7);
    let last = first;
    for (let i = 0; i < 5; i++) last = scoreList(await m.trainOnBatch(x, y));
    expect(last[0]).toBeLessThan(first[0]);
    expect(m.metricsNames).toEqual(['mae', 'constant']);
  });
});
