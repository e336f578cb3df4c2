"""Keras's own training trajectories: models/keras-models/<case>/training/ for a few Keras fixtures.

For each case in CASES, this loads the saved model exactly as make_gradients.py does, takes the case's loss and
seeded targets from there (same definitions, same seed, same loss per case), and runs STEPS training steps on the
case's input (the same batch every step), for each optimizer in OPTIMIZERS:

    with tf.GradientTape() as tape:
        loss = sum_k output_loss(model(x, training=False)[k], t_k)     # make_gradients.output_loss
    grads = tape.gradient(loss, trainable)                             # trainable: model.trainable_weights,
    optimizer.apply_gradients(zip(grads, trainable))                   #   in the graph's (layer.weights) order

twice: on the model as saved (float32, floatx float32) and on its float64 clone (make_models.float64_clone), with
keras.config.set_floatx("float64") while the optimizer is built so that its learning-rate variable is float64 too
(see scripts/optimizers/make_optimizer_goldens.py). training=False, as for the gradient goldens: dropout and noise
are identities and BatchNormalization uses (and does not update) its moving statistics, which are not trainable
and so never change. An Embedding's gradient (tf.IndexedSlices) is made dense before apply_gradients: the
trajectory is then dense Adam/SGD, which is what the hand path and tfjs compute; the script measures the sparse
path too and records the difference (`sparseVsDense` in the manifest: Keras 3 updates every row either way).

Optimizers (Keras 3 defaults otherwise):
    adam            keras.optimizers.Adam()               lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7
    sgd-momentum    keras.optimizers.SGD(momentum=0.9)    lr 0.01

Written to models/keras-models/<case>/training/ (replaced as a whole):

    manifest.json              case, loss, seed, steps, versions, optimizers {name: {class, arguments, config,
                               files {float32, float64}, loss {float32: [...], float64: [...]}, lossAfter}},
                               weights [{layer, index, path, shape, offset, size}] (the trainable weights, in
                               model.layers / layer.weights order: the graph's order), nonTrainable [paths],
                               and the checks below
    <optimizer>.f32.npy        [STEPS, P] float32: row s = every trainable weight after step s + 1, flattened
                               row-major and concatenated in `weights` order (P values)
    <optimizer>.f64.npy        [STEPS, P] float64: the same for the float64 clone

loss[s] is the loss at the weights before step s + 1 (the one whose gradient step s + 1 applies); lossAfter the
loss after the last step.

Checks (the script fails loudly): the step-1 gradients equal the gradient goldens of make_gradients.py (gradients/
<layer>.<k>.f32.npy / .f64.npy: same model, loss, targets; measured bit for bit); the float32 and float64
trajectories agree to TRAJECTORY_TOLERANCE (scaled per weight, per step); all training folders together stay under
SIZE_BUDGET bytes.

Run from the repository root:
    .cache/keras-venv/bin/python scripts/keras-models/make_training_steps.py [--case NAME ...]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_gradients as G  # noqa: E402  (imports make_models, which sets KERAS_BACKEND; main() is guarded)
import make_models as M  # noqa: E402
from make_models import keras, np, tf  # noqa: E402

SCRIPT = "scripts/keras-models/make_training_steps.py"
PYTHON = M.PYTHON
OUT_DIR = M.OUT_DIR
STEPS = 10
# Small fixtures covering an LSTM classifier (seed 002's shape), two GRUs with a state output (mse on 2 outputs),
# a masked Bidirectional LSTM on token ids (an Embedding: sparse gradients), and BatchNormalization (non-trainable
# moving statistics).
CASES = ["clf-lstm-softmax", "seq2seq-gru-states", "text-masked-bilstm-classifier", "batchnorm-stack"]
# (name, Keras class, constructor arguments); {} is Keras's defaults.
OPTIMIZERS = [
    ("adam", "Adam", {}),
    ("sgd-momentum", "SGD", {"momentum": 0.9}),
]
UPDATE_KEYS = ["learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "momentum", "nesterov"]
# float32 vs float64 trajectory, max |w32 - w64| / max |w64| per weight and step: float32 rounding of weights of
# size ~1 is ~6e-8 per step; 1e-4 only flags a float64 clone that is not the same model or optimizer.
TRAJECTORY_TOLERANCE = 1e-4
# Step-1 gradients against the gradient goldens (the same computation: measured 0, i.e. bit for bit).
GOLDEN_GRADIENT_TOLERANCE = 1e-6
# All training/ folders together, in bytes of files.
SIZE_BUDGET = 3 * 1000 * 1000


def trainable_entries(model):
    """(layer, k, variable) for the trainable weights, in model_weights (graph) order."""
    return [(layer, k, v) for layer, k, v in G.model_weights(model) if v.trainable]


def loss_of(model, tensors, loss, targets):
    ys = M.as_list(model(tensors if len(tensors) > 1 else tensors[0], training=False))
    return tf.add_n([G.output_loss(loss, y, t) for y, t in zip(ys, targets)])


def train(model, xs, loss, targets, dtype, class_name, kwargs, sparse=False):
    """STEPS steps of `class_name` on `model`: (losses before each step, loss after, weights [STEPS, P], step-1
    gradients, optimizer config). sparse: pass an Embedding's IndexedSlices gradient as it comes."""
    tensors = [tf.constant(x) if np.issubdtype(x.dtype, np.integer) else tf.constant(x.astype(dtype)) for x in xs]
    entries = trainable_entries(model)
    variables = [v for _, _, v in entries]
    previous_floatx = keras.config.floatx()
    keras.config.set_floatx(dtype)
    try:
        optimizer = getattr(keras.optimizers, class_name)(**kwargs)
    finally:
        keras.config.set_floatx(previous_floatx)
    losses, rows, first_grads = [], [], None
    for _ in range(STEPS):
        with tf.GradientTape() as tape:
            total = loss_of(model, tensors, loss, targets)
        grads = tape.gradient(total, variables)
        missing = [v.path for v, g in zip(variables, grads) if g is None]
        if missing:
            raise RuntimeError(f"the loss does not reach {missing}")
        if not sparse:
            grads = [tf.convert_to_tensor(g) for g in grads]
        if first_grads is None:
            first_grads = [np.asarray(tf.convert_to_tensor(g)) for g in grads]
        optimizer.apply_gradients(zip(grads, variables))
        losses.append(float(total.numpy()))
        rows.append(np.concatenate([np.asarray(v.numpy()).reshape(-1) for v in variables]))
    after = float(loss_of(model, tensors, loss, targets).numpy())
    history = np.stack(rows)
    if history.dtype != dtype:
        raise RuntimeError(f"weights came out {history.dtype}, expected {dtype}")
    config = {k: v for k, v in optimizer.get_config().items() if k in UPDATE_KEYS}
    return losses, after, history, first_grads, config


