"""Golden activation gradients from real TensorFlow: models/keras-models/activation-gradients.json.

For every name in models/keras-models/activation-names.json (every name keras.activations.get accepts in
Keras 3.15), in float64 with tf.GradientTape:

  elementwise names   dy/dx of keras.activations.get(name) at x = linspace(-6, 6, 49) plus every kink point
                      (0, +-0.5, +-1, +-2.5, +-3, +-6: all on the grid today, listed on their own so
                      that a change of grid keeps them). At a kink this is the value TF's
                      registered gradients give (what Keras trains with), e.g. relu'(0) = 0, relu6'(6) = 0.
  row-wise names      (softmax, log_softmax, sparsemax: along the last axis) the vector-Jacobian product
                      dx = dy^T (dy/dx) on a few seeded rows (np.random.default_rng(seed), rows and output
                      gradients drawn separately), plus hand-picked rows: sparsemax's examples from
                      activation-names.json, a row with a tie, a row with one dominant logit, rows where Keras's
                      sparsemax has 2 and 3 outputs strictly between 0 and 1.

glu and threshold have no entry (no gradient here): activation-names.json records why Keras cannot call them
by name with default arguments.

Run from the repository root:
    .cache/keras-venv/bin/python scripts/keras-models/make_activation_gradients.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

SCRIPT = "scripts/keras-models/make_activation_gradients.py"
PYTHON = ".cache/keras-venv/bin/python"
OUT_DIR = os.path.join("models", "keras-models")
NAMES_FILE = os.path.join(OUT_DIR, "activation-names.json")
OUT_FILE = os.path.join(OUT_DIR, "activation-gradients.json")

ROWWISE = ("softmax", "log_softmax", "sparsemax")
# Where some activation of Keras 3.15 has a kink (a jump of its derivative or of itself).
KINKS = (-6.0, -3.0, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 3.0, 6.0)
# Seeded rows for the row-wise VJPs: (seed, width, scale of the logits).
ROW_DRAWS = ((1, 5, 1.0), (2, 8, 1.0), (3, 8, 3.0), (4, 3, 4.0), (5, 16, 2.0))


def elementwise_gradient(fn, xs):
    """d fn(x) / dx elementwise, float64, through tf.GradientTape (sum of y: each x only reaches its own y)."""
    x = tf.constant(xs, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    if y.dtype != tf.float64:
        raise RuntimeError(f"float64 input gave {y.dtype}")
    g = tape.gradient(y, x)
    return [float(v) for v in np.asarray(g)]


def row_vjp(fn, row, dy):
    """dy^T (d fn(row) / d row) for one row, float64, through tf.GradientTape."""
    x = tf.constant(np.asarray(row, dtype=np.float64).reshape(1, -1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    g = tape.gradient(y, x, output_gradients=tf.constant(np.asarray(dy, dtype=np.float64).reshape(1, -1)))
    return [float(v) for v in np.asarray(y).reshape(-1)], [float(v) for v in np.asarray(g).reshape(-1)]


def row_cases(name, names_table):
    """The rows (and output gradients) the VJP of a row-wise activation is measured on."""
    rows = []
    for seed, width, scale in ROW_DRAWS:
        rng = np.random.default_rng(seed)
        rows.append({"draw": f"default_rng({seed}): x = normal({width}) * {scale}, dy = normal({width})",
                     "x": rng.standard_normal(width) * scale, "dy": rng.standard_normal(width)})
    rng = np.random.default_rng(100)
    rows.append({"draw": "a tie (x[0] == x[1]), dy = default_rng(100).normal(4)", "x": np.array([1.0, 1.0, 0.2, -0.4]), "dy": rng.standard_normal(4)})
    rows.append({"draw": "one dominant logit, dy = default_rng(101).normal(4)", "x": np.array([-1.0, 5.0, 0.0, 0.5]),
                 "dy": np.random.default_rng(101).standard_normal(4)})
    # Keras's sparsemax (see activation-names.json) is all zeros on most rows: these two have 2 and 3 outputs
    # inside (0, 1), so its gradient has something to show (worked out by hand from Keras's tau).
    rows.append({"draw": "2 positive sparsemax outputs, dy = default_rng(102).normal(3)", "x": np.array([0.4, -2.0, 0.5]),
                 "dy": np.random.default_rng(102).standard_normal(3)})
    rows.append({"draw": "3 positive sparsemax outputs, dy = default_rng(103).normal(4)", "x": np.array([0.25, -1.0, 0.3, 0.22]),
                 "dy": np.random.default_rng(103).standard_normal(4)})
    if name == "sparsemax":
        for i, example in enumerate(names_table["sparsemax"]["examples"]):
            x = np.asarray(example["x"], dtype=np.float64)
            rows.append({"draw": f"activation-names.json sparsemax example {i}, dy = default_rng({200 + i}).normal",
                         "x": x, "dy": np.random.default_rng(200 + i).standard_normal(len(x))})
    out = []
    fn = keras.activations.get(name)
    for r in rows:
        y, dx = row_vjp(fn, r["x"], r["dy"])
        out.append({"draw": r["draw"], "x": [float(v) for v in r["x"]], "dy": [float(v) for v in r["dy"]], "y": y, "dx": dx})
    return out


def main():
    if not os.path.isfile(SCRIPT):
        sys.exit(f"make_activation_gradients: expected to run from the repository root (no {SCRIPT} here)")
    with open(NAMES_FILE) as f:
        names = json.load(f)
    table = names["activations"]
    grid = np.asarray(names["x"], dtype=np.float64)
    xs = np.unique(np.concatenate([grid, np.asarray(KINKS)]))
    elementwise = {}
    rowwise = {}
    skipped = {}
    for name in sorted(table):
        entry = table[name]
        if entry.get("y") is None:
            skipped[name] = entry.get("error", "no forward value in activation-names.json")
            continue
        fn = keras.activations.get(name)
        record = {"function": fn.__name__}
        if "aliasOf" in entry:
            record["aliasOf"] = entry["aliasOf"]
        if name in ROWWISE:
            record["cases"] = row_cases(name, table)
            rowwise[name] = record
        else:
            record["dydx"] = elementwise_gradient(fn, xs)
            elementwise[name] = record
    out = {
        "description": "d/dx of every activation keras.activations.get accepts in Keras 3.15 (the names of "
        "activation-names.json), computed by TensorFlow's gradients (tf.GradientTape) in float64. Elementwise: "
        "dydx at x (linspace(-6, 6, 49) plus the kink points). Row-wise (axis -1): the vector-Jacobian product dx "
        "for output gradient dy on each case's row. At a kink the value is TF's registered gradient's.",
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
        "command": f"{PYTHON} {SCRIPT}",
        "script": SCRIPT,
        "kinks": list(KINKS),
        "x": [float(v) for v in xs],
        "elementwise": elementwise,
        "rowwise": rowwise,
        "skipped": skipped,
    }
    with open(OUT_FILE, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{OUT_FILE}: {len(elementwise)} elementwise, {len(rowwise)} row-wise, skipped {sorted(skipped)}")


if __name__ == "__main__":
    main()
