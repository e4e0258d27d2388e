import { checkArgKeys, checkOptionsObject, nearestKey } from '../arguments/strict-args.js';
import { lookupClass, registeredNames } from '../serialization/registry.js';
import { describeValue, KerasTypeError, KerasValueError } from '../errors.js';
import { warnOnce } from '../legacy/warnings.js';

/**
 * The options each training method takes (camelCase, as Keras 2's keyword arguments), checked at
 * the call: an unknown key names the method, the key and the nearest accepted key (`epoch` ->
 * `epochs`, `batch_size` -> `batchSize`); a number or list where the options object goes (Keras'
 * positional `fit(x, y, 32, 10)`) is refused with what to pass instead.
 */
export const METHOD_KEYS = {
  compile: ['optimizer', 'loss', 'metrics', 'lossWeights', 'weightedMetrics', 'runEagerly', 'stepsPerExecution', 'jitCompile'],
  fit: [
    'batchSize',
    'epochs',
    'verbose',
    'callbacks',
    'validationSplit',
    'validationData',
    'shuffle',
    'classWeight',
    'sampleWeight',
    'initialEpoch',
    'stepsPerEpoch',
    'validationSteps',
    'validationBatchSize',
    'validationFreq',
    'seed',
    'signal',
  ],
  evaluate: ['batchSize', 'verbose', 'sampleWeight', 'callbacks', 'steps', 'returnDict'],
  predict: ['batchSize', 'verbose', 'callbacks', 'steps'],
  fitGenerator: [
    'stepsPerEpoch',
    'epochs',
    'verbose',
    'callbacks',
    'validationData',
    'validationSteps',
    'validationFreq',
    'classWeight',
    'initialEpoch',
    'maxQueueSize',
    'workers',
    'useMultiprocessing',
    'shuffle',
    'signal',
  ],
  evaluateGenerator: ['steps', 'callbacks', 'verbose', 'maxQueueSize', 'workers', 'useMultiprocessing'],
  predictGenerator: ['steps', 'callbacks', 'verbose', 'maxQueueSize', 'workers', 'useMultiprocessing'],
  trainOnBatch: ['sampleWeight', 'classWeight', 'returnDict'],
  testOnBatch: ['sampleWeight', 'returnDict'],
} as const satisfies Record<string, readonly string[]>;

/** The training methods whose options are checked. */
export type TrainingMethod = keyof typeof METHOD_KEYS;

const EXAMPLES: Record<TrainingMethod, string> = {
  compile: "{ optimizer: 'adam', loss: 'mse', metrics: ['mae'] }",
  fit: '{ batchSize: 32, epochs: 10 }',
  evaluate: '{ batchSize: 32 }',
  predict: '{ batchSize: 32 }',
  fitGenerator: '{ stepsPerEpoch: 100, epochs: 10 }',
  evaluateGenerator: '{ steps: 10 }',
  predictGenerator: '{ steps: 10 }',
  trainOnBatch: '{ sampleWeight }',
  testOnBatch: '{ sampleWeight }',
};

/**
 * Checks the options object of a training method (`what` names the model in messages, such as
 * `Sequential 'mlp'`).
 */
export function checkMethodOptions(method: TrainingMethod, args: unknown, what: string): void {
  checkOptionsObject(args, METHOD_KEYS[method], `${what}.${method}`, EXAMPLES[method]);
  if (method.endsWith('Generator') && isPlainObject(args)) checkGeneratorWorkers(args, `${what}.${method}`);
}

/**
 * The generator methods' `maxQueueSize`, `workers` and `useMultiprocessing`, checked for their
 * type. keras-ts draws a generator's batches on the calling thread, in order (as Keras 2 with
 * `workers: 0`), so parallel loading is not done: asking for it warns once instead of passing
 * in silence.
 */
