import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

// A backend author's project, outside this repository: backend modules written there, run
// through the CLI as `npx keras-ts-conformance --backend ...` would, must give the same results as
// the built-in ts backend they wrap. They run in-process through main(), except the installed
// package: vitest hands files under node_modules to Node itself, which cannot load backend-ts'
// TypeScript sources, so that one runs as `pnpm conformance` does (tsx, INIT_CWD).

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(ROOT, '..');
const GOLDENS = join(ROOT, 'goldens', 'keras-3.16.0-torch');

let project: string;
beforeAll(() => {
  project = realpathSync(mkdtempSync(join(tmpdir(), 'keras-ts-backend-author-')));
  expect(relative(REPO, project).startsWith('..')).toBe(true); // really outside the repository

  // As `npm install -D @keras-ts/backend-ts` leaves it.
  mkdirSync(join(project, 'node_modules', '@keras-ts'), { recursive: true });
  symlinkSync(join(REPO, 'packages', 'backend-ts'), join(project, 'node_modules', '@keras-ts', 'backend-ts'), 'dir');

  // 1. A module importing backend-ts by absolute path, giving a factory as its default export.
  const tsEntry = pathToFileURL(join(REPO, 'packages', 'backend-ts', 'src', 'index.ts')).href;
  writeFileSync(
    join(project, 'by-path.mjs'),
    `import { createTsBackend } from ${JSON.stringify(tsEntry)};
export default function () {
  const ts = createTsBackend();
  return { name: 'external-by-path', capabilities: ts.capabilities, compile: (graph) => ts.compile(graph) };
}
`,
  );
  // 2. An ESM-only package (exports: types and import only), importing backend-ts by name, giving `backend`.
  const pkg = join(project, 'node_modules', 'my-esm-backend');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'my-esm-backend', version: '1.0.0', type: 'module', exports: { '.': { types: './index.d.ts', import: './index.mjs' } } }));
  writeFileSync(
    join(pkg, 'index.mjs'),
    `import { createTsBackend } from '@keras-ts/backend-ts';
const ts = createTsBackend();
export const backend = { name: 'external-esm-package', capabilities: ts.capabilities, compile: (graph) => ts.compile(graph) };
`,
  );
  // 3. The template, copied as the README says.
  copyFileSync(join(ROOT, 'template', 'my-backend.mjs'), join(project, 'my-backend.mjs'));

  // A case of the author's own that must fail (a perturbed golden), and a skip list.
  const relu = JSON.parse(readFileSync(join(GOLDENS, 'activations', 'relu.json'), 'utf8'));
  relu.id = 'external/relu_off';
  relu.outputs[0].data[13] = 0.5009765625;
  mkdirSync(join(project, 'cases'), { recursive: true });
  writeFileSync(join(project, 'cases', 'relu_off.json'), JSON.stringify(relu));
  writeFileSync(join(project, 'skips.json'), JSON.stringify([{ id: 'layers/Dense/act_relu', reason: 'skipped to see a skip counted' }]));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/**
 * Runs the CLI from the author's project (in-process, or as a process); returns the exit code,
 * the output lines (trimmed) and each case's status.
 */
async function run(backend: string, inProcess = true): Promise<{ code: number; last: string | undefined; out: string[]; err: string[]; statuses: Record<string, string> }> {
  let out: string[] = [];
  let err: string[] = [];
  const json = join(project, `${backend.replace(/\W/g, '_')}.json`);
  const args = ['--backend', backend, '--cases', GOLDENS, '--cases', 'cases', '--filter', 'activations/relu', '--filter', 'layers/Dense/act_relu', '--filter', 'training/mlp_adam_cce', '--filter', 'external/**', '--skips', 'skips.json', '--json', json];
  let code: number;
  if (inProcess) code = await main(args, { cwd: project, out: (s) => out.push(s.trim()), err: (s) => err.push(s.trim()) });
  else {
    const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
    const p = spawnSync(tsx, ['--conditions=keras-ts-source', join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: project } });
    code = p.status ?? -1;
    out = p.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    err = p.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  }
  const statuses: Record<string, string> = {};
  if (code !== 2) for (const r of JSON.parse(readFileSync(json, 'utf8')).results) statuses[r.id] = r.status;
  return { code, last: out.at(-1), out, err, statuses };
}

describe('a backend module outside the repository', () => {
  let reference: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    reference = await run('ts');
  });

  it('the built-in ts backend gives passes, a failure and a skip on these cases', () => {
    expect(reference.code).toBe(1);
    expect(reference.last).toBe('4 passed, 1 failed, 1 skipped');
    expect(reference.statuses).toMatchObject({ 'external/relu_off': 'fail', 'layers/Dense/act_relu': 'skip', 'training/mlp_adam_cce': 'pass', 'activations/relu': 'pass' });
  });

  for (const [what, spec, name, inProcess] of [
    ['a path, importing backend-ts by absolute path (default export: a factory)', './by-path.mjs', 'external-by-path', true],
    ['the template, copied (createBackend(), its own relu kernel)', './my-backend.mjs', 'my-backend', true],
    ['an ESM-only package by name (exports: types and import; importing backend-ts by name)', 'my-esm-backend', 'external-esm-package', false],
  ] as const) {
    it(`runs ${what} with the same results as ts`, async () => {
      const r = await run(spec, inProcess);
      expect(r.err).toEqual([]);
      expect(r.out).toContain(`backend ${name} (skip list: ${join(project, 'skips.json')}, 1 entries)`);
      expect(r.code).toBe(reference.code);
      expect(r.last).toBe(reference.last);
      expect(r.statuses).toEqual(reference.statuses);
    });
  }

  it('runs the template\'s own kernel: a wrong relu in a copy fails activations/relu', async () => {
    const text = readFileSync(join(ROOT, 'template', 'my-backend.mjs'), 'utf8');
    const right = 'relu: (x) => (x > 0 || x !== x ? x : 0),';
    expect(text).toContain(right);
    writeFileSync(join(project, 'wrong-relu.mjs'), text.replace(right, 'relu: (x) => x,'));
    const out: string[] = [];
    const code = await main(['--backend', './wrong-relu.mjs', '--filter', 'activations/relu'], { cwd: project, out: (s) => out.push(s.trim()), err: () => {} });
    expect(code).toBe(1);
    expect(out).toContain('FAIL activations/relu: output: element 0 is -6, expected 0 (|diff| 6.000e+0 > atol 0.000001 + rtol 0.00001 * |expected|)');
    expect(out.at(-1)).toBe('1 passed, 1 failed, 0 skipped'); // relu6 goes to backend-ts
  });

  it("gets no skip list of the project's backends unless it shares a name (none given here)", async () => {
    const out: string[] = [];
    const code = await main(['--backend', './my-backend.mjs', '--filter', 'activations/relu'], { cwd: project, out: (s) => out.push(s.trim()), err: () => {} });
    expect(code).toBe(0);
    expect(out).toContain('backend my-backend (skip list: none)');
    expect(out.at(-1)).toBe('2 passed, 0 failed, 0 skipped');
  });

  it('reports a module that cannot be imported, or exports no backend, as a loading error (exit 2)', async () => {
    writeFileSync(join(project, 'nothing.mjs'), 'export const x = 1;\n');
    const a = await run('./nothing.mjs');
    expect(a.code).toBe(2);
    expect(a.err[0]).toMatch(/exports no backend: give a default export/);
    const b = await run('./missing.mjs');
    expect(b.code).toBe(2);
    expect(b.err[0]).toMatch(/^cannot import backend module .*missing\.mjs/);
  });
});
