"""Golden fixtures from real Keras 3: models/keras/<case-name>/{model.keras, input.npy, expected.npy,
expected64.npy, case.json}.

Each case is Sequential([Input((T, D)), <recurrent layers>, Dense(K)]) built with seeded initializers,
then every bias is moved off zero (initial value + uniform(-0.5, 0.5)) so that a dropped bias shows.
expected.npy is Keras's own model.predict (float32); expected64.npy is an independent float64 forward
pass written below as a plain NumPy loop over get_weights(). The script fails if the two disagree by
more than MAX_ALLOWED_ERROR, so a semantic slip in either shows up at generation time.

Run from the repository root (see scripts/keras-fixtures/README.md):
    .cache/keras-venv/bin/python scripts/keras-fixtures/make_fixtures.py [--case NAME ...]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

SCRIPT = "scripts/keras-fixtures/make_fixtures.py"
PYTHON = ".cache/keras-venv/bin/python"
OUT_DIR = os.path.join("models", "keras")
# Keras float32 against the float64 loop. Measured errors are ~1e-7..1e-6 (see case.json files);
# anything near 1e-4 means the reference and Keras compute different things.
MAX_ALLOWED_ERROR = 1e-4

BASE_SPEC = {
    "cell": "simple",
    "batch": 1,
    "timeSteps": 10,
    "inputDim": 3,
    "units": 5,
    "layers": 1,
    "denseUnits": 2,
    "activation": "tanh",
    "recurrentActivation": "sigmoid",
    "returnSequences": False,
    "goBackwards": False,
    "resetAfter": True,
    "unitForgetBias": True,
}


def case(name, description, seed=42, **overrides):
    unknown = set(overrides) - set(BASE_SPEC)
    if unknown:
        raise ValueError(f"{name}: unknown spec fields {sorted(unknown)}")
    return {"name": name, "description": description, "seed": seed, "spec": {**BASE_SPEC, **overrides}}


CASES = [
    case("notebook-simple-rnn", "Seed 003's notebook: SimpleRNN(5) + Dense(2) on [1, 10, 3], tanh, seed 42."),
    case("simple-rnn-batch4", "The notebook model with N=4 (the notebook's N>1 bonus exercise).", batch=4),
    case("simple-rnn-relu", "SimpleRNN with relu activation.", batch=2, activation="relu"),
    case(
        "simple-rnn-sequences",
        "SimpleRNN with return_sequences=True; the Dense head maps every step.",
        batch=2,
        returnSequences=True,
    ),
    case("simple-rnn-backwards", "SimpleRNN with go_backwards=True (last state only).", batch=2, goBackwards=True),
    case(
        "simple-rnn-backwards-sequences",
        "SimpleRNN with go_backwards=True and return_sequences=True: the output sequence is in processing "
        "order (its step 0 saw only the last input step).",
        batch=2,
        goBackwards=True,
        returnSequences=True,
    ),
    case("lstm", "LSTM(8) with Keras defaults (sigmoid recurrent activation, unit_forget_bias).", cell="lstm", batch=2, inputDim=4, units=8, denseUnits=3),
    case(
        "lstm-hard-sigmoid",
        "LSTM(8) with recurrent_activation='hard_sigmoid' (Keras 3: relu6(x + 3) / 6, not tfjs's clip(0.2x + 0.5)).",
        cell="lstm",
        batch=2,
        inputDim=4,
        units=8,
        denseUnits=3,
        recurrentActivation="hard_sigmoid",
    ),
    case("gru-reset-after", "GRU(6), reset_after=True (Keras default; bias shape (2, 3*units)).", cell="gru", batch=2, inputDim=4, units=6, denseUnits=3),
    case(
        "gru-reset-before",
        "GRU(6), reset_after=False (bias shape (3*units,); reset gate applied before the recurrent matmul).",
        cell="gru",
        batch=2,
        inputDim=4,
        units=6,
        denseUnits=3,
        resetAfter=False,
    ),
    case("stack-simple-rnn", "Two stacked SimpleRNN(5) layers; the first returns sequences.", batch=2, layers=2),
    case("stack-lstm", "Two stacked LSTM(6) layers; the first returns sequences.", cell="lstm", batch=2, inputDim=4, units=6, layers=2, denseUnits=3),
    case(
        "stack-gru-sequences",
        "Two stacked GRU(6) layers (reset_after=True), both returning sequences.",
        cell="gru",
        batch=2,
        inputDim=4,
        units=6,
        layers=2,
        denseUnits=3,
        returnSequences=True,
    ),
    case("long-sequence", "SimpleRNN(5) over T=1000 steps: rounding error accumulated through a long recurrence.", batch=2, timeSteps=1000),
    case("long-sequence-lstm", "LSTM(8) over T=1000 steps.", cell="lstm", batch=2, timeSteps=1000, inputDim=4, units=8, denseUnits=3),
    case(
        "mnist-lstm-shape",
        "Seed 002's shape: LSTM(128) on [16, 28, 28] (MNIST rows as steps), Dense(10). Untrained, seeded weights.",
        cell="lstm",
        batch=16,
        timeSteps=28,
        inputDim=28,
        units=128,
        denseUnits=10,
    ),
]


# ---------------------------------------------------------------------------------------------
# Keras side


def recurrent_layer(spec, return_sequences, seed):
    """One Keras recurrent layer for `spec`, with seeded initializers."""
    common = dict(
        units=spec["units"],
        activation=spec["activation"],
        return_sequences=return_sequences,
        go_backwards=spec["goBackwards"],
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1),
    )
    if spec["cell"] == "simple":
        return keras.layers.SimpleRNN(**common)
    if spec["cell"] == "lstm":
        return keras.layers.LSTM(
            recurrent_activation=spec["recurrentActivation"], unit_forget_bias=spec["unitForgetBias"], **common
        )
    if spec["cell"] == "gru":
        return keras.layers.GRU(recurrent_activation=spec["recurrentActivation"], reset_after=spec["resetAfter"], **common)
    raise ValueError(f"cell: expected simple, lstm or gru, got {spec['cell']!r}")


def build_model(spec, seed):
    # A fresh session resets layer-name counters, so `--case X` alone writes the same model.keras config.
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    layers = [keras.Input((spec["timeSteps"], spec["inputDim"]))]
    for i in range(spec["layers"]):
        last = i == spec["layers"] - 1
        layers.append(recurrent_layer(spec, spec["returnSequences"] or not last, seed + 10 * i))
    layers.append(keras.layers.Dense(spec["denseUnits"], kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 100)))
    return keras.Sequential(layers)


def perturb_biases(model, seed):
    """Every bias becomes its initial value + uniform(-0.5, 0.5): non-zero, and LSTM forget biases stay near 1."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        weights = layer.get_weights()
        if not weights:
            continue
        bias_index = len(weights) - 1  # [kernel, recurrent_kernel, bias] or [kernel, bias]
        bias = weights[bias_index]
        weights[bias_index] = (bias + rng.uniform(-0.5, 0.5, size=bias.shape)).astype(np.float32)
        layer.set_weights(weights)


