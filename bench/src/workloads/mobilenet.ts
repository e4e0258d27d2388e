/**
 * MobileNetV2 workloads: Keras' `MobileNetV2(alpha, input_shape=(224, 224, 3))` architecture
 * (stem conv, 17 inverted-residual blocks of 1x1 expansion, 3x3 depthwise conv and 1x1
 * projection, each followed by BatchNormalization and ReLU6 except the projection, residual Add
 * where shapes allow, 1280-channel head, global average pooling, Dense 1000 softmax), built from
 * our layers and from tfjs-layers with the same layer names and the same weights, predict on a
 * batch of images: alpha 0.35 at batch 8, and the application's default alpha 1.0 at batch 1 and 8
 * (see index.ts).
 *
 * The architecture is written once (mobilenet-arch.ts) over a small set of layer constructors,
 * so both models are the same graph. BatchNormalization statistics and scales are randomized
 * (not the initial 0/1), so the inference-mode normalization is really exercised.
 */
import * as tf from '@tensorflow/tfjs';
import { Input, Model } from '@keras-ts/keras';
import { randomData, type Workload } from './common.js';
import { countingBuilder, mobilenetV2, oursBuilder, randomizeBatchNorm, SIZE, tfjsBuilder } from './mobilenet-arch.js';
import { modelWorkload, standardTargets } from './model-workload.js';
import { pythonTarget } from './keras-peer.js';

const BATCH = 8;
const ALPHA = 0.35;

export { mobilenetV2, randomizeBatchNorm } from './mobilenet-arch.js';

/** MobileNetV2 (224x224x3) with width multiplier `alpha`, predict on a batch of `batch` images. */
export function mobilenetWorkload(alpha = ALPHA, batch = BATCH): Workload {
  return modelWorkload({
    name: `mobilenetv2 a${alpha} ${SIZE}x${SIZE} b${batch} predict`,
    flops: batch * mobilenetV2(countingBuilder, null, alpha).flops,
    ours: () => {
      const inp = Input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      return new Model({ inputs: inp, outputs: mobilenetV2(oursBuilder, inp, alpha).out, name: `mobilenetv2_${alpha.toFixed(2)}_${SIZE}` });
    },
    theirs: () => {
      const tin = tf.input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      return tf.model({ inputs: tin, outputs: mobilenetV2(tfjsBuilder, tin, alpha).out });
    },
    init: randomizeBatchNorm,
    task: { kind: 'predict', x: { shape: [batch, SIZE, SIZE, 3], data: randomData(batch * SIZE * SIZE * 3, 41) }, batch },
    python: { build: `keras.applications.MobileNetV2(alpha=${alpha}, weights=None, input_shape=(${SIZE}, ${SIZE}, 3))` },
    // keras-ts/onnx at least 2x faster than Python Keras: on the application (alpha 1.0) at batch 1.
    targets: [...standardTargets(3), ...(alpha === 1 && batch === 1 ? [pythonTarget()] : [])],
    // A run takes 0.01-3 s: two warm-up runs (backend-onnx builds its session with the weights
    // baked in on the second), then at least five measured runs and 1.5 s per peer (a slow peer
    // stops after five runs; ~150 runs of a 10 ms one give steady medians for the close targets).
    minRuns: 5,
    minTimeMs: 1500,
    warmupRuns: 2,
  });
}
