"""The Python Keras peer of `pnpm bench` (see keras-peer.ts): a child process that builds a Keras
model on TensorFlow (CPU), sets the weights the Node side wrote, and times, on request, either
`predict` through a compiled function (`tf.function` of the model's call in inference mode) or,
with "fit", one training epoch (`model.fit(x, y, epochs=1, batch_size, shuffle=False)`).

argv[1]: JSON {"dir", "build" (a Python expression over `keras`), "input_shape", "threads",
optionally "fit": {"compile" (a Python expression over `keras` giving compile's keyword
arguments), "batch", "y_shape"}}. dir holds weights.json ({layer name: [[shape, offset], ...]}),
weights.bin (float32), x.bin, and y.bin for "fit". Before "ready", a fit peer trains on its first
batches once (tracing and compiling its train step for both batch shapes, as the Node side's
warm-up does not count either) and puts the weights back.
Protocol (one JSON line each way): it prints {"ready": ..., "base_rss_mb", "rss_mb"} once set up,
then answers each `run` line with {"wall": ms, "cpu": ms, "rss_mb"} (the first run also writes
out.bin: the output, or for "fit" every weight after the epoch, flattened in `get_weights()`
order), and exits at EOF. rss_mb is the process' resident memory after a garbage collection
(Linux; null elsewhere); base_rss_mb the same once TensorFlow and Keras are imported.
"""
import gc
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


def rss_mb():
    """Resident memory after a garbage collection, in MB (from /proc; None where there is none)."""
    gc.collect()
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except OSError:
        return None


base_rss = rss_mb()


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
    fit = args.get("fit")
    if fit:
        y = np.fromfile(os.path.join(d, "y.bin"), dtype=np.float32).reshape(fit["y_shape"])
        model.compile(**eval(fit["compile"], {"keras": keras}))  # noqa: S307 (the bench's own)
        start = model.get_weights()
        batch = fit["batch"]
        warm = batch + len(x) % batch if len(x) % batch else batch
        model.fit(x[:warm], y[:warm], epochs=1, batch_size=batch, shuffle=False, verbose=0)
        model.set_weights(start)
    reply({"ready": True, "keras": keras.__version__, "tensorflow": tf.__version__, "base_rss_mb": base_rss, "rss_mb": rss_mb()})
except Exception as e:  # reported to the bench as the peer's setup error
    reply({"error": f"{type(e).__name__}: {e}".splitlines()[0]})
    sys.exit(0)

first = True
for line in sys.stdin:
    if line.strip() != "run":
        continue
    c0, t0 = time.process_time(), time.perf_counter()
    if fit:
        model.fit(x, y, epochs=1, batch_size=fit["batch"], shuffle=False, verbose=0)
    else:
        out = predict(tf.constant(x)).numpy()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    if first:
        if fit:
            out = np.concatenate([w.astype(np.float32).ravel() for w in model.get_weights()])
        out.astype(np.float32).tofile(os.path.join(d, "out.bin"))
        first = False
    reply({"wall": wall * 1000, "cpu": cpu * 1000, "rss_mb": rss_mb()})
