import { hasArg } from './arg-names.js';
import { rename, warnConverted, type ConvertContext } from './convert.js';
import { warnOnce } from './warnings.js';

/**
 * What Keras 2's `AtrousConvolution1D` / `AtrousConvolution2D` functions did before building the
 * Conv layer: `atrous_rate` becomes `dilation_rate`, with a deprecation warning (once).
 */
export function atrousToDilation(legacyName: string, convName: string, args: Record<string, unknown>): void {
  warnOnce(
    `${legacyName}|class`,
    `The \`${legacyName}\` layer is deprecated in Keras 2: use \`${convName}\` with the \`dilation_rate\` argument (in TypeScript: \`new ${convName}({ dilationRate })\`).`,
  );
  if (!hasArg(args, 'atrous_rate')) return;
  const name = typeof args.name === 'string' && args.name ? ` '${args.name}'` : '';
  const ctx: ConvertContext = { object: convName, what: `${legacyName}${name}`, args, converted: [] };
  rename(ctx, 'atrous_rate', 'dilation_rate');
  warnConverted(ctx);
}
