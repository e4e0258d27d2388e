#!/usr/bin/env python3
"""Regenerates the keras-ts conformance goldens with real Keras 3.

Every case is one JSON file in the `keras-golden/1` format that conformance/goldens/README.md
describes; the numbers in it are what Keras computed. CI runs a subset with the oracle's venv
(Keras on TensorFlow) and checks that keras-ts passes it (conformance/test/generator.test.ts);
see README.md beside this file.

    pip install keras==3.16 torch
    KERAS_BACKEND=torch python generate_goldens.py --out DIR [--only PREFIX ...] [--list]

Any Keras 3 backend works (torch, tensorflow, jax); only torch and tensorflow record the first
batch's gradients of the training cases (the field is optional in the format). The cases are
deterministic: each draws its data from a generator seeded by its id.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import zlib

# The goldens are CPU float32 numbers: hide any GPU before a backend is imported.
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

FORMAT = "keras-golden/1"

# Tolerances per kind, as the vendored goldens state them: a value v passes against golden g when
# |v - g| <= atol + rtol * |g|. Single ops are tight; whole models and training are looser because
# float32 sums may be ordered differently.
TOLERANCE = {
    "activation": {"rtol": 1e-05, "atol": 1e-06},
    "loss": {"rtol": 1e-05, "atol": 1e-06},
    "optimizer": {"rtol": 1e-05, "atol": 1e-06},
    "layer": {"rtol": 0.0001, "atol": 1e-05},
    "metric": {"rtol": 0.0001, "atol": 1e-05},
    "model": {"rtol": 0.0001, "atol": 1e-05},
    "training": {"rtol": 0.001, "atol": 0.0001},
}
BIG_MODEL_TOLERANCE = {"rtol": 0.001, "atol": 1e-05}


# --------------------------------------------------------------------------------------------
# Determinism and serialization
# --------------------------------------------------------------------------------------------


def configure_backend() -> str:
    """Makes the backend compute in plain float32, deterministically; returns its tag."""
    backend = keras.backend.backend()
    keras.config.set_floatx("float32")
    if backend == "torch":
        import torch

        torch.use_deterministic_algorithms(True)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    elif backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        tf.config.experimental.enable_tensor_float_32_execution(False)
    elif backend == "jax":
        import jax

        jax.config.update("jax_default_matmul_precision", "highest")
    return f"{backend}-cpu-float32"


def f32(v) -> float | str:
    """A float32 as the shortest decimal that reads back to the same float32 (NaN and infinities
    as strings, which the runner reads)."""
    v = np.float32(v)
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(str(v))


def tensor(value, name: str | None = None, trainable: bool | None = None) -> dict:
    """A tensor as the format stores it: shape, dtype, flat row-major data (and a weight's name)."""
    a = np.asarray(keras.ops.convert_to_numpy(value))
    if a.dtype == np.bool_:
        out = {"shape": list(a.shape), "dtype": "bool", "data": [bool(v) for v in a.reshape(-1)]}
    elif np.issubdtype(a.dtype, np.integer):
        out = {"shape": list(a.shape), "dtype": "int32", "data": [int(v) for v in a.reshape(-1)]}
    else:
        out = {"shape": list(a.shape), "dtype": "float32", "data": [f32(v) for v in a.astype(np.float32).reshape(-1)]}
    if name is not None:
        out["name"] = name
    if trainable is not None:
        out["trainable"] = bool(trainable)
    return out


def tensors(values) -> list:
    return [tensor(v) for v in (values if isinstance(values, (list, tuple)) else [values])]


def tensor_or_list(values):
    """One tensor for a single array, a list for several (model inputs, outputs, targets)."""
    return [tensor(v) for v in values] if isinstance(values, (list, tuple)) else tensor(values)


def serialize(obj) -> dict:
    return keras.saving.serialize_keras_object(obj)


def seed_of(case_id: str) -> int:
    return zlib.crc32(case_id.encode("utf-8"))


def rng_of(case_id: str) -> np.random.Generator:
    keras.utils.set_random_seed(seed_of(case_id) % (2**31))
    return np.random.default_rng(seed_of(case_id))


def uniform(rng: np.random.Generator, shape, low=-1.0, high=1.0) -> np.ndarray:
    return rng.uniform(low, high, size=shape).astype(np.float32)


def randomize_weights(obj, rng: np.random.Generator) -> None:
    """Gives every weight a random value, so that no case depends on an initializer. Variances
    (BatchNormalization's moving_variance) stay positive."""
    for v in obj.weights:
        if "float" not in str(v.dtype):
            continue
        if v.path.endswith("variance"):
            v.assign(uniform(rng, v.shape, 0.5, 1.5))
        else:
            v.assign(uniform(rng, v.shape, -0.5, 0.5))


# --------------------------------------------------------------------------------------------
# Writing cases
# --------------------------------------------------------------------------------------------


class Writer:
    def __init__(self, out: str, only: list[str], list_only: bool, backend_tag: str):
        self.out = out
        self.only = only
        self.list_only = list_only
        self.backend_tag = backend_tag
        self.count = 0

    def wants(self, case_id: str) -> bool:
        if self.list_only:
            print(case_id)
            return False
        return not self.only or any(case_id.startswith(p) for p in self.only)

    def write(self, case_id: str, kind: str, fields: dict, tolerance: dict | None = None, after_tolerance: dict | None = None) -> None:
        case = {"id": case_id, "kind": kind, **fields, "tolerance": tolerance or TOLERANCE[kind]}
        case.update(after_tolerance or {})
        case.update({"format": FORMAT, "keras_version": keras.__version__, "backend": self.backend_tag})
        path = os.path.join(self.out, *case_id.split("/")) + ".json"
        write_atomic(path, json.dumps(case, separators=(",", ":"), allow_nan=False))
        self.count += 1
        print(f"wrote {case_id}", file=sys.stderr)

    def files_dir(self) -> str:
        d = os.path.join(self.out, "files")
        os.makedirs(d, exist_ok=True)
        return d


def write_atomic(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# --------------------------------------------------------------------------------------------
# activation: apply an activation by name
# --------------------------------------------------------------------------------------------

# hard_sigmoid is left out on purpose: Keras 3 changed it to relu6(x + 3) / 6, and the project
# follows Keras 2's clip(0.2x + 0.5, 0, 1) (see conformance/cases-handwritten/).
ACTIVATIONS = [
    "elu", "exponential", "gelu", "hard_silu", "leaky_relu", "linear", "log_softmax", "mish", "relu",
    "relu6", "selu", "sigmoid", "silu", "softmax", "softplus", "softsign", "swish", "tanh",
]


def gen_activations(w: Writer) -> None:
    for name in ACTIVATIONS:
        case_id = f"activations/{name}"
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        # A grid over [-6, 6] (the corners of relu6, the saturations) and a few random values.
        x = np.concatenate([np.linspace(-6, 6, 25, dtype=np.float32), uniform(rng, 11, -3, 3)]).reshape(4, 9)
        y = keras.activations.get(name)(keras.ops.convert_to_tensor(x))
        w.write(case_id, "activation", {"activation": name, "inputs": [tensor(x)], "outputs": [tensor(y)]})


# --------------------------------------------------------------------------------------------
# layer: deserialize, build, set weights, call, compare outputs (and weights after the call)
# --------------------------------------------------------------------------------------------


def layer_specs():
    """(id, layer factory, input shapes, options). Options: list (inputs as a list), positional
    (inputs as separate arguments), training, weights_after, int_inputs (exclusive upper bound of
    integer inputs), zeros_tail (integer inputs padded with zeros, for masking)."""
    specs = []
    for act in ACTIVATIONS:
        if act == "silu":  # the vendored set has swish, the same function
            continue
        specs.append((f"layers/Dense/act_{act}", lambda act=act: layers.Dense(4, activation=act), [(2, 5)], {}))
    specs += [
        ("layers/Dense/no_bias", lambda: layers.Dense(3, use_bias=False), [(2, 5)], {}),
        ("layers/Dense/rank3", lambda: layers.Dense(3), [(2, 3, 5)], {}),
    ]
    for padding in ("valid", "same", "causal"):
        for strides, dilation in ((1, 1), (2, 1), (1, 2)):
            specs.append((f"layers/Conv1D/{padding}_s{strides}_d{dilation}", lambda p=padding, s=strides, d=dilation: layers.Conv1D(3, 3, strides=s, dilation_rate=d, padding=p), [(2, 9, 2)], {}))
    for padding in ("valid", "same"):
        for strides, dilation in ((1, 1), (2, 1), (1, 2)):
            specs.append((f"layers/Conv2D/{padding}_s{strides}_d{dilation}", lambda p=padding, s=strides, d=dilation: layers.Conv2D(3, 3, strides=s, dilation_rate=d, padding=p), [(2, 7, 6, 2)], {}))
        for strides in (1, 2):
            specs.append((f"layers/Conv2DTranspose/{padding}_s{strides}", lambda p=padding, s=strides: layers.Conv2DTranspose(2, 3, strides=s, padding=p), [(2, 4, 4, 3)], {}))
    specs += [
        ("layers/Conv2D/groups2", lambda: layers.Conv2D(4, 3, groups=2), [(2, 5, 5, 4)], {}),
        ("layers/Conv2D/kernel_2x3_no_bias", lambda: layers.Conv2D(2, (2, 3), use_bias=False), [(2, 5, 6, 3)], {}),
        ("layers/DepthwiseConv2D/dm2_same", lambda: layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same"), [(2, 5, 5, 2)], {}),
        ("layers/SeparableConv2D/valid", lambda: layers.SeparableConv2D(4, 3), [(2, 6, 6, 2)], {}),
        ("layers/Conv3D/valid", lambda: layers.Conv3D(2, 2), [(2, 4, 4, 4, 2)], {}),
        ("layers/MaxPooling2D/same", lambda: layers.MaxPooling2D(2, padding="same"), [(2, 5, 5, 2)], {}),
        ("layers/MaxPooling2D/valid", lambda: layers.MaxPooling2D(2), [(2, 5, 5, 2)], {}),
        ("layers/AveragePooling1D/same", lambda: layers.AveragePooling1D(3, strides=2, padding="same"), [(2, 7, 3)], {}),
        ("layers/AveragePooling2D/valid", lambda: layers.AveragePooling2D(2), [(2, 7, 6, 2)], {}),
        ("layers/GlobalAveragePooling2D/basic", lambda: layers.GlobalAveragePooling2D(), [(2, 4, 5, 3)], {}),
        ("layers/GlobalMaxPooling1D/basic", lambda: layers.GlobalMaxPooling1D(), [(2, 5, 3)], {}),
        # Recurrent layers: the gates are Keras 2 and Keras 3's defaults (sigmoid, reset_after=True).
        ("layers/LSTM/seq_False", lambda: layers.LSTM(4), [(2, 5, 3)], {}),
        ("layers/LSTM/seq_True", lambda: layers.LSTM(4, return_sequences=True), [(2, 5, 3)], {}),
        ("layers/LSTM/return_state", lambda: layers.LSTM(3, return_state=True), [(2, 5, 2)], {}),
        ("layers/LSTM/go_backwards", lambda: layers.LSTM(3, go_backwards=True), [(2, 5, 2)], {}),
        ("layers/GRU/seq_True", lambda: layers.GRU(4, return_sequences=True), [(2, 5, 3)], {}),
        ("layers/GRU/reset_after_false", lambda: layers.GRU(4, reset_after=False), [(2, 5, 3)], {}),
        ("layers/SimpleRNN/seq_True", lambda: layers.SimpleRNN(4, return_sequences=True), [(2, 5, 3)], {}),
        ("layers/Bidirectional/lstm_concat", lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True)), [(2, 5, 2)], {}),
        ("layers/Bidirectional/simple_none", lambda: layers.Bidirectional(layers.SimpleRNN(3), merge_mode=None), [(2, 4, 3)], {}),
        ("layers/TimeDistributed/dense", lambda: layers.TimeDistributed(layers.Dense(3)), [(2, 4, 5)], {}),
        # Normalization; the training case checks the moving statistics after the call.
        ("layers/BatchNormalization/inference", lambda: layers.BatchNormalization(), [(4, 5)], {}),
        ("layers/BatchNormalization/training", lambda: layers.BatchNormalization(), [(4, 5)], {"training": True, "weights_after": True}),
        ("layers/BatchNormalization/conv_axis", lambda: layers.BatchNormalization(axis=-1), [(2, 3, 3, 4)], {}),
        ("layers/LayerNormalization/basic", lambda: layers.LayerNormalization(), [(2, 3, 6)], {}),
        ("layers/LayerNormalization/axes12", lambda: layers.LayerNormalization(axis=[1, 2]), [(2, 3, 4)], {}),
        ("layers/GroupNormalization/g2", lambda: layers.GroupNormalization(groups=2), [(2, 3, 4)], {}),
        ("layers/UnitNormalization/last", lambda: layers.UnitNormalization(), [(2, 5)], {}),
        # Embeddings take integer inputs.
        ("layers/Embedding/basic", lambda: layers.Embedding(10, 4), [(2, 5)], {"int_inputs": 10}),
        ("layers/Embedding/mask_zero", lambda: layers.Embedding(6, 3, mask_zero=True), [(2, 4)], {"int_inputs": 6, "zeros_tail": 1}),
        # Merging and attention take several inputs.
        ("layers/Add/basic", lambda: layers.Add(), [(2, 4), (2, 4)], {"list": True}),
        ("layers/Subtract/basic", lambda: layers.Subtract(), [(2, 4), (2, 4)], {"list": True}),
        ("layers/Multiply/basic", lambda: layers.Multiply(), [(2, 4), (2, 4)], {"list": True}),
        ("layers/Concatenate/axis1", lambda: layers.Concatenate(axis=1), [(2, 2, 3), (2, 4, 3)], {"list": True}),
        ("layers/Dot/normalize", lambda: layers.Dot(axes=2, normalize=True), [(2, 3, 4), (2, 5, 4)], {"list": True}),
        ("layers/Attention/dot", lambda: layers.Attention(), [(2, 3, 4), (2, 5, 4)], {"list": True}),
        ("layers/Attention/scaled", lambda: layers.Attention(use_scale=True), [(2, 3, 4), (2, 5, 4)], {"list": True}),
        ("layers/AdditiveAttention/basic", lambda: layers.AdditiveAttention(), [(2, 3, 4), (2, 5, 4)], {"list": True}),
        ("layers/MultiHeadAttention/basic", lambda: layers.MultiHeadAttention(num_heads=2, key_dim=3), [(2, 3, 4), (2, 5, 4)], {"positional": True}),
        # Activation layers. LeakyReLU's Keras 3 key is negative_slope (Keras 2: alpha).
        ("layers/LeakyReLU/default", lambda: layers.LeakyReLU(), [(2, 6)], {}),
        ("layers/LeakyReLU/slope01", lambda: layers.LeakyReLU(negative_slope=0.1), [(2, 6)], {}),
        ("layers/PReLU/shared_axes", lambda: layers.PReLU(shared_axes=[1, 2]), [(2, 3, 3, 2)], {}),
        ("layers/ReLU/max_slope_threshold", lambda: layers.ReLU(max_value=0.6, negative_slope=0.1, threshold=0.2), [(2, 6)], {}),
        ("layers/ELU/alpha", lambda: layers.ELU(alpha=0.5), [(2, 6)], {}),
        ("layers/Softmax/axis1", lambda: layers.Softmax(axis=1), [(2, 3, 4)], {}),
        # Shape layers and inference-mode regularization (which is the identity).
        ("layers/Reshape/basic", lambda: layers.Reshape((3, 4)), [(2, 6, 2)], {}),
        ("layers/Permute/201", lambda: layers.Permute((2, 3, 1)), [(2, 2, 3, 4)], {}),
        ("layers/Flatten/rank4", lambda: layers.Flatten(), [(2, 2, 3, 2)], {}),
        ("layers/RepeatVector/3", lambda: layers.RepeatVector(3), [(2, 4)], {}),
        ("layers/ZeroPadding2D/asym", lambda: layers.ZeroPadding2D(((1, 0), (0, 2))), [(2, 3, 3, 2)], {}),
        ("layers/Cropping1D/basic", lambda: layers.Cropping1D((1, 2)), [(2, 6, 2)], {}),
        ("layers/UpSampling2D/nearest", lambda: layers.UpSampling2D(2), [(2, 3, 2, 2)], {}),
        ("layers/UpSampling2D/bilinear", lambda: layers.UpSampling2D(2, interpolation="bilinear"), [(2, 3, 4, 2)], {}),
        ("layers/Dropout/inference", lambda: layers.Dropout(0.5), [(2, 6)], {}),
        ("layers/Rescaling/basic", lambda: layers.Rescaling(0.5, offset=-1.0), [(2, 4)], {}),
    ]
    return specs


def gen_layers(w: Writer) -> None:
    for case_id, make, shapes, opt in layer_specs():
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        if "int_inputs" in opt:
            xs = [rng.integers(1 if opt.get("zeros_tail") else 0, opt["int_inputs"], size=s).astype(np.int32) for s in shapes]
            for x in xs:
                if opt.get("zeros_tail"):
                    x[:, -opt["zeros_tail"]:] = 0
        else:
            xs = [uniform(rng, s) for s in shapes]
        layer = make()
        training = bool(opt.get("training", False))
        ts = [keras.ops.convert_to_tensor(x) for x in xs]

        def call(train: bool):
            if opt.get("positional"):
                return layer(*ts, training=train)
            return layer(ts if opt.get("list") else ts[0], training=train)

        call(False)  # builds the layer (inference mode changes no state)
        randomize_weights(layer, rng)
        weights = [tensor(v, name=v.path, trainable=v.trainable) for v in layer.weights]
        out = call(training)
        is_list = isinstance(out, (list, tuple))
        fields = {
            "layer": serialize(layer),
            "training": training,
            "inputs": [tensor(x) for x in xs],
            "input_is_list": bool(opt.get("list", False)),
            "positional_inputs": bool(opt.get("positional", False)),
            "weights": weights,
            "outputs": tensors(out),
            "output_is_list": is_list,
        }
        if opt.get("weights_after"):
            fields["weights_after"] = [tensor(v, name=v.path, trainable=v.trainable) for v in layer.weights]
        w.write(case_id, "layer", fields)


# --------------------------------------------------------------------------------------------
# loss: evaluate with each reduction (None = per-sample values)
# --------------------------------------------------------------------------------------------


def loss_specs():
    """(id, loss, y_true kind, y_pred kind, with sample_weight)."""
    L = keras.losses
    return [
        ("losses/MeanSquaredError", L.MeanSquaredError(), "real", "real", False),
        ("losses/MeanSquaredError/sample_weight", L.MeanSquaredError(), "real", "real", True),
        ("losses/MeanAbsoluteError", L.MeanAbsoluteError(), "real", "real", False),
        ("losses/MeanAbsolutePercentageError", L.MeanAbsolutePercentageError(), "real", "real", False),
        ("losses/MeanSquaredLogarithmicError", L.MeanSquaredLogarithmicError(), "positive", "positive", False),
        ("losses/Huber/delta05", L.Huber(delta=0.5), "real", "real", False),
        ("losses/LogCosh", L.LogCosh(), "real", "real", False),
        ("losses/BinaryCrossentropy/probs", L.BinaryCrossentropy(), "binary", "prob", False),
        ("losses/BinaryCrossentropy/logits", L.BinaryCrossentropy(from_logits=True), "binary", "real", False),
        ("losses/BinaryCrossentropy/smoothing", L.BinaryCrossentropy(label_smoothing=0.1), "binary", "prob", False),
        ("losses/BinaryFocalCrossentropy/basic", L.BinaryFocalCrossentropy(), "binary", "prob", False),
        ("losses/CategoricalCrossentropy/probs", L.CategoricalCrossentropy(), "onehot", "softmax", False),
        ("losses/CategoricalCrossentropy/logits", L.CategoricalCrossentropy(from_logits=True), "onehot", "real", False),
        ("losses/CategoricalCrossentropy/sample_weight", L.CategoricalCrossentropy(from_logits=True), "onehot", "real", True),
        ("losses/SparseCategoricalCrossentropy/probs", L.SparseCategoricalCrossentropy(), "sparse", "softmax", False),
        ("losses/SparseCategoricalCrossentropy/logits", L.SparseCategoricalCrossentropy(from_logits=True), "sparse", "real", False),
        ("losses/Hinge", L.Hinge(), "signed", "real", False),
        ("losses/SquaredHinge", L.SquaredHinge(), "signed", "real", False),
        ("losses/CategoricalHinge", L.CategoricalHinge(), "onehot", "real", False),
        ("losses/KLDivergence", L.KLDivergence(), "softmax", "softmax", False),
        ("losses/Poisson", L.Poisson(), "positive", "positive", False),
        ("losses/CosineSimilarity", L.CosineSimilarity(), "real", "real", False),
    ]


def make_values(rng: np.random.Generator, kind: str, n: int = 4, k: int = 3) -> np.ndarray:
    if kind == "real":
        return uniform(rng, (n, k))
    if kind == "positive":
        return uniform(rng, (n, k), 0.1, 2.0)
    if kind == "prob":
        return uniform(rng, (n, k), 0.05, 0.95)
    if kind == "binary":
        return rng.integers(0, 2, size=(n, k)).astype(np.float32)
    if kind == "signed":
        return (rng.integers(0, 2, size=(n, k)) * 2 - 1).astype(np.float32)
    if kind == "sparse":
        return rng.integers(0, k, size=(n,)).astype(np.int32)
    if kind == "onehot":
        return np.eye(k, dtype=np.float32)[rng.integers(0, k, size=(n,))]
    if kind == "softmax":
        z = np.exp(uniform(rng, (n, k), -2, 2))
        return (z / z.sum(axis=-1, keepdims=True)).astype(np.float32)
    raise ValueError(kind)


def gen_losses(w: Writer) -> None:
    for case_id, loss, true_kind, pred_kind, with_sw in loss_specs():
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        y_true = make_values(rng, true_kind)
        y_pred = make_values(rng, pred_kind)
        sw = uniform(rng, (y_true.shape[0],), 0.1, 2.0) if with_sw else None
        outputs = {}
        for reduction in ("sum_over_batch_size", "sum", None):
            config = loss.get_config()
            config["reduction"] = reduction
            fn = type(loss).from_config(config)
            outputs["None" if reduction is None else reduction] = tensor(fn(y_true, y_pred, sample_weight=sw))
        fields = {"loss": serialize(loss), "y_true": tensor(y_true), "y_pred": tensor(y_pred)}
        if with_sw:
            fields["sample_weight"] = tensor(sw)
        fields["outputs_by_reduction"] = outputs
        w.write(case_id, "loss", fields)


# --------------------------------------------------------------------------------------------
# optimizer: one variable, each gradient applied in turn
# --------------------------------------------------------------------------------------------


def optimizer_specs():
    O = keras.optimizers
    S = O.schedules
    return [
        ("optimizers/SGD/plain", lambda: O.SGD(learning_rate=0.1)),
        ("optimizers/SGD/momentum", lambda: O.SGD(learning_rate=0.1, momentum=0.9)),
        ("optimizers/SGD/nesterov", lambda: O.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)),
        ("optimizers/SGD/clipnorm", lambda: O.SGD(learning_rate=0.1, clipnorm=0.5)),
        ("optimizers/SGD/weight_decay", lambda: O.SGD(learning_rate=0.1, weight_decay=0.1)),
        ("optimizers/SGD/exponential_decay", lambda: O.SGD(learning_rate=S.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5))),
        ("optimizers/SGD/exponential_decay_staircase", lambda: O.SGD(learning_rate=S.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=True))),
        ("optimizers/SGD/inverse_time", lambda: O.SGD(learning_rate=S.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5))),
        ("optimizers/SGD/polynomial", lambda: O.SGD(learning_rate=S.PolynomialDecay(0.1, decay_steps=4, end_learning_rate=0.01, power=2.0))),
        ("optimizers/Adam/default", lambda: O.Adam(learning_rate=0.01)),
        ("optimizers/Adam/amsgrad", lambda: O.Adam(learning_rate=0.01, amsgrad=True)),
        ("optimizers/Adam/clipvalue", lambda: O.Adam(learning_rate=0.01, clipvalue=0.3)),
        ("optimizers/Adam/global_clipnorm", lambda: O.Adam(learning_rate=0.01, global_clipnorm=0.5)),
        ("optimizers/Adam/cosine_decay", lambda: O.Adam(learning_rate=S.CosineDecay(0.05, decay_steps=4))),
        ("optimizers/Adam/cosine_restarts", lambda: O.Adam(learning_rate=S.CosineDecayRestarts(0.05, first_decay_steps=2))),
        ("optimizers/AdamW/default", lambda: O.AdamW(learning_rate=0.01, weight_decay=0.05)),
        ("optimizers/RMSprop/default", lambda: O.RMSprop()),
        ("optimizers/RMSprop/momentum_centered", lambda: O.RMSprop(learning_rate=0.01, momentum=0.5, centered=True)),
        ("optimizers/RMSprop/piecewise", lambda: O.RMSprop(learning_rate=S.PiecewiseConstantDecay(boundaries=[2], values=[0.1, 0.01]))),
        ("optimizers/Adagrad/default", lambda: O.Adagrad(learning_rate=0.1)),
        ("optimizers/Adadelta/default", lambda: O.Adadelta(learning_rate=1.0)),
        ("optimizers/Adamax/default", lambda: O.Adamax(learning_rate=0.01)),
        ("optimizers/Nadam/default", lambda: O.Nadam(learning_rate=0.01)),
        ("optimizers/Ftrl/default", lambda: O.Ftrl(learning_rate=0.1)),
    ]


