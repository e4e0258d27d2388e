import { deserialize, serialize, type CustomObjects } from '../../serialization/registry.js';
import { Layer, configToArgs, type LayerArgs } from '../../engine/layer.js';
import { describe } from './rnn-utils.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasTypeError, KerasValueError } from '../../errors.js';

export interface WrapperArgs extends LayerArgs {
  /** The wrapped layer (or its serialized form). */
  layer: Layer | Record<string, unknown>;
}

/** A layer from a layer or its serialized form. */
export function toLayer(v: unknown, label: string, what = 'layer', custom?: CustomObjects): Layer {
  if (v instanceof Layer) return v;
  if (typeof v === 'object' && v !== null && typeof (v as { class_name?: unknown }).class_name === 'string') return deserialize<Layer>('layer', v, custom);
  throw new KerasTypeError(`${label}: argument '${what}' got ${describe(v)}: expected a Layer instance or a serialized layer`);
}

/**
 * The base of layers that wrap another layer (Keras 2's `Wrapper`): its config holds the
 * wrapped layer under `layer`.
 *
 * @example
 * class Twice extends Wrapper {
 *   static override readonly className = 'Twice';
 *   override build(shape: InputShape) { this.layer.maybeBuild(shape); }
 *   override call(x: Sym) { return this.layer.apply(this.layer.apply(x)); }
 * }
 */
export abstract class Wrapper extends Layer {
  static override readonly argsSchema: ArgsDeclaration = argKeys('layer');
  readonly layer: Layer;

  constructor(args: WrapperArgs) {
    super(args);
    if (args.layer === undefined || args.layer === null) throw new KerasValueError(`${this.label}: argument 'layer' is required (the layer to wrap)`);
    this.layer = toLayer(args.layer, this.label);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serialize(this.layer) };
  }

  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    const args = configToArgs(config);
    args.layer = toLayer(config.layer, `${(this as unknown as { className: string }).className}`, 'layer', custom);
    return new this(args);
  }
}
