/**
 * The `config.json` of the `.keras` archives we write: the model's config in the interchange
 * dialect (serialization/interchange.ts) with `batch_shape` on a Sequential's InputLayer, as Keras 3
 * writes it. The top object carries `module` and `registered_name` (`keras` + `Sequential`, or
 * `keras.src.models.functional` + `Functional`): Keras 3 finds the class of a `.keras` config
 * through `module` and cannot load one without it. `build_config` and `compile_config` sit beside
 * it, as in Keras 3's files.
 */
import { interchangeConfig, MODEL_MODULES } from '../serialization/interchange.js';
import type { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { keras3CompileConfigOf } from './compile-config.js';

type Json = Record<string, unknown>;

/** The `config.json` object written for a model (see the file comment). */
export function archiveConfig(model: Model): Json {
  const cls = model.wireClassName;
  const inputDtype = model.inputs[0]?.dtype ?? 'float32';
  let config = interchangeConfig(cls, model.getConfig(), { inputDtype, inputKey: 'batch_shape', keras3Nodes: true });
  let buildConfig: Json | null = null;
  if (model instanceof Sequential) {
    const shape = model.inputs[0]?.shape;
    if (shape) {
      config = { ...config, build_input_shape: [...shape] };
      buildConfig = { input_shape: [...shape] };
    }
  } else if (cls === 'Functional') buildConfig = { input_shape: null };
  return {
    module: MODEL_MODULES[cls] ?? null,
    class_name: cls,
    config,
    registered_name: cls === 'Sequential' ? null : cls,
    build_config: buildConfig,
    compile_config: keras3CompileConfigOf(model),
  };
}
