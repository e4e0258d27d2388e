import { camelKey, findKey, hasArg, isPlainObject, takeArg } from './arg-names.js';
import { applyRules, warnConverted, type ConvertContext, type Rules } from './convert.js';
import { warnOnce } from './warnings.js';
import { KerasTypeError } from '../errors.js';

/** The training methods that took Keras 1 arguments. */
export type LegacyTrainingMethod = 'fit' | 'fit_generator' | 'evaluate_generator' | 'predict_generator';

/** Keras 1 `samples_per_epoch` -> `steps_per_epoch`: divided by the generator's batch size when it has one. */
const samplesPerEpoch = (ctx: ConvertContext): void => {
  if (!hasArg(ctx.args, 'samples_per_epoch')) return;
  const samples = takeArg(ctx.args, 'samples_per_epoch') as number;
  const g = ctx.extra as { batchSize?: unknown; batch_size?: unknown } | null | undefined;
  const bs = g && typeof g === 'object' ? (g.batchSize ?? g.batch_size) : undefined;
  const steps = typeof bs === 'number' && bs > 0 ? Math.floor(samples / bs) : samples;
  if (hasArg(ctx.args, 'steps_per_epoch')) throw new KerasTypeError(`${ctx.what}: give either \`steps_per_epoch\` (Keras 2) or \`samples_per_epoch\` (Keras 1), not both`);
  ctx.args[camelKey('steps_per_epoch')] = steps;
  ctx.converted.push({ olds: ['samples_per_epoch'], name: 'steps_per_epoch', value: steps });
};

/** Keras 2's warning that the generator arguments count batches now, not samples. */
const samplesSemantics = (ctx: ConvertContext): void => {
  const keras1 = ['samples_per_epoch', 'val_samples', 'nb_epoch', 'nb_val_samples', 'nb_worker'];
  if (!keras1.some((k) => findKey(ctx.args, k) !== undefined)) return;
  warnOnce(
    `${ctx.object}|semantics`,
    `${ctx.object}: Keras 2 counts batches where Keras 1 counted samples: \`steps_per_epoch\` is the number of batches drawn from the generator per epoch ` +
      `(about samples_per_epoch / batch_size), and likewise \`validation_steps\` replaces \`nb_val_samples\` and \`steps\` replaces \`val_samples\`. Update these arguments.`,
  );
};

const generatorRules: Rules = {
  pre: [samplesPerEpoch, samplesSemantics],
  renames: [
    ['val_samples', 'steps'],
    ['nb_epoch', 'epochs'],
    ['nb_val_samples', 'validation_steps'],
    ['nb_worker', 'workers'],
    ['pickle_safe', 'use_multiprocessing'],
    ['max_q_size', 'max_queue_size'],
  ],
};

/**
 * The Keras 2 form of a training method's arguments given in Keras 1 spellings, as Keras 2
 * converted them: `fit`'s `nb_epoch` (nbEpoch) becomes `epochs` (and wins over it, as in Keras 2);
 * the generator methods' `samples_per_epoch`, `val_samples`, `nb_epoch`, `nb_val_samples`,
 * `nb_worker`, `pickle_safe` and `max_q_size` become `steps_per_epoch`, `steps`, `epochs`,
 * `validation_steps`, `workers`, `use_multiprocessing` and `max_queue_size`. Each Keras 1
 * spelling warns once.
 *
 * Never changes the object given: returns a new object when something was converted, else the
 * object itself (and anything but a plain object as it is).
 *
 * @example
 * const args = { nbEpoch: 2 };
 * convertLegacyTrainingArgs('fit', args); // { epochs: 2 }; args is unchanged
 */
export function convertLegacyTrainingArgs<T extends object | null | undefined>(method: LegacyTrainingMethod, given: T, generator?: unknown): T {
  if (!isPlainObject(given)) return given;
  const a: Record<string, unknown> = { ...given };
  if (method === 'fit') {
    if (!hasArg(a, 'nb_epoch')) return given;
    a.epochs = takeArg(a, 'nb_epoch');
    warnOnce('fit|nb_epoch', 'The `nb_epoch` argument of `fit` is called `epochs` in Keras 2 (in TypeScript: `{ epochs }`).');
    return a as T;
  }
  const ctx: ConvertContext = { object: method, what: method, args: a, converted: [], leading: 'generator', extra: generator };
  applyRules(generatorRules, ctx);
  warnConverted(ctx);
  return (ctx.converted.length ? a : given) as T;
}
