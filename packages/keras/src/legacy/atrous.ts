import { keepWireMark } from '../arguments/strict-args.js';
import { hasArg, isPlainObject } from './arg-names.js';
import { rename, warnConverted, type ConvertContext } from './convert.js';
import { warnOnce } from './warnings.js';

/**
 * What Keras 2's `AtrousConvolution1D` / `AtrousConvolution2D` functions did before building the
 * Conv layer: `atrous_rate` becomes `dilation_rate`, with a deprecation warning (once). Returns
 * the arguments for the Conv layer: a new object when `atrous_rate` was given, else the object
 * given, which is never changed.
 */
export function atrousToDilation<T extends object>(legacyName: string, convName: string, given: T): T {
  warnOnce(
    `${legacyName}|class`,
    `The \`${legacyName}\` layer is deprecated in Keras 2: use \`${convName}\` with the \`dilation_rate\` argument (in TypeScript: \`new ${convName}({ dilationRate })\`).`,
  );
  if (!isPlainObject(given) || !hasArg(given, 'atrous_rate')) return given;
  const args: Record<string, unknown> = { ...given };
  const name = typeof args.name === 'string' && args.name ? ` '${args.name}'` : '';
  const ctx: ConvertContext = { object: convName, what: `${legacyName}${name}`, args, converted: [] };
  rename(ctx, 'atrous_rate', 'dilation_rate');
  warnConverted(ctx);
  return keepWireMark(given, args) as T;
}
