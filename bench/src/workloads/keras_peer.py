"""The Python Keras peer of `pnpm bench` (see keras-peer.ts): a child process that builds a Keras
model on TensorFlow (CPU), sets the weights the Node side wrote, and times `predict` through a
compiled function (`tf.function` of the model's call in inference mode), on request.

argv[1]: JSON {"dir", "build" (a Python expression over `keras`), "input_shape", "threads"}.
dir holds weights.json ({layer name: [[shape, offset], ...]}), weights.bin (float32) and x.bin.
Protocol (one JSON line each way): it prints {"ready": ...} once set up, then answers each
`run` line with {"wall": ms, "cpu": ms} (the first run also writes y.bin), and exits at EOF.
"""
import json
import os
import sys
import time

args = json.loads(sys.argv[1])
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(args["threads"])
tf.config.threading.set_inter_op_parallelism_threads(1)
import keras  # noqa: E402


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    d = args["dir"]
    model = eval(args["build"], {"keras": keras})  # noqa: S307 (the expression is the bench's own)
    manifest = json.load(open(os.path.join(d, "weights.json")))
    blob = np.fromfile(os.path.join(d, "weights.bin"), dtype=np.float32)
    used = set()
    for layer in model.layers:
        if not layer.weights:
            continue
        if layer.name not in manifest:
            raise ValueError(f"Keras layer '{layer.name}' has weights, but keras-ts sent none under that name")
        entries = manifest[layer.name]
        layer.set_weights([blob[o : o + int(np.prod(shape))].reshape(shape) for shape, o in entries])
        used.add(layer.name)
    unused = sorted(set(manifest) - used)
    if unused:
        raise ValueError(f"no Keras layer for the keras-ts weights of {unused[:5]}")
    x = np.fromfile(os.path.join(d, "x.bin"), dtype=np.float32).reshape(args["input_shape"])
    predict = tf.function(lambda t: model(t, training=False))
    reply({"ready": True, "keras": keras.__version__, "tensorflow": tf.__version__})
except Exception as e:  # reported to the bench as the peer's setup error
    reply({"error": f"{type(e).__name__}: {e}".splitlines()[0]})
    sys.exit(0)

first = True
for line in sys.stdin:
    if line.strip() != "run":
        continue
    c0, t0 = time.process_time(), time.perf_counter()
    y = predict(tf.constant(x)).numpy()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    if first:
        y.astype(np.float32).tofile(os.path.join(d, "y.bin"))
        first = False
    reply({"wall": wall * 1000, "cpu": cpu * 1000})
