import type { RandomState } from '../random.js';
import type { GeneratorConfig, ShiftRange } from './generator-options.js';

/** The parameters of one random transform (Keras 2's `transform_parameters`, in camelCase). */
export interface TransformParameters {
  /** Rotation, in degrees. */
  theta: number;
  /** Shift along the rows (vertical), in pixels. */
  tx: number;
  /** Shift along the columns (horizontal), in pixels. */
  ty: number;
  /** Shear angle, in degrees. */
  shear: number;
  /** Zoom along the rows. */
  zx: number;
  /** Zoom along the columns. */
  zy: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** The channel shift, or null for none. */
  channelShiftIntensity: number | null;
  /** The brightness factor, or null for none. */
  brightness: number | null;
}

/** A shift in pixels drawn for a range (see `ImageDataGeneratorOptions.widthShiftRange`) over `size` pixels. */
function drawShift(range: ShiftRange, size: number, random: RandomState): number {
  let shift: number;
  if (Array.isArray(range)) shift = random.choice(range) * random.choice([-1, 1]);
  else if (Number.isInteger(range)) shift = random.randint(0, range as number) * random.choice([-1, 1]);
  else shift = random.uniform(-(range as number), range as number);
  const max = Array.isArray(range) ? Math.max(...range) : (range as number);
  return max < 1 ? shift * size : shift;
}

/**
 * Keras 2's `get_random_transform`: random parameters for an image of `shape` (`rowAxis` and
 * `colAxis` are its row and column axes), drawn from `random` in Keras' order.
 */
export function drawTransform(c: GeneratorConfig, shape: readonly number[], rowAxis: number, colAxis: number, random: RandomState): TransformParameters {
  const theta = c.rotationRange ? random.uniform(-c.rotationRange, c.rotationRange) : 0;
  const hasShift = (r: ShiftRange) => (Array.isArray(r) ? r.length > 0 : r !== 0);
  const tx = hasShift(c.heightShiftRange) ? drawShift(c.heightShiftRange, shape[rowAxis], random) : 0;
  const ty = hasShift(c.widthShiftRange) ? drawShift(c.widthShiftRange, shape[colAxis], random) : 0;
  const shear = c.shearRange ? random.uniform(-c.shearRange, c.shearRange) : 0;
  const [lo, hi] = c.zoomRange;
  const [zx, zy] = lo === 1 && hi === 1 ? [1, 1] : [random.uniform(lo, hi), random.uniform(lo, hi)];
  const flipHorizontal = random.random() < 0.5 && c.horizontalFlip;
  const flipVertical = random.random() < 0.5 && c.verticalFlip;
  const channelShiftIntensity = c.channelShiftRange !== 0 ? random.uniform(-c.channelShiftRange, c.channelShiftRange) : null;
  const brightness = c.brightnessRange ? random.uniform(c.brightnessRange[0], c.brightnessRange[1]) : null;
  return { theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness };
}
