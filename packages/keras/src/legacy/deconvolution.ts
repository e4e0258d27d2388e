import { Conv2DTranspose } from '../layers/convolutional/conv2d-transpose.js';
import { Conv3DTranspose } from '../layers/convolutional/conv3d-transpose.js';

/**
 * Keras 2's other names of the transposed convolutions: `Deconvolution2D` (Keras 1's name, whose
 * arguments `nb_filter`, `nb_row`, `nb_col`, `subsample`, `border_mode`, `dim_ordering` and
 * `output_shape` are converted by Conv2DTranspose) and `Deconv2D`, `Deconvolution3D`, `Deconv3D`.
 * Configs naming them load the Keras 2 classes (their entries are in layers/builtin-layers.ts).
 */
export { Conv2DTranspose as Deconvolution2D, Conv2DTranspose as Deconv2D, Conv3DTranspose as Deconvolution3D, Conv3DTranspose as Deconv3D };
