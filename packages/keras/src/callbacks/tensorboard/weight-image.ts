/**
 * A weight as TensorBoard images, as tf.keras 2's TensorBoard callback draws it with
 * `write_images`: the weight without its size-1 axes; a vector becomes one image n pixels high
 * and 1 wide, a matrix one image with its longer side as width, a rank-3 kernel one image per output channel;
 * the result is written only when it is rank 4 with 1, 3 or 4 channels. Values become uint8 as
 * `tf.image.convert_image_dtype` does (`v * 255.5`, truncated, clamped to 0..255) and
 * `tf.summary.image` keeps the first 3 images.
 */
import { encodePng } from './png.js';

/** The image summary's string tensor: width, height, then the PNG files; null when tf.keras draws nothing. */
export function weightImages(shape: readonly number[], data: ArrayLike<number>, maxOutputs = 3): Uint8Array[] | null {
  let dims = shape.filter((d) => d !== 1);
  let values: ArrayLike<number> = data;
  if (dims.length === 1) dims = [1, dims[0], 1, 1];
  else if (dims.length === 2) {
    let [r, c] = dims;
    if (r > c) {
      values = transpose2d(values, r, c);
      [r, c] = [c, r];
    }
    dims = [1, r, c, 1];
  } else if (dims.length === 3) {
    // channels_last: one image per channel ([h, w, c] -> [c, h, w, 1]).
    const [h, w, c] = dims;
    const out = new Float64Array(h * w * c);
    for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) out[k * h * w + i] = values[i * c + k];
    values = out;
    dims = [c, h, w, 1];
  }
  if (dims.length !== 4 || ![1, 3, 4].includes(dims[3])) return null;
  const [n, h, w, c] = dims;
  const per = h * w * c;
  const images: Uint8Array[] = [];
  for (let i = 0; i < Math.min(n, maxOutputs); i++) {
    const px = new Uint8Array(per);
    for (let j = 0; j < per; j++) px[j] = Math.min(255, Math.max(0, Math.trunc(values[i * per + j] * 255.5)));
    images.push(encodePng(px, h, w, c as 1 | 3 | 4));
  }
  const enc = new TextEncoder();
  return [enc.encode(String(w)), enc.encode(String(h)), ...images];
}

function transpose2d(v: ArrayLike<number>, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j];
  return out;
}
