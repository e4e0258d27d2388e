import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { type CustomObjects } from '../../serialization/registry.js';
import { Layer, configToArgs, parseArgs, type CallContext, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasConfigError, KerasNotImplementedError, KerasStateError, KerasTypeError, KerasValueError } from '../../errors.js';

/** What a Lambda function gets besides its inputs: Keras' `arguments`, the mask, the training flag. */
export interface LambdaOptions {
  readonly mask: Mask;
  readonly training: boolean;
  readonly [argument: string]: unknown;
}

/** A Lambda's function: computes over symbolic tensors with `ops.*`. */
export type LambdaFunction = (inputs: Sym | Sym[], options: LambdaOptions) => Sym | Sym[];

/** A Lambda's mask function: the output mask from the inputs and their mask. */
export type LambdaMaskFunction = (inputs: Sym | Sym[], mask: Mask) => Mask;

const lambdas = new Map<string, LambdaFunction | LambdaMaskFunction>();

/**
 * Registers a function for Lambda layers under a name. A Lambda's config stores only the name;
 * loading a model with such a layer needs the same name registered first (keras-ts never
 * evaluates code found in a config). Registering another function under a taken name fails.
 *
 * @example
 * registerLambda('double', (x) => ops.mul(x as Sym, 2));
 * const layer = new Lambda({ function: 'double' });
 */
export function registerLambda(name: string, fn: LambdaFunction): void;
export function registerLambda(name: string, fn: LambdaMaskFunction): void;
export function registerLambda(name: string, fn: LambdaOutputShapeFunction): void;
export function registerLambda(name: string, given: LambdaFunction | LambdaMaskFunction | LambdaOutputShapeFunction): void {
  const fn = given as LambdaFunction | LambdaMaskFunction;
  if (!name) throw new KerasValueError('registerLambda: the name must be a non-empty string');
  if (typeof fn !== 'function') throw new KerasTypeError(`registerLambda('${name}'): expected a function, got ${typeof fn}`);
  const prev = lambdas.get(name);
  if (prev && prev !== fn) throw new KerasValueError(`registerLambda: a different function is already registered as '${name}'`);
  lambdas.set(name, fn);
}

/** The function registered under a name, or undefined. */
export function getRegisteredLambda(name: string): LambdaFunction | LambdaMaskFunction | undefined {
  return lambdas.get(name);
}

function nameOf(fn: (...args: never[]) => unknown): string | undefined {
  for (const [k, v] of lambdas) if (v === fn) return k;
  return undefined;
}

const zFn = z.union([z.string().min(1), z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function')], {
  error: 'expected a registered function name or a function',
});

/** A Lambda's output shape function (Keras 2): the output shape, batch axis included, from the input shape(s). */
export type LambdaOutputShapeFunction = (inputShape: SymbolicShape | SymbolicShape[]) => SymbolicShape | SymbolicShape[];

const LambdaArgs = z.looseObject({
  /** A function (registered with `registerLambda` to be serializable) or a registered name. */
  function: zFn,
  /**
   * The output shape without the batch axis, or (Keras 2) a function from the input shape(s) to
   * the output shape, batch axis included (register it with `registerLambda` to serialize it).
   * Shapes are otherwise traced.
   */
  outputShape: z
    .union([z.array(z.number().int().nonnegative().nullable()), z.custom<LambdaOutputShapeFunction>((v) => typeof v === 'function')], {
      error: 'expected a list of sizes (without the batch axis) or a function from the input shape to the output shape',
    })
    .nullable()
    .optional(),
  /** A function (or registered name) computing the output mask. */
  mask: zFn.nullable().optional(),
  /** Extra arguments passed to the function (JSON values, to be serializable). */
  arguments: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The name the function serializes as, when it is given as a function that is not registered. */
  functionName: z.string().min(1).optional(),
  /** The name the mask function serializes as, likewise. */
  maskName: z.string().min(1).optional(),
});

/** The arguments of `Lambda` (each is documented on its schema, `LambdaArgs`). */
export interface LambdaArgs extends LayerArgs, z.input<typeof LambdaArgs> {}

/**
 * Wraps a TypeScript function over symbolic tensors as a layer. To save and load it, register
 * the function by name with `registerLambda`; the config stores the name only.
 *
 * @example
 * registerLambda('scale', (x, { factor }) => ops.mul(x as Sym, factor as number));
 * const layer = new Lambda({ function: 'scale', arguments: { factor: 2 } });
 */
