import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { Layer, parseArgs, type InputShape, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import { refuseNonNeutral } from './utils.js';
import { enterLayerArgs } from '../../engine/keras1-entry.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { keepWireMark } from '../../arguments/strict-args.js';
import { KerasShapeError, KerasTypeError } from '../../errors.js';

const EmbeddingArgs = z.looseObject({
  /** Size of the vocabulary: indices lie in [0, inputDim). */
  inputDim: z.number().int().positive(),
  /** Size of each embedding vector. */
  outputDim: z.number().int().positive(),
  /** Default `'uniform'`: RandomUniform(-0.05, 0.05). */
  embeddingsInitializer: zOptionalIdentifier,
  embeddingsRegularizer: zOptionalIdentifier,
  activityRegularizer: zOptionalIdentifier,
  embeddingsConstraint: zOptionalIdentifier,
  /** Whether index 0 is padding: the output mask is `inputs != 0`. */
  maskZero: z.boolean().default(false),
  /** Keras 2: the length of the input sequences (sets the input shape `[null, inputLength]`). */
  inputLength: z.union([z.number().int().positive(), z.array(z.number().int().positive().nullable())]).nullable().optional(),
});

/** The arguments of `Embedding` (each is documented on its schema, `EmbeddingArgs`). */
export interface EmbeddingArgs extends LayerArgs, z.input<typeof EmbeddingArgs> {
  /** Size of the vocabulary: indices lie in [0, inputDim) (required here, unlike other layers' `inputDim`). */
  inputDim: number;
}

/**
 * Turns integer indices into dense vectors: `[batch, ...]` of indices gives `[batch, ..., outputDim]`.
 * Indices may be int32 or float32 (truncated to int32).
 *
 * @example
 * const x = Input({ shape: [10], dtype: 'int32' });
 * const y = new Embedding({ inputDim: 1000, outputDim: 64, maskZero: true }).apply(x); // [null, 10, 64]
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  static override readonly argsSchema: ArgsDeclaration = argKeys(EmbeddingArgs, 'sparse', 'loraRank', 'loraAlpha', 'quantizationConfig');
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer;
  readonly embeddingsRegularizer;
  readonly embeddingsConstraint;
  readonly maskZero: boolean;
  readonly inputLength: number | (number | null)[] | null;
  embeddings!: Variable;

  constructor(args: EmbeddingArgs) {
    // Keras 1 spellings are converted before the arguments are copied for Layer's constructor.
    args = enterLayerArgs(new.target.className, args);
    // `input_dim` is the vocabulary size here, not Keras' input-shape shorthand; `input_length`
    // gives the input shape as in Keras 2.
    const { inputDim: _vocab, ...base } = args ?? ({} as EmbeddingArgs);
    const len = args?.inputLength;
    if (len !== undefined && len !== null && base.inputShape == null && base.batchInputShape == null) {
      base.inputShape = typeof len === 'number' ? [len] : [...len];
    }
    super(keepWireMark(args, base));
    const a = parseArgs(EmbeddingArgs, args, `Embedding '${this.name}'`);
    refuseNonNeutral(this.label, args as Record<string, unknown>, { sparse: [false, null], loraRank: [null, 0], loraAlpha: [null], quantizationConfig: [null] });
    this.inputDim = a.inputDim;
    this.outputDim = a.outputDim;
    this.embeddingsInitializer = toInitializer(a.embeddingsInitializer, 'uniform');
    this.embeddingsRegularizer = toRegularizer(a.embeddingsRegularizer);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    this.embeddingsConstraint = toConstraint(a.embeddingsConstraint);
    this.maskZero = a.maskZero;
    this.supportsMasking = a.maskZero;
    this.inputLength = a.inputLength === undefined || a.inputLength === null ? null : typeof a.inputLength === 'number' ? a.inputLength : [...a.inputLength];
  }

  override build(_inputShape: InputShape): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    if (x.dtype === 'bool') throw new KerasTypeError(`${this.label} expects int32 or float32 indices, got bool of shape ${fmtShape(x.shape)}`);
    if (this.inputLength !== null) {
      const lens = typeof this.inputLength === 'number' ? [this.inputLength] : this.inputLength;
      const ok = lens.length === x.rank - 1 && lens.every((l, i) => l === null || l === x.shape[i + 1]);
      if (!ok) throw new KerasShapeError(`${this.label}: input_length is ${JSON.stringify(this.inputLength)}, but the input has shape ${fmtShape(x.shape)}`);
    }
    return ops.gather(this.embeddings.read(), ops.cast(x, 'int32'), 0);
  }

  override computeMask(inputs: Sym | Sym[], _mask: Mask = null): Mask {
    if (!this.maskZero) return null;
    return ops.notEqual(inputs as Sym, 0);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serialize(this.embeddingsInitializer),
      embeddings_regularizer: serializeOptional(this.embeddingsRegularizer),
      activity_regularizer: serializeOptional(this.activityRegularizer),
      embeddings_constraint: serializeOptional(this.embeddingsConstraint),
      mask_zero: this.maskZero,
      input_length: this.inputLength,
    };
  }
}
