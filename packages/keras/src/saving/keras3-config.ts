/**
 * The `config.json` of the `.keras` archives we write: our Keras 2 config, adapted only where
 * Keras 3's `load_model` needs it.
 *
 * - The top object carries `module` and `registered_name` (`keras` + `Sequential`, or
 *   `keras.src.models.functional` + `Functional`, as Keras 3 writes them): Keras 3 finds the class
 *   of a `.keras` config through `module` and cannot load one without it. `build_config` and
 *   `compile_config` sit beside it, as in Keras 3's files.
 * - The layers of a model's `layers` list stay in Keras 2 form, without `module`: Keras 3's
 *   Sequential and Functional `from_config` read such entries through their legacy path, the one
 *   that loads Keras 2 `.h5` files (it takes Keras 2 spellings and `inbound_nodes` lists).
 * - Layers nested inside a layer's config (Bidirectional's and TimeDistributed's `layer`, an RNN's
 *   `cell`) get `module: "keras.layers"`: Keras 3 reads them through its current path, which needs it.
 * - A Sequential's input shape becomes an explicit first `InputLayer` (`batch_shape`), as Keras 3
 *   writes it: Keras 3 turns a Keras 2 `batch_input_shape` on the first layer into an input shape
 *   that keeps the batch axis.
 * - Keras 2 arguments that Keras 3's layers refuse ("Unrecognized keyword arguments") are left out
 *   when they hold their neutral value: `groups: 1` of depthwise, separable and transposed
 *   convolutions, `time_major: false` of RNNs, LSTM's and GRU's `implementation` (a speed
 *   setting), Embedding's `input_length: null`, MultiHeadAttention's `query_shape`/`key_shape`/
 *   `value_shape` (build shapes; Keras 3 builds the layer when the model calls it). Our reader
 *   restores them all, so configs still round-trip.
 *
 * None of this could be checked against Python Keras here (no Python Keras on this machine): it
 * follows Keras 3's loader source. Our own reader reads both this form and Keras 3's own.
 */
import { lookupClass } from '../config/serialization.js';
import type { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { keras3CompileConfigOf } from './compile-config.js';

type Json = Record<string, unknown>;

const groups1 = { groups: 1 };
const notTimeMajor = { time_major: false };
/** Keras 2 arguments Keras 3 refuses, with the value at which leaving them out changes nothing (undefined: any value). */
const KERAS2_ONLY: Record<string, Record<string, unknown>> = {
  DepthwiseConv1D: groups1,
  DepthwiseConv2D: groups1,
  SeparableConv1D: groups1,
  SeparableConv2D: groups1,
  Conv1DTranspose: groups1,
  Conv2DTranspose: groups1,
  Conv3DTranspose: groups1,
  RNN: notTimeMajor,
  SimpleRNN: notTimeMajor,
  LSTM: { time_major: false, implementation: undefined },
  GRU: { time_major: false, implementation: undefined },
  ConvLSTM1D: notTimeMajor,
  ConvLSTM2D: notTimeMajor,
  ConvLSTM3D: notTimeMajor,
  Embedding: { input_length: null },
  // Keras 2 records the build shapes; Keras 3 builds the layer when the model calls it.
  MultiHeadAttention: { query_shape: undefined, key_shape: undefined, value_shape: undefined },
};

const MODEL_MODULES: Record<string, string> = { Sequential: 'keras', Functional: 'keras.src.models.functional', Model: 'keras' };

const isSerialized = (v: unknown): v is { class_name: string; config: Json } =>
  !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Json).class_name === 'string' && !!(v as Json).config && typeof (v as Json).config === 'object';

function dropKeras2Only(className: string, config: Json): Json {
  const table = KERAS2_ONLY[className];
  if (!table) return config;
  const out = { ...config };
  for (const [k, neutral] of Object.entries(table)) if (k in out && (neutral === undefined || out[k] === neutral)) delete out[k];
  return out;
}

/** A Keras 2 Sequential config with its input shape as an explicit first InputLayer. */
function explicitInputLayer(config: Json, inputDtype: string): Json {
  const layers = (config.layers as Json[] | undefined) ?? [];
  const first = layers[0] as { class_name?: string; config?: Json } | undefined;
  if (!first?.config || first.class_name === 'InputLayer' || !Array.isArray(first.config.batch_input_shape)) return config;
  const { batch_input_shape: shape, ...rest } = first.config;
  const input = { class_name: 'InputLayer', config: { batch_shape: shape, dtype: inputDtype, sparse: false, name: `${String(rest.name ?? 'sequential')}_input` } };
  return { ...config, layers: [input, { ...first, config: rest }, ...layers.slice(1)] };
}

/** A model's config: its layers list entries adapted as entries (no module). */
function adaptModelConfig(className: string, config: Json, inputDtype = 'float32'): Json {
  let out: Json = { ...config };
  if (Array.isArray(config.layers)) out.layers = config.layers.map((entry) => (isSerialized(entry) ? adaptEntry(entry) : entry));
  if (className === 'Sequential') out = explicitInputLayer(out, inputDtype);
  return out;
}

/** A layer of a model's `layers` list: stays module-less (Keras 3's legacy path reads it). */
function adaptEntry(entry: { class_name: string; config: Json }): Json {
  if (entry.class_name in MODEL_MODULES) return { ...entry, config: adaptModelConfig(entry.class_name, entry.config) };
  return { ...entry, config: adaptInside(dropKeras2Only(entry.class_name, entry.config)) as Json };
}

/** Values inside a layer's config: nested layers get `module` (Keras 3's current path reads them). */
function adaptInside(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(adaptInside);
  if (!v || typeof v !== 'object') return v;
  if (isSerialized(v) && lookupClass('layer', v.class_name)) {
    const model = MODEL_MODULES[v.class_name];
    const config = model ? adaptModelConfig(v.class_name, v.config) : (adaptInside(dropKeras2Only(v.class_name, v.config)) as Json);
    return { module: model ?? 'keras.layers', class_name: v.class_name, config, registered_name: v.class_name === 'Functional' ? 'Functional' : null };
  }
  return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, adaptInside(x)]));
}

/** The `config.json` object written for a model (see the file comment). */
export function archiveConfig(model: Model): Json {
  const cls = model.wireClassName;
  const inputDtype = model.inputs[0]?.dtype ?? 'float32';
  let config = adaptModelConfig(cls, model.getConfig(), inputDtype);
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