export class Lambda extends Layer {
  static override readonly className = 'Lambda';
  static override readonly argsSchema: ArgsDeclaration = LambdaArgs;
  readonly function: LambdaFunction;
  readonly functionName: string | undefined;
  readonly outputShape: (number | null)[] | null;
  /** The output shape function, when one was given. */
  readonly outputShapeFunction: LambdaOutputShapeFunction | null;
  private readonly outputShapeName: string | undefined;
  readonly mask: LambdaMaskFunction | null;
  readonly maskName: string | undefined;
  readonly arguments: Record<string, unknown>;

  constructor(args: LambdaArgs) {
    super(args);
    const a = parseArgs(LambdaArgs, args, `Lambda '${this.name}'`);
    [this.function, this.functionName] = this.resolve(a.function, 'function', a.functionName) as [LambdaFunction, string | undefined];
    if (a.mask !== null && a.mask !== undefined) {
      [this.mask, this.maskName] = this.resolve(a.mask, 'mask', a.maskName) as [LambdaMaskFunction, string | undefined];
      this.supportsMasking = true;
    } else {
      this.mask = null;
      this.maskName = undefined;
    }
    if (typeof a.outputShape === 'function') {
      this.outputShapeFunction = a.outputShape;
      this.outputShapeName = nameOf(a.outputShape as (...x: never[]) => unknown);
      this.outputShape = null;
    } else {
      this.outputShapeFunction = null;
      this.outputShapeName = undefined;
      this.outputShape = a.outputShape ? [...a.outputShape] : null;
    }
    this.arguments = { ...(a.arguments ?? {}) };
  }

  private resolve(f: string | ((...a: never[]) => unknown), what: string, given?: string): [(...a: never[]) => unknown, string | undefined] {
    if (typeof f === 'function') return [f, given ?? nameOf(f)];
    const fn = lambdas.get(f);
    if (!fn) throw notRegistered(this.label, what, f);
    return [fn, f];
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym | Sym[] {
    const out = this.function(inputs, { ...this.arguments, mask: ctx.mask, training: ctx.training });
    return Array.isArray(out) && out.length === 1 ? out[0] : out;
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    return this.mask ? this.mask(inputs, mask) : null;
  }

  override computeOutputShape(inputShape: InputShapeArg): SymbolicShape | SymbolicShape[] {
    if (this.outputShapeFunction) {
      const out = this.outputShapeFunction(inputShape as SymbolicShape | SymbolicShape[]);
      if (!Array.isArray(out)) throw new KerasTypeError(`${this.label}: its output_shape function returned ${JSON.stringify(out)}; expected a shape (a list of sizes)`);
      return out;
    }
    if (!this.outputShape) return super.computeOutputShape(inputShape);
    const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    return [first[0] ?? null, ...this.outputShape];
  }

  /**
   * Keras 2 form: `function` is the registered name with `function_type: "function"`. A function
   * that is not registered cannot be serialized.
   */
  override getConfig(): Record<string, unknown> {
    if (!this.functionName) {
      throw new KerasStateError(`${this.label}: its function is not registered, so the layer cannot be serialized. Register it first: registerLambda('myFunction', fn)`);
    }
    const c: Record<string, unknown> = {
      ...super.getConfig(),
      function: this.functionName,
      function_type: 'function',
      module: null,
      output_shape: this.outputShapeFunction ? this.registeredOutputShapeName() : this.outputShape ? [...this.outputShape] : null,
      output_shape_type: this.outputShapeFunction ? 'function' : 'raw',
      output_shape_module: null,
    };
    if (this.mask) {
      if (!this.maskName) throw new KerasStateError(`${this.label}: its mask function is not registered, so the layer cannot be serialized. Register it first: registerLambda('myMask', fn)`);
      Object.assign(c, { mask: this.maskName, mask_type: 'function', mask_module: null });
    }
    c.arguments = { ...this.arguments };
    return c;
  }

  private registeredOutputShapeName(): string {
    const name = this.outputShapeName ?? nameOf(this.outputShapeFunction as (...x: never[]) => unknown);
    if (!name) throw new KerasStateError(`${this.label}: its output_shape function is not registered, so the layer cannot be serialized. Register it first: registerLambda('myShape', fn)`);
    return name;
  }

  /**
   * Reads Keras 2 configs (`function` + `function_type`) and Keras 3 ones (`function` as a
   * serialized object). Functions are looked up by name in `custom` then in the Lambda registry;
   * Python lambdas (bytecode) are refused.
   */
  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    const name = String(config.name ?? 'lambda');
    const c = { ...config };
    const [fn, functionName] = readFunction(name, 'function', c.function, c.function_type, custom);
    const [mask, maskName] = c.mask === undefined || c.mask === null ? [null, undefined] : readFunction(name, 'mask', c.mask, c.mask_type, custom);
    const outputShape = readOutputShape(name, c.output_shape, c.output_shape_type);
    for (const k of ['function_type', 'module', 'output_shape_type', 'output_shape_module', 'mask_type', 'mask_module']) delete c[k];
    return new this({ ...configToArgs(c), function: fn, functionName, mask, maskName, outputShape });
  }
}

