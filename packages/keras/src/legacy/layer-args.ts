import { hasArg, isPlainObject, sameEntries, takeArg } from './arg-names.js';
import { applyRules, warnConverted, type ConvertContext } from './convert.js';
import { convertKeras1Object } from './identifiers.js';
import { LAYER_RULES } from './layer-rules.js';

/**
 * The Keras 2 form of a layer's constructor arguments given in Keras 1 spellings, as Keras 2's
 * legacy interfaces converted them: `Dense({ outputDim: 10, init: 'normal' })` reads as
 * `Dense({ units: 10, kernelInitializer: 'normal' })`, with a one-time warning per (layer class,
 * Keras 1 name). Keys may be in config camelCase (`WRegularizer`, `dropout_W`), TypeScript
 * camelCase (`wRegularizer`, `dropoutW`) or snake_case.
 *
 * Also reads Keras 1 regularizer and constraint objects (`{name: 'L1L2Regularizer', l1, l2}`)
 * as Keras 2 ones, and drops Keras 1's `input_dtype` (the dtype of the input placeholder,
 * which Keras 2 accepted on any layer). Arguments spelled both ways are refused.
 *
 * Never changes the object given: returns a new object when something was converted, else the
 * object itself (and anything but a plain object as it is). Layers convert where their arguments
 * enter (`Layer`'s constructor, see `engine/keras1-entry.ts`).
 *
 * @example
 * const args = { outputDim: 10, init: 'normal' };
 * convertLegacyLayerArgs('Dense', args); // { units: 10, kernelInitializer: 'normal' }; args is unchanged
 */
export function convertLegacyLayerArgs<T extends object | null | undefined>(className: string, given: T): T {
  if (!isPlainObject(given)) return given;
  const args: Record<string, unknown> = { ...given };
  const rules = LAYER_RULES[className];
  const name = typeof args.name === 'string' ? args.name : '';
  const what = name ? `${className} '${name}'` : className;
  if (rules) {
    const ctx: ConvertContext = { object: className, what, args, converted: [] };
    applyRules(rules, ctx);
    warnConverted(ctx);
  }
  if (className !== 'InputLayer' && hasArg(args, 'input_dtype')) takeArg(args, 'input_dtype');
  for (const k of Object.keys(args)) {
    if (/(regularizer|constraint)$/i.test(k)) args[k] = convertKeras1Object(args[k], what, k);
  }
  return (sameEntries(given, args) ? given : args) as T;
}
