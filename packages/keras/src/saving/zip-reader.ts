/**
 * Reading the entries of a zip archive (`.keras`) from untrusted bytes. Every size the archive
 * declares is checked against the bytes actually present before anything is allocated: the
 * central directory must lie inside the file, each entry's data must lie inside the file, a
 * stored entry holds exactly its size, and a deflated entry cannot declare more than deflate's
 * maximum expansion (1032:1) of its compressed bytes. Only the entries asked for are extracted,
 * and each is checked against its CRC-32, as Python's zipfile does when Keras reads the archive.
 */
import { Inflate } from 'fflate';
import { checkLimit, getLimits, showBytes, type Limits } from '../limits/file-limits.js';
import { KerasError, KerasFileError } from '../errors.js';

/** Deflate's largest expansion: 258 bytes out of 2 bits in, so at most 1032 bytes per byte in. */
const MAX_DEFLATE_RATIO = 1032;
/** Bytes under which an entry is not held to the compression ratio (a short JSON compresses well). */
const RATIO_SLACK = 64 * 2 ** 10;
/** Compressed bytes given to the inflater at a time, so that what comes out is checked as it comes. */
const INFLATE_STEP = 64 * 2 ** 10;

/** Whether `out` bytes from `input` compressed bytes pass the ratio limit (with the slack). */
const overRatio = (out: number, input: number, max: number) => out > RATIO_SLACK && out > input * max;

/**
 * Inflates a deflated entry into a buffer of its declared size (which has passed the ratio
 * limit), the compressed bytes a step at a time: the bytes that come out are counted as they come,
 * and the entry is refused as soon as they pass its declared size, so an entry lying about its size
 * is never inflated beyond what it declared (nor beyond the ratio).
 */
function inflateChecked(raw: Uint8Array, size: number, label: string, r: Reader): Uint8Array {
  const out = new Uint8Array(size);
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    if (produced + chunk.length > size) r.fail(`${label} decompresses to more than the ${size} bytes it declares`);
    out.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    let at = 0;
    do {
      inflater.push(raw.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= raw.length);
      at += INFLATE_STEP;
    } while (at < raw.length);
  } catch (err) {
    if (err instanceof KerasError) throw err;
    r.fail(`${label} does not decompress: ${(err as Error).message}`);
  }
  if (produced !== size) r.fail(`${label} decompresses to ${produced} bytes, not the ${size} it declares`);
  return out;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** One entry of the central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
}

let crcTable: Int32Array | null = null;

/** CRC-32 (IEEE, as zip uses). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Shows an entry name safely (control characters escaped, long names shortened). */
export function showName(name: string): string {
  const short = name.length > 100 ? `${name.slice(0, 100)}...` : name;
  return /^[\x20-\x7e]+$/.test(short) && !/[,'"]/.test(short) ? short : JSON.stringify(short);
}

class Reader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(what: string): never {
    throw new KerasFileError('BAD_FILE', `${this.file}: corrupt or truncated zip archive (${what})`);
  }
  need(at: number, len: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + len > this.bytes.length) this.fail(`${what} at byte ${at} lies outside the file's ${this.bytes.length} bytes`);
  }
  u16(at: number): number {
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    return this.view.getUint32(at, true);
  }
  u64(at: number): number {
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`a 64-bit size or offset of ${v}`);
    return Number(v);
  }
}

