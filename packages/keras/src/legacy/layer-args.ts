import { hasArg, takeArg } from './arg-names.js';
import { applyRules, warnConverted, type ConvertContext } from './convert.js';
import { convertKeras1Object } from './identifiers.js';
import { LAYER_RULES } from './layer-rules.js';

/**
 * Rewrites a layer's constructor arguments from their Keras 1 spellings to Keras 2's, IN PLACE
 * (the subclass constructors read the same object after `super()` returns), as Keras 2's
 * legacy interfaces did: `Dense({ outputDim: 10, init: 'normal' })` becomes
 * `Dense({ units: 10, kernelInitializer: 'normal' })`, with a one-time warning per
 * (layer class, Keras 1 name). Keys may be in config camelCase (`WRegularizer`, `dropout_W`),
 * TypeScript camelCase (`wRegularizer`, `dropoutW`) or snake_case.
 *
 * Also reads Keras 1 regularizer and constraint objects (`{name: 'L1L2Regularizer', l1, l2}`)
 * as Keras 2 ones, and drops Keras 1's `input_dtype` (the dtype of the input placeholder,
 * which Keras 2 accepted on any layer). Arguments spelled both ways are refused.
 *
 * @example
 * const args: Record<string, unknown> = { outputDim: 10, init: 'normal' };
 * convertLegacyLayerArgs('Dense', args); // args is now { units: 10, kernelInitializer: 'normal' }
 */
export function convertLegacyLayerArgs(className: string, args: Record<string, unknown> | null | undefined): void {
  if (!args || typeof args !== 'object') return;
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
}
