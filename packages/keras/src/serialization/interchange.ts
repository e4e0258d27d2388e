/**
 * The model config keras-ts writes into files: our Keras 2 config in the dialect that both
 * Keras 2 (tf.keras 2.x and standalone Keras 2) and Keras 3 read, checked against real Keras 3 by
 * the live oracle (conformance/test/oracle-files.test.ts). Pure config-to-config: no model needed.
 *
 * - A Sequential's input shape is an explicit first `InputLayer`: Keras 3 turns a Keras 2
 *   `batch_input_shape` on the first layer into an input shape that keeps the batch axis. In
 *   `.h5` and JSON the InputLayer carries Keras 2's `batch_input_shape` (Keras 3's legacy loader
 *   renames it to `batch_shape`; Keras 2's InputLayer refuses `batch_shape`); in `.keras`, which
 *   only Keras 3 reads, it carries `batch_shape` as Keras 3 writes it. The first layer's own copy
 *   of the shape is left out: the InputLayer holds it for both.
 * - The layers of a model's `layers` list stay in Keras 2 form, without `module`: Keras 3's
 *   Sequential and Functional `from_config` read such entries through their legacy path (the one
 *   that loads Keras 2 `.h5` files; it takes Keras 2 spellings and `inbound_nodes` lists). Where
 *   that path mangles a config (it turns Attention's `score_mode: "dot"` into the function `dot`,
 *   and drops an `axis` list longer than one), the entry gets `module: "keras.layers"` and is read
 *   through Keras 3's current path instead; Keras 2 ignores the key.
 * - Layers nested inside a layer's config (Bidirectional's and TimeDistributed's `layer`, an
 *   RNN's `cell`) get `module: "keras.layers"`: Keras 3 reads them through its current path.
 * - Keras 2 arguments that Keras 3's layers refuse ("Unrecognized keyword arguments") are left
 *   out where leaving them out changes nothing for Keras 2 (see KERAS2_ONLY). Our reader restores
 *   them all, so configs still round-trip.
 * - For JSON, the top object carries `module` and `registered_name` (Keras 3's `model_from_json`
 *   finds the class through them; Keras 2 ignores them).
 */
import { layerClassInUse } from './registry.js';

type Json = Record<string, unknown>;

const groups1 = { groups: 1 };
const notTimeMajor = { time_major: false };
/** Keras 3 SpatialDropout layers take no `trainable` or `noise_shape` (their __init__ has no **kwargs). */
const spatialDropout = { trainable: true, noise_shape: null };
/** Separable convolutions inherit Conv's kernel arguments in Keras 2, unused: they have no `kernel`. */
const separable = { groups: 1, kernel_initializer: undefined, kernel_regularizer: undefined, kernel_constraint: undefined };
/** Keras 2 arguments Keras 3 refuses, with the value at which leaving them out changes nothing (undefined: any value). */
const KERAS2_ONLY: Record<string, Record<string, unknown>> = {
  DepthwiseConv1D: groups1,
  DepthwiseConv2D: groups1,
  SeparableConv1D: separable,
  SeparableConv2D: separable,
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
  SpatialDropout1D: spatialDropout,
  SpatialDropout2D: spatialDropout,
  SpatialDropout3D: spatialDropout,
  // Keras 2 records the build shapes; Keras 3 builds the layer when the model calls it.
  MultiHeadAttention: { query_shape: undefined, key_shape: undefined, value_shape: undefined },
};

/** The `module` Keras 3 writes for each model class. */
export const MODEL_MODULES: Record<string, string> = { Sequential: 'keras', Functional: 'keras.src.models.functional', Model: 'keras' };

/** How the explicit InputLayer of a Sequential spells its shape: Keras 2's key or Keras 3's. */
export type InputShapeKey = 'batch_input_shape' | 'batch_shape';

/** How a config is written: see {@link interchangeConfig}. */
export interface InterchangeOptions {
  inputDtype?: string;
  inputKey: InputShapeKey;
  /**
   * Write the nodes of layers whose Keras call takes several tensor arguments (MultiHeadAttention)
   * in Keras 3's node format (`{args, kwargs}` with `__keras_tensor__` references). Keras 3 passes
   * the keyword tensors of a Keras 2 node list on raw, so it cannot read those; Keras 2 reads
   * nothing else. For `.keras` files, which only Keras 3 reads.
   */
  keras3Nodes?: boolean;
}

const isSerialized = (v: unknown): v is { class_name: string; config: Json } =>
  !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Json).class_name === 'string' && !!(v as Json).config && typeof (v as Json).config === 'object';

function dropKeras2Only(className: string, config: Json): Json {
  const table = KERAS2_ONLY[className];
  if (!table) return config;
  const out = { ...config };
  for (const [k, neutral] of Object.entries(table)) if (k in out && (neutral === undefined || out[k] === neutral)) delete out[k];
  return out;
}

