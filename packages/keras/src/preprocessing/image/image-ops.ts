/** The pixel operations of Keras 2's image augmentation besides the affine transform. */
import type { ImageArray } from './affine-transform.js';
import { KerasValueError } from '../../errors.js';

/** The image reversed along `axis` (Keras' `flip_axis`). */
export function flipAxis(x: ImageArray, axis: number): ImageArray {
  const [a, b, c] = x.shape;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      for (let k = 0; k < c; k++) {
        const src = [i, j, k];
        src[axis] = x.shape[axis] - 1 - src[axis];
        out[(i * b + j) * c + k] = x.data[(src[0] * b + src[1]) * c + src[2]];
      }
    }
  }
  return { shape: x.shape, data: out };
}

/**
 * Keras' `apply_channel_shift`: `intensity` added to every value, clipped to the image's
 * minimum and maximum (over all channels, as Keras).
 */
export function applyChannelShift(x: ImageArray, intensity: number): ImageArray {
  let min = Infinity;
  let max = -Infinity;
  for (const v of x.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { shape: x.shape, data: x.data.map((v) => Math.min(Math.max(v + intensity, min), max)) };
}

/**
 * Keras' `apply_brightness_shift` (keras-preprocessing 1.1.2): the image (channels last, 1, 3 or
 * 4 channels) stretched to 0..255 and stored as 8-bit, as `array_to_img` does, then brightened by
 * `brightness` as PIL's `ImageEnhance.Brightness` (values times the factor, truncated and clipped
 * to 0..255; an alpha channel is kept), returned in 0..255. `fn` names the caller in errors.
 */
export function applyBrightnessShift(x: ImageArray, brightness: number, fn: string): ImageArray {
  const channels = x.shape[2];
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new KerasValueError(`${fn}: brightness shifts need channels-last images with 1, 3 or 4 channels (as PIL images), got an image of shape [${x.shape.join(', ')}]`);
  }
  const f32 = Math.fround;
  let min = Infinity;
  let max = -Infinity;
  for (const v of x.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = f32(max - min);
  const factor = f32(brightness);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    // array_to_img(scale=True): (x - min) / (max - min) * 255 in float32, then uint8 (truncated).
    let v = f32(x.data[i] - min);
    if (range !== 0) v = f32(v / range);
    const byte = Math.trunc(f32(v * 255)) & 255;
    if (channels === 4 && i % 4 === 3) {
      out[i] = byte;
      continue;
    }
    // PIL's blend with a black image: factor * value in float32, truncated, clipped when factor > 1.
    const blended = f32(factor * byte);
    out[i] = factor >= 0 && factor <= 1 ? Math.trunc(blended) & 255 : blended <= 0 ? 0 : blended >= 255 ? 255 : Math.trunc(blended);
  }
  return { shape: x.shape, data: out };
}
