"""Times Keras and a NumPy float64 loop on the cases `npm run bench` exports, for its side-by-side table.

    python scripts/bench/python_bench.py [--numpy-only]

A small server, so that each case is timed right after the JavaScript side timed it (on a shared machine
the load drifts; measuring everything Python at the end would compare different machines). It prints one
JSON line {"ready": true, "versions", "threads"} once imported, then answers each request line on stdin,
{"id", "dir", "cell", "units", "budgetMs", "maxSamples"}, with one line {"id", "numpy": timing, "keras":
timing}, until stdin closes. With --numpy-only it skips Keras (and never imports TensorFlow): the bench
runs a second server that way with OPENBLAS_NUM_THREADS=1.

Each case directory holds the model the JavaScript side ran, as .npy files in Keras's layout: x (float32
[N, T, D]), kernel, recurrent_kernel, bias ((2, 3M) for GRU reset_after), dense_kernel, dense_bias. The
outputs are written next to them (y_numpy.npy, y_keras.npy) so the bench can check they match.

Timing follows scripts/bench/timing.ts: a warm-up (short runs repeat for 300 ms), then samples until
maxSamples or the budget, the median; runs under 5 ms are repeated inside a sample.
"""

import json
import os
import platform
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

MIN_SAMPLE_MS = 5.0
MAX_REPEATS = 10000
WARMUP_MS = 300.0


