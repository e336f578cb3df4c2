"""Seed 002's training step in real Keras, timed for `npm run bench:train` (scripts/bench-train.ts).

The model, loss and optimizer of scripts/keras-mnist/train_keras.py (LSTM(128) + Dense(10) logits on
[batch, 28, 28], softmax cross-entropy from logits, Adam(1e-3)), trained with train_on_batch on a fixed
random batch (the step's cost does not depend on the pixel values). WARM_UP steps first (graph tracing),
then STEPS timed ones.

    .cache/keras-venv/bin/python scripts/bench-train/keras_step.py STEPS BATCH

Prints one JSON line: {"stepsMs": [...], "keras": version, "tensorflow": version}.
"""
import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

WARM_UP = 2


def main():
    steps, batch = int(sys.argv[1]), int(sys.argv[2])
    rs = np.random.RandomState(0)
    x = rs.standard_normal((batch, 28, 28)).astype("float32")
    y = rs.randint(0, 10, batch)
    keras.utils.set_random_seed(42)
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.LSTM(128), keras.layers.Dense(10)])
    model.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    times = []
    for i in range(WARM_UP + steps):
        started = time.perf_counter()
        model.train_on_batch(x, y)
        if i >= WARM_UP:
            times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"stepsMs": times, "keras": keras.__version__, "tensorflow": tf.__version__}))


if __name__ == "__main__":
    main()
