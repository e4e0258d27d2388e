import { Callback, type Logs } from './callback.js';
import { checkOptionsObject } from '../arguments/strict-args.js';

interface Stdout {
  write(s: string): void;
  isTTY?: boolean;
}

function stdout(): Stdout | null {
  return (globalThis as { process?: { stdout?: Stdout } }).process?.stdout ?? null;
}

/** Writes text to the terminal (stdout in Node, console elsewhere, a line at a time). */
function write(text: string): void {
  const out = stdout();
  if (out) out.write(text);
  else {
    // No stream: print finished lines only, without the redraw characters.
    const line = text.replace(/^[\b\r\n]+/, '').replace(/\n$/, '');
    if (text.endsWith('\n') && line) console.log(line);
  }
}

/**
 * Whether the bar redraws in place. Keras 2 redraws (backspaces and a carriage return) on a
 * terminal and, since it tests `'posix' in sys.modules`, always on Linux and macOS; elsewhere each
 * update is a new line.
 */
function dynamicDisplay(): boolean {
  const out = stdout();
  if (!out) return false;
  const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
  return !!out.isTTY || (platform !== undefined && platform !== 'win32');
}

/** Python's `f"{x:.0f}"`: rounds half to even. */
function round0(x: number): string {
  const r = Math.round(x);
  const half = Math.abs(x - Math.trunc(x)) === 0.5;
  return String(half && r % 2 !== 0 ? r - Math.sign(x) : r);
}

/** Keras 2's Progbar values: `%.4f` above 1e-3 in magnitude, `%.4e` otherwise (0 prints as 0.0000e+00). */
function fmtValue(v: number): string {
  return Math.abs(v) > 1e-3 ? v.toFixed(4) : fmtSci(v);
}