# ---------------------------------------------------------------------------------------------
# Independent float64 reference: plain loops, no Keras


def act(name, x):
    if name == "tanh":
        return np.tanh(x)
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "linear":
        return x
    if name == "hard_sigmoid":
        # Keras 3: relu6(x + 3) / 6 (keras/src/backend/tensorflow/nn.py).
        return np.clip(x + 3.0, 0.0, 6.0) / 6.0
    raise ValueError(f"activation: unknown {name!r}")


def simple_step(x, h, w, spec):
    kernel, recurrent_kernel, bias = w
    return act(spec["activation"], x @ kernel + h @ recurrent_kernel + bias), None


def lstm_step(x, state, w, spec):
    h, c = state
    kernel, recurrent_kernel, bias = w
    u = spec["units"]
    z = x @ kernel + h @ recurrent_kernel + bias  # [N, 4u], gates [i|f|c|o]
    i = act(spec["recurrentActivation"], z[:, 0 * u : 1 * u])
    f = act(spec["recurrentActivation"], z[:, 1 * u : 2 * u])
    g = act(spec["activation"], z[:, 2 * u : 3 * u])
    o = act(spec["recurrentActivation"], z[:, 3 * u : 4 * u])
    c = f * c + i * g
    return o * act(spec["activation"], c), c


def gru_step(x, h, w, spec):
    kernel, recurrent_kernel, bias = w
    u = spec["units"]
    ra = spec["recurrentActivation"]
    if spec["resetAfter"]:
        # bias (2, 3u): row 0 input bias, row 1 recurrent bias.
        mx = x @ kernel + bias[0]
        mi = h @ recurrent_kernel + bias[1]
        z = act(ra, mx[:, :u] + mi[:, :u])
        r = act(ra, mx[:, u : 2 * u] + mi[:, u : 2 * u])
        hh = act(spec["activation"], mx[:, 2 * u :] + r * mi[:, 2 * u :])
    else:
        # bias (3u,); the reset gate scales h before the candidate's recurrent matmul.
        mx = x @ kernel + bias
        z = act(ra, mx[:, :u] + h @ recurrent_kernel[:, :u])
        r = act(ra, mx[:, u : 2 * u] + h @ recurrent_kernel[:, u : 2 * u])
        hh = act(spec["activation"], mx[:, 2 * u :] + (r * h) @ recurrent_kernel[:, 2 * u :])
    return z * h + (1.0 - z) * hh, None


def recurrent_forward(x, w, spec, return_sequences):
    """x: [N, T, D] float64 -> [N, units] or [N, T, units] (steps in processing order)."""
    n, t, _ = x.shape
    u = spec["units"]
    h = np.zeros((n, u))
    c = np.zeros((n, u))
    steps = range(t - 1, -1, -1) if spec["goBackwards"] else range(t)
    outputs = []
    for s in steps:
        if spec["cell"] == "simple":
            h, _ = simple_step(x[:, s, :], h, w, spec)
        elif spec["cell"] == "lstm":
            h, c = lstm_step(x[:, s, :], (h, c), w, spec)
        else:
            h, _ = gru_step(x[:, s, :], h, w, spec)
        outputs.append(h)
    # Parity note: with go_backwards the sequence comes back in processing order (not re-reversed).
    return np.stack(outputs, axis=1) if return_sequences else h


