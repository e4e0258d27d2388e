import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { configToArgs, parseArgs } from '../engine/layer.js';
import type { Model } from '../engine/model.js';
import { formatForPath, saveModel } from '../saving/load-model.js';
import { nodeModules } from '../saving/io.js';
import { saveWeights } from '../saving/weights-file.js';
import { Callback, type Logs } from './callback.js';
import { KerasStateError, KerasValueError } from '../errors.js';

const Args = z.object({
  filepath: z.string().min(1),
  monitor: z.string().default('val_loss'),
  verbose: z.number().int().default(0),
  saveBestOnly: z.boolean().default(false),
  saveWeightsOnly: z.boolean().default(false),
  mode: z.string().default('auto'),
  saveFreq: z.union([z.literal('epoch'), z.number().int().positive()], { error: "expected 'epoch' or a positive integer (a number of batches)" }).default('epoch'),
  initialValueThreshold: z.number().nullable().default(null),
  /** Keras 1's `period` (save every `period` epochs), still read by Keras 2. */
  period: z.number().int().positive().optional(),
});

/**
 * The arguments of {@link ModelCheckpoint}: `filepath` and, optionally, `monitor` (default
 * 'val_loss'), `verbose`, `saveBestOnly`, `saveWeightsOnly`, `mode` ('auto'), `saveFreq` ('epoch'
 * or a number of batches), `initialValueThreshold` and Keras 1's `period`.
 */
export type ModelCheckpointArgs = Partial<Omit<z.infer<typeof Args>, 'filepath'>> & { filepath: string };

/**
 * Saves the model (or its weights) during training, as Keras 2's `ModelCheckpoint`: at the end of
 * every epoch (`saveFreq: 'epoch'`) or every `saveFreq` batches; with `saveBestOnly`, only when
 * `monitor` improves (`mode` 'min', 'max', or 'auto': max for names containing "acc" or starting
 * with "fmeasure", else min). `filepath` may hold Python format fields filled from the epoch
 * (1-based), the batch (1-based, batch-level saves) and the logs: `'ckpt-{epoch:02d}-{val_loss:.2f}.keras'`.
 *
 * Files are written to a temporary file beside the target and renamed over it once complete, so
 * a checkpoint on disk is always whole: a save that fails or is killed halfway leaves the previous
 * checkpoint as it was. A failing save stops `fit` with its error.
 *
 * The format follows the extension: whole models as `.keras`, `.h5` or `.json` (TF.js); weights
 * (`saveWeightsOnly`) as `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout).
 *
 * @example
 * await model.fit(x, y, {
 *   epochs: 10,
 *   validationSplit: 0.2,
 *   callbacks: [new ModelCheckpoint({ filepath: 'best.keras', monitor: 'val_loss', saveBestOnly: true })],
 * });
 */
export class ModelCheckpoint extends Callback {
  static readonly className = 'ModelCheckpoint';
  readonly args: z.infer<typeof Args>;
  /** The best value of `monitor` so far (persists across `fit` calls, as in Keras). */
  best: number;
  private readonly op: 'min' | 'max';
  private currentEpoch = 0;
  private lastBatchSeen = 0;
  private batchesSinceSave = 0;
  private epochsSinceSave = 0;

  constructor(args: ModelCheckpointArgs) {
    super();
    this.args = parseArgs(Args, args, 'ModelCheckpoint');
    const a = this.args;
    let mode = a.mode;
    if (!['auto', 'min', 'max'].includes(mode)) {
      console.warn(`ModelCheckpoint mode ${mode} is unknown, fallback to auto mode.`);
      mode = 'auto';
    }
    this.op = mode === 'min' ? 'min' : mode === 'max' ? 'max' : a.monitor.includes('acc') || a.monitor.startsWith('fmeasure') ? 'max' : 'min';
    this.best = a.initialValueThreshold ?? (this.op === 'min' ? Infinity : -Infinity);
    // Refuse a name whose format cannot be saved now, not after the first epoch of training.
    checkExtension(a.filepath, a.saveWeightsOnly);
    if (a.period !== undefined) console.warn('`period` argument is deprecated. Please use `save_freq` to specify the frequency in number of batches seen.');
  }