def gen_optimizers(w: Writer, steps: int = 4) -> None:
    for case_id, make in optimizer_specs():
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        initial = uniform(rng, (3, 4))
        grads = [uniform(rng, (3, 4)) for _ in range(steps)]
        opt = make()
        config = serialize(opt)  # before any step: the config as the user wrote it
        var = keras.Variable(initial, dtype="float32", name="v")
        after = []
        for g in grads:
            opt.apply_gradients([(keras.ops.convert_to_tensor(g), var)])
            after.append(tensor(var.value))
        w.write(case_id, "optimizer", {"optimizer": config, "initial": tensor(initial), "gradients": [tensor(g) for g in grads], "after_each_step": after})


# --------------------------------------------------------------------------------------------
# metric: a fresh metric, update_state with each batch, result() after every batch
# --------------------------------------------------------------------------------------------


def metric_specs():
    """(id, metric factory, y_true kind, y_pred kind, rows per batch, columns)."""
    M = keras.metrics
    return [
        ("metrics/MeanSquaredError", lambda: M.MeanSquaredError(), "real", "real", 4, 3),
        ("metrics/MeanAbsoluteError", lambda: M.MeanAbsoluteError(), "real", "real", 4, 3),
        ("metrics/BinaryAccuracy", lambda: M.BinaryAccuracy(), "binary", "prob", 6, 1),
        ("metrics/CategoricalAccuracy", lambda: M.CategoricalAccuracy(), "onehot", "softmax", 6, 3),
        ("metrics/SparseCategoricalAccuracy", lambda: M.SparseCategoricalAccuracy(), "sparse", "softmax", 6, 3),
        ("metrics/TopKCategoricalAccuracy/k2", lambda: M.TopKCategoricalAccuracy(k=2), "onehot", "softmax", 6, 4),
        ("metrics/BinaryCrossentropy", lambda: M.BinaryCrossentropy(), "binary", "prob", 6, 1),
        ("metrics/CategoricalCrossentropy", lambda: M.CategoricalCrossentropy(), "onehot", "softmax", 6, 3),
        ("metrics/Precision", lambda: M.Precision(), "binary", "prob", 8, 1),
        ("metrics/Precision/threshold07", lambda: M.Precision(thresholds=0.7), "binary", "prob", 8, 1),
        ("metrics/Recall", lambda: M.Recall(), "binary", "prob", 8, 1),
        ("metrics/AUC", lambda: M.AUC(), "binary", "prob", 6, 1),
        ("metrics/AUC/pr", lambda: M.AUC(curve="PR"), "binary", "prob", 8, 1),
        ("metrics/AUC/thresholds50", lambda: M.AUC(num_thresholds=50), "binary", "prob", 8, 1),
        ("metrics/F1Score/macro", lambda: M.F1Score(average="macro", threshold=0.5), "onehot", "prob", 6, 3),
        ("metrics/MeanIoU/3", lambda: M.MeanIoU(num_classes=3), "sparse", "sparse", 8, 3),
    ]


