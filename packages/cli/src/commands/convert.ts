import { mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { saveModel, saveWeights, setBackend, type Model } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { isWeightsName, loadModelForCli } from '../model-file.js';
import { exportModelToOnnx } from '../onnx-export.js';
import { CliError, isDirectory, parseArgs, writeFileAtomic, type Ctx } from '../util.js';

export const CONVERT_USAGE = `usage: keras-ts convert IN OUT [--weights W]

Converts a model between formats. IN is read by content; OUT's format comes from its name:

  OUT.keras          Keras 3 archive (config, weights, training configuration)
  OUT.h5             legacy HDF5 full model (Keras 2 layout)
  OUT.weights.h5     weights only (Keras 3 layout); IN must be a full model
  .../model.json     TF.js layers model (weight shards written beside it); also any name
                     ending in model.json
  DIR/               TF.js layers model as DIR/model.json (an existing directory, a name
                     ending in '/', or a name without an extension; created if missing)
  OUT.json           Keras JSON: the architecture only (model.to_json())
  OUT.onnx           ONNX model of the predict graph, weights baked in (through backend-onnx)

  IN                 a .keras archive, a legacy .h5 model, a TF.js model.json (or its
                     directory), or Keras JSON (then pass --weights)
  --weights W        load the weights from W (.weights.h5, .h5, .keras or model.json) into the
                     model first: how a .weights.h5 file is paired with an architecture
  --limit NAME=V     raise or lower a limit the model file is held to (see keras-ts --help)
  --help             this text

Every file is written through a temporary file and renamed into place.`;

type OutFormat = 'keras' | 'h5' | 'weights' | 'tfjs' | 'keras-json' | 'onnx';

const FORMAT_NAMES: Record<OutFormat, string> = {
  keras: '.keras archive',
  h5: 'legacy .h5 model',
  weights: '.weights.h5 weights file',
  tfjs: 'TF.js layers model',
  'keras-json': 'Keras JSON architecture',
  onnx: 'ONNX model',
};

/** OUT's format and the file to write (a TF.js directory becomes DIR/model.json). */
async function outputTarget(out: string, given: string): Promise<{ format: OutFormat; file: string; dir?: string }> {
  const lower = out.toLowerCase();
  const name = basename(lower);
  if (isWeightsName(lower)) return { format: 'weights', file: out };
  if (lower.endsWith('.keras')) return { format: 'keras', file: out };
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return { format: 'h5', file: out };
  if (lower.endsWith('model.json')) return { format: 'tfjs', file: out };
  if (lower.endsWith('.json')) return { format: 'keras-json', file: out };
  if (lower.endsWith('.onnx')) return { format: 'onnx', file: out };
  if (given.endsWith('/') || given.endsWith(sep) || (await isDirectory(out)) || extname(name) === '') return { format: 'tfjs', file: join(out, 'model.json'), dir: out };
  throw new CliError(
    `unknown output format for '${given}': name it .keras, .h5, .weights.h5, model.json (or a directory) for TF.js, .json for Keras JSON, or .onnx`,
  );
}

async function write(model: Model, format: OutFormat, file: string): Promise<string> {
  switch (format) {
    case 'keras':
      await saveModel(model, file, 'keras');
      return '';
    case 'h5':
      await saveModel(model, file, 'h5');
      return '';
    case 'tfjs':
      await saveModel(model, file, 'tfjs');
      return '';
    case 'weights':
      await saveWeights(model, file);
      return '';
    case 'keras-json':
      await writeFileAtomic(file, `${model.toJSON()}\n`);
      return '';
    case 'onnx': {
      const r = await exportModelToOnnx(model, file);
      return r.dynamicBatch ? ', dynamic batch' : `, static batch ${r.batch}${r.staticReason ? ` (${r.staticReason})` : ''}`;
    }
  }
}

/** `keras-ts convert IN OUT`: reads a model and writes it in OUT's format. */
export async function convertCommand(argv: readonly string[], ctx: Ctx): Promise<number> {
  const args = parseArgs(argv, { values: ['--weights'], positionals: ['IN', 'OUT'] });
  if (args.help) {
    ctx.out(CONVERT_USAGE);
    return 0;
  }
  const [inArg, outArg] = args.positionals;
  const weights = args.values.get('--weights');
  const inFile = resolve(ctx.cwd, inArg);
  // Work out the output format first: a wrong name fails before the model is loaded.
  const target = await outputTarget(resolve(ctx.cwd, outArg), outArg);
  setBackend(createTsBackend());
  const model = await loadModelForCli(inFile, { compile: true, weights: weights && resolve(ctx.cwd, weights), warn: ctx.err });
  if (target.dir) await mkdir(target.dir, { recursive: true });
  const extra = await write(model, target.format, target.file);
  ctx.out(`wrote ${target.file} (${FORMAT_NAMES[target.format]}, model '${model.name}'${extra})`);
  return 0;
}