  private improves(current: number): boolean {
    return this.op === 'min' ? current < this.best : current > this.best;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.save(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.epochsSinceSave++;
    if (this.args.saveFreq === 'epoch') await this.save(epoch, null, logs);
  }

  private shouldSaveOnBatch(batch: number): boolean {
    const freq = this.args.saveFreq;
    if (freq === 'epoch') return false;
    // A batch index not above the last one seen starts a new epoch.
    const add = batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceSave += add;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= freq) {
      this.batchesSinceSave = 0;
      return true;
    }
    return false;
  }

  /** The path for a save: `filepath` with `{epoch}`, `{batch}` and the logs filled in. */
  filePath(epoch: number, batch: number | null, logs: Logs): string {
    // Logs are Python floats, epoch and batch ints (`{loss}` of 1 is '1.0', `{epoch}` of 1 is '1').
    const values: Record<string, number | bigint> = { ...logs, epoch: BigInt(epoch + 1) };
    if (batch !== null) values.batch = BigInt(batch + 1);
    try {
      return formatPython(this.args.filepath, values);
    } catch (e) {
      throw new KerasValueError(`Failed to format this callback filepath: "${this.args.filepath}". Reason: ${(e as Error).message}`);
    }
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const a = this.args;
    // Keras 1's period counts epochs; batch-level saves ignore it.
    if (batch === null && a.period !== undefined && this.epochsSinceSave < a.period) return;
    this.epochsSinceSave = 0;
    const file = this.filePath(epoch, batch, logs);
    const tag = `Epoch ${String(epoch + 1).padStart(5, '0')}`;
    if (a.saveBestOnly) {
      const current = logs[a.monitor];
      if (current === undefined || current === null) {
        console.warn(`Can save best model only with ${a.monitor} available, skipping.`);
        return;
      }
      if (!this.improves(current)) {
        if (a.verbose > 0) console.log(`\n${tag}: ${a.monitor} did not improve from ${fixed5(this.best)}`);
        return;
      }
      if (a.verbose > 0) console.log(`\n${tag}: ${a.monitor} improved from ${fixed5(this.best)} to ${fixed5(current)}, saving model to ${file}`);
      this.best = current;
    } else if (a.verbose > 0) console.log(`\n${tag}: saving model to ${file}`);
    await this.write(file);
  }

  private async write(file: string): Promise<void> {
    const model = this.model as unknown as Model | null;
    if (!model) throw new KerasStateError('ModelCheckpoint: no model is set (it is set by fit)');
    const { fs, path } = await nodeModules();
    const dir = path.dirname(file);
    if (dir) await fs.mkdir(dir, { recursive: true });
    if (this.args.saveWeightsOnly) await saveWeights(model, file);
    else await saveModel(model, file);
  }

  /** The callback's arguments in Keras' snake_case wire format. */
  getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      filepath: a.filepath,
      monitor: a.monitor,
      verbose: a.verbose,
      save_best_only: a.saveBestOnly,
      save_weights_only: a.saveWeightsOnly,
      mode: a.mode,
      save_freq: a.saveFreq,
      initial_value_threshold: a.initialValueThreshold,
      ...(a.period !== undefined ? { period: a.period } : {}),
    };
  }

  /**
   * Rebuilds a ModelCheckpoint from its config (snake_case keys become the camelCase arguments).
   */
  static fromConfig(c: Record<string, unknown>): ModelCheckpoint {
    return new ModelCheckpoint(configToArgs(c) as unknown as ModelCheckpointArgs);
  }
}

/** Python's `'%.5f'` for messages: inf and nan as Python writes them. */
function fixed5(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toFixed(5);
}

function checkExtension(filepath: string, weightsOnly: boolean): void {
  const lower = filepath.toLowerCase();
  if (weightsOnly) {
    if (!lower.endsWith('.h5') && !lower.endsWith('.hdf5')) {
      throw new KerasValueError(`ModelCheckpoint: with save_weights_only, the filepath must end in '.weights.h5' (Keras 3 layout) or '.h5' (Keras 2 layout), got '${filepath}'`);
    }
    return;
  }
  try {
    formatForPath(filepath);
  } catch (e) {
    throw new KerasValueError(`ModelCheckpoint: ${(e as Error).message.replace(/^saveModel: /, '')}`);
  }
}

