import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeActivation, type ActivationFn } from '../../activations/activation.js';
import { toActivation } from '../../arguments/layer-arguments.js';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const ActivationArgs = z.looseObject({
  /** An activation name (`'relu'`, `'softmax'`, ...) or an activation function. */
  activation: z.union([z.string(), z.custom<ActivationFn>((v) => typeof v === 'function'), z.looseObject({ class_name: z.string() })], {
    error: 'expected an activation name (such as "relu"), an activation function, or {"class_name": ...}',
  }),
});

/** The arguments of `Activation` (each is documented on its schema, `ActivationArgs`). */
export interface ActivationArgs extends LayerArgs, z.input<typeof ActivationArgs> {}

/**
 * Applies an activation function to its input; masks pass through.
 *
 * @example
 * const layer = new Activation({ activation: 'relu' });
 * const y = layer.apply(tensor([[-1, 2]])); // [[0, 2]]
 */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  static override readonly argsSchema: ArgsDeclaration = ActivationArgs;
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args);
    const a = parseArgs(ActivationArgs, args, `Activation '${this.name}'`);
    this.activation = toActivation(a.activation as string | ActivationFn | { class_name: string });
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[]): Sym {
    return this.activation(inputs as Sym);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: serializeActivation(this.activation) };
  }
}
