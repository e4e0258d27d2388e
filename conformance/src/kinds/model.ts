import { Tensor, deserializeLayer, loadModelFile, type Model } from '@keras-ts/keras';
import { compare, fromGolden, Mismatch, type GoldenTensor } from '../compare.js';
import { caseFile, SkipCase, type KindRunner } from './context.js';

/** Rebuilds a model from its `to_json()` and sets its weights (count and shapes must match). */
export function modelFromCase(json: unknown, weights: readonly GoldenTensor[]): Model {
  const model = deserializeLayer(typeof json === 'string' ? JSON.parse(json) : json) as Model;
  const ws = model.weights;
  if (ws.length !== weights.length) {
    throw new Mismatch(`model '${model.name}' has ${ws.length} weights; the golden has ${weights.length}:\n  ours:   ${ws.map((w) => `${w.path}[${w.shape}]`).join(', ')}\n  golden: ${weights.map((w) => `${w.name}[${w.shape}]`).join(', ')}`);
  }
  model.setWeights(weights.map(fromGolden));
  return model;
}

export const asTensors = (v: GoldenTensor | GoldenTensor[]): Tensor | Tensor[] => (Array.isArray(v) ? v.map((t) => Tensor.from(fromGolden(t))) : Tensor.from(fromGolden(v)));

/** `model`: rebuild from JSON and weights, predict in inference mode, compare every output. */
export const runModelCase: KindRunner = async (c, ctx) => {
  const inputs = (c.inputs as GoldenTensor[]).map((t) => Tensor.from(fromGolden(t)));
  const golden = c.outputs as GoldenTensor[];
  const check = async (model: Model, label: string) => {
    const out = await model.predict(inputs.length === 1 ? inputs[0] : inputs, { verbose: 0 });
    const outs = Array.isArray(out) ? out : [out];
    if (outs.length !== golden.length) throw new Mismatch(`${label}: the model returned ${outs.length} outputs, the golden has ${golden.length}`);
    outs.forEach((o, i) => compare(`${label} output ${i}`, o, golden[i], ctx.tolerance, ctx.errors));
  };
  if (c.model) await check(modelFromCase(c.model, c.weights as GoldenTensor[]), 'model from JSON');
  for (const [format, rel] of Object.entries((c.files ?? {}) as Record<string, string>)) {
    await check(await loadModelFile(caseFile(ctx.caseDir, rel)), `model from ${format} file`);
  }
  if (!c.model && !c.files) throw new SkipCase('the case gives neither a model config nor model files');
};
