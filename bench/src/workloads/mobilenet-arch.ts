/**
 * The MobileNetV2 architecture of the model workloads, written once over a small set of layer
 * constructors ({@link mobilenetV2}) and built from our layers and from tfjs-layers with the same
 * layer names, so both models are the same graph. Free of Node: the browser bench page
 * (bench/src/browser/) builds the same models.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Add,
  BatchNormalization,
  Conv2D,
  Dense,
  DepthwiseConv2D,
  GlobalAveragePooling2D,
  ReLU,
  ZeroPadding2D,
  type KerasTensor,
  type Model,
} from '@keras-ts/keras';
import { randomData } from './random.js';

/** The input's height and width. */
export const SIZE = 224;
const ALPHA = 0.35;
const CLASSES = 1000;

/** The layer constructors the architecture needs, applied to a tensor of type T. */
export interface Builder<T> {
  conv(x: T, name: string, filters: number, kernel: number, strides: number): T;
  depthwise(x: T, name: string, strides: number, padding: 'same' | 'valid'): T;
  bn(x: T, name: string): T;
  relu6(x: T, name: string): T;
  pad(x: T, name: string, pads: [[number, number], [number, number]]): T;
  add(a: T, b: T, name: string): T;
  gap(x: T, name: string): T;
  dense(x: T, name: string, units: number): T;
}

/** Keras' _make_divisible. */
function makeDivisible(v: number, divisor = 8): number {
  let nv = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (nv < 0.9 * v) nv += divisor;
  return nv;
}

interface Feat<T> {
  t: T;
  h: number;
  w: number;
  c: number;
}

/**
 * keras.applications.MobileNetV2 (Keras 2.x), include_top, on a [SIZE, SIZE, 3] input.
 * Returns the output and the multiply-adds x 2 of one image.
 */
