import { fmtShape } from '@keras-ts/spec';
import { Tensor } from '../../tensor.js';
import { readArray, type ArrayInput } from '../../utils/array-input.js';
import { argError, boolArg, choiceArg, intArg, optionalIntArg, readOptions } from '../../utils/checks.js';
import { RandomState } from '../random.js';
import { applyAffineTransform, type ImageArray } from './affine-transform.js';
import { readGeneratorOptions, type GeneratorConfig, type ImageDataGeneratorOptions } from './generator-options.js';
import { applyBrightnessShift, applyChannelShift, flipAxis } from './image-ops.js';
import { flowArrays, NumpyArrayIterator, type ImageAugmenter } from './numpy-array-iterator.js';
import { channelMeans, channelStds, NO_STANDARDIZATION, standardizeInPlace } from './standardize.js';
import { drawTransform, type TransformParameters } from './transform-parameters.js';
import { fitZca, type ZcaWhitening } from './zca.js';
import { KerasNotImplementedError, KerasTypeError, KerasValueError } from '../../errors.js';

/** The options of `ImageDataGenerator.flow` (Keras 2's keyword arguments, in camelCase). */
export interface FlowOptions {
  /** Images per batch (default 32). */
  batchSize?: number;
  /** Shuffle the images at every epoch (default true). */
  shuffle?: boolean;
  /** Per-sample weights, given as the third element of each batch. */
  sampleWeight?: ArrayInput | null;
  /** Seed of the shuffles and the augmentations (default: a fresh one). */
  seed?: number | null;
  /** Keep only the `'training'` or the `'validation'` part of the images (see `validationSplit`). */
  subset?: 'training' | 'validation' | null;
  /** Allow the subsets to hold different classes (default false: an error). */
  ignoreClassSplit?: boolean;
}
const FLOW_KEYS = ['batchSize', 'shuffle', 'sampleWeight', 'seed', 'subset', 'ignoreClassSplit', 'saveToDir', 'savePrefix', 'saveFormat'];

/** The options of `ImageDataGenerator.fit`. */
export interface GeneratorFitOptions {
  /** Compute the statistics on randomly augmented images (default false). */
  augment?: boolean;
  /** Augmentation passes over the images when `augment` (default 1). */
  rounds?: number;
  /** Seed of the augmentations. */
  seed?: number | null;
}

/**
 * Keras 2's `ImageDataGenerator`: batches of images augmented at random (rotations, shifts,
 * shear, zoom, flips, channel and brightness shifts, with a fill mode for the uncovered pixels)
 * and standardized (rescaling, a preprocessing function, sample- or feature-wise centering and
 * scaling, ZCA whitening). `flow(x, y)` gives a Sequence that `fit` takes; with a `seed`, its
 * batches are reproducible.
 *
 * The geometry is that of keras-preprocessing 1.1.2 (the `keras.preprocessing.image` of Keras
 * 2.2.5 to 2.3 and TensorFlow 2.0 to 2.8), checked against it: SciPy's bilinear (or nearest)
 * sampling and fill modes (`wrap` is SciPy's, of period size - 1), rotation and zoom about the
 * point `size / 2 + 0.5`, `widthShiftRange` along the columns. (TensorFlow 2.9 and later moved the
 * center to `size / 2 - 0.5` and exchanged the width and height shifts.) The random numbers are
 * not NumPy's: the same seed gives the same batches here, not Keras' batches.
 *
 * @example
 * const datagen = new ImageDataGenerator({ rotationRange: 15, widthShiftRange: 0.1, horizontalFlip: true, rescale: 1 / 255 });
 * await model.fit(datagen.flow(xTrain, yTrain, { batchSize: 32, seed: 1 }), { epochs: 10 });
 */
export class ImageDataGenerator implements ImageAugmenter {
  /** The options, with Keras' defaults and implied settings. */
  readonly config: GeneratorConfig;
  /** The per-channel mean computed by `fit`, shaped to broadcast over an image (`[1, 1, C]` channels last). */
  mean: Tensor | null = null;
  /** The per-channel standard deviation computed by `fit`, shaped as `mean`. */
  std: Tensor | null = null;
  private zca: ZcaWhitening | null = null;
  private readonly random = new RandomState();
  readonly channelAxis: number;
  private readonly imageAxes: { rowAxis: number; colAxis: number; channelAxis: number };

  constructor(options?: ImageDataGeneratorOptions) {
    this.config = readGeneratorOptions(options);
    const last = this.config.dataFormat === 'channels_last';
    this.channelAxis = last ? 3 : 1;
    this.imageAxes = last ? { rowAxis: 0, colAxis: 1, channelAxis: 2 } : { rowAxis: 1, colAxis: 2, channelAxis: 0 };
  }

  get validationSplit(): number {
    return this.config.validationSplit;
  }

