import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { Layer, type InputShape, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { Variable } from '../../engine/variable.js';
import { broadcastShape } from './axes.js';
import { KerasShapeError } from '../../errors.js';

/**
 * The zod entries of `epsilon`, `center`, `scale` and the `beta_*` / `gamma_*` arguments, in
 * Keras' order; `initializers` (BatchNormalization's moving statistics) go after
 * `gammaInitializer`.
 */
export function zAffineArgs<E extends z.ZodRawShape = Record<never, never>>(initializers: E = {} as E) {
  return {
    epsilon: z.number().nonnegative().default(1e-3),
    center: z.boolean().default(true),
    scale: z.boolean().default(true),
    betaInitializer: zOptionalIdentifier,
    gammaInitializer: zOptionalIdentifier,
    ...initializers,
    betaRegularizer: zOptionalIdentifier,
    gammaRegularizer: zOptionalIdentifier,
    betaConstraint: zOptionalIdentifier,
    gammaConstraint: zOptionalIdentifier,
  };
}

type ParsedAffineArgs = z.output<z.ZodObject<ReturnType<typeof zAffineArgs<Record<never, never>>>>>;

/** The arguments of the learned scale `gamma` and offset `beta` of a normalization layer. */
export interface AffineNormalizationArgs extends LayerArgs, z.input<z.ZodObject<ReturnType<typeof zAffineArgs<Record<never, never>>>>> {}

/**
 * What BatchNormalization, LayerNormalization and GroupNormalization share: `epsilon`, the
 * optional `gamma` (with `scale`) and `beta` (with `center`) weights with their initializers,
 * regularizers and constraints, the input shape they were built for, and masks passed through.
 *
 * `parse` reads the subclass's arguments (given the layer's label for messages) and returns them;
 * the base keeps the shared ones.
 */
export abstract class AffineNormalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: ReturnType<typeof toInitializer>;
  readonly gammaInitializer: ReturnType<typeof toInitializer>;
  readonly betaRegularizer: ReturnType<typeof toRegularizer>;
  readonly gammaRegularizer: ReturnType<typeof toRegularizer>;
  readonly betaConstraint: ReturnType<typeof toConstraint>;
  readonly gammaConstraint: ReturnType<typeof toConstraint>;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  protected builtShape: SymbolicShape = [];

  constructor(args: LayerArgs, parse: (what: string) => ParsedAffineArgs) {
    super(args);
    const a = parse(`${this.className} '${this.name}'`);
    this.epsilon = a.epsilon;
    this.center = a.center;
    this.scale = a.scale;
    this.betaInitializer = toInitializer(a.betaInitializer, 'zeros');
    this.gammaInitializer = toInitializer(a.gammaInitializer, 'ones');
    this.betaRegularizer = toRegularizer(a.betaRegularizer);
    this.gammaRegularizer = toRegularizer(a.gammaRegularizer);
    this.betaConstraint = toConstraint(a.betaConstraint);
    this.gammaConstraint = toConstraint(a.gammaConstraint);
    this.supportsMasking = true;
  }

  /** Adds `gamma` (with `scale`) and `beta` (with `center`) of the given shape, and keeps the input shape. */
  protected addAffineWeights(inputShape: SymbolicShape, shape: number[]): void {
    this.builtShape = [...inputShape];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape, initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
  }

  /** Refuses an input whose rank or sizes on `axes` differ from the shape the layer was built for. */
  protected checkBuiltFor(x: Sym, axes: readonly number[]): void {
    const built = this.builtShape;
    if (x.rank !== built.length || axes.some((a) => x.shape[a] !== built[a])) {
      throw new KerasShapeError(`${this.label} was built for inputs of shape [${built.map((d) => d ?? 'None').join(', ')}], got shape [${x.shape.join(', ')}]`);
    }
  }

  /** Reshapes a weight over `axes` (not transposes it, as Keras 2) into the shape that broadcasts against `x`. */
  protected broadcaster(x: Sym, axes: readonly number[]): (v: Sym) => Sym {
    const bshape = broadcastShape(
      x.rank,
      axes,
      axes.map((a) => x.shape[a]),
    );
    return (v) => ops.reshape(v, bshape);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    return inputShape as SymbolicShape;
  }

  /** The config entries from `epsilon` on, in Keras' order; `initializers` go after `gamma_initializer`. */
  protected affineConfig(initializers: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serialize(this.betaInitializer),
      gamma_initializer: serialize(this.gammaInitializer),
      ...initializers,
      beta_regularizer: serializeOptional(this.betaRegularizer),
      gamma_regularizer: serializeOptional(this.gammaRegularizer),
      beta_constraint: serializeOptional(this.betaConstraint),
      gamma_constraint: serializeOptional(this.gammaConstraint),
    };
  }
}
