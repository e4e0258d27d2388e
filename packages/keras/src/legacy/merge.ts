import { getArg } from './arg-names.js';
import { nameOf, removedLayerError } from './removed-layer.js';
import { KerasNotImplementedError } from '../errors.js';

/** The Keras 2 layer for each Keras 1 merge mode. */
function replacement(args: unknown): string {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const mode = getArg(a, 'mode') ?? 'sum';
  const concatAxis = getArg(a, 'concat_axis') ?? -1;
  const dotAxes = getArg(a, 'dot_axes') ?? -1;
  switch (mode) {
    case 'sum':
      return 'Add (`new Add().apply([a, b])`, or `add([a, b])`)';
    case 'mul':
      return 'Multiply (`new Multiply().apply([a, b])`, or `multiply([a, b])`)';
    case 'ave':
      return 'Average (`new Average().apply([a, b])`, or `average([a, b])`)';
    case 'max':
      return 'Maximum (`new Maximum().apply([a, b])`, or `maximum([a, b])`)';
    case 'concat':
      return `Concatenate (\`new Concatenate({ axis: ${JSON.stringify(concatAxis)} }).apply([a, b])\`)`;
    case 'dot':
      return `Dot (\`new Dot({ axes: ${JSON.stringify(dotAxes)} }).apply([a, b])\`)`;
    case 'cos':
      return `Dot with normalize (\`new Dot({ axes: ${JSON.stringify(dotAxes)}, normalize: true }).apply([a, b])\`)`;
    default:
      return 'a Lambda layer over the list of inputs (for a custom merge function)';
  }
}

function advice(args: unknown): string {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const mode = getArg(a, 'mode');
  const modeText = typeof mode === 'string' ? ` mode '${mode}'` : '';
  const models = Array.isArray(a.layers) && a.layers.length ? ' Merging whole Sequential models is not possible either: build a functional Model whose inputs are the branches\' inputs.' : '';
  return `For${modeText || ' this merge'}, use ${replacement(args)} with the functional API.${models}`;
}

/**
 * Keras 1's `Merge` layer, removed in Keras 2: constructing it (or loading a config with a
 * `Merge`) fails with the Keras 2 merge layer for its mode (Add, Multiply, Concatenate, Average,
 * Maximum, Dot). In configs it is read under its Keras 1 name, `Merge`.
 *
 * @example
 * new LegacyMerge({ mode: 'concat' }); // throws: use Concatenate
 */
export class LegacyMerge {
  static readonly className = 'Merge';

  constructor(args?: Record<string, unknown>) {
    throw removedLayerError(`Merge${nameOf(args)}`, advice(args));
  }

  /** Rebuilds a LegacyMerge from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): never {
    throw removedLayerError(`Merge${nameOf(config)}`, advice(config));
  }
}

/**
 * Keras 1's functional `merge(inputs, mode)`, removed in Keras 2: fails with the Keras 2 merge
 * function or layer for the mode.
 *
 * @example
 * merge([a, b], { mode: 'sum' }); // throws: use add([a, b])
 */
export function merge(_inputs: unknown, args: { mode?: string; concatAxis?: number; dotAxes?: number | number[]; [k: string]: unknown } = {}): never {
  throw new KerasNotImplementedError(`The Keras 1 function \`merge\` was removed in Keras 2. ${advice(args)}`);
}
