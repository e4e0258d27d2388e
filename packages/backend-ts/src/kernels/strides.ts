import { stridesOf, type Shape } from '@keras-ts/spec';

/**
 * Strides that read an input of `inShape` broadcast to `outShape` (numpy rules): aligned to the
 * output's rank, 0 along broadcast axes.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const s = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, i) => (i < lead || inShape[i - lead] === 1 ? 0 : s[i - lead]));
}

/**
 * Calls `row(outOffset, inOffsets)` for each innermost row of `outShape`, with the offsets of
 * each input (given by its strides) at the row's start. The row has `outShape.at(-1)` elements.
 */
export function forEachRow(outShape: Shape, strides: readonly (readonly number[])[], row: (outOffset: number, inOffsets: number[]) => void): void {
  const rank = outShape.length;
  if (rank === 0) {
    row(0, strides.map(() => 0));
    return;
  }
  const inner = outShape[rank - 1];
  let total = 1;
  for (const d of outShape) total *= d;
  if (total === 0) return;
  const rows = total / inner;
  const idx = new Array<number>(rank - 1).fill(0);
  const offs = strides.map(() => 0);
  for (let r = 0; r < rows; r++) {
    row(r * inner, offs.slice());
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < strides.length; k++) offs[k] += strides[k][d];
      if (idx[d] < outShape[d]) break;
      for (let k = 0; k < strides.length; k++) offs[k] -= strides[k][d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** Copies `src` (shape `inShape`, read with `inStrides` over `outShape`) into contiguous `out`. */
export function gatherStrided(src: ArrayLike<number>, inStrides: readonly number[], outShape: Shape, out: { [i: number]: number }): void {
  const rank = outShape.length;
  const si = rank ? inStrides[rank - 1] : 0;
  forEachRow(outShape, [inStrides], (o, [off]) => {
    const n = rank ? outShape[rank - 1] : 1;
    for (let j = 0; j < n; j++) out[o + j] = src[off + j * si];
  });
}
