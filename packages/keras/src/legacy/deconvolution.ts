import { registerClass, type CustomObjects, type SerializableClass } from '../config/serialization.js';
import { Conv2DTranspose } from '../layers/convolutional/conv2d-transpose.js';
import { Conv3DTranspose } from '../layers/convolutional/conv3d-transpose.js';

/**
 * Keras 2's other names of the transposed convolutions: `Deconvolution2D` (Keras 1's name, whose
 * arguments `nb_filter`, `nb_row`, `nb_col`, `subsample`, `border_mode`, `dim_ordering` and
 * `output_shape` are converted by Conv2DTranspose) and `Deconv2D`, `Deconvolution3D`, `Deconv3D`.
 * Configs naming them load the Keras 2 classes.
 */
registerClass('layer', { className: 'Deconvolution2D', fromConfig: (c: Record<string, unknown>, custom?: CustomObjects) => (Conv2DTranspose as unknown as SerializableClass).fromConfig(c, custom) }, 'Deconv2D');
registerClass('layer', { className: 'Deconvolution3D', fromConfig: (c: Record<string, unknown>, custom?: CustomObjects) => (Conv3DTranspose as unknown as SerializableClass).fromConfig(c, custom) }, 'Deconv3D');

export { Conv2DTranspose as Deconvolution2D, Conv2DTranspose as Deconv2D, Conv3DTranspose as Deconvolution3D, Conv3DTranspose as Deconv3D };