def gen_metrics(w: Writer, n_batches: int = 2) -> None:
    for case_id, make, true_kind, pred_kind, rows, cols in metric_specs():
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        metric = make()
        batches, results = [], []
        for _ in range(n_batches):
            y_true = make_values(rng, true_kind, rows, cols)
            y_pred = make_values(rng, pred_kind, rows, cols)
            metric.update_state(y_true, y_pred)
            batches.append({"y_true": tensor(y_true), "y_pred": tensor(y_pred)})
            results.append(tensor(metric.result()))
        w.write(case_id, "metric", {"metric": serialize(metric), "batches": batches, "result_after_each_batch": results})


# --------------------------------------------------------------------------------------------
# model: rebuild from to_json() and weights (or from saved files), predict in inference mode
# --------------------------------------------------------------------------------------------


def model_specs():
    """(id, model factory, input factory taking the generator)."""

    def residual_cnn():
        x = keras.Input((6, 6, 2), name="image")
        h = layers.Conv2D(4, 3, padding="same", activation="relu", name="conv_a")(x)
        h2 = layers.Conv2D(4, 3, padding="same", name="conv_b")(h)
        h = layers.Add(name="residual")([h, h2])
        h = layers.BatchNormalization(name="bn")(h)
        h = layers.GlobalAveragePooling2D(name="pool")(h)
        return keras.Model(x, layers.Dense(3, name="logits")(h))

    def shared_layer():
        a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
        shared = layers.Dense(4, activation="tanh", name="shared")
        return keras.Model([a, b], layers.Subtract(name="diff")([shared(a), shared(b)]))

    def two_outputs():
        x = keras.Input((4,), name="x")
        h = layers.Dense(6, activation="relu", name="trunk")(x)
        return keras.Model(x, [layers.Dense(2, name="head_a")(h), layers.Dense(1, activation="sigmoid", name="head_b")(h)])

    def masking_lstm():
        return keras.Sequential([keras.Input((5, 3)), layers.Masking(0.0), layers.LSTM(4, return_sequences=True), layers.LSTM(3)])

    def embedding_mask_gru():
        return keras.Sequential([keras.Input((6,), dtype="int32"), layers.Embedding(8, 3, mask_zero=True), layers.GRU(4)])

    def embedding_mask_bidirectional():
        return keras.Sequential([keras.Input((6,), dtype="int32"), layers.Embedding(8, 3, mask_zero=True), layers.Bidirectional(layers.LSTM(3))])

    def padded_sequences(rng, n=3, t=5, f=3):
        x = uniform(rng, (n, t, f))
        for i in range(n):  # trailing steps of zeros: masked
            x[i, t - i:] = 0.0
        return [x]

    def padded_ids(rng, n=3, t=6, vocab=8):
        x = rng.integers(1, vocab, size=(n, t)).astype(np.int32)
        for i in range(n):
            x[i, t - 2 * i:] = 0
        return [x]

    return [
        ("models/residual_cnn", residual_cnn, lambda rng: [uniform(rng, (2, 6, 6, 2))]),
        ("models/shared_layer", shared_layer, lambda rng: [uniform(rng, (3, 3)), uniform(rng, (3, 3))]),
        ("models/two_outputs", two_outputs, lambda rng: [uniform(rng, (3, 4))]),
        ("models/masking_lstm", masking_lstm, padded_sequences),
        ("models/embedding_mask_gru", embedding_mask_gru, padded_ids),
        ("models/embedding_mask_bidirectional", embedding_mask_bidirectional, padded_ids),
    ]


