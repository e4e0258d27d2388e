import type { Tensor } from '../../tensor.js';
import { argError, boolArg, choiceArg, numberArg, readOptions } from '../../utils/checks.js';
import type { FillMode } from './sampling.js';

/** A shift range: a fraction of the size (below 1), pixels, or a list of pixel (or fraction) values. */
export type ShiftRange = number | readonly number[];

/** The options of {@link ImageDataGenerator} (Keras 2's arguments, in camelCase). */
export interface ImageDataGeneratorOptions {
  /** Subtract the data set's per-channel mean (computed by `fit`). */
  featurewiseCenter?: boolean;
  /** Subtract each image's mean. */
  samplewiseCenter?: boolean;
  /** Divide by the data set's per-channel standard deviation (computed by `fit`; implies `featurewiseCenter`). */
  featurewiseStdNormalization?: boolean;
  /** Divide each image by its standard deviation (implies `samplewiseCenter`). */
  samplewiseStdNormalization?: boolean;
  /** ZCA whitening (computed by `fit`; implies `featurewiseCenter`). */
  zcaWhitening?: boolean;
  /** The epsilon of ZCA whitening (default 1e-6). */
  zcaEpsilon?: number;
  /** Random rotations within +-`rotationRange` degrees. */
  rotationRange?: number;
  /**
   * Random horizontal shifts: a number below 1 is a fraction of the width (uniform in +-range);
   * an integer `k` gives whole pixels in (-k, k); a list gives one of its values, either sign; a
   * non-integer of 1 or more gives pixels uniform in +-range. (Keras tells an integer from a float
   * by its Python type; here an integer value is an integer: write 1.5 rather than 1.0.)
   */
  widthShiftRange?: ShiftRange;
  /** Random vertical shifts, as {@link widthShiftRange}. */
  heightShiftRange?: ShiftRange;
  /** Random brightness factors in [low, high] (channels last, 1, 3 or 4 channels; the result is in 0..255). */
  brightnessRange?: readonly [number, number] | null;
  /** Random shear angles within +-`shearRange` degrees. */
  shearRange?: number;
  /** Random zoom: `[1 - z, 1 + z]` for a number `z`, or `[low, high]`; drawn per axis. */
  zoomRange?: number | readonly [number, number];
  /** Random channel shifts within +-`channelShiftRange`. */
  channelShiftRange?: number;
  /** How points outside the image are filled: 'nearest' (default), 'constant', 'reflect' or 'wrap'. */
  fillMode?: FillMode;
  /** The fill value of `fillMode: 'constant'` (default 0). */
  cval?: number;
  /** Random horizontal flips. */
  horizontalFlip?: boolean;
  /** Random vertical flips. */
  verticalFlip?: boolean;
  /** A factor every value is multiplied by after augmentation (as `1 / 255`); null or 0: none. */
  rescale?: number | null;
  /** A function applied to each image (rank 3) after augmentation, before the other standardization; it returns an image of the same shape. */
  preprocessingFunction?: ((image: Tensor) => Tensor) | null;
  /** 'channels_last' (default: images `[height, width, channels]`) or 'channels_first'. */
  dataFormat?: 'channels_last' | 'channels_first';
  /** The fraction of the images kept for validation (`flow(..., { subset: 'validation' })`). */
  validationSplit?: number;
  /** Spline order of the resampling: 1 (bilinear, default) or 0 (nearest pixel). */
  interpolationOrder?: 0 | 1;
  /** The dtype of the images: 'float32' (the only one). */
  dtype?: 'float32';
}

export const GENERATOR_KEYS = [
  'featurewiseCenter',
  'samplewiseCenter',
  'featurewiseStdNormalization',
  'samplewiseStdNormalization',
  'zcaWhitening',
  'zcaEpsilon',
  'rotationRange',
  'widthShiftRange',
  'heightShiftRange',
  'brightnessRange',
  'shearRange',
  'zoomRange',
  'channelShiftRange',
  'fillMode',
  'cval',
  'horizontalFlip',
  'verticalFlip',
  'rescale',
  'preprocessingFunction',
  'dataFormat',
  'validationSplit',
  'interpolationOrder',
  'dtype',
] as const;

/** The options read and checked, with Keras' defaults and its implied settings. */
export type GeneratorConfig = Required<Omit<ImageDataGeneratorOptions, 'zoomRange' | 'brightnessRange' | 'rescale' | 'preprocessingFunction'>> & {
  zoomRange: [number, number];
  brightnessRange: [number, number] | null;
  rescale: number | null;
  preprocessingFunction: ((image: Tensor) => Tensor) | null;
};

const FN = 'ImageDataGenerator';

