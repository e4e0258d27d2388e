import { Callback, type Logs } from './callback.js';
import { checkOptionsObject } from '../config/strict-args.js';

/** Writes text to the terminal (stdout in Node, console elsewhere). */
function write(text: string): void {
  const proc = (globalThis as { process?: { stdout?: { write(s: string): void; isTTY?: boolean } } }).process;
  if (proc?.stdout) proc.stdout.write(text);
  else console.log(text.replace(/\n$/, ''));
}

function isTTY(): boolean {
  return !!(globalThis as { process?: { stdout?: { isTTY?: boolean } } }).process?.stdout?.isTTY;
}

/** Keras 2's Progbar: `%.4f` above 1e-3 in magnitude, `%.4e` otherwise (0 prints as 0.0000e+00). */
function fmtValue(v: number): string {
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  const [m, e] = v.toExponential(4).split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${fmtValue(v)}`)
    .join('');
}

function fmtTime(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms)}ms`;
}

/**
 * Keras' progress output. verbose 1: `Epoch 1/3` then a bar that fills on a terminal
 * (`32/32 [==============================] - 1s 2ms/step - loss: 0.6931`); verbose 2: one line
 * per epoch (`32/32 - 1s - loss: 0.6931 - 1s/epoch - 2ms/step`).
 */
export class ProgbarLogger extends Callback {
  static readonly className = 'ProgbarLogger';
  readonly verbose: number;
  private epochStart = 0;
  private epochs = 1;
  private steps = 0;
  private seen = 0;
  private lastDraw = 0;

  constructor(args: { verbose?: number } = {}) {
    super();
    checkOptionsObject(args, ['verbose'], 'ProgbarLogger', '{ verbose: 1 }');
    this.verbose = args?.verbose ?? 1;
  }

  override async onTrainBegin(): Promise<void> {
    this.epochs = (this.params.epochs as number) ?? 1;
    this.steps = (this.params.steps as number) ?? 0;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epochStart = performance.now();
    this.seen = 0;
    // Keras 2 prints the epoch line when verbose and there is more than one epoch.
    if (this.verbose && this.epochs > 1) write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    this.seen = batch + 1;
    if (this.verbose !== 1 || !isTTY()) return;
    const now = performance.now();
    if (now - this.lastDraw < 50 && this.seen < this.steps) return;
    this.lastDraw = now;
    write(`\r${this.bar(logs, false)}`);
  }

  override async onEpochEnd(_epoch: number, logs: Logs = {}): Promise<void> {
    const elapsed = performance.now() - this.epochStart;
    const perStep = elapsed / Math.max(this.seen, 1);
    if (this.verbose === 1) write(`${isTTY() ? '\r' : ''}${this.bar(logs, true)}\n`);
    else if (this.verbose === 2) write(`${this.seen}/${this.steps} - ${fmtTime(elapsed)}${fmtLogs(logs)} - ${fmtTime(elapsed)}/epoch - ${fmtTime(perStep)}/step\n`);
  }

  private bar(logs: Logs, done: boolean): string {
    const width = 30;
    const total = Math.max(this.steps, 1);
    const filled = Math.min(width, Math.floor((width * this.seen) / total));
    const body = filled >= width ? '='.repeat(width) : `${'='.repeat(Math.max(filled - 1, 0))}${filled > 0 ? '>' : ''}${'.'.repeat(width - filled)}`;
    const count = `${String(this.seen).padStart(String(total).length)}/${total}`;
    const elapsed = performance.now() - this.epochStart;
    const timing = done ? ` - ${fmtTime(elapsed)} ${fmtTime(elapsed / Math.max(this.seen, 1))}/step` : ` - ETA: ${fmtTime(((total - this.seen) * elapsed) / Math.max(this.seen, 1))}`;
    return `${count} [${body}]${timing}${fmtLogs(logs)}`;
  }
}
