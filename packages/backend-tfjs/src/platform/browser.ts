/**
 * The browser side of the package's `#platform` import: no default location for tfjs' .wasm
 * files (tfjs then loads them beside the page's script); pass `wasmPaths` to createTfjsBackend to
 * serve them from elsewhere. Nothing here imports a Node built-in.
 */

/** No default: tfjs' own lookup applies. */
export function defaultWasmPaths(): string | undefined {
  return undefined;
}
