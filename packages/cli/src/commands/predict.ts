import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { allocData, type DType } from '@keras-ts/spec';
import { setBackend, Tensor, type Model } from '@keras-ts/keras';
import { checkBackendName, createBackend, BACKEND_NAMES } from '../backends.js';
import { loadModelForCli } from '../model-file.js';
import { outputsToJson, parseInputTensors, type InputTensors } from '../tensor-json.js';
import { DEFAULT_INPUT_BYTES } from '../limits.js';
import { CliError, parseArgs, positiveInt, UsageError, writeFileAtomic, type Ctx } from '../util.js';

export const PREDICT_USAGE = `usage: keras-ts predict FILE --input T.json [--backend NAME] [--output OUT.json]
                        [--batch-size N] [--weights W]

Runs the model in inference mode on the inputs and prints the outputs (or writes them to OUT.json).

  FILE             a .keras archive, a legacy .h5 model, a TF.js model.json (or its directory),
                   or Keras JSON (then pass --weights, or the weights are freshly initialized)
  --input T.json   the inputs as JSON tensors {"shape": [..], "dtype": "float32", "data": [..]}
                   (data flat, row-major; "NaN"/"Infinity" as strings): one tensor, a list of
                   tensors in the model's input order, or an object of tensors by input name
  --backend NAME   ${BACKEND_NAMES.join(', ')} (default ts)
  --output OUT     write the outputs there (atomically) instead of printing them
  --batch-size N   predict in batches of N (default 32, as Keras)
  --weights W      load the weights from W (.weights.h5, .h5, .keras or model.json) first
  --limit NAME=V   raise or lower a limit the files are held to, e.g. input-bytes=1G for a
                   larger --input (see keras-ts --help)
  --help           this text

The outputs are in the same format: one tensor, or a list for a model with several outputs.`;

const fmt = (shape: readonly (number | null)[]) => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;

/**
 * Converts a tensor to the input's dtype (as Keras casts data to the Input layer's dtype). A value
 * an int32 input cannot hold (NaN, an infinity, outside [-2^31, 2^31 - 1]) is refused, naming the
 * input and the value, instead of wrapping around (2^40 would become 0).
 */
function castTo(t: Tensor, dtype: DType, where: string): Tensor {
  if (t.dtype === dtype) return t;
  const data = allocData(dtype, t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (dtype === 'int32' && !(v >= -(2 ** 31) && v < 2 ** 31)) {
      throw new CliError(`${where}: data[${i}] is ${v}, which the int32 input cannot hold (integers in [-2147483648, 2147483647])`);
    }
    data[i] = dtype === 'float32' ? v : dtype === 'bool' ? (v !== 0 ? 1 : 0) : Math.trunc(v);
  }
  return new Tensor(t.shape, dtype, data);
}

/** The input tensors in the model's input order, checked against its input shapes. */
export function matchInputs(model: Model, given: InputTensors, file: string): Tensor[] {
  const specs = model.inputs;
  const names = model.inputNames;
  const describe = () => specs.map((s, i) => `'${names[i]}' ${fmt(s.shape)}`).join(', ');
  let list: Tensor[];
  if (given.kind === 'named') {
    const unknown = [...given.tensors.keys()].filter((k) => !names.includes(k));
    if (unknown.length) throw new CliError(`${file}: no model input is named ${unknown.map((k) => `'${k}'`).join(', ')}; model '${model.name}' takes ${describe()}`);
    const missing = names.filter((n) => !given.tensors.has(n));
    if (missing.length) throw new CliError(`${file}: gives no tensor for input ${missing.map((k) => `'${k}'`).join(', ')} of model '${model.name}' (its inputs: ${describe()})`);
    list = names.map((n) => given.tensors.get(n)!);
  } else list = given.kind === 'single' ? [given.tensor] : given.tensors;
  if (list.length !== specs.length) {
    throw new CliError(`${file}: gives ${list.length} tensor${list.length === 1 ? '' : 's'}, but model '${model.name}' takes ${specs.length} input${specs.length === 1 ? '' : 's'}: ${describe()}`);
  }
  const out = list.map((t, i) => {
    const want = specs[i].shape;
    const fits = t.rank === want.length && want.every((d, k) => d === null || d === t.shape[k]);
    if (!fits) throw new CliError(`${file}: input '${names[i]}' has shape ${fmt(t.shape)}, but model '${model.name}' expects ${fmt(want)}`);
    return castTo(t, specs[i].dtype, `${file}: input '${names[i]}'`);
  });
  const rows = out.map((t) => t.shape[0]);
  if (rows.some((n) => n !== rows[0])) throw new CliError(`${file}: the inputs have different numbers of samples (${rows.join(', ')}): every input needs one row per sample`);
  return out;
}

