import { KerasValueError } from '../errors.js';

/**
 * What `evaluate`, `trainOnBatch`, `testOnBatch` and `evaluateGenerator` return without
 * `returnDict` (Keras 2): the loss alone for a model compiled with one output and no metrics,
 * else `[loss, ...per-output losses, ...metrics]` in the order of `model.metricsNames`. Which one
 * depends on how the model was compiled, which its type does not record: read it with
 * {@link onlyLoss} or {@link scoreList}, or ask for `{ returnDict: true }` (a record by name).
 *
 * @example
 * const [loss, accuracy] = scoreList(await model.evaluate(x, y));
 */
export type Scores = number | number[];

/**
 * The one value of `evaluate`, `trainOnBatch`, `testOnBatch` or `evaluateGenerator`: the loss of
 * a model compiled with one output and no metrics; an error naming how many values there were
 * otherwise.
 *
 * @example
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * const loss = onlyLoss(await model.trainOnBatch(x, y)); // number
 */
export function onlyLoss(scores: number | readonly number[]): number {
  if (typeof scores === 'number') return scores;
  if (scores.length === 1) return scores[0];
  throw new KerasValueError(
    `expected the loss alone (a model compiled with one output and no metrics), got ${scores.length} values; read them as a list with scoreList, or pass { returnDict: true } for them by name`,
  );
}

/**
 * The values of `evaluate`, `trainOnBatch`, `testOnBatch` or `evaluateGenerator` as a list,
 * `[loss, ...per-output losses, ...metrics]` (in the order of `model.metricsNames`), whether the
 * method returned one value or several.
 *
 * @example
 * const [loss, accuracy] = scoreList(await model.evaluate(x, y));
 */
export function scoreList(scores: number | readonly number[]): number[] {
  return typeof scores === 'number' ? [scores] : [...scores];
}
