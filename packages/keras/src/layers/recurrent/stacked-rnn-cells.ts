import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { deserialize, serialize, type CustomObjects } from '../../serialization/registry.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { Layer, configToArgs, parseArgs, type CallContext, type InputShape, type LayerArgs } from '../../engine/layer.js';
import { firstShape, isCell, prefixWeightPaths, stateShapes, type RNNCellLike, type StateSize } from './rnn-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `StackedRNNCells` (each is documented on its schema, `Args`). */
export interface StackedRNNCellsArgs extends LayerArgs, z.input<typeof Args> {}

const Args = z.looseObject({
  /** The cells, applied in order at each step (each one's output is the next one's input). */
  cells: z.array(z.custom<RNNCellLike>((c) => isCell(c), { message: 'expected recurrent cells (layers with `stateSize`)' })).min(1),
});

/**
 * Several recurrent cells run as one: at each step the first cell's output feeds the second,
 * and so on. The states are every cell's states, in cell order.
 *
 * @example
 * const rnn = new RNN({ cell: [new LSTMCell({ units: 8 }), new LSTMCell({ units: 4 })] });
 */
export class StackedRNNCells extends Layer implements RNNCellLike {
  static override readonly className = 'StackedRNNCells';
  static override readonly argsSchema: ArgsDeclaration = Args;
  readonly cells: RNNCellLike[];

  constructor(args: StackedRNNCellsArgs) {
    super(args);
    this.cells = [...parseArgs(Args, args, this.label).cells];
  }

  get stateSize(): StateSize[] {
    return this.cells.flatMap((c) => stateShapes(c).map((s) => (s.length === 1 ? s[0] : s)));
  }

  get outputSize(): StateSize {
    const last = this.cells[this.cells.length - 1];
    return last.outputSize ?? stateShapes(last)[0];
  }

  override subLayers(): Layer[] {
    return [...this.cells];
  }

  resetDropoutMasks(): void {
    for (const c of this.cells) c.resetDropoutMasks?.();
  }

  override build(inputShape: InputShape): void {
    let shape: SymbolicShape = firstShape(inputShape);
    for (const cell of this.cells) {
      cell.maybeBuild(shape);
      prefixWeightPaths(cell, this.name);
      const out = cell.outputSize ?? stateShapes(cell)[0];
      shape = [shape[0], ...(typeof out === 'number' ? [out] : out)];
    }
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym[] {
    const list = inputs as Sym[];
    let x = list[0];
    let k = 1;
    const newStates: Sym[] = [];
    for (const cell of this.cells) {
      const n = stateShapes(cell).length;
      const out = cell.call([x, ...list.slice(k, k + n)], ctx);
      const flat = (Array.isArray(out) ? out : [out]).flat();
      x = flat[0];
      newStates.push(...flat.slice(1));
      k += n;
    }
    return [x, ...newStates];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => serialize(c)) };
  }

  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    const args = configToArgs(config);
    args.cells = (config.cells as unknown[]).map((c) => (c instanceof Layer ? c : deserialize<Layer>('layer', c, custom)));
    return new this(args);
  }
}
