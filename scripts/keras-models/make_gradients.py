"""Keras gradient goldens: models/keras-models/<case>/gradients/ for the existing Keras fixtures.

For every case folder written by make_models.py / make_text_models.py (or only `--case NAME ...`), this
loads the saved model as those scripts load it back (model.keras, else the legacy model.h5, with
keras.saving.load_model; a model.weights.h5 beside it is loaded into the case's builder and must hold the
same weights), reads the case's input*.npy, and differentiates with tf.GradientTape (training=False, so
dropout, noise etc. are identities) one scalar loss with respect to

  - every weight of every layer: `layer.weights` for layer in model.layers, trainable and non-trainable
    alike (BatchNormalization's moving mean and variance enter the inference formula), and
  - every float model input (integer token ids have no gradient),

for the model as saved (float32 weights, float32 input) and for its float64 clone (make_models.float64_clone:
the same config with every dtype policy float64, the weights cast; the input cast to float64).

The loss of a model with outputs y_k (model.outputs order) is the SUM over k of one of (src/gradients/losses.ts
implements the same):

  sum-squares            L = sum_i y_i^2
  mse                    L = mean_i (y_i - t_i)^2                               t: randn, as float32
  softmax-crossentropy   L = mean over rows of logsumexp(y_row) - y_row[t_row]  t: randint(0, classes, shape[:-1])
  binary-crossentropy    L = mean_i max(y_i, 0) - y_i t_i + log(1 + exp(-|y_i|))  t: randint(0, 2, shape)

with the targets of output k drawn after np.random.seed(SEED + 1000 + k), SEED = 42, shape = the output's
concrete shape. The float64 model gets the same targets (mse: the float32 values widened). Rows are the
last axis. The cross-entropies take the outputs as logits whatever the model's last activation is. Each case
gets one loss: case number i of the sorted case names gets LOSSES[i % 4] (binary-crossentropy where that is softmax-crossentropy on a one-class output). Each loss is checked against the
Keras loss that equals it (MeanSquaredError, SparseCategoricalCrossentropy(from_logits=True),
BinaryCrossentropy(from_logits=True)) in float64.

Written to models/keras-models/<case>/gradients/ (the folder is replaced as a whole):

  manifest.json            loss, seed, script, versions, lossValue {float32, float64}, inputs [...], weights
                           [...] (layers in model.layers order, weights in layer.weights order), each entry
                           with its shape, its two file names and its scaled float32-vs-float64 error
  <layer>.<k>.f32.npy      dL/d(layer.weights[k]) of the float32 model (float32)
  <layer>.<k>.f64.npy      the same for the float64 clone (float64)
  input-<i>.f32.npy / .f64.npy   dL/d(model.inputs[i]) for each float input i

Checks (the script fails loudly): the loaded model reproduces expected*.npy and its float64 clone
expected64*.npy; every weight is reached by the loss (a None gradient is an error); float32 and float64
gradients agree: per tensor max|g32 - g64| / max|g64| <= 1e-3 (more means the float64 clone is not the same
model); all gradient folders together stay under the size budget (8 MB, as `du -sh` counts them).
What does not fit the budget is skipped and recorded in models/keras-models/gradients-skipped.json (and in
the case's manifest, `skippedInputs`): whole cases in SKIPPED, the input gradients of the cases in
SKIPPED_INPUTS (still computed and checked float32 against float64, only not written).

The gradient section of models/keras-models/README.md (between the GRADIENTS_BEGIN / GRADIENTS_END
markers) is rewritten from the manifests on every run; make_models.py rewrites the README from scratch, so
run this script after it.

Run from the repository root:
    .cache/keras-venv/bin/python scripts/keras-models/make_gradients.py [--case NAME ...]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models as M  # noqa: E402  (sets KERAS_BACKEND and TF_CPP_MIN_LOG_LEVEL; main() is guarded)
import make_text_models as T  # noqa: E402  (main is guarded)
from make_models import keras, np, tf  # noqa: E402

SCRIPT = "scripts/keras-models/make_gradients.py"
PYTHON = M.PYTHON
OUT_DIR = M.OUT_DIR
SEED = 42
TARGET_SEED_OFFSET = 1000
LOSSES = ["sum-squares", "mse", "softmax-crossentropy", "binary-crossentropy"]
# Scaled float32-vs-float64 gradient error above which the float64 clone is not the same model.
GRADIENT_TOLERANCE = 1e-3
# The loaded model against the case's expected*.npy (predict) and expected64*.npy.
FORWARD_TOLERANCE = {"float32": 1e-5, "float64": 1e-12}
# All gradients/ folders together, in bytes as `du` counts them (allocated blocks).
SIZE_BUDGET = 8 * 1024 * 1024
SKIPPED_FILE = os.path.join(OUT_DIR, "gradients-skipped.json")
# Cases without gradient goldens, with the reason (written to SKIPPED_FILE).
SKIPPED = {}
# Cases whose input gradients are not written (too large), with the reason; their weight gradients are.
SKIPPED_INPUTS = {
    "irnn-relu-784": "dL/d input is [512, 784, 1] = 401,408 values: 4.8 MB as the float32 + float64 .npy pair; "
    "with everything else (4.4 MiB as du counts it, most of it 4 KiB blocks of small files) that is 9.0 MiB, "
    "over the 8 MB budget. The weight "
    "gradients (backpropagation through 784 relu steps) are kept; the input gradient is still computed and "
    "checked float32 against float64, only not written.",
}
README = os.path.join(OUT_DIR, "README.md")
GRADIENTS_BEGIN = "<!-- make_gradients.py: begin -->"
GRADIENTS_END = "<!-- make_gradients.py: end -->"


# ---------------------------------------------------------------------------------------------
# Cases and loading


def case_names():
    """Every case folder (one with a case.json), sorted as Python sorts strings (code points)."""
    return sorted(n for n in os.listdir(OUT_DIR) if os.path.isfile(os.path.join(OUT_DIR, n, "case.json")))


def loss_of_case(name, names):
    """LOSSES[i % 4] for case i; softmax-crossentropy on an output of one class is 0 for every model (no
    gradient reaches anything), so such a case takes binary-crossentropy instead (rnn-parity refuses the former)."""
    loss = LOSSES[names.index(name) % len(LOSSES)]
    if loss == "softmax-crossentropy":
        folder = os.path.join(OUT_DIR, name)
        files = sorted(f for f in os.listdir(folder) if f == "expected.npy" or (f.startswith("expected-") and f.endswith(".npy")))
        if any(np.load(os.path.join(folder, f), mmap_mode="r").shape[-1] == 1 for f in files):
            return "binary-crossentropy"
    return loss


def builder_of(name):
    for c in M.CASES + T.TEXT_CASES:
        if c["name"] == name:
            return c
    raise RuntimeError(f"{name}: no builder in make_models.py / make_text_models.py")


def load_model(name, record):
    """The saved model as make_models.py loads it back: model.keras, else model.h5; a model.weights.h5 beside
    it is loaded into a fresh build of the case and must give the same layers and bit-identical weights."""
    folder = os.path.join(OUT_DIR, name)
    files = record["files"]
    keras.backend.clear_session()
    if "model.keras" in files:
        source = "model.keras"
        model = keras.saving.load_model(os.path.join(folder, source))
    elif "model.h5" in files:
        source = "model.h5"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "No training configuration found in the save file"
            model = keras.saving.load_model(os.path.join(folder, source))
    else:
        raise RuntimeError(f"{name}: no model.keras or model.h5 in {files}")
    checked = []
    if "model.weights.h5" in files:
        c = builder_of(name)
        keras.backend.clear_session()  # the builder's default layer names, as when the file was saved
        fresh = c["builder"](c["seed"])
        fresh.load_weights(os.path.join(folder, "model.weights.h5"))
        if [l.name for l in fresh.layers] != [l.name for l in model.layers]:
            raise RuntimeError(f"{name}: model.weights.h5 layers {[l.name for l in fresh.layers]} vs {source} {[l.name for l in model.layers]}")
        # paths can differ ("sequential/lstm/lstm_cell/kernel" built here, "lstm/lstm_cell/kernel" loaded); names cannot
        for a, b in zip(fresh.weights, model.weights):
            if a.name != b.name or not np.array_equal(np.asarray(a.numpy()), np.asarray(b.numpy())):
                raise RuntimeError(f"{name}: model.weights.h5 weight {a.path} differs from {source}'s {b.path}")
        checked.append("model.weights.h5")
    return model, source, checked


def load_arrays(name, stem, count):
    folder = os.path.join(OUT_DIR, name)
    return [np.load(os.path.join(folder, M.numbered(stem, i, count))) for i in range(count)]


# ---------------------------------------------------------------------------------------------
# Losses


def draw_targets(loss, shapes):
    """Seeded targets for each output (None for sum-squares), exactly as src/gradients/losses.ts draws them."""
    targets = []
    for k, shape in enumerate(shapes):
        shape = tuple(int(d) for d in shape)
        np.random.seed(SEED + TARGET_SEED_OFFSET + k)
        if loss == "sum-squares":
            targets.append(None)
        elif loss == "mse":
            targets.append(np.random.randn(*shape).astype(np.float32))
        elif loss == "softmax-crossentropy":
            targets.append(np.random.randint(0, shape[-1], shape[:-1]))
        elif loss == "binary-crossentropy":
            targets.append(np.random.randint(0, 2, shape))
        else:
            raise ValueError(loss)
    return targets


def output_loss(loss, y, t):
    """One output's loss in TF ops, in y's dtype (the definitions in the module docstring)."""
    if loss == "sum-squares":
        return tf.reduce_sum(tf.square(y))
    if loss == "mse":
        return tf.reduce_mean(tf.square(y - tf.constant(t, dtype=y.dtype)))
    if loss == "softmax-crossentropy":
        rank = len(y.shape)
        picked = tf.gather(y, tf.constant(t[..., None], dtype=tf.int64), batch_dims=rank - 1)[..., 0]
        return tf.reduce_mean(tf.reduce_logsumexp(y, axis=-1) - picked)
    if loss == "binary-crossentropy":
        t = tf.constant(t, dtype=y.dtype)
        return tf.reduce_mean(tf.maximum(y, 0) - y * t + tf.math.log1p(tf.exp(-tf.abs(y))))
    raise ValueError(loss)


def keras_loss(loss, y, t):
    """The Keras loss equal to output_loss, computed in y's dtype (None for sum-squares, which Keras has not)."""
    if loss == "mse":
        return keras.losses.MeanSquaredError(dtype=y.dtype)(tf.constant(t, dtype=y.dtype), y)
    if loss == "softmax-crossentropy":
        if y.shape[-1] == 1:
            # One class (an output [..., 1]): the class API squeezes y's last axis to match t's rank and then
            # refuses it; the function it wraps, averaged, is the same loss.
            return tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(tf.constant(t), y, from_logits=True))
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype=y.dtype)(tf.constant(t), y)
    if loss == "binary-crossentropy":
        return keras.losses.BinaryCrossentropy(from_logits=True, dtype=y.dtype)(tf.constant(t, dtype=y.dtype), y)
    return None


