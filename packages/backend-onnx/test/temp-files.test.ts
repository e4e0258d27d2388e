/**
 * Loading backend-onnx leaves nothing in the temporary folder: onnxruntime's telemetry (a `.ses`
 * session file and a `mat-debug-<pid>.log` on Linux) is off unless the user turned it on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');

const SCRIPT = `
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { trace, ops } from '@keras-ts/spec';
const exe = createOnnxBackend().compile(trace((x) => ops.relu(x), [{ shape: [3], dtype: 'float32' }]));
const [y] = await exe.run([{ shape: [3], dtype: 'float32', data: new Float32Array([-1, 0, 2]) }]);
console.log(JSON.stringify(Array.from(y.data)));
`;

it('a process that runs a graph on onnxruntime leaves no file in the temporary folder', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'keras-ts-ort-tmp-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
    delete env.ORT_DISABLE_TELEMETRY;
    const dist = process.env.KERAS_TS_DIST === '1';
    const args = dist ? ['--input-type=module', '-e', SCRIPT] : ['--conditions=keras-ts-source', '--import', 'tsx', '--input-type=module', '-e', SCRIPT];
    const out = execFileSync(process.execPath, args, { cwd: PKG, env, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([0, 0, 2]);
    // tsx keeps its own cache folder there; onnxruntime must add nothing.
    expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