def predict(model, inputs):
    out = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    return list(out) if isinstance(out, (list, tuple)) else [out]


def gen_models(w: Writer) -> None:
    for case_id, make, make_inputs in model_specs():
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        model = make()
        randomize_weights(model, rng)
        inputs = make_inputs(rng)
        outputs = predict(model, inputs)
        w.write(case_id, "model", {
            "model": json.loads(model.to_json()),
            "weights": [tensor(v, name=v.path) for v in model.weights],
            "inputs": [tensor(x) for x in inputs],
            "outputs": [tensor(y) for y in outputs],
        })

    # A whole application model, given only as files Keras saved (.keras and legacy .h5).
    case_id = "models/mobilenet_v2_035_96"
    if w.wants(case_id):
        rng = rng_of(case_id)
        model = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None, classes=10, classifier_activation=None)
        # Random moving statistics, so that inference-mode BatchNormalization is not the identity.
        for v in model.weights:
            if v.path.endswith("moving_mean"):
                v.assign(uniform(rng, v.shape, -0.1, 0.1))
            elif v.path.endswith("moving_variance"):
                v.assign(uniform(rng, v.shape, 0.5, 1.5))
        inputs = [uniform(rng, (2, 96, 96, 3), 0.0, 1.0)]
        outputs = predict(model, inputs)
        files = w.files_dir()
        model.save(os.path.join(files, "mobilenet_v2_035_96.keras"))
        model.save(os.path.join(files, "mobilenet_v2_035_96.h5"))
        w.write(case_id, "model", {
            "files": {"keras": "files/mobilenet_v2_035_96.keras", "h5": "files/mobilenet_v2_035_96.h5"},
            "layer_count": len(model.layers),
            "param_count": int(model.count_params()),
            "inputs": [tensor(x) for x in inputs],
            "outputs": [tensor(y) for y in outputs],
        }, tolerance=BIG_MODEL_TOLERANCE)