def scaled(a, b):
    """max |a - b| / max |b| (the absolute difference where b is all zero)."""
    diff = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if b.size else 0.0
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    return diff / scale if scale > 0 else diff


def per_weight(history, weights):
    """[STEPS, P] -> per weight, its [STEPS, size] columns."""
    return [history[:, w["offset"]: w["offset"] + w["size"]] for w in weights]


def write_case(name, names):
    folder = os.path.join(OUT_DIR, name)
    with open(os.path.join(folder, "case.json")) as f:
        record = json.load(f)
    loss = G.loss_of_case(name, names)
    xs = [np.load(os.path.join(folder, i["file"])) for i in record["inputs"]]
    golden_path = os.path.join(folder, "gradients", "manifest.json")
    with open(golden_path) as f:
        golden = json.load(f)
    if golden["loss"] != loss or golden["seed"] != G.SEED:
        raise RuntimeError(f"{name}: gradient goldens are for {golden['loss']} seed {golden['seed']}, expected {loss} seed {G.SEED}")

    model, source, _ = G.load_model(name, record)
    shapes = [list(y.shape) for y in G.load_arrays(name, "expected", len(model.outputs))]
    targets = G.draw_targets(loss, shapes)
    entries = trainable_entries(model)
    weights, offset = [], 0
    for layer, k, v in entries:
        size = int(np.prod(v.shape))
        weights.append({"layer": layer.name, "index": k, "path": v.path, "shape": list(v.shape), "offset": offset, "size": size})
        offset += size
    non_trainable = [v.path for _, _, v in G.model_weights(model) if not v.trainable]
    golden_by_key = {(w["layer"], w["index"]): w for w in golden["weights"]}

    optimizers, arrays, checks = {}, {}, {"step1GradientVsGoldens": {}, "float32VsFloat64": {}, "sparseVsDense": {}}
    for opt_name, class_name, kwargs in OPTIMIZERS:
        runs = {}
        for dtype in ("float32", "float64"):
            fresh, _, _ = G.load_model(name, record)
            trained = fresh if dtype == "float32" else M.float64_clone(fresh)
            runs[dtype] = train(trained, xs, loss, targets, dtype, class_name, kwargs)
        # Step 1's gradients are the gradient goldens (same model, loss and targets).
        worst_golden = 0.0
        for dtype, suffix in (("float32", "float32"), ("float64", "float64")):
            for w, g in zip(weights, runs[dtype][3]):
                ref = np.load(os.path.join(folder, "gradients", golden_by_key[(w["layer"], w["index"])][suffix]))
                worst_golden = max(worst_golden, scaled(g, ref))
        if not worst_golden <= GOLDEN_GRADIENT_TOLERANCE:
            raise RuntimeError(f"{name} {opt_name}: step-1 gradients are {worst_golden} from the gradient goldens")
        checks["step1GradientVsGoldens"][opt_name] = worst_golden
        # float32 against float64, per weight and step.
        h32, h64 = runs["float32"][2], runs["float64"][2]
        per_step = [max(scaled(a[s], b[s]) for a, b in zip(per_weight(h32, weights), per_weight(h64, weights))) for s in range(STEPS)]
        if not max(per_step) <= TRAJECTORY_TOLERANCE:
            raise RuntimeError(f"{name} {opt_name}: float32 vs float64 trajectory {max(per_step)} > {TRAJECTORY_TOLERANCE}")
        checks["float32VsFloat64"][opt_name] = per_step
        # An Embedding's IndexedSlices as they come, against the dense trajectory (float32).
        if any(isinstance(layer, keras.layers.Embedding) for layer in model.layers):
            fresh, _, _ = G.load_model(name, record)
            sparse = train(fresh, xs, loss, targets, "float32", class_name, kwargs, sparse=True)[2]
            checks["sparseVsDense"][opt_name] = float(np.max(np.abs(sparse.astype(np.float64) - h32)))
        files = {"float32": f"{opt_name}.f32.npy", "float64": f"{opt_name}.f64.npy"}
        arrays[files["float32"]], arrays[files["float64"]] = h32, h64
        optimizers[opt_name] = {
            "class": class_name,
            "arguments": kwargs,
            "config": runs["float64"][4],
            "float32LearningRate": runs["float32"][4]["learning_rate"],
            "files": files,
            "loss": {"float32": runs["float32"][0], "float64": runs["float64"][0]},
            "lossAfter": {"float32": runs["float32"][1], "float64": runs["float64"][1]},
        }
    if not checks["sparseVsDense"]:
        del checks["sparseVsDense"]

    manifest = {
        "case": name,
        "loss": loss,
        "seed": G.SEED,
        "targets": golden["targets"],
        "steps": STEPS,
        "batch": "the case's input files, the same batch every step",
        "training": False,
        "script": SCRIPT,
        "command": f"{PYTHON} {SCRIPT} --case {name}",
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
        "model": source,
        "layout": "<optimizer>.f32.npy / .f64.npy: [steps, P]; row s = the trainable weights after step s + 1, each "
        "flattened row-major, concatenated in `weights` order (offset, size)",
        "optimizers": optimizers,
        "weights": weights,
        "nonTrainable": non_trainable,
        "checks": checks,
    }
    final = os.path.join(folder, "training")
    tmp = tempfile.mkdtemp(prefix=".training.", dir=folder)
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


