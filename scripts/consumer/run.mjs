#!/usr/bin/env node
/**
 * The consumer test: keras-ts as the people it is for get it. Packs every package with pnpm,
 * checks each tarball with publint and arethetypeswrong, makes an app *outside* the workspace,
 * installs the tarballs there with plain npm, and with plain node (no tsx, no loader):
 *
 *  1. runs the README's first model as the README says (its printed predictions must be right);
 *  2. builds, trains, saves (.keras, .h5, TF.js), reloads and predicts a model on backend-ts and
 *     on backend-onnx, and loads a file trained by real Keras (its predictions must be Keras');
 *  3. runs `npx keras-ts summary` and `npx keras-ts predict` on that file;
 *  4. runs `npx keras-ts-conformance` on the published backends and on a third-party backend
 *     written in the app (the template the conformance package ships), which must get the same
 *     report as the built-in backend it wraps, with a JUnit file;
 *  5. typechecks a TypeScript consumer with module/moduleResolution nodenext and with bundler.
 *
 * Every step checks its output, not just its exit code. `node scripts/consumer/run.mjs
 * [--no-build] [--keep]`; the app folder is removed at the end unless --keep.
 */
import { AssertionError } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PACKAGES = ['spec', 'packages/backend-ts', 'packages/keras', 'packages/backend-tfjs', 'packages/backend-onnx', 'packages/cli', 'conformance'];
const GOLDEN_FILES = join(root, 'conformance', 'goldens', 'keras-3.16.0-torch');
const args = new Set(process.argv.slice(2));
// onnxruntime-node's install script downloads GPU providers; its CPU binaries ship in the package.
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
delete env.INIT_CWD;
delete env.NODE_OPTIONS;

