/**
 * Shared scratch memory: operands that are not in a SharedArrayBuffer (a caller's input, a
 * constant, a kernel's own scratch) are copied into one before workers read them. A bump
 * allocator, reset before each parallel call; it grows by allocating a larger buffer (views of
 * the old one stay valid until the call ends).
 */
export class SharedArena {
  private buffer = new SharedArrayBuffer(1 << 16);
  private used = 0;

  /** Forgets every allocation (the next call reuses the memory). */
  reset(): void {
    this.used = 0;
  }

  /** `data` itself if it is already shared, else a shared copy. */
  share(data: Float32Array): Float32Array {
    if (isShared(data)) return data;
    const bytes = (data.length * 4 + 63) & ~63;
    if (this.used + bytes > this.buffer.byteLength) {
      this.buffer = new SharedArrayBuffer(Math.max(bytes, this.buffer.byteLength * 2));
      this.used = 0;
    }
    const copy = new Float32Array(this.buffer, this.used, data.length);
    copy.set(data);
    this.used += bytes;
    return copy;
  }
}

/** Whether a typed array's memory is a SharedArrayBuffer (so workers see it). */
export function isShared(data: { buffer: ArrayBufferLike }): boolean {
  return typeof SharedArrayBuffer === 'function' && data.buffer instanceof SharedArrayBuffer;
}
