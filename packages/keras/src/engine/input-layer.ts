import type { DType, Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { KerasShapeError, KerasValueError } from '../errors.js';
import { enterLayerArgs } from './keras1-entry.js';
import { checkArgKeys, checkOptionsObject } from '../arguments/strict-args.js';
import { uniqueName } from '../naming.js';
import { KerasTensor, type SymbolicShape } from './keras-tensor.js';
import { Layer, parseArgs, type LayerArgs } from './layer.js';
import type { ArgsDeclaration } from './layer-arg-keys.js';

/** Elements of one sample an input may declare: fewer than 2^31. */
const MAX_SAMPLE_ELEMENTS = 2 ** 31;

const InputLayerArgs = z.looseObject({
  inputShape: z.array(z.number().int().nonnegative().nullable()).nullable().optional(),
  batchInputShape: z.array(z.number().int().nonnegative().nullable()).nullable().optional(),
  batchShape: z.array(z.number().int().nonnegative().nullable()).nullable().optional(),
  batchSize: z.number().int().positive().nullable().optional(),
  dtype: z.string().nullable().optional(),
  sparse: z.literal(false, { message: 'sparse inputs are not supported' }).nullable().optional(),
  ragged: z.literal(false, { message: 'ragged inputs are not supported' }).nullable().optional(),
  optional: z.literal(false, { message: 'optional inputs are not supported' }).nullable().optional(),
});

export interface InputLayerArgs extends LayerArgs {
  /** Keras 3 spelling of batchInputShape. */
  batchShape?: readonly (number | null)[] | null;
  sparse?: boolean | null;
  ragged?: boolean | null;
}

/**
 * The layer behind `Input()`: the entry point of a model, holding its shape and dtype.
 * Reads Keras 2 `batch_input_shape` and Keras 3 `batch_shape`.
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly argsSchema: ArgsDeclaration = InputLayerArgs;
  readonly inputDtype: DType;
  readonly shape: SymbolicShape;
  readonly output: KerasTensor;

  constructor(args: InputLayerArgs) {
    // Keras 1 spellings (`input_dtype`) are converted first: the arguments are read before Layer's constructor.
    args = enterLayerArgs('InputLayer', args);
    // The base class sees only the shape worked out here: the arguments given are checked now.
    checkArgKeys(args, [...Object.keys(InputLayerArgs.shape), 'name'], typeof args?.name === 'string' ? `InputLayer '${args.name}'` : 'InputLayer');
    const a = parseArgs(InputLayerArgs, args, `InputLayer '${args.name ?? ''}'`);
    const batchShape = a.batchShape ?? a.batchInputShape ?? (a.inputShape ? [a.batchSize ?? null, ...a.inputShape] : null);
    if (!batchShape) throw new KerasValueError(`InputLayer '${args.name ?? ''}': give a shape (input_shape, batch_input_shape or batch_shape)`);
    // No tensor can hold a sample of 2^31 elements or more (typed arrays, int32 sizes): such a
    // shape is a corrupt config, and layers that loop over it would run out of memory.
    const sample = batchShape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
    if (!(sample < MAX_SAMPLE_ELEMENTS) || (batchShape[0] ?? 0) >= MAX_SAMPLE_ELEMENTS) {
      throw new KerasShapeError(`InputLayer '${args.name ?? ''}': shape [${batchShape.map((d) => d ?? 'None').join(', ')}] is too large: one sample would hold ${sample} elements (at most ${MAX_SAMPLE_ELEMENTS - 1} can be stored)`);
    }
    const dtype = (a.dtype ?? 'float32') as string;
    if (!['float32', 'int32', 'int64', 'bool'].includes(dtype)) throw new KerasValueError(`InputLayer '${args.name ?? ''}': argument 'dtype' got "${dtype}": expected float32, int32 or bool`);
    super({ name: args.name ?? uniqueName('input', false), batchInputShape: batchShape });
    this.inputDtype = (dtype === 'int64' ? 'int32' : dtype) as DType;
    this.shape = batchShape;
    this.built = true;
    this.output = new KerasTensor(batchShape, this.inputDtype, { layer: this, nodeIndex: 0, tensorIndex: 0 }, this.name);
    this.inboundNodes.push({ inputs: [], outputs: [this.output], inputIsList: false, kwargs: {} });
  }

  override call(inputs: Sym | Sym[]): Sym | Sym[] {
    return inputs;
  }

  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: [...this.shape], dtype: this.inputDtype, sparse: false, ragged: false, name: this.name };
  }
}

/** The arguments `Input()` takes. */
const INPUT_KEYS = ['shape', 'batchSize', 'batchShape', 'name', 'dtype', 'sparse', 'ragged'];

/**
 * A placeholder for the functional API.
 * @example
 * const x = Input({ shape: [28, 28, 1] });
 * const y = new Flatten().apply(x);
 */
export function Input(args: { shape?: readonly (number | null)[]; batchSize?: number | null; batchShape?: readonly (number | null)[]; name?: string; dtype?: DType; sparse?: boolean | null; ragged?: boolean | null }): KerasTensor {
  checkOptionsObject(args, INPUT_KEYS, 'Input', '{ shape: [28, 28, 1] }');
  const layer = new InputLayer({
    name: args.name,
    dtype: args.dtype,
    sparse: args.sparse,
    ragged: args.ragged,
    ...(args.batchShape ? { batchShape: args.batchShape } : { inputShape: args.shape ?? null, batchSize: args.batchSize ?? null }),
  });
  return layer.output;
}