# --------------------------------------------------------------------------------------------
# training: compile and fit without shuffling; history, final weights, predictions
# --------------------------------------------------------------------------------------------


def first_batch_loss_and_gradients(model, x, y, batch_size):
    """The mean loss over the first batch (training mode, regularization included) and its
    gradients for the trainable weights, before any update; None on a backend without a tape here."""
    head = lambda v: [t[:batch_size] for t in v] if isinstance(v, list) else v[:batch_size]  # noqa: E731
    xb, yb = head(x), head(y)
    saved = model.get_weights()  # a training-mode call moves BatchNormalization's statistics
    backend = keras.backend.backend()
    try:
        if backend == "torch":
            import torch

            y_pred = model(xb, training=True)
            loss = model.compute_loss(x=xb, y=yb, y_pred=y_pred, training=True)
            grads = torch.autograd.grad(loss, [v.value for v in model.trainable_weights])
        elif backend == "tensorflow":
            import tensorflow as tf

            with tf.GradientTape() as tape:
                y_pred = model(xb, training=True)
                loss = model.compute_loss(x=xb, y=yb, y_pred=y_pred, training=True)
            grads = tape.gradient(loss, [v.value for v in model.trainable_weights])
        else:
            return None
    finally:
        model.set_weights(saved)
    return {
        "loss": float(keras.ops.convert_to_numpy(loss)),
        "gradients": [tensor(g, name=v.path) for g, v in zip(grads, model.trainable_weights)],
    }