# ---------------------------------------------------------------------------------------------
# Gradients


def model_weights(model):
    """(layer, k, variable) for every weight, layers in model.layers order, weights in layer.weights order."""
    entries, seen = [], {}
    for layer in model.layers:
        for k, v in enumerate(layer.weights):
            if id(v) in seen:
                raise RuntimeError(f"weight {v.path} of layer {layer.name} is also weight of layer {seen[id(v)]}")
            seen[id(v)] = layer.name
            entries.append((layer, k, v))
    if len(entries) != len(model.weights):
        raise RuntimeError(f"the layers' weights ({len(entries)}) are not the model's ({len(model.weights)})")
    return entries


def gradients(model, xs, loss, targets, dtype):
    """Loss value, per-output values and outputs, dL/d every weight (model_weights order) and dL/d every float
    input (None for an integer input); float inputs are cast to `dtype`."""
    tensors = [tf.constant(x) if np.issubdtype(x.dtype, np.integer) else tf.constant(x.astype(dtype)) for x in xs]
    float_inputs = [i for i, x in enumerate(xs) if not np.issubdtype(x.dtype, np.integer)]
    entries = model_weights(model)
    variables = [v.value for _, _, v in entries]  # the backend tf.Variables
    with tf.GradientTape() as tape:
        # trainable variables are watched anyway; the moving statistics (trainable=False) are not
        for v in variables:
            tape.watch(v)
        for i in float_inputs:
            tape.watch(tensors[i])
        ys = M.as_list(model(tensors if len(tensors) > 1 else tensors[0], training=False))
        per_output = [output_loss(loss, y, t) for y, t in zip(ys, targets)]
        total = tf.add_n(per_output)
    grads = tape.gradient(total, variables + [tensors[i] for i in float_inputs])
    missing = [v.path for (_, _, v), g in zip(entries, grads) if g is None]
    missing += [f"input {i}" for i, g in zip(float_inputs, grads[len(variables):]) if g is None]
    if missing:
        raise RuntimeError(f"the loss does not reach {missing}")
    grads = [np.asarray(tf.convert_to_tensor(g)) for g in grads]  # Embedding's IndexedSlices become dense
    for g in grads:
        if g.dtype != dtype:
            raise RuntimeError(f"a gradient came out {g.dtype}, expected {dtype}")
    weight_grads = grads[: len(variables)]
    input_grads = [None] * len(xs)
    for i, g in zip(float_inputs, grads[len(variables):]):
        input_grads[i] = g
    return {
        "value": float(total.numpy()),
        "perOutput": [float(p.numpy()) for p in per_output],
        "outputs": [np.asarray(y) for y in ys],
        "weights": weight_grads,
        "inputs": input_grads,
    }


