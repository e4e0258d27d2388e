/**
 * Sampling a 2-D image plane at real coordinates as SciPy's `ndimage.affine_transform` does for
 * Keras 2 (spline order 0 or 1, which is nearest or bilinear), with its boundary modes:
 * `nearest` (the edge value repeats), `constant` (`cval` for any point outside the image),
 * `reflect` (mirrored about the edge, half-sample symmetric: `dcba|abcd|dcba`) and `wrap`
 * (SciPy's wrap, whose period is one less than the size: the first and last rows overlap).
 */

/** How points outside the image are filled. */
export type FillMode = 'nearest' | 'constant' | 'reflect' | 'wrap';

/** SciPy's mapping of a coordinate outside [0, len - 1] into the image (`constant`: -1, meaning outside). */
function mapCoordinate(c: number, len: number, mode: FillMode): number {
  if (c < 0) {
    if (mode === 'nearest') return 0;
    if (mode === 'constant') return -1;
    if (len <= 1) return 0;
    if (mode === 'wrap') {
      const sz = len - 1;
      return c + sz * (Math.trunc(-c / sz) + 1);
    }
    const sz2 = 2 * len;
    if (c < -sz2) c = sz2 * Math.trunc(-c / sz2) + c;
    return c < -len ? c + sz2 : (c > -1e-15 ? 1e-15 : -c) - 1;
  }
  if (c > len - 1) {
    if (mode === 'nearest') return len - 1;
    if (mode === 'constant') return -1;
    if (len <= 1) return 0;
    if (mode === 'wrap') {
      const sz = len - 1;
      return c - sz * Math.trunc(c / sz);
    }
    const sz2 = 2 * len;
    c -= sz2 * Math.trunc(c / sz2);
    return c >= len ? sz2 - c - 1 : c;
  }
  return c;
}

/** An index just outside the image after mapping, folded back in (half-sample symmetric). */
function edgeIndex(i: number, len: number): number {
  return i < 0 ? Math.min(-i - 1, len - 1) : i >= len ? Math.max(2 * len - i - 1, 0) : i;
}

/** Where a plane is read: its values, its size and the strides of its rows and columns. */
export interface Plane {
  data: ArrayLike<number>;
  offset: number;
  rows: number;
  cols: number;
  rowStride: number;
  colStride: number;
}

/** The plane's value at coordinates (`r`, `c`), interpolated with spline `order` 0 or 1. */
export function samplePlane(p: Plane, r: number, c: number, order: 0 | 1, mode: FillMode, cval: number): number {
  const outside = mode === 'constant' && (r < 0 || r > p.rows - 1 || c < 0 || c > p.cols - 1);
  if (outside) return cval;
  r = mapCoordinate(r, p.rows, mode);
  c = mapCoordinate(c, p.cols, mode);
  const at = (i: number, j: number) => p.data[p.offset + edgeIndex(i, p.rows) * p.rowStride + edgeIndex(j, p.cols) * p.colStride];
  if (order === 0) return at(Math.floor(r + 0.5), Math.floor(c + 0.5));
  const r0 = Math.floor(r);
  const c0 = Math.floor(c);
  const fr = r - r0;
  const fc = c - c0;
  const top = fc === 0 ? at(r0, c0) : (1 - fc) * at(r0, c0) + fc * at(r0, c0 + 1);
  if (fr === 0) return top;
  const bottom = fc === 0 ? at(r0 + 1, c0) : (1 - fc) * at(r0 + 1, c0) + fc * at(r0 + 1, c0 + 1);
  return (1 - fr) * top + fr * bottom;
}