/**
 * Python's `str.format` over named fields, for checkpoint paths: `{name}`, `{name:spec}` with
 * the format spec mini-language (fill, align, sign, `0`, width, `,`/`_`, precision; types d, f,
 * F, e, E, g, G, %, s, n), and `{{` / `}}`. A field that is not given fails naming it.
 */
export function formatPython(template: string, values: Readonly<Record<string, number | bigint | string>>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '{' && template[i + 1] === '{') {
      out += '{';
      i++;
    } else if (ch === '}' && template[i + 1] === '}') {
      out += '}';
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new KerasValueError("Single '{' encountered in format string");
      const field = template.slice(i + 1, end);
      const colon = field.indexOf(':');
      const name = colon < 0 ? field : field.slice(0, colon);
      const spec = colon < 0 ? '' : field.slice(colon + 1);
      if (!(name in values)) throw new KerasValueError(`'${name}'`);
      out += formatValue(values[name], spec);
      i = end;
    } else if (ch === '}') throw new KerasValueError("Single '}' encountered in format string");
    else out += ch;
  }
  return out;
}

function formatValue(value: number | bigint | string, spec: string): string {
  const isInt = typeof value === 'bigint';
  const v = typeof value === 'bigint' ? Number(value) : value;
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw new KerasValueError(`Invalid format specifier '${spec}'`);
  const [, fillCh, align, sign = '-', , zero, widthStr, group, precStr, type] = m;
  const width = widthStr ? Number(widthStr) : 0;
  const prec = precStr === undefined ? undefined : Number(precStr);
  let body: string;
  let negative = false;
  if (typeof v === 'string') body = prec === undefined ? v : v.slice(0, prec);
  else {
    negative = v < 0 || Object.is(v, -0);
    const a = Math.abs(v);
    const t = type ?? (isInt ? 'd' : 'g');
    if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'nan' : 'inf';
    else if (t === 'd' || t === 'n') {
      if (!isInt) throw new KerasValueError(`Unknown format code '${t}' for object of type 'float'`);
      body = String(a);
    } else if (t === 'f' || t === 'F') body = a.toFixed(prec ?? 6);
    else if (t === 'e' || t === 'E') body = pythonExp(a.toExponential(prec ?? 6));
    else if (t === '%') body = `${(a * 100).toFixed(prec ?? 6)}%`;
    else if (t === 'g' || t === 'G') body = pythonG(a, prec ?? (type ? 6 : undefined));
    else if (t === 's') throw new KerasValueError(`Unknown format code 's' for object of type '${isInt ? 'int' : 'float'}'`);
    else body = String(a);
    if (t === 'E' || t === 'G' || t === 'F') body = body.toUpperCase();
    if (group) {
      const [int, frac] = body.split('.');
      body = int.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? `.${frac}` : '');
    }
  }
  const signStr = typeof v === 'string' ? '' : negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const fill = fillCh ?? (zero && !align ? '0' : ' ');
  const al = align ?? (zero ? '=' : typeof v === 'string' ? '<' : '>');
  const len = signStr.length + body.length;
  if (len >= width) return signStr + body;
  const pad = width - len;
  if (al === '<') return signStr + body + fill.repeat(pad);
  if (al === '^') return fill.repeat(Math.floor(pad / 2)) + signStr + body + fill.repeat(pad - Math.floor(pad / 2));
  if (al === '=') return signStr + fill.repeat(pad) + body;
  return fill.repeat(pad) + signStr + body;
}

/** JavaScript's `1.5e+3` as Python's `1.5e+03`. */
function pythonExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's general format: `precision` significant digits, trailing zeros dropped. */
function pythonG(a: number, precision: number | undefined): string {
  if (precision === undefined) {
    // repr-like: the shortest round-trip form, in Python's notation.
    if (a !== 0 && (a >= 1e16 || a < 1e-4)) return pythonExp(a.toExponential()).replace(/\.?0+e/, 'e');
    return Number.isInteger(a) ? `${a}.0` : String(a);
  }
  const p = precision === 0 ? 1 : precision;
  if (a === 0) return '0';
  const exp = Math.floor(Math.log10(a));
  if (exp < -4 || exp >= p) return pythonExp(a.toExponential(p - 1)).replace(/\.?0+e/, 'e');
  const s = a.toFixed(Math.max(0, p - 1 - exp));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

registerClass('callback', ModelCheckpoint);
