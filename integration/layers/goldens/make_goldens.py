#!/usr/bin/env python3
"""Writes the golden cases of the layer harness (integration/layers/) that the conformance
goldens do not hold: every number in them is what real Keras computed.

    KERAS_BACKEND=tensorflow .venv/bin/python integration/layers/goldens/make_goldens.py [--out DIR]

(the oracle's venv, made by `pnpm oracle:setup`: Keras 3.15.1 on TensorFlow 2.21, CPU, oneDNN
off as in conformance/oracle/oracle.py). Output: keras-3.15.1-tensorflow/harness/<Class>/<case>.json
beside this file, in the keras-golden/1 format (conformance/goldens/README.md), written with the
conformance generator's helpers (conformance/generator/generate_goldens.py).

Two kinds of case:
- A Keras 3 layer (ActivityRegularization, Masking, SpatialDropout2D/3D, ConvLSTM1D/3D, RNN over
  cells): Keras serializes it, builds it, and computes its outputs from random weights.
- A layer Keras 3 no longer has, or has under another form: the config is the Keras 2 (or
  Keras 1) one keras-ts loads, written here, and the numbers come from the Keras 3 layer or ops
  that compute the same function with the same weights: ThresholdedReLU (x where x > theta,
  Keras 2's definition) with keras.ops; Lambda(x^2 + x) with keras.layers.Lambda;
  AtrousConvolution1D/2D with Conv1D/Conv2D(dilation_rate); Deconvolution2D/3D with
  Conv2DTranspose/Conv3DTranspose; RNN(ConvLSTMCell) with ConvLSTM2D; OpLambda (Keras 2's
  TFOpLambda, here K.elu(x, 0.5)) with keras.ops.elu.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# TensorFlow's oneDNN kernels give wrong numbers for some strided convolutions (see oracle.py).
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "conformance", "generator"))

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

from generate_goldens import Writer, configure_backend, randomize_weights, rng_of, serialize, tensor, tensors, uniform  # noqa: E402


def keras3_cases():
    """(id, layer factory, input shapes, input edit) for layers Keras 3 has and serializes."""

    def masked_steps(xs):
        xs[0][0, 1, :] = 0.5
        xs[0][1, 3, :] = 0.5
        return xs

    return [
        ("harness/ActivityRegularization/l1_l2", lambda: layers.ActivityRegularization(l1=0.01, l2=0.01), [(2, 3)], None),
        ("harness/Masking/half", lambda: layers.Masking(mask_value=0.5), [(2, 4, 3)], masked_steps),
        ("harness/SpatialDropout2D/inference", lambda: layers.SpatialDropout2D(0.1, data_format="channels_first"), [(2, 2, 3, 3)], None),
        ("harness/SpatialDropout3D/inference", lambda: layers.SpatialDropout3D(0.1), [(2, 2, 2, 2, 3)], None),
        ("harness/ConvLSTM1D/valid", lambda: layers.ConvLSTM1D(2, 2), [(2, 3, 5, 2)], None),
        ("harness/ConvLSTM3D/valid", lambda: layers.ConvLSTM3D(1, 2), [(2, 2, 3, 3, 3, 1)], None),
        ("harness/RNN/stacked_simple_gru", lambda: layers.RNN([layers.SimpleRNNCell(4), layers.GRUCell(2)], return_sequences=True), [(2, 3, 2)], None),
        ("harness/RNN/lstm_cell", lambda: layers.RNN(layers.LSTMCell(2)), [(2, 3, 2)], None),
    ]


def write_keras3(w: Writer) -> None:
    for case_id, make, shapes, edit in keras3_cases():
        rng = rng_of(case_id)
        xs = [uniform(rng, s) for s in shapes]
        if edit:
            xs = edit(xs)
        layer = make()
        x = keras.ops.convert_to_tensor(xs[0])
        layer(x, training=False)  # builds it
        randomize_weights(layer, rng)
        out = layer(x, training=False)
        w.write(case_id, "layer", {
            "layer": serialize(layer),
            "training": False,
            "inputs": [tensor(v) for v in xs],
            "input_is_list": False,
            "positional_inputs": False,
            "weights": [tensor(v, name=v.path, trainable=v.trainable) for v in layer.weights],
            "outputs": tensors(out),
            "output_is_list": isinstance(out, (list, tuple)),
        })


def equivalents():
    """(id, the config keras-ts loads, the Keras 3 layer computing the same function, input shape)."""

    def lam():
        return layers.Lambda(lambda t: keras.ops.square(t) + t)

    def thresholded():
        # Keras 2's ThresholdedReLU: x where x > theta, else 0 (tf_keras/layers/activation/thresholded_relu.py).
        return layers.Lambda(lambda t: t * keras.ops.cast(keras.ops.greater(t, 0.3), t.dtype))

    conv_lstm_cell = {
        "class_name": "RNN",
        "config": {
            "name": "rnn_conv_lstm_cell",
            "return_sequences": False,
            "cell": {"class_name": "ConvLSTMCell", "config": {"name": "conv_lstm_cell", "rank": 2, "filters": 2, "kernel_size": [2, 2], "padding": "same", "recurrent_activation": "sigmoid"}},
        },
    }
    return [
        ("harness/ThresholdedReLU/theta03", {"class_name": "ThresholdedReLU", "config": {"name": "thresholded_re_lu", "trainable": True, "dtype": "float32", "theta": 0.3}}, thresholded, (2, 5)),
        ("harness/Lambda/square_plus_x", {"class_name": "Lambda", "config": {"name": "lambda", "trainable": True, "dtype": "float32", "function": "harness_square_plus_x", "function_type": "function", "module": None, "output_shape": None, "output_shape_type": "raw", "output_shape_module": None, "arguments": {}}}, lam, (2, 3)),
        ("harness/AtrousConvolution1D/rate2_same", {"class_name": "AtrousConvolution1D", "config": {"name": "atrous_conv1d", "nb_filter": 3, "filter_length": 2, "atrous_rate": 2, "border_mode": "same"}}, lambda: layers.Conv1D(3, 2, dilation_rate=2, padding="same"), (2, 6, 2)),
        ("harness/AtrousConvolution2D/rate21_valid", {"class_name": "AtrousConvolution2D", "config": {"name": "atrous_conv2d", "nb_filter": 2, "nb_row": 2, "nb_col": 2, "atrous_rate": [2, 1]}}, lambda: layers.Conv2D(2, 2, dilation_rate=(2, 1)), (2, 5, 4, 2)),
        ("harness/Deconvolution2D/s2_valid", {"class_name": "Deconvolution2D", "config": {"name": "deconv2d", "nb_filter": 2, "nb_row": 3, "nb_col": 3, "subsample": [2, 2], "border_mode": "valid"}}, lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="valid"), (2, 3, 3, 2)),
        ("harness/Deconvolution3D/s2_same", {"class_name": "Deconvolution3D", "config": {"name": "deconv3d", "filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"}}, lambda: layers.Conv3DTranspose(2, 2, strides=2, padding="same"), (2, 2, 2, 2, 1)),
        ("harness/RNN/conv_lstm_cell", conv_lstm_cell, lambda: layers.ConvLSTM2D(2, 2, padding="same", recurrent_activation="sigmoid"), (2, 2, 3, 3, 1)),
        # K.elu(x, 0.5) met by a placeholder: Keras 2 records a TFOpLambda node, keras-ts an OpLambda.
        ("harness/OpLambda/elu", {"class_name": "OpLambda", "config": {"name": "op_lambda", "trainable": True, "dtype": "float32", "function": "elu", "arguments": [{"__tensor__": 0}, 0.5]}}, lambda: layers.Lambda(lambda t: keras.ops.elu(t, alpha=0.5)), (2, 5)),
    ]


def write_equivalents(w: Writer) -> None:
    for case_id, config, make, shape in equivalents():
        rng = rng_of(case_id)
        x = uniform(rng, shape)
        layer = make()
        t = keras.ops.convert_to_tensor(x)
        layer(t)
        randomize_weights(layer, rng)
        out = layer(t)
        w.write(case_id, "layer", {
            "layer": config,
            "training": False,
            "inputs": [tensor(x)],
            "input_is_list": False,
            "positional_inputs": False,
            "weights": [tensor(v, name=v.path, trainable=v.trainable) for v in layer.weights],
            "outputs": tensors(out),
            "output_is_list": False,
        })


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="Write the layer harness's golden cases with real Keras.")
    p.add_argument("--out", help="directory to write them into (default: keras-<version>-<backend>/ beside this script)")
    args = p.parse_args(argv)
    tag = configure_backend()
    out = os.path.abspath(args.out) if args.out else os.path.join(HERE, f"keras-{keras.__version__}-{keras.backend.backend()}")
    w = Writer(out, [], False, tag)
    write_keras3(w)
    write_equivalents(w)
    print(f"{w.count} cases written to {out} (Keras {keras.__version__}, {tag})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