def folder_bytes(names):
    total = 0
    for name in names:
        folder = os.path.join(OUT_DIR, name, "training")
        if os.path.isdir(folder):
            total += sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    return total


def main():
    names = G.case_names()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", nargs="+", action="extend", choices=CASES, help="only these cases; default all of CASES")
    args = parser.parse_args()
    if not os.path.isfile(SCRIPT):
        sys.exit(f"make_training_steps: expected to run from the repository root (no {SCRIPT} here)")
    tf.config.experimental.enable_op_determinism()
    start = time.time()
    for name in CASES:
        if args.case is not None and name not in args.case:
            continue
        t0 = time.time()
        m = write_case(name, names)
        for opt_name, o in m["optimizers"].items():
            drift = max(m["checks"]["float32VsFloat64"][opt_name])
            print(f"{name:32s} {m['loss']:21s} {opt_name:13s} L64 {o['loss']['float64'][0]:.6g} -> {o['lossAfter']['float64']:.6g}"
                  f"  float32 vs float64 <= {drift:.2e}  step-1 grads vs goldens {m['checks']['step1GradientVsGoldens'][opt_name]:.1e}"
                  + (f"  sparse vs dense {m['checks']['sparseVsDense'][opt_name]:.1e}" if "sparseVsDense" in m["checks"] else ""),
                  flush=True)
        print(f"{'':32s} {time.time() - t0:.1f}s", flush=True)
    total = folder_bytes(CASES)
    print(f"training folders: {total} bytes of files; {time.time() - start:.1f}s")
    if total > SIZE_BUDGET:
        sys.exit(f"make_training_steps: the training folders take {total} bytes, over the budget of {SIZE_BUDGET}")


if __name__ == "__main__":
    main()
