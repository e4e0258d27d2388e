import { nodeModules } from '#platform';
import { Callback, type Logs } from './callback.js';
import { checkOptionsObject } from '../arguments/strict-args.js';
import { KerasValueError } from '../errors.js';

/**
 * Appends each epoch's logs to a CSV file: a header `epoch,<keys in sorted order>`, then one
 * row per epoch (Node only). Takes Keras' positional form `(filename, separator, append)` or its
 * keywords as an object `{ filename, separator, append }`.
 * @example new CSVLogger('training.csv')
 * @example new CSVLogger({ filename: 'training.csv', append: true })
 */
export class CSVLogger extends Callback {
  static readonly className = 'CSVLogger';
  private keys: string[] | null = null;
  private lines: string[] = [];
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  constructor(filename: string | { filename: string; separator?: string; append?: boolean }, separator = ',', append = false) {
    super();
    if (typeof filename === 'object' && filename !== null) {
      checkOptionsObject(filename, ['filename', 'separator', 'append'], 'CSVLogger', "{ filename: 'training.csv' }");
      ({ filename, separator = ',', append = false } = filename);
    }
    if (typeof filename !== 'string' || filename === '') throw new KerasValueError(`CSVLogger: argument 'filename' got ${JSON.stringify(filename) ?? String(filename)}: expected a file name`);
    this.filename = filename;
    this.separator = separator;
    this.append = append;
  }
  private async fs() {
    return (await nodeModules()).fs;
  }
  override async onTrainBegin(): Promise<void> {
    this.keys = null;
    if (!this.append) await (await this.fs()).writeFile(this.filename, '');
  }
  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const fs = await this.fs();
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      let hasHeader = false;
      if (this.append) {
        try {
          hasHeader = (await fs.readFile(this.filename, 'utf8')).length > 0;
        } catch {
          hasHeader = false;
        }
      }
      if (!hasHeader) await fs.appendFile(this.filename, `${['epoch', ...this.keys].join(this.separator)}\n`);
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))];
    this.lines.push(row.join(this.separator));
    await fs.appendFile(this.filename, `${row.join(this.separator)}\n`);
  }
}
