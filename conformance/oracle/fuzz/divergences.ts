/**
 * Where Keras 3 (the oracle) departs from Keras 2 (what keras-ts implements): a shrunk difference
 * that one of these explains is recorded as a documented divergence instead of a case. Each entry
 * quotes the Keras 2 source (keras-team/tf-keras, the Keras 2 code base, at tag v2.15.0) that
 * shows Keras 2's behaviour. NUMERICS lists differences that are rounding made large by an
 * ill-conditioned computation, with the reason; ORACLE_LIMITS what TensorFlow's CPU kernels (the
 * oracle runs with oneDNN off, see oracle.py) refuse to compute.
 */
import type { FuzzCase, Finding } from './check.js';
import { nodeInputShapes } from './models.js';

/** Why a difference is not a new bug: a Keras 3 divergence, ill-conditioned numerics, what the oracle's TensorFlow cannot compute, or a known keras-ts bug. */
export interface Explanation {
  kind: 'divergence' | 'numerics' | 'oracle' | 'bug';
  id: string;
  /** What differs, in words. */
  what: string;
  /** The Keras 2 source line showing Keras 2's behaviour (file:line and the line), or the reason. */
  source: string;
  /** Whether a (shrunk) case and its finding are explained by this entry. */
  explains(c: FuzzCase, f: Finding): boolean;
}
export type Divergence = Explanation;

const configText = (c: FuzzCase) => JSON.stringify(c.model.nodes.map((n) => n.layer));
const hasMaskSource = (c: FuzzCase) => c.model.nodes.some((n) => n.layer.class_name === 'Masking' || (n.layer.class_name === 'Embedding' && n.layer.config.mask_zero === true));

