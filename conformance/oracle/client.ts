/**
 * The client of the live oracle (oracle.py): real Keras in a Python child process, asked over
 * JSON lines. Python and Keras are test-time dependencies only: `pnpm oracle:setup` makes the
 * virtual environment (`.venv` at the repository root, or `KERAS_TS_PYTHON` naming an
 * interpreter that has keras, tensorflow and h5py).
 *
 * @example
 * const oracle = await Oracle.start();
 * const { outputs } = await oracle.request('predict', { file: 'model.h5', inputs: [x] });
 * await oracle.close();
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { KerasStateError } from '@keras-ts/spec';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (conformance/oracle/ is two levels below it). */
export const REPO_ROOT = join(here, '..', '..');
const SCRIPT = join(here, 'oracle.py');

/** A tensor as the oracle speaks it: flat row-major data. */
export interface OracleTensor {
  shape: number[];
  dtype?: string;
  data: number[];
}

/** The Python interpreter the oracle runs with: KERAS_TS_PYTHON, else the repository's .venv. */
export function oraclePython(): string {
  return process.env.KERAS_TS_PYTHON ?? join(REPO_ROOT, '.venv', 'bin', 'python');
}

/**
 * Why the oracle cannot run here, or null when it can: no interpreter, or one without Keras.
 * The message says how to set it up.
 */
export function oracleUnavailable(): string | null {
  const python = oraclePython();
  if (!existsSync(python)) return `the live oracle needs Python with Keras: ${python} does not exist (run \`pnpm oracle:setup\`, or set KERAS_TS_PYTHON)`;
  const r = spawnSync(python, ['-c', 'import keras, h5py, tensorflow'], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  if (r.status !== 0) return `the live oracle needs Keras, TensorFlow and h5py in ${python} (run \`pnpm oracle:setup\`): ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
  return null;
}

/** An error that real Keras raised (its exception class and message). */
export class OracleError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly trace?: string,
  ) {
    super(`Keras ${type}: ${message}`);
  }
}

type Pending = { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void };

/** One running oracle process. Requests are answered in order. */
export class Oracle {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private stderr = '';

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // a library printing to stdout; not an answer
      }
      const p = this.pending.get(msg.id as number);
      if (!p) return;
      this.pending.delete(msg.id as number);
      if (typeof msg.error === 'string') p.reject(new OracleError(String(msg.type), msg.error, msg.trace as string | undefined));
      else p.resolve(msg);
    });
    proc.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    proc.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new KerasStateError(`the oracle exited (${code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`));
      this.pending.clear();
    });
  }

  /** Starts the oracle; fails with {@link oracleUnavailable}'s reason when it cannot run. */
  static async start(): Promise<Oracle> {
    const why = oracleUnavailable();
    if (why) throw new KerasStateError(why);
    const proc = spawn(oraclePython(), [SCRIPT], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', PYTHONUNBUFFERED: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const oracle = new Oracle(proc);
    await oracle.request('hello', {});
    return oracle;
  }

  /** Sends one request and waits for its answer (an {@link OracleError} when Keras raised). */
  request<T = Record<string, unknown>>(cmd: string, args: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: Record<string, unknown>) => void, reject });
      this.proc.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  /** Kills the process (a request that never came back); pending requests fail. */
  kill(): void {
    this.proc.kill('SIGKILL');
  }

  /** Ends the process. */
  async close(): Promise<void> {
    this.proc.stdin.end();
    await new Promise<void>((r) => {
      if (this.proc.exitCode !== null) r();
      else this.proc.on('exit', () => r());
    });
  }
}
