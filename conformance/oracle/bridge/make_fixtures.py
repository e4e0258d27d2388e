"""Legacy .h5 files in tf.keras 2.15's exact dialect, the kind Keras 3 refuses (keras-team/keras
#19151: Teachable Machine and other Keras 2 exports): written here with h5py from the configs
tf.keras 2.15's `get_config()` produces (InputLayer first with `batch_input_shape`, the first
layer's own `batch_input_shape`, `groups: 1` on depthwise convolutions, `time_major` and
`implementation` on recurrent layers, initializers with `module`/`registered_name`), and weights
in Keras 2's layout (`layer_names`, `weight_names`, `name/kernel:0`), with fixed random values.

Run from the repository root: .venv/bin/python conformance/oracle/bridge/make_fixtures.py
The bridge test (conformance/test/oracle-bridge.test.ts) shows that Keras 3 refuses each file,
that `keras-ts convert` turns it into a .keras and a .h5 that Keras 3 loads, and that all predict
the same.
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261207)


def init(name, **config):
    return {"module": "keras.initializers", "class_name": name, "config": config, "registered_name": None}


GLOROT = init("GlorotUniform", seed=None)
ZEROS = init("Zeros")
ONES = init("Ones")
ORTHO = init("Orthogonal", gain=1.0, seed=None)


def base(name, **extra):
    return {"name": name, "trainable": True, "dtype": "float32", **extra}


def conv2d(name, filters, shape=None):
    c = base(name)
    if shape:
        c["batch_input_shape"] = shape
    c.update(filters=filters, kernel_size=[3, 3], strides=[1, 1], padding="same", data_format="channels_last",
             dilation_rate=[1, 1], groups=1, activation="linear", use_bias=False, kernel_initializer=GLOROT,
             bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
             kernel_constraint=None, bias_constraint=None)
    return {"class_name": "Conv2D", "config": c}


def batchnorm(name):
    return {"class_name": "BatchNormalization", "config": base(name, axis=[3], momentum=0.99, epsilon=0.001, center=True, scale=True,
            beta_initializer=ZEROS, gamma_initializer=ONES, moving_mean_initializer=ZEROS, moving_variance_initializer=ONES,
            beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None)}


def relu6(name):
    return {"class_name": "ReLU", "config": base(name, max_value=6.0, negative_slope=0.0, threshold=0.0)}


def depthwise(name):
    return {"class_name": "DepthwiseConv2D", "config": base(name, kernel_size=[3, 3], strides=[1, 1], padding="same",
            data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="linear", use_bias=False,
            bias_initializer=ZEROS, bias_regularizer=None, activity_regularizer=None, bias_constraint=None, depth_multiplier=1,
            depthwise_initializer=GLOROT, depthwise_regularizer=None, depthwise_constraint=None)}


def dense(name, units, activation, shape=None):
    c = base(name)
    if shape:
        c["batch_input_shape"] = shape
    c.update(units=units, activation=activation, use_bias=True, kernel_initializer=GLOROT, bias_initializer=ZEROS,
             kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None)
    return {"class_name": "Dense", "config": c}


def rnn(cls, name, units, shape=None, **extra):
    c = base(name)
    if shape:
        c["batch_input_shape"] = shape
    c.update(return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False, time_major=False,
             units=units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer=GLOROT,
             recurrent_initializer=ORTHO, bias_initializer=ZEROS, kernel_regularizer=None, recurrent_regularizer=None,
             bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
             bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, implementation=2, **extra)
    return {"class_name": cls, "config": c}


def input_layer(name, shape):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": shape, "dtype": "float32", "sparse": False, "ragged": False, "name": name}}


def write(file, layers, weights):
    """weights: [(layer name, [(weight name, array)])] in model.layers order (InputLayer excluded)."""
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    with h5py.File(os.path.join(HERE, file), "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = np.array([n.encode() for n, _ in weights])
        mw.attrs["backend"] = "tensorflow"
        mw.attrs["keras_version"] = "2.15.0"
        for layer, ws in weights:
            g = mw.create_group(layer)
            g.attrs["weight_names"] = np.array([w.encode() for w, _ in ws])
            for w, a in ws:
                g.create_dataset(w, data=a.astype("float32"))


def r(*shape, scale=0.3):
    return rng.normal(0, scale, shape)


# MobileNet-style: Conv2D, BatchNormalization, ReLU(6), DepthwiseConv2D, pooling, Dense.
write("mobilenet_style.h5", [
    input_layer("conv2d_input", [None, 8, 8, 3]),
    conv2d("conv2d", 4, [None, 8, 8, 3]),
    batchnorm("batch_normalization"),
    relu6("re_lu"),
    depthwise("depthwise_conv2d"),
    batchnorm("batch_normalization_1"),
    relu6("re_lu_1"),
    {"class_name": "GlobalAveragePooling2D", "config": base("global_average_pooling2d", data_format="channels_last", keepdims=False)},
    dense("dense", 3, "softmax"),
], [
    ("conv2d", [("conv2d/kernel:0", r(3, 3, 3, 4))]),
    ("batch_normalization", [("batch_normalization/gamma:0", 1 + r(4, scale=0.1)), ("batch_normalization/beta:0", r(4, scale=0.1)),
                             ("batch_normalization/moving_mean:0", r(4, scale=0.1)), ("batch_normalization/moving_variance:0", 1 + np.abs(r(4, scale=0.1)))]),
    ("re_lu", []),
    ("depthwise_conv2d", [("depthwise_conv2d/depthwise_kernel:0", r(3, 3, 4, 1))]),
    ("batch_normalization_1", [("batch_normalization_1/gamma:0", 1 + r(4, scale=0.1)), ("batch_normalization_1/beta:0", r(4, scale=0.1)),
                               ("batch_normalization_1/moving_mean:0", r(4, scale=0.1)), ("batch_normalization_1/moving_variance:0", 1 + np.abs(r(4, scale=0.1)))]),
    ("re_lu_1", []),
    ("global_average_pooling2d", []),
    ("dense", [("dense/kernel:0", r(4, 3)), ("dense/bias:0", r(3, scale=0.1))]),
])

# Recurrent: LSTM then GRU (reset_after), as tf.keras 2.15 writes them.
write("recurrent.h5", [
    input_layer("lstm_input", [None, 6, 3]),
    dict(rnn("LSTM", "lstm", 5, [None, 6, 3], unit_forget_bias=True), **{}),
    {"class_name": "RepeatVector", "config": base("repeat_vector", n=4)},
    rnn("GRU", "gru", 2, reset_after=True),
], [
    ("lstm", [("lstm/lstm_cell/kernel:0", r(3, 20)), ("lstm/lstm_cell/recurrent_kernel:0", r(5, 20)), ("lstm/lstm_cell/bias:0", r(20, scale=0.1))]),
    ("repeat_vector", []),
    ("gru", [("gru/gru_cell/kernel:0", r(5, 6)), ("gru/gru_cell/recurrent_kernel:0", r(2, 6)), ("gru/gru_cell/bias:0", r(2, 6, scale=0.1))]),
])

# The README's kind of model: Dense layers, the first with an input shape.
write("dense.h5", [
    input_layer("dense_input", [None, 4]),
    dense("dense", 8, "relu", [None, 4]),
    dense("dense_1", 2, "sigmoid"),
], [
    ("dense", [("dense/kernel:0", r(4, 8)), ("dense/bias:0", r(8, scale=0.1))]),
    ("dense_1", [("dense_1/kernel:0", r(8, 2)), ("dense_1/bias:0", r(2, scale=0.1))]),
])