/** Python's `%.4e`: `1.2346e-04`. */
function fmtSci(v: number): string {
  const [m, e] = v.toExponential(4).split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Keras 2's `_format_time`: whole seconds from 1 s (or exactly 0), else ms, else us per unit. */
function formatTime(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${round0(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${round0(seconds * 1000)}ms/${unit}`;
  return ` ${round0(seconds * 1e6)}us/${unit}`;
}

/** Keras 2's ETA: `h:mm:ss` above an hour, `m:ss` above a minute, else whole seconds (truncated). */
function formatEta(eta: number): string {
  const two = (n: number) => String(Math.trunc(n)).padStart(2, '0');
  if (eta > 3600) return `${Math.trunc(eta / 3600)}:${two((eta % 3600) / 60)}:${two(eta % 60)}`;
  if (eta > 60) return `${Math.trunc(eta / 60)}:${two(eta % 60)}`;
  return `${Math.trunc(eta)}s`;
}

/** The options of {@link Progbar}. */
export interface ProgbarOptions {
  /** The total number of steps (null when unknown). */
  target: number | null;
  /** The width of the bar in characters (default 30). */
  width?: number;
  /** 1: a bar redrawn as it fills; 2: one line when finished; 0: nothing (default 1). */
  verbose?: number;
  /** The minimum time between redraws, in seconds (default 0.05). */
  interval?: number;
  /** The names of values shown as given; others are averaged over the steps (default none). */
  statefulMetrics?: readonly string[];
  /** The name of a step in the timings (default 'step'). */
  unitName?: string;
  /** The clock, in seconds (default `performance.now() / 1000`; tests pass their own). */
  now?: () => number;
  /** Where the text goes (default stdout, or the console where there is none). */
  write?: (text: string) => void;
}

/**
 * Keras 2's `utils.Progbar`, character for character: `12/32 [===========>..................] -
 * ETA: 1s - loss: 0.6931` while it fills (redrawn in place, a shorter line padded with spaces),
 * `32/32 [==============================] - 1s 2ms/step - loss: 0.6931` when finished. The ETA
 * leaves out the first step (which includes compiling), as Keras 2's does.
 *
 * @example
 * const bar = new Progbar({ target: 10 });
 * for (let i = 1; i <= 10; i++) bar.update(i, [['loss', 1 / i]]);
 */
export class Progbar {
  target: number | null;
  private readonly width: number;
  private readonly verbose: number;
  private readonly interval: number;
  private readonly unitName: string;
  private stateful: Set<string>;
  private readonly now: () => number;
  private readonly out: (text: string) => void;
  private readonly dynamic: boolean;
  private totalWidth = 0;
  private seenSoFar = 0;
  private readonly values = new Map<string, [number, number]>();
  private readonly start: number;
  private lastUpdate = 0;
  private epochStart: number;
  private epochEnd: number | null = null;
  private afterFirstStep: number | null = null;

  constructor(options: ProgbarOptions) {
    checkOptionsObject(options, ['target', 'width', 'verbose', 'interval', 'statefulMetrics', 'unitName', 'now', 'write'], 'Progbar', '{ target: 100 }');
    this.target = options.target;
    this.width = options.width ?? 30;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.stateful = new Set(options.statefulMetrics ?? []);
    this.now = options.now ?? (() => performance.now() / 1000);
    this.out = options.write ?? write;
    this.dynamic = options.write ? true : dynamicDisplay();
    this.start = this.now();
    this.epochStart = this.start;
  }

  /** Adds names to the values shown as given. */
  setStatefulMetrics(names: Iterable<string>): void {
    this.stateful = new Set([...this.stateful, ...names]);
  }

  /**
   * Shows step `current` with the values of the last step (`[name, value]` pairs); `finalize`
   * (by default: `current` reached the target) ends the line.
   */
  update(current: number, values: readonly (readonly [string, number])[] = [], finalize?: boolean): void {
    const done = finalize ?? (this.target === null ? false : current >= this.target);
    for (const [k, v] of values) {
      if (!this.stateful.has(k)) {
        const base = Math.max(current - this.seenSoFar, 1);
        const acc = this.values.get(k);
        if (acc) (acc[0] += v * base), (acc[1] += base);
        else this.values.set(k, [v * base, base]);
      } else this.values.set(k, [v, 1]);
    }
    this.seenSoFar = current;
    const now = this.now();
    let info = ` - ${round0(now - this.start)}s`;
    if (current === this.target) this.epochEnd = now;
    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !done) return;
      const prevWidth = this.totalWidth;
      let message = this.dynamic ? `${'\b'.repeat(prevWidth)}\r` : '\n';
      let bar: string;
      if (this.target !== null) {
        const digits = Math.floor(Math.log10(this.target)) + 1;
        bar = `${String(current).padStart(digits)}/${this.target} [`;
        const progWidth = Math.trunc((this.width * current) / this.target);
        if (progWidth > 0) bar += '='.repeat(progWidth - 1) + (current < this.target ? '>' : '=');
        bar += '.'.repeat(Math.max(this.width - progWidth, 0)) + ']';
      } else bar = `${String(current).padStart(7)}/Unknown`;
      this.totalWidth = bar.length;
      message += bar;
      const perUnit = this.stepDuration(current, now);
      if (this.target === null || done) info += formatTime(perUnit, this.unitName);
      else info = ` - ETA: ${formatEta(perUnit * (this.target - current))}`;
      for (const [k, [sum, count]] of this.values) info += ` - ${k}: ${fmtValue(sum / Math.max(1, count))}`;
      this.totalWidth += info.length;
      if (prevWidth > this.totalWidth) info += ' '.repeat(prevWidth - this.totalWidth);
      if (done) info += '\n';
      this.out(message + info);
    } else if (this.verbose === 2 && done) {
      const digits = Math.floor(Math.log10(this.target ?? current)) + 1;
      info = `${String(current).padStart(digits)}/${this.target ?? current}${info}`;
      // Keras 2's verbose-2 line tests `avg > 1e-3` without the absolute value.
      for (const [k, [sum, count]] of this.values) {
        const avg = sum / Math.max(1, count);
        info += ` - ${k}: ${avg > 1e-3 ? avg.toFixed(4) : fmtSci(avg)}`;
      }
      if (this.epochEnd !== null) {
        const perEpoch = this.epochEnd - this.epochStart;
        this.epochStart = now;
        this.epochEnd = null;
        info += ` -${formatTime(perEpoch, 'epoch')} -${formatTime(perEpoch / (this.target ?? current), this.unitName)}\n`;
      }
      this.out(info);
    }
    this.lastUpdate = now;
  }

  /** The time of one step: after step 1, measured from the end of step 1 (its compile time left out). */
  private stepDuration(current: number, now: number): number {
    if (!current) return 0;
    const perUnit = this.afterFirstStep !== null && current > 1 ? (now - this.afterFirstStep) / (current - 1) : (now - this.start) / current;
    if (current === 1) this.afterFirstStep = now;
    return perUnit;
  }
}

/**
 * Keras' progress output, as Keras 2's ProgbarLogger: for `fit`, `Epoch i/n` (more than one
 * epoch) and a {@link Progbar} per epoch; for `evaluate` and `predict` a bar over their steps. The
 * logs are shown as given (they are running means already: Keras 2 marks the model's metrics
 * stateful). verbose 1 redraws the bar; verbose 2 prints one line per epoch.
 */
export class ProgbarLogger extends Callback {
  static readonly className = 'ProgbarLogger';
  readonly verbose: number;
  private epochs = 1;
  private target: number | null = null;
  private seen = 0;
  private bar: Progbar | null = null;
  private inFit = false;

  constructor(args: { verbose?: number } = {}) {
    super();
    checkOptionsObject(args, ['verbose'], 'ProgbarLogger', '{ verbose: 1 }');
    this.verbose = args?.verbose ?? 1;
  }

  private reset(): void {
    this.seen = 0;
    this.target = (this.params.steps as number | null | undefined) ?? null;
    this.bar = new Progbar({ target: this.target, verbose: this.verbose, unitName: 'step' });
  }

  private batchUpdate(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    if (this.verbose === 1) this.bar?.update(this.seen, asStateful(this.bar, logs), false);
  }

  private finalize(logs: Logs): void {
    if (!this.bar) return;
    if (this.target === null) {
      this.target = this.seen;
      this.bar.target = this.seen;
    }
    this.bar.update(this.target, asStateful(this.bar, logs), true);
  }

  override async onTrainBegin(): Promise<void> {
    this.epochs = (this.params.epochs as number) ?? 1;
    this.inFit = true;
  }

  override async onTrainEnd(): Promise<void> {
    this.inFit = false;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.reset();
    // Keras 2 prints the epoch line when verbose and there is more than one epoch.
    if (this.verbose && this.epochs > 1) write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    this.batchUpdate(batch, logs);
  }

  override async onEpochEnd(_epoch: number, logs: Logs = {}): Promise<void> {
    this.finalize(logs);
  }

  override async onTestBegin(): Promise<void> {
    if (!this.inFit) this.reset();
  }

  override async onTestBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (!this.inFit) this.batchUpdate(batch, logs);
  }

  override async onTestEnd(logs: Logs = {}): Promise<void> {
    if (!this.inFit) this.finalize(logs);
  }

  override async onPredictBegin(): Promise<void> {
    this.reset();
  }

  override async onPredictBatchEnd(batch: number): Promise<void> {
    this.batchUpdate(batch, {});
  }

  override async onPredictEnd(): Promise<void> {
    this.finalize({});
  }
}

/** The logs as the bar's values, each marked stateful (shown as given). */
function asStateful(bar: Progbar, logs: Logs): [string, number][] {
  const entries = Object.entries(logs);
  bar.setStatefulMetrics(entries.map(([k]) => k));
  return entries;
}
