"""Optimizer goldens from real Keras 3: test/fixtures/optimizers/keras-optimizers.json.

For two small weight tensors (shapes [3, 4] and [4]) and a seeded sequence of gradients, each case runs
STEPS calls of a real Keras optimizer's `apply_gradients` (TensorFlow backend, eager, CPU) and records the
weights after every step, twice:

- float64: variables created as float64, gradients float64, and keras.config.set_floatx("float64") while
  the optimizer is built, so that its learning-rate variable is float64 too (with the default floatx it is
  a float32 variable, and lr 0.001 would reach a float64 update as 0.0010000000474974513).
- float32: the same inputs rounded to float32 (numpy astype), floatx float32 (Keras's default).

Inputs: np.random.seed(WEIGHT_SEED); initial weights = randn per tensor, in SHAPES order.
        np.random.seed(GRADIENT_SEED); for each step, for each tensor: randn(shape) * GRADIENT_SCALES[tensor].
The inputs are written to the file too (float64, row-major), so readers need no NumPy RNG.

Run from the repository root:
    .cache/keras-venv/bin/python scripts/optimizers/make_optimizer_goldens.py
"""

import json
import os
import platform
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

SCRIPT = "scripts/optimizers/make_optimizer_goldens.py"
OUT_PATH = os.path.join("test", "fixtures", "optimizers", "keras-optimizers.json")
STEPS = 20
SHAPES = [[3, 4], [4]]
# Per tensor: its gradients are randn * scale. The kernel's are of order 1; the bias's of order 1e-4, the size where
# epsilon's placement shows (Adam: Keras's effective epsilon is 3.2e-6 at step 1, 3% of such a gradient; tfjs's
# centered RMSprop takes the square root of v - a^2 - epsilon, negative there).
GRADIENT_SCALES = [1.0, 1e-4]
WEIGHT_SEED = 7
GRADIENT_SEED = 8
# The keys of get_config() that define the update (the rest: name, weight_decay, clipnorm, ema, ... stay
# at their defaults here and are not implemented by src/optimizers).
UPDATE_KEYS = ["learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "momentum", "nesterov", "rho", "centered"]

# (case name, Keras class, constructor arguments). An empty dict means Keras's defaults.
CASES = [
    ("adam", "Adam", {}),
    ("adam-tuned", "Adam", {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-5, "amsgrad": False}),
    ("sgd", "SGD", {}),
    ("sgd-momentum", "SGD", {"momentum": 0.9}),
    ("sgd-nesterov", "SGD", {"momentum": 0.9, "nesterov": True}),
    ("rmsprop", "RMSprop", {}),
    ("rmsprop-momentum", "RMSprop", {"momentum": 0.9}),
    ("rmsprop-centered", "RMSprop", {"centered": True}),
    ("rmsprop-centered-momentum", "RMSprop", {"centered": True, "momentum": 0.9}),
]


def make_inputs():
    np.random.seed(WEIGHT_SEED)
    weights = [np.random.randn(*shape) for shape in SHAPES]
    np.random.seed(GRADIENT_SEED)
    grads = [[np.random.randn(*shape) * scale for shape, scale in zip(SHAPES, GRADIENT_SCALES)] for _ in range(STEPS)]
    return weights, grads


def run_case(class_name, kwargs, dtype, weights, grads):
    """Weights after each of the STEPS steps: [step][tensor] -> flat list."""
    previous_floatx = keras.config.floatx()
    keras.config.set_floatx(dtype)
    try:
        optimizer = getattr(keras.optimizers, class_name)(**kwargs)
        variables = [keras.Variable(w.astype(dtype), dtype=dtype, name=f"w{i}") for i, w in enumerate(weights)]
        config = optimizer.get_config()
        history = []
        for step_grads in grads:
            optimizer.apply_gradients([(tf.constant(g.astype(dtype), dtype=dtype), v) for g, v in zip(step_grads, variables)])
            history.append([np.asarray(v.numpy()).reshape(-1) for v in variables])
    finally:
        keras.config.set_floatx(previous_floatx)
    for v in variables:
        if v.dtype != dtype:
            raise RuntimeError(f"{class_name}: expected a {dtype} variable, got {v.dtype}")
    return config, history


def shortest(x, dtype):
    """The shortest decimal text that reads back as x in dtype (for float32, JS Math.fround(Number(text)) is x)."""
    if not np.isfinite(x):
        raise ValueError(f"expected a finite number, got {x!r}")
    text = str(np.float32(x)) if dtype == "float32" else repr(float(x))
    if np.dtype(dtype).type(float(text)) != np.dtype(dtype).type(x):
        raise AssertionError(f"{text} does not read back as {x!r} in {dtype}")
    return text


def flat(values, dtype):
    return "[" + ", ".join(shortest(x, dtype) for x in values) + "]"


def steps_json(history, dtype, indent):
    rows = ["[" + ", ".join(flat(t, dtype) for t in step) + "]" for step in history]
    return "[\n" + ",\n".join(indent + "  " + row for row in rows) + "\n" + indent + "]"


def main():
    weights, grads = make_inputs()
    cases = []
    for name, class_name, kwargs in CASES:
        config64, hist64 = run_case(class_name, kwargs, "float64", weights, grads)
        config32, hist32 = run_case(class_name, kwargs, "float32", weights, grads)
        update_config = {k: config64[k] for k in UPDATE_KEYS if k in config64}
        cases.append((name, class_name, kwargs, update_config, config32["learning_rate"], hist64, hist32))
        moved = max(np.max(np.abs(a - b.reshape(-1))) for a, b in zip(hist64[-1], weights))
        rounding = max(np.max(np.abs(a - b)) for a, b in zip(hist32[-1], hist64[-1]))
        print(f"{name}: max |w{STEPS} - w0| {moved:.3g} (float64); max |float32 - float64| after step {STEPS}: {rounding:.3g}")

    header = {
        "generator": SCRIPT,
        "command": f".cache/keras-venv/bin/python {SCRIPT}",
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__, "python": platform.python_version()},
        "backend": keras.backend.backend(),
        "description": (
            "Weights after each step of Keras optimizer.apply_gradients (eager, CPU). float64: float64 variables, "
            "gradients and floatx (so the learning-rate variable is float64; ops.cast of a Python float, as Adam's "
            "betas in its powers and SGD's momentum, still passes through float32 on the TensorFlow backend). "
            "float32: the same inputs rounded to float32 (numpy astype), floatx float32, values as shortest float32 "
            "text. Arrays are row-major: initialWeights[i] is tensor i, gradients[k][i] its gradient at step k+1, "
            "float64[k][i] and float32[k][i] it after step k+1. config: the float64 optimizer's get_config(), "
            "update keys only."
        ),
        "seeds": {
            "weights": WEIGHT_SEED,
            "gradients": GRADIENT_SEED,
            "recipe": "np.random.seed(weights); W = [randn(*s) for s in shapes]; np.random.seed(gradients); G = [[randn(*s) * c for s, c in zip(shapes, gradientScales)] for _ in range(steps)]",
        },
        "steps": STEPS,
        "shapes": SHAPES,
        "gradientScales": GRADIENT_SCALES,
    }
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    lines.append('  "initialWeights": [' + ", ".join(flat(w.reshape(-1), "float64") for w in weights) + "],")
    lines.append('  "gradients": ' + steps_json([[g.reshape(-1) for g in step] for step in grads], "float64", "  ") + ",")
    lines.append('  "cases": [')
    case_texts = []
    for name, class_name, kwargs, update_config, lr32, hist64, hist32 in cases:
        case_texts.append(
            "    {\n"
            f'      "name": {json.dumps(name)},\n'
            f'      "optimizer": {json.dumps(class_name)},\n'
            f'      "arguments": {json.dumps(kwargs)},\n'
            f'      "config": {json.dumps(update_config)},\n'
            f'      "float32LearningRate": {json.dumps(lr32)},\n'
            f'      "float64": {steps_json(hist64, "float64", "      ")},\n'
            f'      "float32": {steps_json(hist32, "float32", "      ")}\n'
            "    }"
        )
    lines.append(",\n".join(case_texts))
    lines.append("  ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # well-formed
    os.makedirs(os.path.dirname(OUT_PATH), exist_ok=True)
    with open(OUT_PATH, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT_PATH} ({len(text.encode('utf-8')):,} bytes)")


if __name__ == "__main__":
    sys.exit(main())
