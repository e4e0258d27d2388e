"""The live oracle: real Keras answering keras-ts over JSON lines (one request per line on stdin,
one response per line on stdout). Driven by conformance/oracle/client.ts; needs the venv made by
`pnpm oracle:setup` (keras, tensorflow-cpu, h5py). Tensors travel as {"shape", "dtype", "data"}
with data flat and row-major.

Requests ({"id": n, "cmd": ...}):
  hello                                  -> {"keras": version, "backend": name}
  load      file                         -> {"inputs": [shapes], "outputs": [shapes], "layers": [class names]}
  predict   file, inputs, [weights_file] -> {"outputs": [tensors]}  (a Keras JSON `file` needs weights_file)
  save      file, out                    -> {}   load `file` and save it again as `out` (format by name)
  build     config, weights, outputs[]   -> {}   a model from a Keras 3 config (the goldens'), its
                                                 weights set, saved to each path of `outputs`
  train     file, x, y, steps, batch_size -> {"weights": [tensors], "loss": [...]}  (compiled files)
  onnx      file, inputs                 -> {"outputs": [tensors]}  onnx.checker (full_check) + onnxruntime
Errors answer {"error": message, "type": exception class}.
"""
import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# TensorFlow's oneDNN kernels give wrong numbers for some strided convolutions (Conv2D with
# kernel (1, 3), strides (1, 2) on a 2x3 input: tf.nn.conv2d itself is off) and abort on others
# (SeparableConv2D 1x1 on a 1x3 input in a graph), as the oracle fuzzer found; Eigen's are right.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import keras  # noqa: E402

keras.utils.disable_interactive_logging()


def to_np(t):
    return np.asarray(t["data"], dtype=t.get("dtype", "float32")).reshape(t["shape"])


def to_json(a):
    a = np.asarray(a)
    dtype = "int32" if a.dtype.kind in "iu" else "bool" if a.dtype.kind == "b" else "float32"
    return {"shape": list(a.shape), "dtype": dtype, "data": a.astype(dtype).reshape(-1).tolist()}


def load(file, weights_file=None):
    if file.endswith(".json"):
        with open(file) as f:
            model = keras.models.model_from_json(f.read())
        if weights_file:
            model.load_weights(weights_file)
        return model
    return keras.models.load_model(file, compile=False, safe_mode=True)


def shapes(ts):
    return [list(t.shape) for t in ts]


def handle(req):
    cmd = req["cmd"]
    if cmd == "hello":
        return {"keras": keras.__version__, "backend": keras.backend.backend()}
    if cmd == "load":
        m = load(req["file"], req.get("weights_file"))
        return {"inputs": shapes(m.inputs), "outputs": shapes(m.outputs), "layers": [l.__class__.__name__ for l in m.layers]}
    if cmd == "predict":
        m = load(req["file"], req.get("weights_file"))
        xs = [to_np(t) for t in req["inputs"]]
        out = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        outs = out if isinstance(out, (list, tuple)) else [out]
        return {"outputs": [to_json(o) for o in outs]}
    if cmd == "save":
        m = load(req["file"], req.get("weights_file"))
        save(m, req["out"])
        return {}
    if cmd == "build":
        m = keras.saving.deserialize_keras_object(req["config"])
        if req.get("input_shapes"):
            shapes_ = [tuple(s) for s in req["input_shapes"]]
            m.build(shapes_ if len(shapes_) > 1 else shapes_[0])
        m.set_weights([to_np(w) for w in req["weights"]])
        for out in req["outputs"]:
            save(m, out)
        return {}
    if cmd == "train":
        m = keras.models.load_model(req["file"], compile=True, safe_mode=True)
        x = [to_np(t) for t in req["x"]]
        y = [to_np(t) for t in req["y"]]
        hist = m.fit(x if len(x) > 1 else x[0], y if len(y) > 1 else y[0], batch_size=req["batch_size"], epochs=req.get("epochs", 1), shuffle=False, verbose=0)
        return {"weights": [to_json(w) for w in m.get_weights()], "loss": hist.history["loss"]}
    if cmd == "onnx":
        return onnx_run(req["file"], [to_np(t) for t in req["inputs"]])
    raise ValueError(f"unknown command {cmd!r}")


def onnx_run(file, xs):
    """ONNX's own checker (full_check: shapes inferred strictly) and Python onnxruntime's outputs.
    An input whose batch axis the export fixed at 1 is run one row at a time."""
    import onnx
    import onnxruntime as ort

    onnx.checker.check_model(onnx.load(file), full_check=True)
    sess = ort.InferenceSession(file, providers=["CPUExecutionProvider"])
    ins = sess.get_inputs()
    if len(ins) != len(xs):
        raise ValueError(f"the ONNX model has {len(ins)} inputs, {len(xs)} given")
    fixed = all(i.shape and i.shape[0] == 1 for i in ins) and xs[0].shape[0] != 1
    rows = [[x[r : r + 1] for x in xs] for r in range(xs[0].shape[0])] if fixed else [xs]
    outs = [sess.run(None, {i.name: x.astype(np.float32 if x.dtype.kind == "f" else x.dtype) for i, x in zip(ins, row)}) for row in rows]
    merged = [np.concatenate([o[k] for o in outs], axis=0) for k in range(len(outs[0]))]
    return {"outputs": [to_json(o) for o in merged], "batch_fixed": fixed}


def save(m, out):
    if out.endswith(".weights.h5"):
        m.save_weights(out)
    elif out.endswith(".json"):
        with open(out, "w") as f:
            f.write(m.to_json())
    else:
        m.save(out)


def finite(v):
    if isinstance(v, float) and not np.isfinite(v):
        return None if np.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [finite(x) for x in v]
    return v


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            res = handle(req)
        except Exception as e:  # every failure is an answer, never a crash
            res = {"error": str(e).strip().split("\n")[0][:2000], "type": type(e).__name__, "trace": traceback.format_exc()[-2000:]}
        res["id"] = req.get("id")
        try:
            line = json.dumps(res, allow_nan=False)
        except ValueError:  # NaN and infinities as the goldens write them (JSON has neither)
            line = json.dumps(finite(res))
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
