/**
 * Keras 2's `keras.preprocessing.image`: the `ImageDataGenerator` and the iterators its `flow`
 * returns.
 *
 * @example
 * import { preprocessing } from '@keras-ts/keras';
 * const datagen = new preprocessing.image.ImageDataGenerator({ horizontalFlip: true, rescale: 1 / 255 });
 * await model.fit(datagen.flow(x, y, { batchSize: 32 }), { epochs: 5 });
 */
export { ImageDataGenerator, type FlowOptions, type GeneratorFitOptions } from './image-data-generator.js';
export type { ImageDataGeneratorOptions, ShiftRange } from './generator-options.js';
export type { TransformParameters } from './transform-parameters.js';
export type { FillMode } from './sampling.js';
export { NumpyArrayIterator, type ImageBatch } from './numpy-array-iterator.js';
export { ImageIterator as Iterator } from './image-iterator.js';