  /** An image tensor (rank 3) as an array; `fn` names the method in errors. */
  private image(x: Tensor, fn: string): ImageArray {
    if (!(x instanceof Tensor) || x.rank !== 3) throw argError(fn, 'x', x instanceof Tensor ? `a tensor of shape ${fmtShape(x.shape)}` : x, 'one image: a Tensor of rank 3');
    return { shape: [x.shape[0], x.shape[1], x.shape[2]], data: Float32Array.from(x.data) };
  }

  /** Random transform parameters for an image of `imgShape` (Keras' `get_random_transform`). */
  getRandomTransform(imgShape: readonly number[], seed?: number | null): TransformParameters {
    if (!Array.isArray(imgShape) || imgShape.length !== 3) throw argError('ImageDataGenerator.getRandomTransform', 'imgShape', imgShape, 'the shape of one image (3 numbers)');
    const random = seed === undefined || seed === null ? this.random : new RandomState(seed);
    return drawTransform(this.config, imgShape, this.imageAxes.rowAxis, this.imageAxes.colAxis, random);
  }

  /** `image` transformed by `params` (Keras' `apply_transform`): affine, channel shift, flips, brightness. */
  private transformArray(image: ImageArray, p: Partial<TransformParameters>, fn: string): ImageArray {
    const c = this.config;
    const axes = this.imageAxes;
    let x = applyAffineTransform(image, p, { ...axes, fillMode: c.fillMode, cval: c.cval, order: c.interpolationOrder });
    if (p.channelShiftIntensity !== undefined && p.channelShiftIntensity !== null) x = applyChannelShift(x, p.channelShiftIntensity);
    if (p.flipHorizontal) x = flipAxis(x, axes.colAxis);
    if (p.flipVertical) x = flipAxis(x, axes.rowAxis);
    if (p.brightness !== undefined && p.brightness !== null) {
      if (c.dataFormat !== 'channels_last') throw new KerasValueError(`${fn}: brightness shifts need channels_last images (as Keras' array_to_img)`);
      x = applyBrightnessShift(x, p.brightness, fn);
    }
    return x;
  }

  /** One image transformed by `params` (Keras' `apply_transform`); the image is not changed. */
  applyTransform(x: Tensor, params: Partial<TransformParameters>): Tensor {
    const fn = 'ImageDataGenerator.applyTransform';
    const out = this.transformArray(this.image(x, fn), params, fn);
    return new Tensor([...out.shape], 'float32', out.data);
  }

  /** One image transformed at random (Keras' `random_transform`). */
  randomTransform(x: Tensor, seed?: number | null): Tensor {
    return this.applyTransform(x, this.getRandomTransform(x.shape, seed));
  }

  /** Standardizes `data` of `shape` in place (the preprocessing function first). */
  private standardizeArray(data: Float32Array, shape: readonly number[]): Float32Array {
    let d = data;
    const f = this.config.preprocessingFunction;
    if (f) {
      const y = f(new Tensor(shape, 'float32', d));
      if (!(y instanceof Tensor) || fmtShape(y.shape) !== fmtShape(shape)) {
        throw new KerasTypeError(`ImageDataGenerator: preprocessingFunction returned ${y instanceof Tensor ? `a tensor of shape ${fmtShape(y.shape)}` : String(y)}: expected a Tensor of shape ${fmtShape(shape)}, as its input`);
      }
      d = Float32Array.from(y.data);
    }
    const c = this.config;
    standardizeInPlace(d, shape, shape.length === 4 ? this.channelAxis : this.imageAxes.channelAxis, {
      ...c,
      mean: this.mean ? Float32Array.from(this.mean.data) : null,
      std: this.std ? Float32Array.from(this.std.data) : null,
      zca: this.zca,
    });
    return d;
  }

