#!/usr/bin/env bash
# Makes the live oracle's Python environment: .venv at the repository root with real Keras 3 on
# TensorFlow (CPU), h5py, ONNX's checker and Python onnxruntime, and tensorboard (whose event
# reader checks the TensorBoard callback's files). On these machines pip installs
# from a local wheel store with no internet; --retries 0 keeps it from retrying an index it cannot
# reach. Idempotent: an existing environment with Keras is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -x .venv/bin/python ] && TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -c 'import keras, h5py, tensorflow, tensorboard' >/dev/null 2>&1; then
  echo "oracle: .venv already has Keras $(TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -c 'import keras; print(keras.__version__)')"
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --retries 0 keras tensorflow-cpu h5py onnx onnxruntime tensorboard
echo "oracle: .venv has Keras $(TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -c 'import keras; print(keras.__version__)')"
