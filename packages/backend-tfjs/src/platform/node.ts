/**
 * Where tfjs' wasm backend finds its .wasm files on Node: the installed
 * @tensorflow/tfjs-backend-wasm's dist/ folder. Chosen by the package's `#platform` import under
 * the `node` condition; platform/browser.ts is the other side.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The folder (with a trailing slash) holding tfjs-backend-wasm's .wasm files. */
export function defaultWasmPaths(): string | undefined {
  const require = createRequire(import.meta.url);
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}