function checkGeneratorWorkers(args: Record<string, unknown>, where: string): void {
  for (const [k, min] of [['maxQueueSize', 1], ['workers', 0]] as const) {
    const v = args[k];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= min)) {
      throw new KerasTypeError(`${where}: argument '${k}' got ${describeValue(v)}: expected an integer >= ${min}`);
    }
  }
  const mp = args.useMultiprocessing;
  if (mp !== undefined && mp !== null && typeof mp !== 'boolean') throw new KerasTypeError(`${where}: argument 'useMultiprocessing' got ${describeValue(mp)}: expected a boolean`);
  const workers = args.workers as number | undefined;
  if (mp === true || (workers !== undefined && workers !== null && workers > 1)) {
    warnOnce(
      'generator-workers',
      `${where}: workers=${workers ?? 1}${mp === true ? ', useMultiprocessing=true' : ''} has no effect in keras-ts: batches are drawn from the generator on the calling thread, in order (as Keras 2 with workers=0)`,
    );
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** An optimizer as compile takes it: a name, an Optimizer, or a serialized optimizer. */
const isOptimizerId = (v: unknown): boolean =>
  typeof v === 'string' || (typeof v === 'object' && v !== null && ('applyGradients' in v || typeof (v as { class_name?: unknown }).class_name === 'string'));

/**
 * Reads `compile`'s arguments: the options object, or Keras' positional form
 * `compile(optimizer, loss, metrics)` (`compile('adam', 'mse')`). Unknown keys and other forms
 * are refused here, at the call.
 */
export function readCompileArgs(a0: unknown, a1: unknown, a2: unknown, what: string): Record<string, unknown> {
  const usage = "compile({ optimizer, loss, metrics }) or compile(optimizer, loss, metrics), such as compile('adam', 'mse', ['mae'])";
  let args: Record<string, unknown>;
  if (a0 === undefined && a1 === undefined && a2 === undefined) args = {};
  else if (isPlainObject(a0) && !isOptimizerId(a0)) {
    if (a1 !== undefined || a2 !== undefined) throw new KerasTypeError(`${what}.compile: give the arguments either positionally or as one object, not both; call ${usage}`);
    args = a0;
  } else if (a0 === undefined || isOptimizerId(a0)) {
    args = {};
    if (a0 !== undefined) args.optimizer = a0;
    if (a1 !== undefined) args.loss = a1;
    if (a2 !== undefined) args.metrics = a2;
  } else {
    throw new KerasTypeError(`${what}.compile: the first argument is the optimizer (a name such as 'adam', an Optimizer or a serialized optimizer) or an options object; got ${describeValue(a0)}; call ${usage}`);
  }
  checkArgKeys(args, METHOD_KEYS.compile, `${what}.compile`);
  checkNoEffectOptions(args, what);
  return args;
}

/** Keras 2 compile options that change nothing here, checked for their type. */
function checkNoEffectOptions(args: Record<string, unknown>, what: string): void {
  for (const k of ['runEagerly', 'jitCompile'] as const) {
    const v = args[k];
    if (v !== undefined && v !== null && typeof v !== 'boolean') throw new KerasTypeError(`${what}.compile: argument '${k}' got ${describeValue(v)}: expected a boolean`);
  }
  const s = args.stepsPerExecution;
  if (s !== undefined && s !== null && !(Number.isInteger(s) && (s as number) > 0)) throw new KerasTypeError(`${what}.compile: argument 'stepsPerExecution' got ${describeValue(s)}: expected a positive integer`);
}

/** Metric names that compile resolves from the targets and the loss. */
const RESOLVED_METRICS = new Set(['accuracy', 'acc', 'crossentropy', 'ce']);

/**
 * Checks one metric given to compile, so that a bad one fails at compile rather than at fit: a
 * registered name (or `accuracy` / `acc` / `crossentropy` / `ce`), a Metric, a function
 * `(yTrue, yPred) => values`, or a serialized metric.
 */
export function checkMetricId(id: unknown, what: string): void {
  if (typeof id === 'function') return;
  if (typeof id === 'string') {
    if (RESOLVED_METRICS.has(id.toLowerCase()) || lookupClass('metric', id)) return;
    const near = nearestKey(id, ['accuracy', ...registeredNames('metric')]);
    throw new KerasValueError(
      `${what}.compile: unknown metric '${id}'${near ? `; did you mean '${near}'?` : ''} (give a metric name such as 'accuracy' or 'mae', a Metric, or a function (yTrue, yPred) => values)`,
    );
  }
  if (typeof id === 'object' && id !== null && ('updateState' in id || typeof (id as { class_name?: unknown }).class_name === 'string')) return;
  throw new KerasTypeError(`${what}.compile: a metric must be a name such as 'accuracy', a Metric, a function (yTrue, yPred) => values, or a serialized metric; got ${describeValue(id)}`);
}