let failures = 0;
let passes = 0;
function step(name, fn) {
  const t0 = Date.now();
  try {
    fn();
    passes++;
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
/** A step's output is not what it must be. */
function check(cond, message) {
  if (!cond) throw new AssertionError({ message });
}
/** A command a step runs exited with another status than it must. */
class CommandFailed extends Error {
  name = 'CommandFailed';
}
function run(cmd, argv, cwd, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== (opts.expectStatus ?? 0)) {
    throw new CommandFailed(`${cmd} ${argv.join(' ')} exited ${r.status}${r.signal ? ` (${r.signal})` : ''}:\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  }
  return r;
}
const close = (a, b, tol) => Math.abs(a - b) <= tol;

// ---- build and pack --------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'keras-ts-consumer-'));
const packs = join(work, 'packs');
const app = join(work, 'app');
mkdirSync(packs);
mkdirSync(app);
if (!args.has('--no-build')) step('build every package (scripts/build.mjs)', () => run(process.execPath, [join(root, 'scripts', 'build.mjs')], root));
const tarballs = {};
step('pnpm pack every package', () => {
  for (const dir of PACKAGES) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    run('pnpm', ['pack', '--pack-destination', packs], join(root, dir));
    const file = readdirSync(packs).find((f) => f === `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`);
    check(file, `no tarball for ${pkg.name}`);
    tarballs[pkg.name] = join(packs, file);
  }
});
step('publint and arethetypeswrong report nothing for any package', () => {
  for (const [name, tgz] of Object.entries(tarballs)) {
    const dir = join(root, PACKAGES.find((d) => JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).name === name));
    const lint = run(process.execPath, [join(root, 'node_modules', 'publint', 'src', 'cli.js'), '--strict'], dir);
    check(/All good!/.test(lint.stdout), `publint on ${name}:\n${lint.stdout}${lint.stderr}`);
    // attw exits 1 on any problem; the esm-only profile ignores CommonJS and node10 resolution.
    run(join(root, 'node_modules', '.bin', 'attw'), [tgz, '--profile', 'esm-only'], packs);
  }
});

// ---- the app -----------------------------------------------------------------------------------
const deps = Object.fromEntries(Object.entries(tarballs).map(([n, f]) => [n, `file:${f}`]));
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'consumer-app', private: true, type: 'module', dependencies: deps, devDependencies: { typescript: '5.9.3', vitest: '4.1.12', '@types/node': '^20.19.0' }, overrides: deps }, null, 2),
);
for (const f of readdirSync(join(here, 'app'))) copyFileSync(join(here, 'app', f), join(app, f));
copyFileSync(join(GOLDEN_FILES, 'files', 'mlp_adam_cce.keras'), join(app, 'mlp_adam_cce.keras'));
copyFileSync(join(GOLDEN_FILES, 'training', 'mlp_adam_cce.json'), join(app, 'mlp_adam_cce.json'));
step('npm install the tarballs in an app outside the workspace', () => {
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
});

step("the README's first model prints right answers", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A first model'));
  const code = section.match(/```js\n([\s\S]*?)```/)?.[1];
  check(code, "README.md has no ```js block under '## A first model'");
  writeFileSync(join(app, 'first-model.mjs'), code);
  const out = run(process.execPath, ['first-model.mjs'], app).stdout;
  // The README prints the four predictions, rounded, on the last line.
  const last = out.trim().split('\n').at(-1);
  const nums = (last.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  check(nums.length === 4, `expected four predictions on the last line, got: ${last}`);
  check(nums[0] < 0.2 && nums[1] > 0.8 && nums[2] > 0.8 && nums[3] < 0.2, `XOR is wrong: ${last}`);
  check(/Total params/.test(out), `summary() did not print: ${out.slice(0, 500)}`);
});

for (const backend of ['ts', 'onnx']) {
  step(`train, save (.keras, .h5, TF.js), reload and predict on backend-${backend}; load a real Keras file`, () => {
    const out = run(process.execPath, ['train-save-load.mjs', backend], app).stdout.trim().split('\n').at(-1);
    const r = JSON.parse(out);
    check(r.loss[1] < r.loss[0] / 4, `loss did not fall: ${r.loss}`);
    const [a, b, c, d] = r.trained;
    check(a < 0.2 && b > 0.8 && c > 0.8 && d < 0.2, `XOR is wrong after training: ${r.trained}`);
    for (const [file, p] of Object.entries(r.reloaded)) check(p.every((v, i) => close(v, r.trained[i], 1e-6)), `${file} reloaded predicts ${p}, not ${r.trained}`);
    check(r.realKeras.maxDiff < 1e-5, `the real Keras file predicts ${r.realKeras.maxDiff} away from Keras`);
  });
}

step('npx keras-ts summary and predict on a real Keras file', () => {
  const summary = run('npx', ['keras-ts', 'summary', 'mlp_adam_cce.keras'], app).stdout;
  check(/Total params: 67/.test(summary) && /dense/.test(summary), `unexpected summary:\n${summary}`);
  const golden = JSON.parse(readFileSync(join(app, 'mlp_adam_cce.json'), 'utf8'));
  writeFileSync(join(app, 'x.json'), JSON.stringify(golden.x));
  for (const backend of ['ts', 'onnx']) {
    run('npx', ['keras-ts', 'predict', 'mlp_adam_cce.keras', '--input', 'x.json', '--output', `y-${backend}.json`, '--backend', backend], app);
    const y = JSON.parse(readFileSync(join(app, `y-${backend}.json`), 'utf8'));
    check(JSON.stringify(y.shape) === JSON.stringify(golden.predict_after.shape), `predict gave shape ${y.shape}`);
    check(y.data.every((v, i) => close(v, golden.predict_after.data[i], 1e-5)), `keras-ts predict --backend ${backend} differs from Keras`);
  }
});

/** The last line of a conformance run: "N passed, N failed, N skipped". */
function counts(out) {
  const m = out.trim().split('\n').at(-1).match(/^(\d+) passed, (\d+) failed, (\d+) skipped$/);
  check(m, `no summary line in:\n${out.slice(-1500)}`);
  return { passed: +m[1], failed: +m[2], skipped: +m[3] };
}
step('npx keras-ts-conformance on the published backends and on a backend written in the app', () => {
  const filter = ['--filter', 'layers/Dense', '--filter', 'losses', '--filter', 'training/mlp_adam_cce'];
  const ts = counts(run('npx', ['keras-ts-conformance', '--backend', 'ts', ...filter], app).stdout);
  check(ts.passed > 10 && ts.failed === 0, `backend-ts: ${JSON.stringify(ts)}`);
  const onnx = counts(run('npx', ['keras-ts-conformance', '--backend', 'onnx', ...filter], app).stdout);
  check(onnx.passed > 10 && onnx.failed === 0, `backend-onnx: ${JSON.stringify(onnx)}`);
  // A backend author's module: the template the conformance package ships, copied into the app.
  copyFileSync(join(app, 'node_modules', '@keras-ts', 'conformance', 'template', 'my-backend.mjs'), join(app, 'my-backend.mjs'));
  const mine = run('npx', ['keras-ts-conformance', '--backend', './my-backend.mjs', ...filter, '--junit', 'report.xml'], app);
  const got = counts(mine.stdout);
  check(JSON.stringify(got) === JSON.stringify(ts), `the app's backend got ${JSON.stringify(got)}, backend-ts ${JSON.stringify(ts)}`);
  const xml = readFileSync(join(app, 'report.xml'), 'utf8');
  const cases = (xml.match(/<testcase /g) ?? []).length;
  check(cases === got.passed + got.failed + got.skipped, `report.xml has ${cases} testcases for ${JSON.stringify(got)}`);
});

for (const resolution of ['nodenext', 'bundler']) {
  step(`a TypeScript consumer typechecks with moduleResolution ${resolution}`, () => {
    const module = resolution === 'nodenext' ? 'nodenext' : 'esnext';
    // Our declarations are checked strictly; TensorFlow.js' own do not pass skipLibCheck: false.
    for (const [file, skipLibCheck] of [['consumer.ts', false], ['consumer-tfjs.ts', true]]) {
      const tsconfig = { compilerOptions: { module, moduleResolution: resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck, types: ['node'] }, files: [file] };
      const config = `tsconfig.${resolution}.${file.replace('.ts', '')}.json`;
      writeFileSync(join(app, config), JSON.stringify(tsconfig, null, 2));
      const r = spawnSync(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { cwd: app, env, encoding: 'utf8' });
      const errors = (r.stdout.match(/error TS/g) ?? []).length;
      check(r.status === 0 && errors === 0, `${file}: ${errors} errors:\n${r.stdout.slice(0, 4000)}`);
    }
  });
}

if (!args.has('--keep')) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
console.log(`consumer: ${passes} passed, ${failures} failed`);
process.exitCode = failures ? 1 : 0;