/** `keras-ts predict FILE --input T.json`: runs the model and prints or writes its outputs. */
export async function predictCommand(argv: readonly string[], ctx: Ctx): Promise<number> {
  const args = parseArgs(argv, { values: ['--input', '--backend', '--output', '--batch-size', '--weights'], positionals: ['FILE'] });
  if (args.help) {
    ctx.out(PREDICT_USAGE);
    return 0;
  }
  const inputArg = args.values.get('--input');
  if (!inputArg) throw new UsageError('--input T.json is required');
  const backendName = checkBackendName(args.values.get('--backend') ?? 'ts');
  const batchSize = positiveInt('--batch-size', args.values.get('--batch-size'));
  const outArg = args.values.get('--output');
  const weights = args.values.get('--weights');

  // Read the inputs before anything slow, so that a bad file fails at once.
  const inputFile = resolve(ctx.cwd, inputArg);
  await checkInputSize(inputFile, ctx.inputBytes ?? DEFAULT_INPUT_BYTES);
  const text = await readFile(inputFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(e.code === 'ENOENT' ? `${inputFile}: no such file` : `${inputFile}: cannot be read (${e.message})`);
  });
  const given = parseInputTensors(text, inputFile);

  const backend = await createBackend(backendName, ctx.err);
  try {
    setBackend(backend);
    const model = await loadModelForCli(resolve(ctx.cwd, args.positionals[0]), { weights: weights && resolve(ctx.cwd, weights), warn: ctx.err });
    const xs = matchInputs(model, given, inputFile);
    const y = await model.predict(xs.length === 1 ? xs[0] : xs, batchSize ? { batchSize, verbose: 0 } : { verbose: 0 });
    const json = outputsToJson(y);
    if (outArg) {
      const outFile = resolve(ctx.cwd, outArg);
      await refuseOverwritingAnInput(outFile, [resolve(ctx.cwd, args.positionals[0]), inputFile, ...(weights ? [resolve(ctx.cwd, weights)] : [])]);
      await writeFileAtomic(outFile, json);
      const ys = Array.isArray(y) ? y : [y];
      ctx.out(`wrote ${outFile} (${ys.map((t) => `${t.dtype}${fmt(t.shape)}`).join(', ')})`);
    } else ctx.out(json.replace(/\n$/, ''));
    return 0;
  } finally {
    backend.dispose?.();
  }
}

/** The longest string V8 makes (2^29 - 24 characters): a longer input cannot be read as one text. */
const MAX_JSON_TEXT = 2 ** 29 - 24;

/**
 * Refuses an input file larger than the limit `input-bytes` before reading it (parsing JSON takes
 * many times its size in memory), and anything but a regular file (a device could stream forever).
 */
async function checkInputSize(file: string, max: number): Promise<void> {
  const st = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(e.code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${e.message})`);
  });
  if (!st.isFile()) throw new CliError(`${file}: not a regular file; --input must be a JSON file`);
  if (st.size > max) {
    throw new CliError(`${file}: ${st.size} bytes of input, over the limit input-bytes = ${max} bytes; if the inputs really are this large, raise it with --limit input-bytes=${st.size} (or predict in several smaller files)`);
  }
  if (st.size > MAX_JSON_TEXT) throw new CliError(`${file}: ${st.size} bytes of input, more than one JSON text can hold here (${MAX_JSON_TEXT} characters, JavaScript's longest string): predict in several smaller files`);
}

/** Refuses an output path that is one of the command's inputs (after following links): it would be overwritten. */
async function refuseOverwritingAnInput(outFile: string, inputs: readonly string[]): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => p);
  const out = await real(outFile);
  for (const input of inputs) {
    if ((await real(input)) === out) throw new UsageError(`--output ${outFile} is one of the inputs (${input}); it would be overwritten: write the outputs elsewhere`);
  }
}