def scaled_error(g32, g64):
    """max|g32 - g64| / max|g64| (the absolute difference where g64 is all zero)."""
    diff = float(np.max(np.abs(g32.astype(np.float64) - g64))) if g64.size else 0.0
    scale = float(np.max(np.abs(g64))) if g64.size else 0.0
    return diff / scale if scale > 0 else diff


# ---------------------------------------------------------------------------------------------
# One case


def write_case(name, names):
    folder = os.path.join(OUT_DIR, name)
    with open(os.path.join(folder, "case.json")) as f:
        record = json.load(f)
    loss = loss_of_case(name, names)
    model, source, checked = load_model(name, record)
    xs = [np.load(os.path.join(folder, i["file"])) for i in record["inputs"]]
    if len(xs) != len(model.inputs):
        raise RuntimeError(f"{name}: {len(xs)} input files for {len(model.inputs)} model inputs")
    n_out = len(model.outputs)
    expected = load_arrays(name, "expected", n_out)
    expected64 = load_arrays(name, "expected64", n_out)
    shapes = [list(y.shape) for y in expected]
    targets = draw_targets(loss, shapes)

    clone = M.float64_clone(model)
    if [l.name for l in clone.layers] != [l.name for l in model.layers]:
        raise RuntimeError(f"{name}: float64 clone layers {[l.name for l in clone.layers]} vs {[l.name for l in model.layers]}")
    r32 = gradients(model, xs, loss, targets, np.float32)
    r64 = gradients(clone, xs, loss, targets, np.float64)

    # The models compute the fixture's outputs.
    forward = {}
    for key, r, want in (("float32", r32, expected), ("float64", r64, expected64)):
        err = max(float(np.max(np.abs(y.astype(np.float64) - w.astype(np.float64)))) for y, w in zip(r["outputs"], want))
        if [list(y.shape) for y in r["outputs"]] != shapes or not err <= FORWARD_TOLERANCE[key]:
            raise RuntimeError(f"{name}: the {key} model called on the input is {err} away from its expected outputs")
        forward[key] = err
    # The TF-op losses are Keras's losses.
    for y, t, mine in zip(r64["outputs"], targets, r64["perOutput"]):
        ref = keras_loss(loss, tf.constant(y), t)
        if ref is not None and not abs(float(ref) - mine) <= 1e-12 * max(1.0, abs(mine)):
            raise RuntimeError(f"{name}: {loss} = {mine}, Keras's loss = {float(ref)}")

    entries = model_weights(model)
    entries64 = model_weights(clone)
    manifest_inputs, manifest_weights, arrays, errors = [], [], {}, []
    skipped_inputs = []
    for i, (g32, g64) in enumerate(zip(r32["inputs"], r64["inputs"])):
        if g32 is None:
            continue
        err = scaled_error(g32, g64)
        errors.append((err, f"input {i}"))
        if name in SKIPPED_INPUTS:
            skipped_inputs.append({"input": model.inputs[i].name, "index": i, "shape": list(g32.shape),
                                   "scaledF32VsF64": err, "reason": SKIPPED_INPUTS[name]})
            continue
        f32, f64 = f"input-{i}.f32.npy", f"input-{i}.f64.npy"
        arrays[f32], arrays[f64] = g32, g64
        manifest_inputs.append({
            "input": model.inputs[i].name, "index": i, "shape": list(g32.shape),
            "float32": f32, "float64": f64, "scaledF32VsF64": err,
        })
    for (layer, k, v), (layer64, k64, v64), g32, g64 in zip(entries, entries64, r32["weights"], r64["weights"]):
        # (paths can differ: a legacy .h5 Sequential loads as "sequential/lstm/...", its clone as "lstm/...")
        if (layer.name, k, v.name) != (layer64.name, k64, v64.name) or g32.shape != tuple(v.shape):
            raise RuntimeError(f"{name}: weight {layer.name}[{k}] {v.path} vs float64 {layer64.name}[{k64}] {v64.path}")
        err = scaled_error(g32, g64)
        errors.append((err, v.path))
        f32, f64 = f"{layer.name}.{k}.f32.npy", f"{layer.name}.{k}.f64.npy"
        if f32 in arrays:
            raise RuntimeError(f"{name}: two weights write {f32}")
        arrays[f32], arrays[f64] = g32, g64
        manifest_weights.append({
            "layer": layer.name, "index": k, "path": v.path, "shape": list(v.shape), "trainable": bool(v.trainable),
            "float32": f32, "float64": f64, "scaledF32VsF64": err,
        })
    worst, worst_what = max(errors)
    # Tensors whose float64 gradient is exactly zero: the loss does not depend on them here (e.g. softmax-
    # crossentropy of a one-class output is logsumexp(y) - y = 0 whatever y is; float32 may leave ~1e-8 of
    # rounding there, which the scaled comparison, absolute where g64 is zero, accepts).
    zero = [e["path"] if "path" in e else f"input {e['index']}" for e in manifest_inputs + manifest_weights
            if not np.any(arrays[e["float64"]])]
    if not worst <= GRADIENT_TOLERANCE:
        raise RuntimeError(f"{name}: float32 vs float64 gradient of {worst_what}: scaled error {worst} > {GRADIENT_TOLERANCE}; "
                           "the float64 clone is not the same model")

    manifest = {
        "case": name,
        "loss": loss,
        "seed": SEED,
        "targets": "output k: np.random.seed(seed + 1000 + k); mse: np.random.randn(*shape).astype(np.float32); "
        "softmax-crossentropy: np.random.randint(0, shape[-1], shape[:-1]); binary-crossentropy: "
        "np.random.randint(0, 2, shape); sum-squares: none",
        "script": SCRIPT,
        "command": f"{PYTHON} {SCRIPT} --case {name}",
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
        "model": source,
        "modelAlsoChecked": checked,
        "lossValue": {"float32": r32["value"], "float64": r64["value"]},
        "lossValuePerOutput": {"float32": r32["perOutput"], "float64": r64["perOutput"]},
        "outputShapes": shapes,
        "forwardMaxAbs": forward,
        "maxScaledF32VsF64": worst,
        "worstTensor": worst_what,
        "zeroGradients": zero,
        "inputs": manifest_inputs,
        "weights": manifest_weights,
    }
    if skipped_inputs:
        manifest["skippedInputs"] = skipped_inputs
    final = os.path.join(folder, "gradients")
    tmp = tempfile.mkdtemp(prefix=".gradients.", dir=folder)
    os.chmod(tmp, 0o755)
    try:
        for file_name, a in arrays.items():
            np.save(os.path.join(tmp, file_name), np.ascontiguousarray(a))
        with open(os.path.join(tmp, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        if os.path.exists(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


# ---------------------------------------------------------------------------------------------
# Size, skips, README


def du_bytes(paths):
    """What `du -s` counts for these folders, in bytes (allocated blocks); the apparent size where du is missing."""
    paths = [p for p in paths if os.path.isdir(p)]
    if not paths:
        return 0, 0
    apparent = sum(os.path.getsize(os.path.join(d, f)) for p in paths for d, _, fs in os.walk(p) for f in fs)
    try:
        out = subprocess.run(["du", "-s", "-B1", "-c", *paths], check=True, capture_output=True, text=True).stdout
        allocated = int(out.strip().splitlines()[-1].split()[0])
    except (OSError, subprocess.CalledProcessError, ValueError):
        allocated = apparent
    return allocated, apparent


def write_skipped(names):
    record = {
        "script": SCRIPT,
        "sizeBudgetBytes": SIZE_BUDGET,
        "skipped": [{"case": n, "loss": loss_of_case(n, names), "reason": SKIPPED[n]} for n in names if n in SKIPPED],
        "skippedInputGradients": [
            {"case": n, "loss": loss_of_case(n, names), "reason": SKIPPED_INPUTS[n]} for n in names if n in SKIPPED_INPUTS
        ],
    }
    with open(SKIPPED_FILE, "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")


def zero_note(names):
    parts = []
    for name in names:
        path = os.path.join(OUT_DIR, name, "gradients", "manifest.json")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            m = json.load(f)
        n_all = len(m["weights"]) + len(m["inputs"])
        if m["zeroGradients"]:
            which = "all" if len(m["zeroGradients"]) == n_all else f"{len(m['zeroGradients'])} of {n_all}"
            parts.append(f"`{name}` ({m['loss']}, outputs {', '.join(str(s) for s in m['outputShapes'])}): {which}")
    return (": " + "; ".join(parts)) if parts else ""


def gradient_section(names):
    lines = [
        GRADIENTS_BEGIN,
        "## Gradient goldens (`<case>/gradients/`)",
        "",
        "Made by `scripts/keras-models/make_gradients.py` with `tf.GradientTape` on the saved model (as the",
        "fixture scripts load it back; `training=False`) and on its float64 clone (`make_models.float64_clone`):",
        "dL/d every weight of every layer (`layer.weights` in `model.layers` order, trainable and not: the",
        "BatchNormalization moving statistics too) and dL/d every float input, float32 and float64.",
        "`manifest.json` lists them (`inputs`: `input`, `index`, `shape`, `float32`, `float64`; `weights`:",
        "`layer`, `index` in `layer.weights`, `path`, `shape`, `float32`, `float64`) with the loss, the seed,",
        "`lossValue` {float32, float64} and the versions; the files are `<layer>.<k>.f32.npy` /",
        "`<layer>.<k>.f64.npy` and `input-<i>.f32.npy` / `input-<i>.f64.npy`.",
        "",
        "The loss is the sum over the outputs y_k of one of (the same as `src/gradients/losses.ts`):",
        "`sum-squares` sum y^2; `mse` mean (y - t)^2; `softmax-crossentropy` mean over rows (last axis) of",
        "logsumexp(y) - y[t]; `binary-crossentropy` mean max(y, 0) - y t + log(1 + exp(-|y|)) (logits). Targets of",
        "output k: `np.random.seed(42 + 1000 + k)`, then `randn(*shape)` as float32 (mse), `randint(0, classes,",
        "shape[:-1])`, `randint(0, 2, shape)`. Case i of the sorted case names gets loss i % 4 of that list, except that softmax-crossentropy on an output of one class (always 0) becomes binary-crossentropy.",
        "The script fails if the models do not reproduce `expected*.npy`, if a weight is not reached, or if",
        f"float32 and float64 gradients differ by more than {GRADIENT_TOLERANCE:g} (max|g32 - g64| / max|g64| per tensor).",
        "",
        "Refresh (after `make_models.py` / `make_text_models.py`, which rewrite this README without this section):",
        "",
        f"    {PYTHON} {SCRIPT} [--case NAME ...]",
        "",
        "`zeroGradients` in a manifest lists the tensors whose float64 gradient is exactly zero (the loss does not",
        "depend on them): softmax-crossentropy of a one-class output `[..., 1]` is logsumexp(y) - y = 0 whatever y",
        "is (float32 leaves ~1e-8 of rounding there). Such tensors check shapes and wiring, not values"
        + zero_note(names) + ".",
        "",
        "| case | loss | L (float64) | worst scaled \\|g32 - g64\\| | tensors | all-zero |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in names:
        path = os.path.join(OUT_DIR, name, "gradients", "manifest.json")
        if name in SKIPPED:
            lines.append(f"| `{name}` | {loss_of_case(name, names)} | skipped | see `gradients-skipped.json` | | |")
            continue
        if not os.path.isfile(path):
            lines.append(f"| `{name}` | {loss_of_case(name, names)} | not made yet | | | |")
            continue
        with open(path) as f:
            m = json.load(f)
        lines.append(f"| `{name}` | {m['loss']} | {m['lossValue']['float64']:.6g} | {m['maxScaledF32VsF64']:.2e} "
                     f"| {len(m['weights'])} weights, {len(m['inputs'])} input{'' if len(m['inputs']) == 1 else 's'}"
                     f"{' (input gradient skipped)' if m.get('skippedInputs') else ''} | {len(m['zeroGradients']) or ''} |")
    allocated, apparent = du_bytes([os.path.join(OUT_DIR, n, "gradients") for n in names])
    lines += ["", f"All gradient folders: {apparent / 1e6:.2f} MB of files ({allocated / 2**20:.2f} MiB as `du` counts "
              f"them; budget {SIZE_BUDGET / 2**20:g} MiB)."
              + (" Skipped (whole cases, or input gradients only): `gradients-skipped.json`"
                 + "".join(f"; `{n}`: {'everything' if n in SKIPPED else 'its input gradients'}" for n in names
                           if n in SKIPPED or n in SKIPPED_INPUTS) + "."
                 if SKIPPED or SKIPPED_INPUTS else ""), GRADIENTS_END]
    return "\n".join(lines) + "\n"


def write_readme_section(names):
    with open(README) as f:
        text = f.read()
    section = gradient_section(names)
    if GRADIENTS_BEGIN in text and GRADIENTS_END in text:
        head, rest = text.split(GRADIENTS_BEGIN, 1)
        tail = rest.split(GRADIENTS_END, 1)[1].lstrip("\n")
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(README, "w") as f:
        f.write(text)


def main():
    names = case_names()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", nargs="+", action="extend", choices=names, help="only these cases; default all")
    args = parser.parse_args()
    if not os.path.isfile(SCRIPT):
        sys.exit(f"make_gradients: expected to run from the repository root (no {SCRIPT} here)")
    tf.config.experimental.enable_op_determinism()
    start = time.time()
    for name in names:
        if args.case is not None and name not in args.case:
            continue
        if name in SKIPPED:
            stale = os.path.join(OUT_DIR, name, "gradients")
            if os.path.isdir(stale):
                shutil.rmtree(stale)
            print(f"{name:32s} skipped: {SKIPPED[name]}")
            continue
        t0 = time.time()
        m = write_case(name, names)
        zero = f"  all-zero: {len(m['zeroGradients'])} tensors" if m["zeroGradients"] else ""
        print(f"{name:32s} {m['loss']:21s} L64 = {m['lossValue']['float64']:<12.6g} "
              f"worst scaled |g32 - g64| = {m['maxScaledF32VsF64']:.2e} ({m['worstTensor']})  {time.time() - t0:.1f}s{zero}", flush=True)
    write_skipped(names)
    allocated, apparent = du_bytes([os.path.join(OUT_DIR, n, "gradients") for n in names])
    print(f"gradient folders: {apparent} bytes of files, {allocated} bytes allocated (du); {time.time() - start:.1f}s")
    write_readme_section(names)
    if allocated > SIZE_BUDGET:
        sys.exit(f"make_gradients: the gradient folders take {allocated} bytes (du), over the budget of {SIZE_BUDGET}")


if __name__ == "__main__":
    main()
