/**
 * `downloads://name`: hands saved files to the browser's user as downloads (an `<a download>`
 * clicked for each file), as tfjs' browserDownloads does. Browser only.
 */
import { KerasNotImplementedError } from '../errors.js';

interface Anchor {
  href: string;
  download: string;
  click(): void;
}

/** Triggers one download per file; a clear error where there is no document. */
export async function downloadFiles(files: Record<string, Uint8Array>): Promise<void> {
  const doc = (globalThis as { document?: { createElement(tag: 'a'): Anchor } }).document;
  if (!doc || typeof URL.createObjectURL !== 'function') throw new KerasNotImplementedError('downloads:// needs a browser page (document and URL.createObjectURL); in Node, save to a path or use modelToBytes()');
  for (const [name, bytes] of Object.entries(files)) {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    const a = doc.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