export const DIVERGENCES: readonly Explanation[] = [
  {
    kind: 'divergence',
    id: 'hard_sigmoid',
    what: "Keras 3's hard_sigmoid is relu6(x + 3) / 6 (slope 1/6); Keras 2's is clip(0.2 * x + 0.5, 0, 1), which keras-ts follows",
    source: 'tf_keras/backend.py:5941-5943 (hard_sigmoid): `x = tf.multiply(x, point_two)`, `x = tf.add(x, point_five)`, `x = tf.clip_by_value(x, 0.0, 1.0)`',
    explains: (c, f) => (f.kind === 'value' || f.kind === 'shape') && configText(c).includes('"hard_sigmoid"'),
  },
  {
    kind: 'divergence',
    id: 'ThresholdedReLU',
    what: "Keras 3 removed the ThresholdedReLU layer, so it cannot load a model holding one ('Unknown layer: ThresholdedReLU')",
    source: 'tf_keras/layers/activation/thresholded_relu.py:68 (ThresholdedReLU.call): `return inputs * tf.cast(tf.greater(inputs, self.theta), dtype)`',
    explains: (c, f) => f.kind === 'keras-error' && /Unknown layer: 'ThresholdedReLU'/.test(f.detail) && c.model.nodes.some((n) => n.layer.class_name === 'ThresholdedReLU'),
  },
  {
    kind: 'divergence',
    id: 'SeparableConv1D-causal',
    what: "Keras 3's SeparableConv1D refuses padding='causal' ('The `padding` argument must be ... one of {same, valid}'), so it cannot load such a model",
    source: 'tf_keras/layers/convolutional/separable_conv1d.py:171-172 (SeparableConv1D.call): `if self.padding == "causal":` `inputs = tf.pad(inputs, self._compute_causal_padding(inputs))`',
    explains: (c, f) => f.kind === 'keras-error' && c.model.nodes.some((n) => n.layer.class_name === 'SeparableConv1D' && n.layer.config.padding === 'causal'),
  },
  {
    kind: 'divergence',
    id: 'masked-merge',
    what: 'Keras 3 merges masked tensors differently: Multiply, Maximum and Minimum replace masked positions (by 1, or by the other input) and zero the masked output, and every merge ORs the masks (None when one input has none); Keras 2 applies the plain op and ANDs the masks that exist',
    source: 'tf_keras/layers/merging/multiply.py:48-50 (`output = output * inputs[i]`, no mask) and tf_keras/layers/merging/base_merge.py:236-238 (compute_mask: `backend.all(backend.concatenate(masks, axis=0), axis=0)`)',
    explains: (c, f) =>
      (f.kind === 'value' || f.kind === 'shape') &&
      hasMaskSource(c) &&
      c.model.nodes.some((n) => ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'].includes(n.layer.class_name)),
  },
  {
    kind: 'divergence',
    id: 'batchnorm-moving-variance',
    what: "training BatchNormalization on 4D/5D inputs (Keras 2's fused kernel), Keras 3 updates the moving variance with the biased batch variance; Keras 2 with the unbiased one (n / (n - 1)), which keras-ts follows",
    source:
      'tf_keras/layers/normalization/batch_normalization.py:243 (`self._bessels_correction_test_only = True`, so `_maybe_add_or_remove_bessels_correction` at :948-949 returns the variance unchanged) and :963-976 (`tf.compat.v1.nn.fused_batch_norm(..., is_training=True, exponential_avg_factor=...)`, whose running variance uses the Bessel-corrected batch variance); fused only for rank 4 or 5 (:357, :366)',
    explains: (c, f) => {
      if (f.phase !== 'train' || f.kind !== 'value' || !/moving_variance/.test(f.detail)) return false;
      const k = nodeOfWeight(f.detail);
      const shape = shapesOf(c)[k];
      return c.model.nodes[k]?.layer.class_name === 'BatchNormalization' && !!shape && (shape.length === 4 || shape.length === 5);
    },
  },
  {
    kind: 'divergence',
    id: 'sparse-embedding-adam',
    what: "Keras 3 on TensorFlow applies Embedding's IndexedSlices gradient (one row per lookup) without summing repeated indices first, so Adam's second moment adds Σg² for a token seen several times in a batch; Keras 2 sums them first ((Σg)², the dense update keras-ts makes)",
    source: 'tf_keras/optimizers/optimizer.py:649 (apply_gradients: `grads = self._deduplicate_sparse_grad(grads)`, which at :177-180 sums the values of repeated indices with `tf.math.unsorted_segment_sum`)',
    explains: (c, f) => f.phase === 'train' && f.kind === 'value' && c.model.nodes.some((n) => n.layer.class_name === 'Embedding') && c.train?.optimizer.class_name !== 'SGD',
  },
  {
    kind: 'divergence',
    id: 'keras3-tf-add-as-bias-add',
    what: "Keras 3's TensorFlow `ops.add(x, b)` turns an add whose second operand squeezes to a vector into `tf.nn.bias_add`, along axis 1 (NCHW) when that vector's length equals x.shape[1] and not x.shape[-1]; MultiHeadAttention's query/key/value projections add a bias of shape (num_heads, 1) when key_dim or value_dim is 1, so with a sequence as long as num_heads the bias is added along time instead of heads (keras/src/backend/tensorflow/numpy.py:108-129, Keras 3.15.1)",
    source: 'tf_keras/layers/core/einsum_dense.py:207-209 (EinsumDense.call: `ret = tf.einsum(self.equation, inputs, self.kernel)`, `ret += self.bias`, a broadcasting add)',
    explains: (c, f) =>
      (f.kind === 'value' || f.kind === 'shape') &&
      c.model.nodes.some((n) => n.layer.class_name === 'MultiHeadAttention' && (n.layer.config.num_heads as number) > 1 && (n.layer.config.key_dim === 1 || n.layer.config.value_dim === 1)),
  },
  {
    kind: 'divergence',
    id: 'keras3-batchnorm-positive-axis-mask',
    what: "Keras 3's BatchNormalization fails in training with a mask when its axis is non-negative (IndexError 'tuple index out of range' in BatchNormalization.call), and Keras 2 configs hold the axis non-negative (BatchNormalization(axis=2) fails the same way in Keras 3 alone)",
    source: 'tf_keras/layers/normalization/batch_normalization.py:327 (build: `self.axis = tf_utils.validate_axis(self.axis, input_shape)`, non-negative axes) and :811 (get_config: `"axis": self.axis`)',
    explains: (c, f) => f.kind === 'keras-error' && f.phase === 'train' && /BatchNormalization\.call/.test(f.detail) && hasMaskSource(c),
  },
  {
    kind: 'divergence',
    id: 'softmax-mask-broadcast',
    what: "Keras 3's Softmax refuses a mask that does not broadcast to its input aligned from the last axis ('The `mask` must be broadcastable to `inputs`'), such as an Embedding's [batch, time] mask on a [batch, time, 1] input; Keras 2 adds (1 - mask) * -1e9 with plain broadcasting (here to [batch, time, time] for a batch of 1 or of time), which keras-ts follows",
    source: 'tf_keras/layers/activation/softmax.py:93-99 (`adder = (1.0 - tf.cast(mask, inputs.dtype)) * (_large_compatible_negative(inputs.dtype))`, `inputs += adder`)',
    // Keras refuses the mask at load (or, when building the model, finds a later layer's weights of another shape than the broadcast gave).
    explains: (c, f) => f.kind === 'keras-error' && c.model.nodes.some((n) => n.layer.class_name === 'Softmax') && hasMaskSource(c),
  },
  {
    kind: 'divergence',
    id: 'concatenate-mask-any',
    what: "Keras 3's Concatenate combines its inputs' masks (an unmasked input counting as all true) with `any` over the last axis, so concatenating a masked tensor with an unmasked one gives a mask that keeps every step; Keras 2 uses `all`, so the masked steps stay masked (keras-ts follows Keras 2)",
    source: 'tf_keras/layers/merging/concatenate.py:188-189 (compute_mask: `concatenated = backend.concatenate(masks, axis=self.axis)`, `return backend.all(concatenated, axis=-1, keepdims=False)`)',
    explains: (c, f) => (f.kind === 'value' || f.kind === 'shape') && hasMaskSource(c) && c.model.nodes.some((n) => n.layer.class_name === 'Concatenate'),
  },
  {
    kind: 'divergence',
    id: 'mha-query-mask',
    what: "Keras 3.15.1's MultiHeadAttention does not mask a masked query as Keras 2 does: for a query carrying a Keras mask its output at the masked query steps differs (by ~1e-4 in the shrunk case) from the output with Keras 2's attention mask, query_mask[:, :, None], passed explicitly, which keras-ts matches to 1e-7 (and an explicit query_mask argument is ignored: call() overwrites it with the tensor's mask)",
    source: 'tf_keras/layers/attention/multi_head_attention.py:647-654 (_compute_attention_mask: `query_mask = getattr(query, "_keras_mask", None)` ... `auto_mask = query_mask[:, :, tf.newaxis]  # shape is [B, T, 1]`)',
    explains: (c, f) => (f.kind === 'value' || f.kind === 'shape') && hasMaskSource(c) && c.model.nodes.some((n) => n.layer.class_name === 'MultiHeadAttention'),
  },
  {
    kind: 'divergence',
    id: 'keras3-mask-through-preprocessing',
    what: "Keras 3's Rescaling (and its preprocessing Normalization and Identity) set supports_masking, so a mask passes through them to the layers after (Masking -> Rescaling -> Bidirectional(LSTM) then skips the padded steps); Keras 2's do not support masking, so the mask stops there and the later layers see every step (measured with tf_keras 2.21 on the shrunk case: its output equals the model's without Masking), which keras-ts follows",
    source: 'tf_keras/layers/preprocessing/image_preprocessing.py:356-366 (Rescaling: no supports_masking, call returns `tf.cast(inputs, dtype) * scale + offset`, a tensor without `_keras_mask`) and tf_keras/engine/base_layer.py:365 (`self._supports_masking = not generic_utils.is_default(self.compute_mask)`: False for a layer that keeps the default compute_mask, so __call__ sets no mask on its output, :2854)',
    explains: (c, f) => (f.kind === 'value' || f.kind === 'shape') && hasMaskSource(c) && c.model.nodes.some((n) => ['Rescaling', 'Normalization', 'Identity'].includes(n.layer.class_name)),
  },

];

/** The node a weight path belongs to (`dense_3/kernel` -> 3), or -1. */
const nodeOfWeight = (detail: string): number => Number(/ ([a-z0-9_]+?)_(\d+)\//.exec(detail)?.[2] ?? -1);

/** The input shapes of a case's layers, or [] when keras-ts cannot build it. */
const shapesOf = (c: FuzzCase): ((number | null)[] | null)[] => {
  try {
    return nodeInputShapes(c.model);
  } catch {
    return [];
  }
};

/** Whether a normalization layer of the case normalizes groups of one value (its output is its offset plus rounding). */
function degenerateNormalization(c: FuzzCase): boolean {
  const shapes = shapesOf(c);
  return c.model.nodes.some((n, k) => {
    const shape = shapes[k];
    if (!shape) return false;
    const rank = shape.length;
    const at = (a: number) => shape[a < 0 ? a + rank : a] ?? 0;
    if (n.layer.class_name === 'LayerNormalization') {
      const axis = n.layer.config.axis ?? -1;
      return (Array.isArray(axis) ? axis : [axis]).reduce((p: number, a) => p * at(a as number), 1) === 1;
    }
    if (n.layer.class_name === 'GroupNormalization') {
      const groups = (n.layer.config.groups as number) ?? 32;
      const channels = at(-1);
      return (shape.slice(1, -1) as number[]).reduce((p, d) => p * d, 1) * (channels / (groups === -1 ? channels : groups)) === 1;
    }
    return false;
  });
}

export const NUMERICS: readonly Explanation[] = [
  {
    kind: 'numerics',
    id: 'normalization-small-epsilon',
    what: 'a normalization with a small epsilon (1e-5) over a group of nearly equal values divides their rounding by sqrt(variance + epsilon), up to 1 / sqrt(1e-5) = 316: a rounding difference of 1e-7 becomes ~3e-5, above the 1e-5 tolerance, on both sides alike',
    source: 'ill-conditioned: not a Keras difference (the difference stays below 1e-4 and goes away with epsilon 1e-3)',
    explains: (c, f) => f.kind === 'value' && (f.maxAbs ?? 1) < 1e-4 && c.model.nodes.some((n) => /Normalization$/.test(n.layer.class_name) && typeof n.layer.config.epsilon === 'number' && n.layer.config.epsilon <= 1e-4),
  },
  {
    kind: 'numerics',
    id: 'normalizing-rounding-noise',
    what: 'a LayerNormalization or GroupNormalization over groups of a single value outputs its offset plus rounding (x * inv + (beta - mean * inv), as Keras 3 and tf.nn.batch_normalization compute it); a later normalization of those near-equal values divides the rounding by sqrt(epsilon), so each side shows its own rounding noise',
    source: 'ill-conditioned: not a Keras difference; the fuzzer draws no such normalization, but shrinking the inputs can make one',
    explains: (c, f) => f.kind === 'value' && (f.maxAbs ?? 1) < 1e-3 && c.model.nodes.filter((n) => /Normalization$/.test(n.layer.class_name)).length >= 2 && degenerateNormalization(c),
  },
  {
    kind: 'numerics',
    id: 'adam-zero-gradient-before-batchnorm',
    what: "a weight feeding BatchNormalization in training mode per channel (a bias, a depthwise kernel) has an exact gradient of 0 (the batch mean and scale absorb it); each side computes rounding noise (~1e-6) instead, and Adam with its default epsilon (1e-7) scales any nonzero gradient to a step of about the learning rate, so the noise becomes a difference of order lr",
    source: 'ill-conditioned: not a Keras difference; the fuzzer draws Adam with epsilon 1e-3 mostly to avoid it',
    explains: (c, f) => {
      if (f.phase !== 'train' || f.kind !== 'value' || c.train?.optimizer.class_name !== 'Adam' || 'epsilon' in c.train.optimizer.config) return false;
      const k = nodeOfWeight(f.detail);
      return k >= 0 && c.model.nodes.some((n, i) => i > k && n.layer.class_name === 'BatchNormalization');
    },
  },
  {
    kind: 'numerics',
    id: 'adam-zero-gradient-batchnorm-single-value',
    what: "BatchNormalization trained on a batch whose channels hold one value each (batch 1 and no other axis to average over) normalizes x - mean = 0 exactly, so gamma's gradient is exactly 0; a backend whose backward pass rounds differently (backend-tfjs on cpu) computes rounding noise instead (~1e-7), and Adam with its default epsilon (1e-7) scales any nonzero gradient to a step of about the learning rate",
    source: 'ill-conditioned: not a Keras difference (measured on the shrunk case 2026:10526: backend-ts and Keras give gamma a gradient of 0, backend-tfjs 4e-8 to 7e-7, and Adam turns that into a step of ~1e-3)',
    explains: (c, f) => {
      if (f.phase !== 'train' || f.kind !== 'value' || !/\/gamma\[/.test(f.detail) || c.train?.optimizer.class_name !== 'Adam' || 'epsilon' in c.train.optimizer.config) return false;
      const k = nodeOfWeight(f.detail);
      const node = c.model.nodes[k];
      const shape = shapesOf(c)[k];
      if (node?.layer.class_name !== 'BatchNormalization' || !shape) return false;
      const rank = shape.length;
      const axis = typeof node.layer.config.axis === 'number' ? node.layer.config.axis : -1;
      const channel = axis < 0 ? axis + rank : axis;
      const others = shape.slice(1).reduce((p: number, d, i) => (i + 1 === channel ? p : p * (d ?? 1)), 1);
      const t = c.train;
      const smallest = t.samples % t.batch_size === 0 ? t.batch_size : Math.min(t.batch_size, t.samples % t.batch_size);
      return smallest * others === 1;
    },
  },
];

export const ORACLE_LIMITS: readonly Explanation[] = [
  {
    kind: 'oracle',
    id: 'tf-depthwise-unequal-strides',
    what: "TensorFlow's CPU depthwise convolution refuses different row and column strides ('Current implementation only supports equal length strides in the row and column dimensions'), so Keras cannot run SeparableConv2D or DepthwiseConv2D with strides (a, b), a != b; nothing to compare",
    source: 'TensorFlow 2.21 (Eigen kernels; the oracle turns oneDNN off because its kernels give wrong convolutions)',
    explains: (c, f) => f.kind === 'keras-error' && /equal length strides/.test(f.detail),
  },
  {
    kind: 'oracle',
    id: 'tf-conv-transpose-dilation',
    what: "TensorFlow's CPU Conv2DBackpropInput refuses dilation rates above 1 ('Current CPU implementations do not yet support dilation rates larger than 1'), so Keras cannot run Conv2DTranspose with dilation_rate > 1; nothing to compare",
    source: 'TensorFlow 2.21 (Eigen kernels; the oracle turns oneDNN off because its kernels give wrong convolutions)',
    explains: (c, f) => f.kind === 'keras-error' && /dilation rates larger than 1/.test(f.detail),
  },
];