def training_specs():
    """(id, model factory, compile arguments, data factory, fit arguments, options). Options:
    files (save .keras, .h5 and .weights.h5 after training), callbacks (configs), extended (the
    later form: callbacks listed, predict_after always a list, no predict_before / first_batch)."""
    O = keras.optimizers

    def mlp():
        return keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])

    def cnn():
        return keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(3, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(3, activation="softmax")])

    def lstm():
        return keras.Sequential([keras.Input((5, 2)), layers.LSTM(4), layers.Dense(1)])

    def gru():
        return keras.Sequential([keras.Input((5, 2)), layers.GRU(3), layers.Dense(1)])

    def batchnorm():
        return keras.Sequential([keras.Input((4,)), layers.Dense(5), layers.BatchNormalization(), layers.Activation("relu"), layers.Dense(1)])

    def two_inputs():
        a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
        h = layers.Concatenate()([layers.Dense(5, activation="relu")(a), layers.Dense(5, activation="relu")(b)])
        return keras.Model([a, b], layers.Dense(1, activation="sigmoid")(h))

    def softmax3():
        return keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])

    def linear1():
        return keras.Sequential([keras.Input((4,)), layers.Dense(1)])

    def regularized():
        return keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="tanh", kernel_regularizer=keras.regularizers.L2(0.01), bias_regularizer=keras.regularizers.L1(0.01)), layers.Dense(1)])

    def max_norm():
        return keras.Sequential([keras.Input((4,)), layers.Dense(3, kernel_constraint=keras.constraints.MaxNorm(0.5)), layers.Dense(1)])

    def two_outputs():
        x = keras.Input((4,), name="x")
        h = layers.Dense(6, activation="relu", name="trunk")(x)
        return keras.Model(x, [layers.Dense(2, name="head_a")(h), layers.Dense(1, activation="sigmoid", name="head_b")(h)])

    def classes(rng, n=16, k=3):
        return rng.integers(0, k, size=(n,)).astype(np.int32)

    fit = {"batch_size": 4, "epochs": 3, "shuffle": False}
    return [
        ("training/mlp_adam_cce", mlp, lambda: {"optimizer": O.Adam(0.01), "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
         lambda rng: (uniform(rng, (16, 4)), np.eye(3, dtype=np.float32)[classes(rng)]), fit, {"files": True}),
        ("training/cnn_sgd_scce", cnn, lambda: {"optimizer": O.SGD(0.1), "loss": "sparse_categorical_crossentropy", "metrics": []},
         lambda rng: (uniform(rng, (12, 6, 6, 1)), classes(rng, 12)), fit, {"files": True}),
        ("training/lstm_rmsprop_mse", lstm, lambda: {"optimizer": O.RMSprop(0.01), "loss": "mse", "metrics": []},
         lambda rng: (uniform(rng, (12, 5, 2)), uniform(rng, (12, 1))), fit, {"files": True}),
        ("training/gru_adam_mae", gru, lambda: {"optimizer": O.Adam(0.01), "loss": "mae", "metrics": []},
         lambda rng: (uniform(rng, (12, 5, 2)), uniform(rng, (12, 1))), fit, {}),
        ("training/batchnorm_sgd_mse", batchnorm, lambda: {"optimizer": O.SGD(0.05), "loss": "mse", "metrics": []},
         lambda rng: (uniform(rng, (16, 4)), uniform(rng, (16, 1))), fit, {}),
        ("training/functional_two_inputs_bce", two_inputs, lambda: {"optimizer": O.Adam(0.05), "loss": "binary_crossentropy", "metrics": []},
         lambda rng: ([uniform(rng, (16, 4)), uniform(rng, (16, 3))], rng.integers(0, 2, size=(16, 1)).astype(np.float32)), fit, {"first_batch": False}),
        ("training/class_weight", softmax3, lambda: {"optimizer": O.SGD(0.1), "loss": "sparse_categorical_crossentropy", "metrics": []},
         lambda rng: (uniform(rng, (16, 4)), classes(rng)), {**fit, "epochs": 2, "class_weight": {0: 1.0, 1: 2.0, 2: 0.5}}, {"extended": True}),
        ("training/sample_weight", linear1, lambda: {"optimizer": O.SGD(0.05), "loss": "mse", "metrics": []},
         lambda rng: (uniform(rng, (16, 4)), uniform(rng, (16, 1))), {**fit, "epochs": 2, "sample_weight": "random"}, {"extended": True}),
        ("training/early_stopping", linear1, lambda: {"optimizer": O.SGD(0.05), "loss": "mse", "metrics": []},
         lambda rng: (uniform(rng, (16, 4)), uniform(rng, (16, 1))), {**fit, "epochs": 6},
         {"extended": True, "callbacks": [{"class_name": "EarlyStopping", "config": {"monitor": "loss", "min_delta": 0.5, "patience": 1}}]}),
        ("training/regularizers_sgd", regularized, lambda: {"optimizer": O.SGD(0.1), "loss": "mse", "metrics": []},
         lambda rng: (uniform(rng, (16, 4)), uniform(rng, (16, 1))), fit, {"extended": True}),
        ("training/maxnorm_constraint", max_norm, lambda: {"optimizer": O.SGD(0.5), "loss": "mse", "metrics": []},
         lambda rng: (uniform(rng, (16, 4)), uniform(rng, (16, 1))), fit, {"extended": True}),
        ("training/two_outputs_loss_weights", two_outputs, lambda: {"optimizer": O.Adam(0.02), "loss": ["mse", "binary_crossentropy"], "metrics": [], "loss_weights": [1.0, 0.5]},
         lambda rng: (uniform(rng, (16, 4)), [uniform(rng, (16, 2)), rng.integers(0, 2, size=(16, 1)).astype(np.float32)]), fit, {"extended": True}),
        ("training/validation_split_adam_schedule", softmax3,
         lambda: {"optimizer": O.Adam(O.schedules.ExponentialDecay(0.02, decay_steps=2, decay_rate=0.7)), "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
         lambda rng: (uniform(rng, (16, 4)), classes(rng)), {**fit, "validation_split": 0.25}, {"extended": True}),
    ]


CALLBACKS = {"EarlyStopping": keras.callbacks.EarlyStopping}


def gen_training(w: Writer) -> None:
    for case_id, make, compile_args, make_data, fit_args, opt in training_specs():
        if not w.wants(case_id):
            continue
        rng = rng_of(case_id)
        model = make()
        randomize_weights(model, rng)
        x, y = make_data(rng)
        args = compile_args()
        compile_record = {"optimizer": serialize(args["optimizer"]), "loss": args["loss"], "metrics": args.get("metrics", [])}
        if "loss_weights" in args:
            compile_record["loss_weights"] = args["loss_weights"]
        model.compile(**args)
        initial = [tensor(v, name=v.path) for v in model.weights]
        extended = bool(opt.get("extended"))

        fit_record = {"batch_size": fit_args["batch_size"], "epochs": fit_args["epochs"]}
        kwargs = {"batch_size": fit_args["batch_size"], "epochs": fit_args["epochs"], "shuffle": False, "verbose": 0}
        if "validation_split" in fit_args:
            fit_record["validation_split"] = kwargs["validation_split"] = fit_args["validation_split"]
        fit_record["shuffle"] = False
        if "class_weight" in fit_args:
            kwargs["class_weight"] = fit_args["class_weight"]
            fit_record["class_weight"] = {str(k): float(v) for k, v in fit_args["class_weight"].items()}
        if fit_args.get("sample_weight") == "random":
            sw = uniform(rng, (len(x[0]) if isinstance(x, list) else len(x),), 0.2, 2.0)
            kwargs["sample_weight"] = sw
            fit_record["sample_weight"] = tensor(sw)
        callbacks = opt.get("callbacks", [])
        kwargs["callbacks"] = [CALLBACKS[c["class_name"]](**c["config"]) for c in callbacks]

        fields = {"model": json.loads(model.to_json()), "compile": compile_record, "fit": fit_record}
        if extended:
            fields["callbacks"] = callbacks
        fields.update({"x": tensor_or_list(x), "y": tensor_or_list(y), "initial_weights": initial})
        if not extended:
            fields["predict_before"] = tensor_or_list(model.predict(x, verbose=0))
            if opt.get("first_batch", True):
                fb = first_batch_loss_and_gradients(model, x, y, fit_args["batch_size"])
                if fb is not None:
                    fields["first_batch"] = fb

        history = model.fit(x, y, **kwargs)
        fields["history"] = {k: [float(v) for v in history.history[k]] for k in sorted(history.history)}
        fields["final_weights"] = [tensor(v, name=v.path) for v in model.weights]
        after = model.predict(x, verbose=0)
        fields["predict_after"] = tensors(after) if extended else tensor_or_list(after)

        after_tolerance = None
        if opt.get("files"):
            name = case_id.split("/")[-1]
            d = w.files_dir()
            model.save(os.path.join(d, f"{name}.keras"))
            model.save(os.path.join(d, f"{name}.h5"))
            model.save_weights(os.path.join(d, f"{name}.weights.h5"))
            after_tolerance = {"files": {"keras": f"files/{name}.keras", "h5": f"files/{name}.h5", "weights_h5": f"files/{name}.weights.h5"}}
        w.write(case_id, "training", fields, after_tolerance=after_tolerance)


# --------------------------------------------------------------------------------------------

KINDS = {
    "activation": gen_activations,
    "layer": gen_layers,
    "loss": gen_losses,
    "optimizer": gen_optimizers,
    "metric": gen_metrics,
    "model": gen_models,
    "training": gen_training,
}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="Regenerate keras-ts conformance goldens (keras-golden/1) with real Keras 3.")
    p.add_argument("--out", help="directory to write the cases into (created; existing cases with the same id are replaced)")
    p.add_argument("--only", action="append", default=[], metavar="PREFIX", help="only case ids starting with PREFIX (repeatable), e.g. layers/LSTM")
    p.add_argument("--kind", action="append", default=[], choices=sorted(KINDS), help="only these kinds (repeatable)")
    p.add_argument("--list", action="store_true", help="list the case ids and write nothing")
    args = p.parse_args(argv)
    if not args.list and not args.out:
        p.error("--out DIR is required (or --list)")
    if not keras.__version__.startswith("3."):
        print(f"Keras {keras.__version__} is not Keras 3; the format's configs are Keras 3's", file=sys.stderr)
        return 2
    tag = configure_backend()
    out = os.path.abspath(args.out) if args.out else ""
    w = Writer(out, args.only, args.list, tag)
    for kind, gen in KINDS.items():
        if not args.kind or kind in args.kind:
            gen(w)
    if not args.list:
        print(f"{w.count} cases written to {out} (Keras {keras.__version__}, {tag})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
