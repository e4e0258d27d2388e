/**
 * What keras-ts costs a web page: an entry is bundled with esbuild for the browser (no externals,
 * minified, ES2022) and measured from esbuild's metafile: the minified and gzipped sizes, and the
 * bytes each package and module contributes. Used by `pnpm bench:bundle` (main.ts) and by the test
 * that checks that importing Dense and Sequential does not pull in every layer
 * (integration/bundle/tree-shaking.test.ts).
 */
import { gzipSync } from 'node:zlib';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..', '..');

/** An entry to measure: a name and the module's source (it imports the packages by name). */
export interface BundleEntry {
  readonly name: string;
  readonly what: string;
  readonly source: string;
}

/** The entries `pnpm bench:bundle` reports. */
export const ENTRIES: readonly BundleEntry[] = [
  {
    name: 'keras + backend-ts (everything)',
    what: 'every export of @keras-ts/keras and @keras-ts/backend-ts',
    source: "export * from '@keras-ts/keras';\nexport * from '@keras-ts/backend-ts';\n",
  },
  {
    name: 'Dense + Sequential on backend-ts',
    what: 'a page that builds, trains and runs an MLP: Sequential, Dense, tensor, setBackend, createTsBackend',
    source: [
      "import { Dense, Sequential, setBackend, tensor } from '@keras-ts/keras';",
      "import { createTsBackend } from '@keras-ts/backend-ts';",
      'setBackend(createTsBackend());',
      "const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [4] }), new Dense({ units: 1 })]);",
      "model.compile({ optimizer: 'adam', loss: 'mse' });",
      'const x = tensor([[1, 2, 3, 4]]);',
      'await model.fit(x, tensor([[1]]), { epochs: 1, verbose: 0 });',
      'console.log(await model.predict(x));',
      '',
    ].join('\n'),
  },
  {
    name: 'loadModel + predict on backend-ts',
    what: 'a page that loads a saved model by URL and runs it: loadModel, setBackend, tensor, createTsBackend (every layer is kept: a file may name any)',
    source: [
      "import { loadModel, setBackend, tensor } from '@keras-ts/keras';",
      "import { createTsBackend } from '@keras-ts/backend-ts';",
      'setBackend(createTsBackend());',
      "const model = await loadModel('/model.keras');",
      'console.log(await model.predict(tensor([[1, 2, 3, 4]])));',
      '',
    ].join('\n'),
  },
];

/** A bundle's measurements. */
export interface BundleSize {
  readonly name: string;
  /** Every chunk, minified. */
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /**
   * What the page loads before it runs: the entry chunk and the chunks it imports statically.
   * The rest is code behind `import()` (h5wasm, the saving formats), fetched when first used.
   */
  readonly initialBytes: number;
  readonly initialGzipBytes: number;
  /** Bytes in the minified output by package (workspace package folder, or npm package name). */
  readonly byPackage: Record<string, number>;
  /** Every module in the bundle, as a path from the repository root (node_modules trimmed). */
  readonly modules: readonly string[];
}

/** The package a module belongs to, from its path in the repository. */
function packageOf(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const parts = path.split('/');
  return parts[0] === 'packages' ? `@keras-ts/${parts[1]}` : parts[0] === 'spec' ? '@keras-ts/spec' : parts[0];
}

/** The esbuild options of a page's bundle (platform browser, no externals, minified, ES2022). */
const PAGE = {
  bundle: true,
  platform: 'browser' as const,
  format: 'esm' as const,
  target: 'es2022',
  minify: true,
  conditions: ['keras-ts-source'],
  write: false as const,
  logLevel: 'error' as const,
};

/**
 * `source` bundled into one ES module (dynamic imports inlined), for running: a test imports it
 * from a file to check that what the bundler kept still works.
 */
export async function bundleForRun(source: string): Promise<string> {
  const result = await build({ ...PAGE, stdin: { contents: source, resolveDir: here, loader: 'ts', sourcefile: 'entry.ts' }, outfile: 'bundle.js' });
  return result.outputFiles[0].text;
}

/**
 * Bundles `entry` as a page would (esbuild, platform browser, no externals, minified, code behind
 * `import()` split into chunks as Vite, Rollup and webpack do by default) and measures it. The
 * workspace packages resolve to their sources (the `keras-ts-source` condition); the published
 * `dist/` is the same code compiled by tsc.
 */
export async function measureBundle(entry: BundleEntry): Promise<BundleSize> {
  const result = await build({
    ...PAGE,
    stdin: { contents: entry.source, resolveDir: here, loader: 'ts', sourcefile: 'entry.ts' },
    splitting: true,
    outdir: join(here, 'out'),
    metafile: true,
  });
  const outputs = result.metafile.outputs;
  const bytes = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path).split(sep).join('/'), f.contents]));
  const entryChunk = Object.keys(outputs).find((o) => outputs[o].entryPoint !== undefined && o.endsWith('.js'))!;
  const initial = new Set<string>();
  for (const stack = [entryChunk]; stack.length; ) {
    const o = stack.pop()!;
    if (initial.has(o)) continue;
    initial.add(o);
    for (const i of outputs[o].imports) if (i.kind === 'import-statement' && outputs[i.path]) stack.push(i.path);
  }
  const byPackage: Record<string, number> = {};
  const modules = new Set<string>();
  let minifiedBytes = 0;
  let gzipBytes = 0;
  let initialBytes = 0;
  let initialGzipBytes = 0;
  for (const [o, meta] of Object.entries(outputs)) {
    if (!o.endsWith('.js')) continue;
    const code = bytes.get(o)!;
    const gz = gzipSync(code, { level: 9 }).length;
    minifiedBytes += code.length;
    gzipBytes += gz;
    if (initial.has(o)) (initialBytes += code.length), (initialGzipBytes += gz);
    for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
      const path = relative(ROOT, join(process.cwd(), input)).split(sep).join('/');
      modules.add(path);
      const p = packageOf(path);
      byPackage[p] = (byPackage[p] ?? 0) + bytesInOutput;
    }
  }
  return { name: entry.name, minifiedBytes, gzipBytes, initialBytes, initialGzipBytes, byPackage, modules: [...modules].sort() };
}