def reference_forward(model, x32, spec):
    """Float64 forward pass from model.get_weights()."""
    weights = [np.asarray(v, dtype=np.float64) for v in model.get_weights()]
    y = x32.astype(np.float64)
    for i in range(spec["layers"]):
        last = i == spec["layers"] - 1
        y = recurrent_forward(y, weights[3 * i : 3 * i + 3], spec, spec["returnSequences"] or not last)
    dense_kernel, dense_bias = weights[3 * spec["layers"] :]
    return y @ dense_kernel + dense_bias  # [..., units] x [units, K] -> [..., K]


# ---------------------------------------------------------------------------------------------
# Output


def array_summary(a):
    """Numbers for the TypeScript reader's tests, recorded here independently of any .npy reader."""
    flat = a.reshape(-1)
    return {
        "dtype": str(a.dtype),
        "shape": list(a.shape),
        "first": [float(v) for v in flat[:4]],
        "last": [float(v) for v in flat[-4:]],
        "sum": float(np.sum(flat.astype(np.float64))),
    }


def write_case(c, command, out_dir):
    spec, seed = c["spec"], c["seed"]
    np.random.seed(seed)
    x = np.random.randn(spec["batch"], spec["timeSteps"], spec["inputDim"]).astype(np.float32)

    model = build_model(spec, seed)
    perturb_biases(model, seed)
    expected = np.asarray(model.predict(x, verbose=0), dtype=np.float32)
    expected64 = reference_forward(model, x, spec)
    if expected.shape != expected64.shape:
        raise RuntimeError(f"{c['name']}: expected Keras shape {expected64.shape}, got {expected.shape}")
    max_abs = float(np.max(np.abs(expected.astype(np.float64) - expected64)))
    if not max_abs < MAX_ALLOWED_ERROR:
        raise RuntimeError(f"{c['name']}: Keras vs float64 reference: expected < {MAX_ALLOWED_ERROR}, got {max_abs}")

    final = os.path.join(out_dir, c["name"])
    tmp = tempfile.mkdtemp(prefix=f".{c['name']}.", dir=out_dir)
    os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
    try:
        model.save(os.path.join(tmp, "model.keras"))
        arrays = {"input.npy": x, "expected.npy": expected, "expected64.npy": expected64.astype(np.float64)}
        for file_name, a in arrays.items():
            np.save(os.path.join(tmp, file_name), np.ascontiguousarray(a))
        record = {
            "name": c["name"],
            "description": c["description"],
            "spec": spec,
            "seed": seed,
            "input": f"np.random.seed({seed}); np.random.randn({spec['batch']}, {spec['timeSteps']}, {spec['inputDim']}).astype(np.float32)",
            "biases": f"initial value + np.random.default_rng({seed}).uniform(-0.5, 0.5), layer by layer in model order",
            "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
            "command": command,
            "maxAbsKerasFloat32VsNumpyFloat64": max_abs,
            "arrays": {k: array_summary(v) for k, v in arrays.items()},
        }
        with open(os.path.join(tmp, "case.json"), "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
        if os.path.exists(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return max_abs


def write_index(out_dir):
    lines = [
        "# Keras golden fixtures",
        "",
        "Generated by real Keras 3 with `scripts/keras-fixtures/make_fixtures.py` (how to regenerate:",
        "`scripts/keras-fixtures/README.md`). Each folder holds `model.keras`, `input.npy` (float32),",
        "`expected.npy` (Keras `model.predict`, float32), `expected64.npy` (float64 NumPy loop reference)",
        "and `case.json` (spec, seed, versions, command, measured max |Keras float32 - NumPy float64|).",
        "",
        "| case | max abs error | command |",
        "| --- | --- | --- |",
    ]
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name, "case.json")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            record = json.load(f)
        lines.append(f"| `{name}` | {record['maxAbsKerasFloat32VsNumpyFloat64']:.3g} | `{record['command']}` |")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    names = [c["name"] for c in CASES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=names, help="only this case (repeatable); default all")
    args = parser.parse_args()
    if not os.path.isfile(SCRIPT):
        sys.exit(f"make_fixtures: expected to run from the repository root (no {SCRIPT} here)")
    os.makedirs(OUT_DIR, exist_ok=True)
    tf.config.experimental.enable_op_determinism()
    selected = [c for c in CASES if args.case is None or c["name"] in args.case]
    for c in selected:
        command = f"{PYTHON} {SCRIPT} --case {c['name']}"
        max_abs = write_case(c, command, OUT_DIR)
        print(f"{c['name']:32s} max |keras f32 - numpy f64| = {max_abs:.3e}")
    write_index(OUT_DIR)


if __name__ == "__main__":
    main()
