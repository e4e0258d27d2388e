import type { Tensor } from '../../tensor.js';
import type { Trainer } from '../trainer.js';
import type { Compiled } from './compiled.js';
import type { StepFunctions } from './step-functions.js';

/** What the fit and evaluate loops run with: the model, its compiled set-up, its steps. */
export interface LoopContext {
  /** The model: callbacks are given it; fit sets its `history` and reads its `stopTraining`. */
  readonly model: Trainer;
  readonly compiled: Compiled;
  readonly steps: StepFunctions;
}

/** Makes the compiled metrics for a batch's targets and the model's predictions, once per compile. */
export function buildMetrics(ctx: LoopContext, batch: { xs: readonly Tensor[]; ys: readonly Tensor[] }): void {
  const c = ctx.compiled;
  if (c.metrics.built) return;
  c.metrics.build(
    ctx.model.outputNames,
    batch.ys.map((y) => y.shape),
    () => ctx.steps.predictionShapes(batch.xs),
    c.loss.losses,
  );
}

/** The log keys of the per-output losses of the model. */
export function perOutputKeys(ctx: LoopContext): string[] {
  return ctx.compiled.loss.perOutputKeys(ctx.model.outputNames);
}
