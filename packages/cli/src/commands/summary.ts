import { resolve } from 'node:path';
import { setBackend } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { loadModelForCli } from '../model-file.js';
import { parseArgs, positiveInt, type Ctx } from '../util.js';

export const SUMMARY_USAGE = `usage: keras-ts summary FILE [--weights W] [--line-length N]

Loads a model file and prints Keras' summary table (layers, output shapes, parameter counts).

  FILE               a .keras archive, a legacy .h5 model, a TF.js model.json (or its
                     directory), or Keras JSON (model.to_json())
  --weights W        load the weights from W first (any weights file; not needed for the counts)
  --line-length N    the table's width (Keras' default: 65, or 98 with a "Connected to" column)
  --limit NAME=V     raise or lower a limit the model file is held to (see keras-ts --help)
  --help             this text`;

/** `keras-ts summary FILE`: prints the model's summary table. */
export async function summaryCommand(argv: readonly string[], ctx: Ctx): Promise<number> {
  const args = parseArgs(argv, { values: ['--weights', '--line-length'], positionals: ['FILE'] });
  if (args.help) {
    ctx.out(SUMMARY_USAGE);
    return 0;
  }
  const lineLength = positiveInt('--line-length', args.values.get('--line-length'));
  const weights = args.values.get('--weights');
  setBackend(createTsBackend());
  const model = await loadModelForCli(resolve(ctx.cwd, args.positionals[0]), { weights: weights && resolve(ctx.cwd, weights), warn: ctx.err });
  model.summary(lineLength, ctx.out);
  return 0;
}
