/**
 * `keras.losses`: the loss classes, and the loss functions (`mse`, `binaryCrossentropy` /
 * `binary_crossentropy`, ...) taking symbolic tensors, functional placeholders or concrete tensors.
 * @example const reconstruction = losses.binary_crossentropy(inputs, outputs); // in functional code
 * @module
 */
export * from '../losses/index.js';
export { meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, huber, logCosh, cosineSimilarity, binaryCrossentropy, binaryFocalCrossentropy, categoricalCrossentropy, categoricalFocalCrossentropy, sparseCategoricalCrossentropy, hinge, squaredHinge, categoricalHinge, klDivergence, poisson, mse, mae, mape, msle, mean_squared_error, mean_absolute_error, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, kld } from '../keras-backend/loss-functions.js';
