import { Tensor, deserialize, loadModelFile, loadWeights, type Callback, type CompileArgs } from '@keras-ts/keras';
import { compare, fromGolden, Mismatch, type GoldenTensor } from '../compare.js';
import { caseFile, SkipCase, type KindRunner } from './context.js';
import { asTensors, modelFromCase } from './model.js';

interface FitConfig {
  batch_size: number;
  epochs: number;
  shuffle: boolean;
  validation_split?: number;
  class_weight?: Record<string, number>;
  sample_weight?: GoldenTensor;
}

const scalar = (v: number): Tensor => new Tensor([], 'float32', new Float32Array([v]));

/**
 * `training`: rebuild, set the initial weights, compare predictions before training and the
 * first batch's loss and gradients, fit without shuffling, compare history, final weights and
 * predictions after training.
 */
export const runTrainingCase: KindRunner = async (c, ctx) => {
  if (!ctx.backend.capabilities.training) throw new SkipCase(`backend '${ctx.backend.name}' does not train (capabilities.training is false)`);
  const model = modelFromCase(c.model, c.initial_weights as GoldenTensor[]);
  const x = asTensors(c.x as GoldenTensor | GoldenTensor[]);
  const y = asTensors(c.y as GoldenTensor | GoldenTensor[]);
  const tol = ctx.tolerance;
  const cmp = (label: string, actual: Tensor, golden: GoldenTensor) => compare(label, actual, golden, tol, ctx.errors);
  const cmpList = (label: string, actual: Tensor | Tensor[], golden: GoldenTensor | GoldenTensor[]) => {
    const a = Array.isArray(actual) ? actual : [actual];
    const g = Array.isArray(golden) ? golden : [golden];
    if (a.length !== g.length) throw new Mismatch(`${label}: ${a.length} outputs, the golden has ${g.length}`);
    a.forEach((t, i) => cmp(`${label}${a.length > 1 ? ` ${i}` : ''}`, t, g[i]));
  };
  const compile = c.compile as Pick<CompileArgs, 'optimizer' | 'loss' | 'metrics'> & { loss_weights?: number[] };
  model.compile({ optimizer: compile.optimizer, loss: compile.loss, metrics: compile.metrics ?? [], lossWeights: compile.loss_weights ?? undefined });
  if (c.predict_before) cmpList('predict before training', await model.predict(x, { verbose: 0 }), c.predict_before as GoldenTensor | GoldenTensor[]);
  const fit = c.fit as FitConfig;
  if (c.first_batch) {
    const fb = c.first_batch as { loss: number | GoldenTensor; gradients: GoldenTensor[] };
    const head = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t.map((u) => u.sliceRows(0, fit.batch_size)) : t.sliceRows(0, fit.batch_size));
    const { loss, gradients } = await model.computeLossAndGradients(head(x), head(y));
    cmp('first batch loss', loss, typeof fb.loss === 'number' ? { shape: [], dtype: 'float32', data: [fb.loss] } : fb.loss);
    if (gradients.length !== fb.gradients.length) throw new Mismatch(`first batch: ${gradients.length} gradients, the golden has ${fb.gradients.length}`);
    gradients.forEach((g, i) => cmp(`first batch gradient ${i} (${fb.gradients[i].name ?? ''})`, g, fb.gradients[i]));
  }
  const callbacks = ((c.callbacks as unknown[]) ?? []).map((spec) => deserialize<Callback>('callback', spec));
  const history = await model.fit(x, y, {
    batchSize: fit.batch_size,
    epochs: fit.epochs,
    shuffle: fit.shuffle,
    verbose: 0,
    validationSplit: fit.validation_split,
    classWeight: fit.class_weight ?? null,
    sampleWeight: fit.sample_weight ? Tensor.from(fromGolden(fit.sample_weight)) : null,
    callbacks,
  });
  for (const [key, values] of Object.entries(c.history as Record<string, number[]>)) {
    const got = history.history[key];
    if (!got) throw new Mismatch(`history has no '${key}' (it has ${Object.keys(history.history).join(', ')})`);
    if (got.length !== values.length) throw new Mismatch(`history '${key}' has ${got.length} epochs, the golden has ${values.length}`);
    values.forEach((v, e) => cmp(`history '${key}' epoch ${e + 1}`, scalar(got[e]), { shape: [], dtype: 'float32', data: [v] }));
  }
  const finals = c.final_weights as GoldenTensor[];
  const ws = model.getWeights();
  finals.forEach((w, i) => cmp(`final weight ${i} (${w.name ?? ''})`, ws[i], w));
  cmpList('predict after training', await model.predict(x, { verbose: 0 }), c.predict_after as GoldenTensor | GoldenTensor[]);
  // The same trained model as Keras saved it: each full-model file reproduces predict_after;
  // a weights file loaded into the rebuilt model does too.
  for (const [format, rel] of Object.entries((c.files ?? {}) as Record<string, string>)) {
    const path = caseFile(ctx.caseDir, rel);
    let saved;
    if (format === 'weights_h5') {
      saved = modelFromCase(c.model, c.initial_weights as GoldenTensor[]);
      await loadWeights(saved, path);
    } else saved = await loadModelFile(path);
    cmpList(`predict from the ${format} file`, await saved.predict(x, { verbose: 0 }), c.predict_after as GoldenTensor | GoldenTensor[]);
  }
};
