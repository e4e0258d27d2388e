import { nodeModules } from '#platform';
import { tfRecord } from './crc32c.js';
import { eventProto, type EventFields } from './event-proto.js';

let fileCounter = 0;

/**
 * Writes TensorFlow event files as `tf.summary.create_file_writer` does (Node only): a file
 * `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2` in `dir` (created when missing) that starts
 * with the `brain.Event:2` version event, then one TFRecord per event. Events are kept in memory
 * until {@link flush} appends them to the file.
 *
 * @example
 * const w = new EventFileWriter('logs/train');
 * w.add({ wallTime: Date.now() / 1000, step: 0, summary: [...] });
 * await w.flush();
 */
export class EventFileWriter {
  private pending: Uint8Array[] = [];
  private file: string | null = null;

  constructor(readonly dir: string) {
    this.add({ wallTime: Date.now() / 1000, fileVersion: 'brain.Event:2', writer: 'keras-ts' });
  }

  /** Queues one event. */
  add(fields: EventFields): void {
    this.pending.push(tfRecord(eventProto(fields)));
  }

  /** The file's path, once the first flush has made it. */
  get path(): string | null {
    return this.file;
  }

  /** Appends the queued events to the file (making the directory and the file on the first call). */
  async flush(): Promise<void> {
    const { fs, path, os } = await nodeModules();
    if (this.file === null) {
      await fs.mkdir(this.dir, { recursive: true });
      const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
      this.file = path.join(this.dir, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${os.hostname()}.${pid}.${fileCounter++}.v2`);
      await fs.writeFile(this.file, new Uint8Array(0));
    }
    if (this.pending.length === 0) return;
    const size = this.pending.reduce((n, b) => n + b.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const b of this.pending) {
      all.set(b, at);
      at += b.length;
    }
    this.pending = [];
    await fs.appendFile(this.file, all);
  }
}
