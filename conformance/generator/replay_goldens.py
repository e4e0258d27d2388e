#!/usr/bin/env python3
"""Recomputes vendored goldens with the local Keras: each case's outputs from its own config,
weights and inputs (activations, losses, layers and models), written in the same format, so that
a test can check that the goldens agree with the Keras installed here (conformance/test/
generator.test.ts) and so that anyone can recompute a golden after a Keras change.

    KERAS_BACKEND=tensorflow python replay_goldens.py --goldens DIR --out DIR [--only PREFIX ...]

generate_goldens.py makes new cases (with new data); this script keeps the data of existing ones.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402


def arr(t):
    return np.asarray(t["data"], dtype=t.get("dtype", "float32")).reshape(t["shape"])


def tensor(a):
    a = np.asarray(a)
    dtype = "int32" if a.dtype.kind in "iu" else "bool" if a.dtype.kind == "b" else "float32"
    return {"shape": list(a.shape), "dtype": dtype, "data": a.astype(dtype).reshape(-1).tolist()}


def outs(y):
    return [tensor(keras.ops.convert_to_numpy(o)) for o in (y if isinstance(y, (list, tuple)) else [y])]


def replay_activation(c):
    f = keras.activations.get(c["activation"])
    return {"outputs": outs(f(arr(c["inputs"][0]), **c.get("kwargs", {})))}


def replay_loss(c):
    out = {}
    for reduction in c["outputs_by_reduction"]:
        cfg = json.loads(json.dumps(c["loss"]))
        cfg["config"]["reduction"] = None if reduction == "None" else reduction
        loss = keras.losses.deserialize(cfg)
        args = [arr(c["y_true"]), arr(c["y_pred"])]
        if "sample_weight" in c:
            args.append(arr(c["sample_weight"]))
        out[reduction] = tensor(keras.ops.convert_to_numpy(loss(*args)))
    return {"outputs_by_reduction": out}


def replay_layer(c):
    layer = keras.layers.deserialize(c["layer"])
    xs = [arr(t) for t in c["inputs"]]
    as_list = c.get("input_is_list") or c.get("positional_inputs")
    bc = c["layer"].get("build_config") or {}
    shape = bc.get("input_shape") or (list(bc["shapes_dict"].values()) if bc.get("shapes_dict") else None)
    if shape is None:
        shape = [list(x.shape) for x in xs] if as_list else list(xs[0].shape)
    if layer.built:
        pass  # built from its build_config by deserialize
    elif c.get("positional_inputs"):
        layer(*xs)
    else:
        layer.build(shape)
    layer.set_weights([arr(w) for w in c["weights"]])
    if c.get("positional_inputs"):
        y = layer(*xs, training=c.get("training", False))
    else:
        y = layer(xs if as_list else xs[0], training=c.get("training", False))
    return {"outputs": outs(y)}


def replay_model(c):
    model = keras.saving.deserialize_keras_object(c["model"])
    model.set_weights([arr(w) for w in c["weights"]])
    xs = [arr(t) for t in c["inputs"]]
    return {"outputs": outs(model(xs if len(xs) > 1 else xs[0], training=False))}


REPLAY = {"activation": replay_activation, "loss": replay_loss, "layer": replay_layer, "model": replay_model}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--goldens", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--only", action="append", default=[])
    a = p.parse_args()
    keras.config.set_floatx("float32")
    n = 0
    failed = []
    for root, _, files in os.walk(a.goldens):
        for f in sorted(files):
            if not f.endswith(".json") or f == "README.json":
                continue
            src = os.path.join(root, f)
            rel = os.path.relpath(src, a.goldens)
            if a.only and not any(rel.startswith(o) for o in a.only):
                continue
            with open(src) as fh:
                c = json.load(fh)
            if c.get("kind") not in REPLAY or c.get("kwargs") or (c["kind"] == "model" and "model" not in c):
                continue
            keras.utils.set_random_seed(0)
            try:
                c.update(REPLAY[c["kind"]](c))
            except Exception as e:  # reported, and the run fails at the end
                failed.append(f"{rel}: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
                continue
            c["keras_version"] = keras.__version__
            c["backend"] = f"{keras.backend.backend()}-cpu-float32"
            dst = os.path.join(a.out, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "w") as fh:
                json.dump(c, fh)
            n += 1
    print(f"{n} cases replayed into {a.out} (Keras {keras.__version__}, {keras.backend.backend()})", file=sys.stderr)
    for f in failed:
        print(f"could not replay {f}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
