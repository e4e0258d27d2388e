import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import { L1L2 } from '../../regularizers/l1-l2.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `ActivityRegularization` (each is documented on its schema, `ActivityRegularizationArgs`). */
export interface ActivityRegularizationArgs extends LayerArgs, z.input<typeof ActivityRegularizationArgs> {}

const ActivityRegularizationArgs = z.looseObject({
  /** L1 factor (default 0). */
  l1: z.number().nonnegative().default(0),
  /** L2 factor (default 0). */
  l2: z.number().nonnegative().default(0),
});

/**
 * Identity on its input that adds `l1 * sum(|x|) + l2 * sum(x^2)`, divided by the batch size, to
 * the training loss (Keras' activity regularization).
 *
 * @example
 * const y = new ActivityRegularization({ l1: 1e-3 }).apply(Input({ shape: [16] }));
 */
export class ActivityRegularization extends Layer {
  static override readonly className = 'ActivityRegularization';
  static override readonly argsSchema: ArgsDeclaration = ActivityRegularizationArgs;
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    super(args);
    const a = parseArgs(ActivityRegularizationArgs, args, `ActivityRegularization '${this.name}'`);
    this.l1 = a.l1;
    this.l2 = a.l2;
    this.supportsMasking = true;
    // As Keras 2: an L1L2 activity regularizer, which the engine applies (divided by the batch
    // size) when the layer runs in training.
    this.activityRegularizer = new L1L2({ l1: a.l1, l2: a.l2 });
  }

  override call(inputs: Sym | Sym[]): Sym {
    return inputs as Sym;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}