/** Whether Keras 3's legacy path would mangle this layer's config (see the file comment). */
function needsCurrentPath(className: string, config: Json): boolean {
  return className === 'Attention' || (Array.isArray(config.axis) && config.axis.length > 1);
}

/** A Keras 2 Sequential config with its input shape as an explicit first InputLayer. */
function explicitInputLayer(config: Json, inputDtype: string, key: InputShapeKey): Json {
  const layers = (config.layers as Json[] | undefined) ?? [];
  const first = layers[0] as { class_name?: string; config?: Json } | undefined;
  if (!first?.config || first.class_name === 'InputLayer' || !Array.isArray(first.config.batch_input_shape)) return config;
  const { batch_input_shape: shape, ...rest } = first.config;
  const inputConfig: Json = { [key]: shape, dtype: inputDtype, sparse: false };
  if (key === 'batch_input_shape') inputConfig.ragged = false;
  inputConfig.name = `${String(rest.name ?? 'sequential')}_input`;
  return { ...config, layers: [{ class_name: 'InputLayer', config: inputConfig }, { ...first, config: rest }, ...layers.slice(1)] };
}

/** A model's config with its `layers` entries adapted. */
function adaptModelConfig(className: string, config: Json, inputDtype: string, o: InterchangeOptions): Json {
  let out: Json = { ...config };
  if (Array.isArray(config.layers)) out.layers = config.layers.map((entry) => (isSerialized(entry) ? adaptEntry(entry as { class_name: string; config: Json; inbound_nodes?: unknown }, o) : entry));
  if (className === 'Sequential') out = explicitInputLayer(out, inputDtype, o.inputKey);
  return out;
}

/** A tensor reference in Keras 3's node format (the shape is a placeholder: Keras takes the tensor from the history). */
const kerasTensor = (ref: unknown[]): Json => ({ class_name: '__keras_tensor__', config: { shape: [], dtype: 'float32', keras_history: ref.slice(0, 3) } });
const isRef = (v: unknown): v is unknown[] => Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string';

/** Keras 2 node lists of a layer with tensor keyword arguments, in Keras 3's node format. */
function keras3Nodes(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) => {
    if (!Array.isArray(node) || node.length !== 1 || !isRef(node[0])) return node;
    const [first] = node as unknown[][];
    const kwargs = (first[3] ?? {}) as Json;
    return { args: [kerasTensor(first)], kwargs: Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, isRef(v) ? kerasTensor(v) : v])) };
  });
}

/** A layer of a model's `layers` list: module-less (Keras 3's legacy path), unless that path would mangle it. */
function adaptEntry(entry: { class_name: string; config: Json; inbound_nodes?: unknown }, o: InterchangeOptions): Json {
  if (entry.class_name in MODEL_MODULES) return { ...entry, config: adaptModelConfig(entry.class_name, entry.config, 'float32', o) };
  const config = adaptInside(dropKeras2Only(entry.class_name, entry.config), o) as Json;
  const cls = layerClassInUse(entry.class_name) as { callArgNames?: readonly string[] } | undefined;
  const nodes = o.keras3Nodes && cls?.callArgNames && 'inbound_nodes' in entry ? { inbound_nodes: keras3Nodes(entry.inbound_nodes) } : {};
  if (!needsCurrentPath(entry.class_name, entry.config)) return { ...entry, config, ...nodes };
  return { module: 'keras.layers', ...entry, config, registered_name: null, ...nodes };
}

/** Values inside a layer's config: nested layers get `module` (Keras 3's current path reads them). */
function adaptInside(v: unknown, o: InterchangeOptions): unknown {
  if (Array.isArray(v)) return v.map((x) => adaptInside(x, o));
  if (!v || typeof v !== 'object') return v;
  if (isSerialized(v) && layerClassInUse(v.class_name)) {
    const model = MODEL_MODULES[v.class_name];
    const config = model ? adaptModelConfig(v.class_name, v.config, 'float32', o) : (adaptInside(dropKeras2Only(v.class_name, v.config), o) as Json);
    return { module: model ?? 'keras.layers', class_name: v.class_name, config, registered_name: v.class_name === 'Functional' ? 'Functional' : null };
  }
  return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, adaptInside(x, o)]));
}

/**
 * A model's Keras 2 config (`className`, `config` from `getConfig()`) in the dialect Keras 2 and
 * Keras 3 both read (see the file comment). `inputKey` picks the InputLayer's shape key.
 */
export function interchangeConfig(className: string, config: Json, options: InterchangeOptions): Json {
  return adaptModelConfig(className, config, options.inputDtype ?? 'float32', options);
}
