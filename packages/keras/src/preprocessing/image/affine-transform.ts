import { samplePlane, type FillMode } from './sampling.js';

/** The geometric parameters of a transform (Keras 2's `theta`, `tx`, `ty`, `shear`, `zx`, `zy`). */
export interface AffineParameters {
  /** Rotation, in degrees. */
  theta?: number;
  /** Shift along the rows (vertical), in pixels. */
  tx?: number;
  /** Shift along the columns (horizontal), in pixels. */
  ty?: number;
  /** Shear angle, in degrees. */
  shear?: number;
  /** Zoom along the rows. */
  zx?: number;
  /** Zoom along the columns. */
  zy?: number;
}

/** A single image: its shape (3 axes), values, and which axes are rows, columns and channels. */
export interface ImageArray {
  shape: readonly [number, number, number];
  data: Float32Array;
}

/** The axes of an image and how the transform samples it. */
export interface AffineOptions {
  rowAxis: number;
  colAxis: number;
  channelAxis: number;
  fillMode: FillMode;
  cval: number;
  order: 0 | 1;
}

type M3 = number[][];

function dot(a: M3, b: M3): M3 {
  return a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j]));
}

/**
 * The 3x3 matrix mapping an output pixel (row, column, 1) to the input point it is read from:
 * rotation, then shift, shear and zoom (each right-multiplied, as Keras 2 composes them), about
 * the image center as keras-preprocessing 1.1.2 places it (`size / 2 + 0.5` along each axis). Null
 * when the transform is the identity.
 */
export function transformMatrix(p: AffineParameters, rows: number, cols: number): M3 | null {
  let m: M3 | null = null;
  const compose = (t: M3) => (m = m ? dot(m, t) : t);
  const { theta = 0, tx = 0, ty = 0, shear = 0, zx = 1, zy = 1 } = p;
  if (theta !== 0) {
    const t = (theta * Math.PI) / 180;
    compose([[Math.cos(t), -Math.sin(t), 0], [Math.sin(t), Math.cos(t), 0], [0, 0, 1]]);
  }
  if (tx !== 0 || ty !== 0) compose([[1, 0, tx], [0, 1, ty], [0, 0, 1]]);
  if (shear !== 0) {
    const s = (shear * Math.PI) / 180;
    compose([[1, -Math.sin(s), 0], [0, Math.cos(s), 0], [0, 0, 1]]);
  }
  if (zx !== 1 || zy !== 1) compose([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]);
  if (!m) return null;
  // keras-preprocessing 1.1.2 centers at size / 2 + 0.5 (half a pixel past the middle of the
  // pixel grid, which later releases moved to size / 2 - 0.5).
  const or = rows / 2 + 0.5;
  const oc = cols / 2 + 0.5;
  return dot(dot([[1, 0, or], [0, 1, oc], [0, 0, 1]], m), [[1, 0, -or], [0, 1, -oc], [0, 0, 1]]);
}

/**
 * Keras 2's `apply_affine_transform` (keras-preprocessing 1.1.2, which TensorFlow 2.0 to 2.8 and
 * Keras 2.2.5 to 2.3 use): each channel resampled through {@link transformMatrix} with SciPy's
 * interpolation and fill modes. `tx` moves along the rows and `ty` along the columns, as Keras'
 * documentation says (TensorFlow 2.9 and later exchange them, a known bug, keras-team/keras#17398).
 * Returns a new image (the input when the transform is the identity).
 *
 * @example
 * const rotated = applyAffineTransform(image, { theta: 90 }, { rowAxis: 0, colAxis: 1, channelAxis: 2, fillMode: 'nearest', cval: 0, order: 1 });
 */
export function applyAffineTransform(x: ImageArray, p: AffineParameters, o: AffineOptions): ImageArray {
  const rows = x.shape[o.rowAxis];
  const cols = x.shape[o.colAxis];
  const m = transformMatrix(p, rows, cols);
  if (!m) return x;
  const strides = [x.shape[1] * x.shape[2], x.shape[2], 1];
  const out = new Float32Array(x.data.length);
  for (let ch = 0; ch < x.shape[o.channelAxis]; ch++) {
    const offset = ch * strides[o.channelAxis];
    const plane = { data: x.data, offset, rows, cols, rowStride: strides[o.rowAxis], colStride: strides[o.colAxis] };
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const ir = m[0][0] * r + m[0][1] * c + m[0][2];
        const ic = m[1][0] * r + m[1][1] * c + m[1][2];
        out[offset + r * strides[o.rowAxis] + c * strides[o.colAxis]] = samplePlane(plane, ir, ic, o.order, o.fillMode, o.cval);
      }
    }
  }
  return { shape: x.shape, data: out };
}