function shiftRange(arg: string, v: unknown): ShiftRange {
  if (v === undefined) return 0;
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (Array.isArray(v) ? v.length > 0 && v.every((n) => typeof n === 'number' && Number.isFinite(n)) : ok(v)) return v as ShiftRange;
  throw argError(FN, arg, v, 'a non-negative number (a fraction below 1, or pixels) or a non-empty list of numbers');
}

function pair(arg: string, v: unknown): [number, number] {
  if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n))) return [v[0], v[1]];
  throw argError(FN, arg, v, arg === 'zoomRange' ? 'a number or a list of two numbers [low, high]' : 'a list of two numbers [low, high]');
}

/** Reads the options of `new ImageDataGenerator(options)`, warning when one setting implies another (as Keras). */
export function readGeneratorOptions(options: ImageDataGeneratorOptions | undefined): GeneratorConfig {
  const o = readOptions(FN, options, GENERATOR_KEYS, "{ rotationRange: 20, horizontalFlip: true, rescale: 1 / 255 }");
  const bool = (k: keyof ImageDataGeneratorOptions) => boolArg(FN, k, o[k], false);
  const num = (k: keyof ImageDataGeneratorOptions, d = 0) => numberArg(FN, k, o[k], d);
  const zoom = o.zoomRange ?? 0;
  const validationSplit = num('validationSplit');
  if (validationSplit && !(validationSplit > 0 && validationSplit < 1)) throw argError(FN, 'validationSplit', validationSplit, 'a number strictly between 0 and 1');
  if (o.rescale !== undefined && o.rescale !== null && (typeof o.rescale !== 'number' || !Number.isFinite(o.rescale))) throw argError(FN, 'rescale', o.rescale, 'a number or null');
  if (o.preprocessingFunction !== undefined && o.preprocessingFunction !== null && typeof o.preprocessingFunction !== 'function') throw argError(FN, 'preprocessingFunction', o.preprocessingFunction, 'a function (image) => image, or null');
  if (o.interpolationOrder !== undefined && o.interpolationOrder !== 0 && o.interpolationOrder !== 1) {
    throw argError(FN, 'interpolationOrder', o.interpolationOrder, '0 (nearest pixel) or 1 (bilinear); higher spline orders are not supported');
  }
  if (o.dtype !== undefined && o.dtype !== 'float32') throw argError(FN, 'dtype', o.dtype, "'float32' (the images are float32 tensors)");
  const c: GeneratorConfig = {
    featurewiseCenter: bool('featurewiseCenter'),
    samplewiseCenter: bool('samplewiseCenter'),
    featurewiseStdNormalization: bool('featurewiseStdNormalization'),
    samplewiseStdNormalization: bool('samplewiseStdNormalization'),
    zcaWhitening: bool('zcaWhitening'),
    zcaEpsilon: num('zcaEpsilon', 1e-6),
    rotationRange: num('rotationRange'),
    widthShiftRange: shiftRange('widthShiftRange', o.widthShiftRange),
    heightShiftRange: shiftRange('heightShiftRange', o.heightShiftRange),
    brightnessRange: o.brightnessRange === undefined || o.brightnessRange === null ? null : pair('brightnessRange', o.brightnessRange),
    shearRange: num('shearRange'),
    zoomRange: typeof zoom === 'number' && Number.isFinite(zoom) ? [1 - zoom, 1 + zoom] : pair('zoomRange', zoom),
    channelShiftRange: num('channelShiftRange'),
    fillMode: choiceArg(FN, 'fillMode', o.fillMode, ['nearest', 'constant', 'reflect', 'wrap'], 'nearest'),
    cval: num('cval'),
    horizontalFlip: bool('horizontalFlip'),
    verticalFlip: bool('verticalFlip'),
    rescale: o.rescale ?? null,
    preprocessingFunction: o.preprocessingFunction ?? null,
    dataFormat: choiceArg(FN, 'dataFormat', o.dataFormat, ['channels_last', 'channels_first'], 'channels_last'),
    validationSplit,
    interpolationOrder: o.interpolationOrder === 0 ? 0 : 1,
    dtype: 'float32',
  };
  const implies = (flag: boolean, implied: 'featurewiseCenter' | 'samplewiseCenter', by: string) => {
    if (flag && !c[implied]) {
      c[implied] = true;
      console.warn(`This ImageDataGenerator specifies \`${by}\`, which overrides setting of \`${implied}\`.`);
    }
  };
  implies(c.zcaWhitening, 'featurewiseCenter', 'zcaWhitening');
  if (c.zcaWhitening && c.featurewiseStdNormalization) {
    c.featurewiseStdNormalization = false;
    console.warn('This ImageDataGenerator specifies `zcaWhitening` which overrides setting of `featurewiseStdNormalization`.');
  }
  implies(c.featurewiseStdNormalization, 'featurewiseCenter', 'featurewiseStdNormalization');
  implies(c.samplewiseStdNormalization, 'samplewiseCenter', 'samplewiseStdNormalization');
  return c;
}
