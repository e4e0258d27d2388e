/**
 * Models in the browser's IndexedDB, as `indexeddb://name`: each model is one record of named
 * files (a `.keras` archive, or a TF.js `model.json` with its shards) in the database
 * `keras-ts-models`, store `models`. Written in one transaction, so a model is stored whole or
 * not at all.
 */
import { KerasFileError } from '../errors.js';

// The few IndexedDB types used here (the DOM library is not part of this package's build).
interface IDBRequest<T> {
  readonly result: T;
  readonly error: Error | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IDBTransaction {
  readonly error: Error | null;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  objectStore(name: string): { put(value: unknown, key: string): unknown; get(key: string): IDBRequest<unknown> };
}
interface IDBDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite'): IDBTransaction;
  close(): void;
}
interface IDBOpenRequest extends IDBRequest<IDBDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IDBFactory {
  open(name: string, version: number): IDBOpenRequest;
}

const DB = 'keras-ts-models';
const STORE = 'models';

/** One stored model: its files by name and which one is the model. */
export interface StoredModel {
  readonly main: string;
  readonly files: Map<string, Uint8Array>;
}

function idb(): IDBFactory {
  const f = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) throw new KerasFileError('BAD_FILE', 'indexeddb:// needs IndexedDB, which this environment does not have (it is a browser API)');
  return f;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new KerasFileError('BAD_FILE', 'IndexedDB request failed'));
  });
}

async function open(): Promise<IDBDatabase> {
  const r = idb().open(DB, 1);
  r.onupgradeneeded = () => {
    if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
  };
  return request(r);
}

/** Stores a model's files under `name` (replacing what was there), in one transaction. */
export async function saveToIndexedDB(name: string, model: StoredModel): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new KerasFileError('BAD_FILE', 'IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new KerasFileError('BAD_FILE', 'IndexedDB transaction aborted'));
    });
    tx.objectStore(STORE).put({ main: model.main, files: Object.fromEntries(model.files) }, name);
    await done;
  } finally {
    db.close();
  }
}

/** The model stored under `name`; a clear error when there is none. */
export async function loadFromIndexedDB(name: string): Promise<StoredModel> {
  const db = await open();
  try {
    const rec = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(name))) as { main: string; files: Record<string, Uint8Array> } | undefined;
    if (!rec) throw new KerasFileError('BAD_FILE', `indexeddb://${name}: no model is stored under this name`);
    return { main: rec.main, files: new Map(Object.entries(rec.files)) };
  } finally {
    db.close();
  }
}