/** The central directory: every entry's name, method, sizes and offset (nothing extracted). */
export function listZipEntries(bytes: Uint8Array, file: string): ZipEntry[] {
  const r: Reader = new Reader(bytes, file);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes, at the end.
  let e = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 65535);
  while (e >= stop && !(e >= 0 && r.u32(e) === EOCD)) e--;
  if (e < stop || e < 0) r.fail('no end of central directory record');
  let count = r.u16(e + 10);
  let cdSize = r.u32(e + 12);
  let cdOffset = r.u32(e + 16);
  if (e >= 20 && r.u32(e - 20) === ZIP64_LOCATOR) {
    const z = r.u64(e - 12);
    r.need(z, 56, 'the zip64 end of central directory');
    if (r.u32(z) !== ZIP64_EOCD) r.fail('a bad zip64 end of central directory record');
    count = r.u64(z + 32);
    cdSize = r.u64(z + 40);
    cdOffset = r.u64(z + 48);
  }
  r.need(cdOffset, cdSize, 'the central directory');
  // Each entry takes at least 46 bytes of the directory: a count beyond that is a lie.
  if (count * 46 > cdSize) r.fail(`${count} entries declared in a central directory of ${cdSize} bytes`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    r.need(p, 46, `central directory entry ${i}`);
    if (r.u32(p) !== CENTRAL) r.fail(`central directory entry ${i} has a bad signature`);
    const method = r.u16(p + 10);
    const crc = r.u32(p + 16);
    let compressedSize = r.u32(p + 20);
    let size = r.u32(p + 24);
    const nameLen = r.u16(p + 28);
    const extraLen = r.u16(p + 30);
    const commentLen = r.u16(p + 32);
    let offset = r.u32(p + 42);
    r.need(p + 46, nameLen + extraLen + commentLen, `the name of central directory entry ${i}`);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 sizes live in extra field 1, in the order size, compressed size, offset (each only when 0xFFFFFFFF).
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      let x = p + 46 + nameLen;
      const end = x + extraLen;
      let found = false;
      while (x + 4 <= end) {
        const id = r.u16(x);
        const len = r.u16(x + 2);
        if (x + 4 + len > end) break;
        if (id === 1) {
          let q = x + 4;
          const next = () => {
            if (q + 8 > x + 4 + len) r.fail(`a short zip64 extra field in entry ${showName(name)}`);
            const v = r.u64(q);
            q += 8;
            return v;
          };
          if (size === 0xffffffff) size = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (offset === 0xffffffff) offset = next();
          found = true;
          break;
        }
        x += 4 + len;
      }
      if (!found) r.fail(`entry ${showName(name)} has 32-bit size markers but no zip64 extra field`);
    }
    entries.push({ name, method, crc, compressedSize, size, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Extracts the named entries (those present; others are listed, not read). Sizes are checked
 * before allocating, the data after extracting (length and CRC-32). Before anything is
 * decompressed, the sizes the entries declare are held to the limits: together to
 * `maxDecompressedBytes`, and each entry named in `entryLimits` to its own limit (a config's
 * `maxConfigBytes`).
 */
export function readZipEntries(
  bytes: Uint8Array,
  file: string,
  wanted: readonly string[],
  limits: Readonly<Limits> = getLimits(),
  entryLimits: Readonly<Record<string, keyof Limits>> = {},
): { entries: Record<string, Uint8Array>; names: string[] } {
  const r: Reader = new Reader(bytes, file);
  const all = listZipEntries(bytes, file);
  const out: Record<string, Uint8Array> = {};
  // As Python's zipfile, a name that occurs twice means its last entry.
  const last = new Map<string, ZipEntry>();
  for (const e of all) if (wanted.includes(e.name)) last.set(e.name, e);
  // What the entries decompress to, together and each, is held to the limits before any is
  // extracted (after the checks of what the file itself declares, which come first below).
  const limitChecks = () => {
    let total = 0;
    for (const e of last.values()) {
      const own = Object.hasOwn(entryLimits, e.name) ? entryLimits[e.name] : undefined;
      if (own) checkLimit(own, e.size, `${file}: entry '${showName(e.name)}' decompresses to ${showBytes(e.size)}`, limits);
      total += e.size;
    }
    checkLimit('maxDecompressedBytes', total, `${file}: the entries read (${[...last.keys()].map(showName).join(', ')}) decompress to ${showBytes(total)}`, limits);
  };
  // First what each entry declares, against the bytes present (nothing extracted yet).
  const starts = new Map<ZipEntry, number>();
  for (const e of last.values()) {
    const label = `entry '${showName(e.name)}'`;
    r.need(e.offset, 30, `the local header of ${label}`);
    if (r.u32(e.offset) !== LOCAL) r.fail(`the local header of ${label} has a bad signature`);
    const start = e.offset + 30 + r.u16(e.offset + 26) + r.u16(e.offset + 28);
    r.need(start, e.compressedSize, `the ${e.compressedSize} bytes of ${label}`);
    if (e.method === 0 && e.size !== e.compressedSize) r.fail(`the stored ${label} declares ${e.size} bytes but holds ${e.compressedSize}`);
    if (e.method === 8 && e.size > e.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      r.fail(`${label} declares ${e.size} bytes, more than its ${e.compressedSize} compressed bytes can hold`);
    }
    starts.set(e, start);
  }
  limitChecks();
  // Then each deflated entry's ratio, on the sizes it declares (and inflateChecked holds the bytes
  // that come out to the declared size).
  for (const e of last.values()) {
    if (e.method !== 8 || !overRatio(e.size, e.compressedSize, limits.maxCompressionRatio)) continue;
    const found = Math.ceil(e.size / Math.max(1, e.compressedSize));
    checkLimit('maxCompressionRatio', found, `${file}: entry '${showName(e.name)}' declares ${showBytes(e.size)} from ${showBytes(e.compressedSize)} compressed, a ratio of ${found.toLocaleString('en-US')}:1`, limits);
  }
  for (const e of last.values()) {
    const label = `entry '${showName(e.name)}'`;
    const start = starts.get(e)!;
    const raw = bytes.subarray(start, start + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) {
      data = raw.slice();
    } else if (e.method === 8) {
      data = inflateChecked(raw, e.size, label, r);
    } else {
      r.fail(`${label} uses compression method ${e.method}; Keras archives are stored (0) or deflated (8)`);
    }
    if (crc32(data) !== e.crc) r.fail(`${label} fails its CRC-32 check: its content is damaged`);
    out[e.name] = data;
  }
  return { entries: out, names: all.map((e) => e.name) };
}
