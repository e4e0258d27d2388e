import { nodeModules } from '#platform';
import { Callback, type Logs } from './callback.js';

/**
 * Appends each epoch's logs to a CSV file: a header `epoch,<keys in sorted order>`, then one
 * row per epoch (Node only).
 * @example new CSVLogger('training.csv')
 */
export class CSVLogger extends Callback {
  static readonly className = 'CSVLogger';
  private keys: string[] | null = null;
  private lines: string[] = [];
  constructor(
    readonly filename: string,
    readonly separator = ',',
    readonly append = false,
  ) {
    super();
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