  /**
   * Keras' `standardize`: an image (rank 3) or a batch (rank 4) with the preprocessing function,
   * rescaling and normalization applied (a new tensor; Keras changes its input in place).
   * Sample-wise statistics are over the whole input, as Keras.
   */
  standardize(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || (x.rank !== 3 && x.rank !== 4)) throw argError('ImageDataGenerator.standardize', 'x', x instanceof Tensor ? `a tensor of shape ${fmtShape(x.shape)}` : x, 'an image (rank 3) or a batch of images (rank 4)');
    return new Tensor(x.shape, 'float32', this.standardizeArray(Float32Array.from(x.data), x.shape));
  }

  /** One image of a flow: transformed at random (drawing from `random`), then standardized. */
  augment(image: ImageArray, random: RandomState): ImageArray {
    const p = drawTransform(this.config, image.shape, this.imageAxes.rowAxis, this.imageAxes.colAxis, random);
    const x = this.transformArray(image, p, 'ImageDataGenerator.flow');
    return { shape: x.shape, data: this.standardizeArray(x.data === image.data ? Float32Array.from(x.data) : x.data, x.shape) };
  }

  /**
   * Keras' `fit`: the statistics of featurewise centering and normalization and of ZCA whitening,
   * over images `x` (rank 4), rescaled first, and augmented at random when `augment`.
   */
  fit(x: ArrayInput, options?: GeneratorFitOptions): void {
    const fn = 'ImageDataGenerator.fit';
    const o = readOptions(fn, options, ['augment', 'rounds', 'seed'], '{ augment: true, rounds: 2, seed: 1 }');
    const a = readArray(fn, 'x', x);
    if (a.shape.length !== 4) throw argError(fn, 'x', `an array of shape ${fmtShape(a.shape)}`, 'images of rank 4');
    const augment = boolArg(fn, 'augment', o.augment, false);
    const rounds = intArg(fn, 'rounds', o.rounds, 1, 1);
    const seed = optionalIntArg(fn, 'seed', o.seed);
    const c = this.config;
    let shape = a.shape;
    let data = Float32Array.from(a.data);
    if (c.rescale) for (let i = 0; i < data.length; i++) data[i] *= c.rescale;
    if (augment) {
      const random = seed === null ? this.random : new RandomState(seed);
      const n = shape[0];
      const size = data.length / n;
      const out = new Float32Array(rounds * data.length);
      const imageShape: [number, number, number] = [shape[1], shape[2], shape[3]];
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < n; i++) {
          const p = drawTransform(c, imageShape, this.imageAxes.rowAxis, this.imageAxes.colAxis, random);
          out.set(this.transformArray({ shape: imageShape, data: data.slice(i * size, (i + 1) * size) }, p, fn).data, (r * n + i) * size);
        }
      }
      data = out;
      shape = [rounds * n, ...imageShape];
    }
    const broadcast = c.dataFormat === 'channels_last' ? [1, 1, shape[3]] : [shape[1], 1, 1];
    const channelAxis = this.channelAxis;
    if (c.featurewiseCenter) {
      const mean = channelMeans(data, shape, channelAxis);
      this.mean = new Tensor(broadcast, 'float32', mean);
      standardizeInPlace(data, shape, channelAxis, { ...NO_STANDARDIZATION, featurewiseCenter: true, mean });
    }
    if (c.featurewiseStdNormalization) {
      const std = channelStds(data, shape, channelAxis);
      this.std = new Tensor(broadcast, 'float32', std);
      standardizeInPlace(data, shape, channelAxis, { ...NO_STANDARDIZATION, featurewiseStdNormalization: true, std });
    }
    if (c.zcaWhitening) this.zca = fitZca(data, shape[0], data.length / shape[0], c.zcaEpsilon);
  }

  /**
   * Keras' `flow`: batches of augmented images `x` (rank 4) with their labels `y` (when given) and
   * sample weights, as a Sequence for `fit` (and an endless iterator).
   * @example const it = datagen.flow(x, y, { batchSize: 16, seed: 7 });
   */
  flow(x: ArrayInput, y?: null, options?: FlowOptions): NumpyArrayIterator<Tensor>;
  flow(x: ArrayInput, y: ArrayInput, options?: FlowOptions): NumpyArrayIterator<[Tensor, Tensor] | [Tensor, Tensor, Tensor]>;
  flow(x: ArrayInput, y?: ArrayInput | null, options?: FlowOptions): NumpyArrayIterator {
    const fn = 'ImageDataGenerator.flow';
    const o = readOptions(fn, options as Record<string, unknown> | undefined, FLOW_KEYS, '{ batchSize: 32, seed: 1 }');
    for (const k of ['saveToDir', 'savePrefix', 'saveFormat']) {
      if (o[k] !== undefined && o[k] !== null && o[k] !== '') throw new KerasNotImplementedError(`${fn}: argument '${k}' is not supported: keras-ts does not write augmented images to files`);
    }
    if (o.subset !== undefined && o.subset !== null && !this.validationSplit) {
      throw argError(fn, 'subset', o.subset, 'no subset: the generator has no validationSplit (set it: new ImageDataGenerator({ validationSplit: 0.2 }))');
    }
    const data = flowArrays(
      {
        x: readArray(fn, 'x', x),
        y: y === undefined || y === null ? null : readArray(fn, 'y', y),
        sampleWeight: o.sampleWeight === undefined || o.sampleWeight === null ? null : readArray(fn, 'sampleWeight', o.sampleWeight),
        batchSize: intArg(fn, 'batchSize', o.batchSize, 32, 1),
        shuffle: boolArg(fn, 'shuffle', o.shuffle, true),
        seed: optionalIntArg(fn, 'seed', o.seed),
        subset: o.subset === undefined || o.subset === null ? null : choiceArg<'training' | 'validation'>(fn, 'subset', o.subset, ['training', 'validation'], 'training'),
        ignoreClassSplit: boolArg(fn, 'ignoreClassSplit', o.ignoreClassSplit, false),
      },
      this,
    );
    return new NumpyArrayIterator(data, this);
  }
}