def time_runs(run, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        run()
    return (time.perf_counter() - start) * 1000.0 / repeats


def measure(run, budget_ms, max_samples):
    """The same protocol as timing.ts's measure(); a raised exception becomes status 'failed'."""
    start = time.perf_counter()
    try:
        cold = time_runs(run, 1)
    except Exception as error:  # noqa: BLE001 - reported, not hidden
        return {"status": "failed", "reason": f"failed: {type(error).__name__}: {str(error).splitlines()[0]}"}
    if cold * 2 > budget_ms:
        return {"status": "ok", "medianMs": cold, "minMs": cold, "samples": 0, "repeats": 1, "coldMs": cold, "samplesMs": []}
    warm_until = time.perf_counter() + min(WARMUP_MS, budget_ms / 10) / 1000.0
    warm = time_runs(run, 1)
    while time.perf_counter() < warm_until:
        warm = min(warm, time_runs(run, 1))
    repeats = min(MAX_REPEATS, max(1, int(np.ceil(MIN_SAMPLE_MS / max(warm, 1e-4)))))
    samples = []
    last = warm
    while len(samples) < max_samples and (time.perf_counter() - start) * 1000.0 + last < budget_ms:
        t = time.perf_counter()
        samples.append(time_runs(run, repeats))
        last = (time.perf_counter() - t) * 1000.0
    if not samples:
        return {"status": "ok", "medianMs": warm, "minMs": warm, "samples": 1, "repeats": 1, "coldMs": cold, "samplesMs": [warm]}
    return {
        "status": "ok",
        "medianMs": float(np.median(samples)),
        "minMs": float(min(samples)),
        "samples": len(samples),
        "repeats": repeats,
        "coldMs": cold,
        "samplesMs": samples,
    }


def load_case(case):
    names = ["x", "kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias"]
    return {name: np.load(os.path.join(case["dir"], f"{name}.npy")) for name in names}


# ---------------------------------------------------------------------------------------------
# NumPy float64 loop: the input projection for all steps at once, then one matmul per step.


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_forward(case, w64, x64):
    """x64 [N, T, D] -> y [N, K], float64 throughout."""
    m = case["units"]
    n, t_steps, _ = x64.shape
    kernel, recurrent_kernel, bias = w64["kernel"], w64["recurrent_kernel"], w64["bias"]
    input_bias = bias[0] if case["cell"] == "gru" else bias
    xw = x64 @ kernel + input_bias  # [N, T, D] x [D, G*M] -> [N, T, G*M]
    h = np.zeros((n, m))
    c = np.zeros((n, m))
    for t in range(t_steps):
        if case["cell"] == "simple":
            h = np.tanh(xw[:, t] + h @ recurrent_kernel)  # [N, M] x [M, M] -> [N, M]
        elif case["cell"] == "lstm":
            z = xw[:, t] + h @ recurrent_kernel  # [N, M] x [M, 4M] -> [N, 4M], gates [i|f|c|o]
            i, f, g, o = sigmoid(z[:, :m]), sigmoid(z[:, m : 2 * m]), np.tanh(z[:, 2 * m : 3 * m]), sigmoid(z[:, 3 * m :])
            c = f * c + i * g
            h = o * np.tanh(c)
        else:
            mi = h @ recurrent_kernel + bias[1]  # [N, M] x [M, 3M] -> [N, 3M], gates [z|r|h]
            mx = xw[:, t]
            z = sigmoid(mx[:, :m] + mi[:, :m])
            r = sigmoid(mx[:, m : 2 * m] + mi[:, m : 2 * m])
            hh = np.tanh(mx[:, 2 * m :] + r * mi[:, 2 * m :])
            h = z * h + (1.0 - z) * hh
    return h @ w64["dense_kernel"] + w64["dense_bias"]  # [N, M] x [M, K] -> [N, K]


# ---------------------------------------------------------------------------------------------
# Keras: the same model as keras layers, called through tf.function.


def keras_predict(case, w, keras, tf):
    """A function running the Keras model on the case's input, as tf.function(model)."""
    x = w["x"]
    units = case["units"]
    if case["cell"] == "simple":
        layer = keras.layers.SimpleRNN(units)
    elif case["cell"] == "lstm":
        layer = keras.layers.LSTM(units, recurrent_activation="sigmoid")
    else:
        layer = keras.layers.GRU(units, recurrent_activation="sigmoid", reset_after=True)
    dense = keras.layers.Dense(w["dense_kernel"].shape[1])
    model = keras.Sequential([keras.Input(x.shape[1:]), layer, dense])
    layer.set_weights([w["kernel"], w["recurrent_kernel"], w["bias"]])
    dense.set_weights([w["dense_kernel"], w["dense_bias"]])
    call = tf.function(lambda inputs: model(inputs, training=False))
    x_tensor = tf.constant(x)
    return lambda: call(x_tensor).numpy()


def answer(request, numpy_only, keras, tf):
    """Times one case; returns the response object."""
    budget_ms, max_samples = request["budgetMs"], request["maxSamples"]
    w = load_case(request)
    w64 = {name: value.astype(np.float64) for name, value in w.items()}
    x64 = w64["x"]
    out = {"id": request["id"]}
    out["numpy"] = measure(lambda: numpy_forward(request, w64, x64), budget_ms, max_samples)
    if numpy_only:
        return out
    np.save(os.path.join(request["dir"], "y_numpy.npy"), numpy_forward(request, w64, x64))
    try:
        predict = keras_predict(request, w, keras, tf)
        out["keras"] = measure(predict, budget_ms, max_samples)
        np.save(os.path.join(request["dir"], "y_keras.npy"), predict())
    except Exception as error:  # noqa: BLE001 - reported in the table
        out["keras"] = {"status": "failed", "reason": f"failed: {type(error).__name__}: {str(error).splitlines()[0]}"}
    return out


def main():
    numpy_only = "--numpy-only" in sys.argv[1:]
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    keras = tf = None
    if not numpy_only:
        import keras  # noqa: PLC0415
        import tensorflow as tf  # noqa: PLC0415

        versions.update({"tensorflow": tf.__version__, "keras": keras.__version__})
    threads = {name: os.environ[name] for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"] if name in os.environ}
    threads["cpus"] = os.cpu_count()
    print(json.dumps({"ready": True, "versions": versions, "threads": threads}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(answer(json.loads(line), numpy_only, keras, tf)), flush=True)


if __name__ == "__main__":
    main()
