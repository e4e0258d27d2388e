/**
 * The CLI's side of the limits: `--limit NAME=VALUE` on every command (checked names and values,
 * in force for that command only), `input-bytes` for `predict --input`, refusals that say how to
 * raise the limit; and no file left in the temporary folder by any command, on any backend,
 * whether it succeeds or fails (run as child processes with their own TMPDIR, so that what native
 * code such as onnxruntime writes there is seen too).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, getLimits } from '@keras-ts/keras';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = join(here, '..', '..', '..');
const GOLDENS = join(REPO, 'conformance', 'goldens', 'keras-3.16.0-torch');
const FILES = join(GOLDENS, 'files');
const MLP = join(FILES, 'mlp_adam_cce.keras');

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-ts-cli-limits-'));
  const mlp = JSON.parse(readFileSync(join(GOLDENS, 'training', 'mlp_adam_cce.json'), 'utf8')) as { x: unknown };
  writeFileSync(join(dir, 'x.json'), JSON.stringify(mlp.x));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--limit', () => {
  it('keras-ts --help lists every limit with its default', async () => {
    const r = await run(dir, '--help');
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    for (const name of ['file-bytes', 'decompressed-bytes', 'compression-ratio', 'config-bytes', 'config-depth', 'layers', 'nodes', 'weight-bytes', 'shards', 'unroll-steps', 'tensor-elements', 'hdf5-ms', 'input-bytes']) {
      expect(text).toMatch(new RegExp(`\\n  ${name} +default \\S+`));
    }
    expect(text).toContain('layers               default 10,000');
    expect(text).toContain('input-bytes          default 256 MiB');
    for (const cmd of ['summary', 'predict', 'convert']) expect((await run(dir, cmd, '--help')).out.join('\n')).toContain('--limit NAME=V');
  });

  it('a file over a limit is refused naming the limit and the flag that raises it; the flag raises it', async () => {
    const r = await run(dir, 'summary', MLP, '--limit', 'layers=1');
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^keras-ts summary: .*mlp_adam_cce\.keras: the model config declares 3 layers, over the limit maxLayers = 1; .*--limit layers=3 on the command line$/);
    // The limit holds for that command only.
    expect(getLimits()).toEqual(DEFAULT_LIMITS);
    expect((await run(dir, 'summary', '--limit=layers=3', MLP)).code).toBe(0);
    const small = await run(dir, 'predict', MLP, '--input', 'x.json', '--limit', 'decompressed-bytes=1K');
    expect(small.code).toBe(1);
    expect(small.err[0]).toMatch(/over the limit maxDecompressedBytes = 1024 bytes; .*--limit decompressed-bytes=\d+/);
    expect((await run(dir, 'predict', MLP, '--input', 'x.json', '--limit', 'decompressed-bytes=1M', '--limit', 'tensor-elements=inf')).code).toBe(0);
  });

  it('unknown names and bad values are usage errors (exit 2)', async () => {
    const bad: [string[], RegExp][] = [
      [['--limit', 'layerz=3'], /--limit: unknown limit 'layerz' \(one of file-bytes, decompressed-bytes, compression-ratio, config-bytes, .*, hdf5-ms, input-bytes\)/],
      [['--limit', 'layers=abc'], /--limit layers: 'abc' is not a positive integer, or 'inf'/],
      [['--limit', 'layers=2K'], /--limit layers: '2K' is not a positive integer, or 'inf'/],
      [['--limit', 'config-bytes=0'], /--limit config-bytes: '0' must be a positive integer/],
      [['--limit', 'layers'], /--limit needs NAME=VALUE, got 'layers'/],
      [['--limit'], /--limit needs NAME=VALUE/],
    ];
    for (const [args, message] of bad) {
      const r = await run(dir, 'summary', MLP, ...args);
      expect(r.code).toBe(2);
      expect(r.err.join('\n')).toMatch(message);
    }
  });

  it('predict --input larger than input-bytes is refused before it is read', async () => {
    const r = await run(dir, 'predict', MLP, '--input', 'x.json', '--limit', 'input-bytes=100');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/x\.json: \d+ bytes of input, over the limit input-bytes = 100 bytes; if the inputs really are this large, raise it with --limit input-bytes=\d+/);
    // A 2 GiB file (sparse: nothing written) is refused by the default at once.
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    const { truncateSync } = await import('node:fs');
    truncateSync(big, 2 ** 31);
    const t0 = performance.now();
    const huge = await run(dir, 'predict', MLP, '--input', big);
    expect(huge.code).toBe(1);
    expect(huge.err[0]).toContain(`${big}: 2147483648 bytes of input, over the limit input-bytes = 268435456 bytes`);
    expect(performance.now() - t0).toBeLessThan(5000);
    // Raised past what one JavaScript string holds: refused with the reason, not 'Invalid string length'.
    const raised = await run(dir, 'predict', MLP, '--input', big, '--limit', 'input-bytes=inf');
    expect(raised.code).toBe(1);
    expect(raised.err[0]).toContain("more than one JSON text can hold here (536870888 characters, JavaScript's longest string)");
    rmSync(big);
  });
});

describe('values an input cannot hold', () => {
  it('a float value outside int32 given to an int32 input is refused, not wrapped to 0', async () => {
    const { Embedding, Input, Model, saveModel } = await import('@keras-ts/keras');
    const x = Input({ shape: [2], dtype: 'int32', name: 'ids' });
    const model = new Model({ inputs: x, outputs: new Embedding({ inputDim: 10, outputDim: 3 }).apply(x) });
    await saveModel(model, join(dir, 'embed.keras'));
    for (const [value, shown] of [[2 ** 40, '1099511627776'], ['NaN', 'NaN'], [-(2 ** 32), '-4294967296']] as const) {
      writeFileSync(join(dir, 'ids.json'), JSON.stringify({ shape: [1, 2], dtype: 'float32', data: [1, value] }));
      const r = await run(dir, 'predict', 'embed.keras', '--input', 'ids.json');
      expect(r.code).toBe(1);
      expect(r.err[0]).toContain(`ids.json: input 'ids': data[1] is ${shown}, which the int32 input cannot hold`);
    }
    writeFileSync(join(dir, 'ids.json'), JSON.stringify({ shape: [1, 2], dtype: 'float32', data: [1, 9] }));
    expect((await run(dir, 'predict', 'embed.keras', '--input', 'ids.json')).code).toBe(0);
  });
});

describe('nothing is left in the temporary folder', () => {
  /** Runs the CLI in a child process whose TMPDIR is a fresh folder; returns the exit code and what the folder holds after. */
  function inChild(args: string[]): { code: number | null; left: string[]; stderr: string } {
    const tmp = mkdtempSync(join(tmpdir(), 'keras-ts-cli-tmp-'));
    try {
      const r = spawnSync(process.execPath, ['--conditions=keras-ts-source', '--import', 'tsx', join(REPO, 'packages/cli/src/main.ts'), ...args], {
        cwd: REPO, // where tsx resolves; relative paths resolve against INIT_CWD
        env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, INIT_CWD: dir },
        encoding: 'utf8',
        timeout: 120_000,
      });
      // tsx (which runs the sources here) keeps its compile cache in tsx-<uid>: not the CLI's.
      return { code: r.status, left: readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f)), stderr: r.stderr };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  const commands: [string, string[], number][] = [
    ['summary', ['summary', MLP], 0],
    ['predict on ts', ['predict', MLP, '--input', 'x.json'], 0],
    ['predict on tfjs', ['predict', MLP, '--input', 'x.json', '--backend', 'tfjs'], 0],
    ['predict on tfjs-wasm', ['predict', MLP, '--input', 'x.json', '--backend', 'tfjs-wasm'], 0],
    ['predict on onnx', ['predict', MLP, '--input', 'x.json', '--backend', 'onnx'], 0],
    ['convert to .onnx', ['convert', MLP, 'out.onnx'], 0],
    ['a failed predict (input of the wrong shape) on onnx', ['predict', join(FILES, 'cnn_sgd_scce.keras'), '--input', 'x.json', '--backend', 'onnx'], 1],
    ['a refused file', ['summary', MLP, '--limit', 'layers=1'], 1],
  ];
  for (const [title, args, code] of commands) {
    it(title, () => {
      const r = inChild(args);
      expect(r.code, r.stderr).toBe(code);
      expect(r.left).toEqual([]);
    }, 150_000);
  }
});
