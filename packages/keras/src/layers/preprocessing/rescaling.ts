import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const zScale = z.union([z.number(), z.array(z.number()).min(1)], { error: 'expected a number or a list of numbers (one per channel)' });

/** The arguments of `Rescaling` (each is documented on its schema, `RescalingArgs`). */
export interface RescalingArgs extends LayerArgs, z.input<typeof RescalingArgs> {}

const RescalingArgs = z.looseObject({
  /** Multiplier: a number, or one per channel (last axis). */
  scale: zScale,
  /** Added after scaling (default 0): a number, or one per channel. */
  offset: zScale.default(0),
});

/**
 * Rescales inputs: `inputs * scale + offset` (computed in float32).
 *
 * @example
 * const layer = new Rescaling({ scale: 1 / 255 }); // [0, 255] to [0, 1]
 */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  static override readonly argsSchema: ArgsDeclaration = RescalingArgs;
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(args: RescalingArgs) {
    super(args);
    const a = parseArgs(RescalingArgs, args, `Rescaling '${this.name}'`);
    this.scale = typeof a.scale === 'number' ? a.scale : [...a.scale];
    this.offset = typeof a.offset === 'number' ? a.offset : [...a.offset];
  }

  private operand(x: Sym, v: number | number[], what: string): Sym | number {
    if (typeof v === 'number') return v;
    if (v.length === 1) return v[0];
    if (x.shape.at(-1) !== v.length) {
      throw new KerasShapeError(`${this.label}: ${what} has ${v.length} values but the inputs of shape [${x.shape.join(', ')}] have ${x.shape.at(-1)} channels (last axis)`);
    }
    return ops.constant(x.graph, v, [v.length]);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = ops.cast(inputs as Sym, 'float32');
    return ops.add(ops.mul(x, this.operand(x, this.scale, 'scale')), this.operand(x, this.offset, 'offset'));
  }

  override getConfig(): Record<string, unknown> {
    const j = (v: number | number[]) => (typeof v === 'number' ? v : [...v]);
    return { ...super.getConfig(), scale: j(this.scale), offset: j(this.offset) };
  }
}