type InputShapeArg = Parameters<Layer['computeOutputShape']>[0];

function notRegistered(label: string, what: string, name: string): Error {
  return new KerasConfigError('UNKNOWN_NAME',
    `${label}: the ${what} '${name}' is not registered. Register it before creating or loading the layer: ` +
      `registerLambda('${name}', (inputs, options) => ...), or pass it in customObjects: { ${JSON.stringify(name)}: fn }. ` +
      `keras-ts never evaluates code from a config`,
  );
}

function readFunction(layer: string, what: string, value: unknown, type: unknown, custom?: CustomObjects): [(...a: never[]) => unknown, string] {
  const label = `Lambda '${layer}'`;
  let name: string | undefined;
  if (typeof value === 'string' && (type === 'function' || type === undefined)) name = value;
  else if (type === 'lambda' || (value && typeof value === 'object' && (value as { class_name?: string }).class_name === '__lambda__')) {
    throw new KerasConfigError('BAD_CONFIG',
      `${label}: the ${what} is a Python lambda stored as code; keras-ts never evaluates code from a config. ` +
        `Write it as a TypeScript function, registerLambda('name', fn), and save the model again with that name`,
    );
  } else if (value && typeof value === 'object' && (value as { class_name?: string }).class_name === 'function') {
    const v = value as { config?: unknown; registered_name?: unknown };
    name = typeof v.config === 'string' ? v.config : typeof v.registered_name === 'string' ? v.registered_name : undefined;
  } else if (type === 'raw') {
    throw new KerasNotImplementedError(`${label}: a raw ${what} value (${JSON.stringify(value)?.slice(0, 100)}) is not supported; register a function instead`);
  } else if (type !== undefined && type !== 'function') {
    throw new KerasNotImplementedError(`${label}: unsupported ${what}_type ${JSON.stringify(type)}; expected "function" (a registered name)`);
  }
  if (!name) throw new KerasConfigError('BAD_CONFIG', `${label}: cannot read the ${what} from ${JSON.stringify(value)?.slice(0, 200)}; expected a registered function name`);
  const fromCustom = custom?.[name];
  if (typeof fromCustom === 'function' && !('fromConfig' in fromCustom)) return [fromCustom as (...a: never[]) => unknown, name];
  const fn = lambdas.get(name);
  if (!fn) throw notRegistered(label, what, name);
  return [fn, name];
}

function readOutputShape(layer: string, value: unknown, type: unknown): (number | null)[] | LambdaOutputShapeFunction | null {
  if (value === null || value === undefined) return null;
  if (type === 'function' && typeof value === 'string') {
    const fn = lambdas.get(value);
    if (!fn) throw notRegistered(`Lambda '${layer}'`, 'output_shape', value);
    return fn as unknown as LambdaOutputShapeFunction;
  }
  if (type !== undefined && type !== 'raw') {
    throw new KerasNotImplementedError(`Lambda '${layer}': output_shape of type ${JSON.stringify(type)} is not supported; give it as a list of sizes (output_shape_type "raw")`);
  }
  if (Array.isArray(value)) return value as (number | null)[];
  throw new KerasConfigError('BAD_CONFIG', `Lambda '${layer}': cannot read output_shape ${JSON.stringify(value)}; expected a list of sizes`);
}