export function mobilenetV2<T>(b: Builder<T>, input: T, alpha = ALPHA): { out: T; flops: number } {
  let flops = 0;
  const conv = (x: Feat<T>, name: string, filters: number, k: number, s: number): Feat<T> => {
    const h = Math.ceil(x.h / s), w = Math.ceil(x.w / s);
    flops += 2 * h * w * k * k * x.c * filters;
    return { t: b.conv(x.t, name, filters, k, s), h, w, c: filters };
  };
  const dw = (x: Feat<T>, name: string, s: number): Feat<T> => {
    const h = s === 1 ? x.h : Math.floor((x.h - 3) / 2) + 1;
    const w = s === 1 ? x.w : Math.floor((x.w - 3) / 2) + 1;
    flops += 2 * h * w * 9 * x.c;
    return { t: b.depthwise(x.t, name, s, s === 1 ? 'same' : 'valid'), h, w, c: x.c };
  };
  const map = (x: Feat<T>, t: T): Feat<T> => ({ ...x, t });

  let x: Feat<T> = { t: input, h: SIZE, w: SIZE, c: 3 };
  x = conv(x, 'Conv1', makeDivisible(32 * alpha), 3, 2);
  x = map(x, b.relu6(b.bn(x.t, 'bn_Conv1'), 'Conv1_relu'));

  const block = (inp: Feat<T>, filters: number, stride: number, expansion: number, id: number): Feat<T> => {
    const pw = makeDivisible(Math.trunc(filters * alpha));
    const prefix = id ? `block_${id}_` : 'expanded_conv_';
    let y = inp;
    if (id) {
      y = conv(y, `${prefix}expand`, expansion * inp.c, 1, 1);
      y = map(y, b.relu6(b.bn(y.t, `${prefix}expand_BN`), `${prefix}expand_relu`));
    }
    if (stride === 2) {
      // imagenet_utils.correct_pad for even sizes: ((0, 1), (0, 1)).
      const ph: [number, number] = y.h % 2 === 0 ? [0, 1] : [1, 1];
      const pw2: [number, number] = y.w % 2 === 0 ? [0, 1] : [1, 1];
      y = { t: b.pad(y.t, `${prefix}pad`, [ph, pw2]), h: y.h + ph[0] + ph[1], w: y.w + pw2[0] + pw2[1], c: y.c };
    }
    y = dw(y, `${prefix}depthwise`, stride);
    y = map(y, b.relu6(b.bn(y.t, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`));
    y = conv(y, `${prefix}project`, pw, 1, 1);
    y = map(y, b.bn(y.t, `${prefix}project_BN`));
    if (inp.c === pw && stride === 1) y = map(y, b.add(inp.t, y.t, `${prefix}add`));
    return y;
  };
  const plan: [number, number, number][] = [
    [16, 1, 1],
    [24, 2, 6], [24, 1, 6],
    [32, 2, 6], [32, 1, 6], [32, 1, 6],
    [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
    [96, 1, 6], [96, 1, 6], [96, 1, 6],
    [160, 2, 6], [160, 1, 6], [160, 1, 6],
    [320, 1, 6],
  ];
  plan.forEach(([f, s, e], id) => (x = block(x, f, s, e, id)));
  const last = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
  x = conv(x, 'Conv_1', last, 1, 1);
  x = map(x, b.relu6(b.bn(x.t, 'Conv_1_bn'), 'out_relu'));
  const g = b.gap(x.t, 'global_average_pooling2d');
  flops += 2 * last * CLASSES;
  return { out: b.dense(g, 'predictions', CLASSES), flops };
}

/** The architecture built from our layers. */
export const oursBuilder: Builder<KerasTensor> = {
  conv: (x, name, filters, kernel, strides) => new Conv2D({ filters, kernelSize: kernel, strides, padding: 'same', useBias: false, name }).apply(x),
  depthwise: (x, name, strides, padding) => new DepthwiseConv2D({ kernelSize: 3, strides, padding, useBias: false, name }).apply(x),
  bn: (x, name) => new BatchNormalization({ epsilon: 1e-3, momentum: 0.999, name }).apply(x),
  relu6: (x, name) => new ReLU({ maxValue: 6, name }).apply(x),
  pad: (x, name, pads) => new ZeroPadding2D({ padding: pads, name }).apply(x),
  add: (a, c, name) => new Add({ name }).apply([a, c]),
  gap: (x, name) => new GlobalAveragePooling2D({ name }).apply(x),
  dense: (x, name, units) => new Dense({ units, activation: 'softmax', name }).apply(x),
};

type SymT = tf.SymbolicTensor;
const s = (v: unknown) => v as SymT;

/** The architecture built from tfjs-layers. */
export const tfjsBuilder: Builder<SymT> = {
  conv: (x, name, filters, kernel, strides) => s(tf.layers.conv2d({ filters, kernelSize: kernel, strides, padding: 'same', useBias: false, name }).apply(x)),
  depthwise: (x, name, strides, padding) => s(tf.layers.depthwiseConv2d({ kernelSize: 3, strides, padding, useBias: false, name }).apply(x)),
  bn: (x, name) => s(tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name }).apply(x)),
  relu6: (x, name) => s(tf.layers.reLU({ maxValue: 6, name }).apply(x)),
  pad: (x, name, pads) => s(tf.layers.zeroPadding2d({ padding: pads, name }).apply(x)),
  add: (a, c, name) => s(tf.layers.add({ name }).apply([a, c])),
  gap: (x, name) => s(tf.layers.globalAveragePooling2d({ name }).apply(x)),
  dense: (x, name, units) => s(tf.layers.dense({ units, activation: 'softmax', name }).apply(x)),
};

/** Builds nothing: for counting FLOPs. */
export const countingBuilder: Builder<null> = {
  conv: () => null,
  depthwise: () => null,
  bn: () => null,
  relu6: () => null,
  pad: () => null,
  add: () => null,
  gap: () => null,
  dense: () => null,
};

/**
 * Gives every BatchNormalization layer random (but sane) gamma (when it has one: `scale`), beta
 * (`center`), moving mean and variance.
 */
export function randomizeBatchNorm(model: Model): void {
  let seed = 1000;
  for (const l of model.layers) {
    if (!(l instanceof BatchNormalization)) continue;
    const ws = l.getWeights();
    const c = ws[0].shape[0];
    const values: Float32Array[] = [];
    if (l.scale) values.push(randomData(c, seed++, 0.5, 1.5));
    if (l.center) values.push(randomData(c, seed++, -0.2, 0.2));
    values.push(randomData(c, seed++, -0.2, 0.2), randomData(c, seed++, 0.5, 1.5));
    l.setWeights(values.map((data) => ({ shape: [c], dtype: 'float32' as const, data })));
  }
}
