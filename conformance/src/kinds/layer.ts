import { Tensor, deserializeLayer, type InputShape } from '@keras-ts/keras';
import { compare, fromGolden, Mismatch, type GoldenTensor } from '../compare.js';
import type { KindRunner } from './context.js';

interface BuildConfig {
  input_shape?: (number | null)[] | (number | null)[][];
  shapes_dict?: Record<string, (number | null)[]>;
}

/**
 * `layer`: deserialize, build for the input shapes, set the weights, call on the inputs
 * (training mode when asked), compare outputs and the weights after the call.
 */
export const runLayerCase: KindRunner = async (c, ctx) => {
  const layer = deserializeLayer(c.layer);
  const bc = (c.layer as { build_config?: BuildConfig }).build_config;
  const inputs = (c.inputs as GoldenTensor[]).map((t) => Tensor.from(fromGolden(t)));
  const asList = (c.input_is_list as boolean) || (c.positional_inputs as boolean);
  let shape: InputShape | null = null;
  if (bc?.input_shape) shape = bc.input_shape as InputShape;
  else if (bc?.shapes_dict) shape = Object.values(bc.shapes_dict);
  layer.maybeBuild(shape ?? (asList ? inputs.map((t) => t.shape) : inputs[0].shape));
  const weights = (c.weights as GoldenTensor[]).map((w) => fromGolden(w));
  if (layer.weights.length !== weights.length) {
    throw new Mismatch(
      `${layer.label} has ${layer.weights.length} weights (${layer.weights.map((w) => `${w.path}[${w.shape}]`).join(', ')}); the golden has ${weights.length} (${(c.weights as GoldenTensor[]).map((w) => `${w.name}[${w.shape}]`).join(', ')})`,
    );
  }
  layer.setWeights(weights);
  const out = await layer.applyAsync(asList ? inputs : inputs[0], { training: c.training as boolean });
  const outs = Array.isArray(out) ? out : [out];
  const golden = c.outputs as GoldenTensor[];
  if (outs.length !== golden.length) throw new Mismatch(`${layer.label} returned ${outs.length} outputs, the golden has ${golden.length}`);
  outs.forEach((o, i) => compare(`output ${i}`, o, golden[i], ctx.tolerance, ctx.errors));
  if (c.weights_after) {
    const after = layer.getWeights();
    (c.weights_after as GoldenTensor[]).forEach((w, i) => compare(`weight ${w.name ?? i} after the call`, after[i], w, ctx.tolerance, ctx.errors));
  }
};
