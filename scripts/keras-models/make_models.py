"""Golden fixtures of "users' real models" from real Keras 3: models/keras-models/<case>/.

Each case builds a realistic Keras model (the kind of thing people write from keras.io / TensorFlow
tutorials: classifiers, stacks with Dropout, Functional models with branches and several inputs or
outputs, legacy .h5 files, weights-only files), replaces every weight with seeded random values (so
that every bias is non-zero and a dropped bias shows), saves it, and writes:

    model.keras / model.h5 / model.weights.h5   the saved model (which ones: see each case)
    input.npy  (or input-0.npy, input-1.npy)    float32, np.random.seed(S); np.random.randn(*shape)
    expected.npy (or expected-0.npy, ...)       Keras float32 model.predict, in model.outputs order
    expected64.npy (or expected64-0.npy, ...)   the same architecture rebuilt in float64 by Keras
                                                (every dtype policy float64, weights cast), predict
                                                on the float64 input
    case.json                                   description, builder source, seeds, versions, errors

plus models/keras-models/activation-names.json (every name keras.activations.get accepts, with a
float64 table of f(x) on linspace(-6, 6, 49) computed by Keras) and models/keras-models/README.md.

Every saved file is loaded back and must reproduce expected.npy; the script fails if float32 and
float64 disagree by more than the case's tolerance.

Run from the repository root (see scripts/keras-models/README.md):
    .cache/keras-venv/bin/python scripts/keras-models/make_models.py [--case NAME ...]
"""

import argparse
import copy
import inspect
import json
import os
import shutil
import sys
import tempfile
import textwrap
import warnings
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers as L  # noqa: E402

SCRIPT = "scripts/keras-models/make_models.py"
PYTHON = ".cache/keras-venv/bin/python"
OUT_DIR = os.path.join("models", "keras-models")
# Keras float32 against Keras float64; measured errors are ~1e-7..1e-6. Anything near 1e-4 means the
# float64 rebuild is not the same model.
DEFAULT_TOLERANCE = 1e-4

# ---------------------------------------------------------------------------------------------
# Builders. Each returns an unbuilt-weights Keras model; its source is recorded in case.json.
# Layer names are Keras's defaults (a fresh session per case keeps them stable) unless named here.


def build_clf_lstm_softmax(seed):
    return keras.Sequential([
        keras.Input((28, 28)),
        L.LSTM(32),
        L.Dense(10, activation="softmax"),
    ])


def build_clf_gru_sigmoid(seed):
    return keras.Sequential([
        keras.Input((20, 8)),
        L.GRU(16),
        L.Dense(1, activation="sigmoid"),
    ])


def build_hidden_dense_dropout(seed):
    return keras.Sequential([
        keras.Input((15, 6)),
        L.LSTM(32),
        L.Dense(16, activation="relu"),
        L.Dropout(0.5),
        L.Dense(3, activation="softmax"),
    ])


def build_activation_layer_head(seed):
    return keras.Sequential([
        keras.Input((12, 5)),
        L.SimpleRNN(8),
        L.Dense(4),
        L.Activation("softmax"),
    ])


def build_stack_mixed_widths(seed):
    return keras.Sequential([
        keras.Input((24, 7)),
        L.LSTM(64, return_sequences=True),
        L.Dropout(0.2),
        L.LSTM(32),
        L.Dense(1),
    ])


def build_stack_mixed_kinds(seed):
    return keras.Sequential([
        keras.Input((10, 4)),
        L.LSTM(16, return_sequences=True),
        L.GRU(12, return_sequences=True, reset_after=False),
        L.SimpleRNN(8, activation="relu"),
        L.Dense(2),
    ])


def build_no_bias(seed):
    return keras.Sequential([
        keras.Input((9, 3)),
        L.LSTM(8, use_bias=False, return_sequences=True),
        L.GRU(6, use_bias=False, return_sequences=True),
        L.SimpleRNN(4, use_bias=False),
        L.Dense(3, use_bias=False),
    ])


def build_inference_identities(seed):
    return keras.Sequential([
        keras.Input((16, 5)),
        L.LSTM(12, dropout=0.2, recurrent_dropout=0.2, return_sequences=True),
        L.SpatialDropout1D(0.3),
        L.GaussianNoise(0.1),
        L.GaussianDropout(0.2),
        L.AlphaDropout(0.1),
        L.GRU(8, dropout=0.1),
        L.Dense(2),
    ])


def build_sequence_head(seed):
    return keras.Sequential([
        keras.Input((8, 3)),
        L.GRU(6, return_sequences=True, go_backwards=True),
        L.Dense(4, activation="tanh"),  # applied to every step: [N, 8, 4]
        L.Flatten(),
        L.Dense(2),
    ])


def build_reshape_input(seed):
    return keras.Sequential([
        keras.Input((784,)),
        L.Reshape((28, 28)),
        L.LSTM(16),
        L.Dense(10, activation="softmax"),
    ])


def build_recurrent_options(seed):
    return keras.Sequential([
        keras.Input((7, 3)),
        L.SimpleRNN(5, activation="elu", return_sequences=True),
        L.LSTM(6, activation="relu", recurrent_activation="hard_sigmoid", unit_forget_bias=False,
               return_sequences=True),
        L.GRU(4, activation="softsign", recurrent_activation="hard_sigmoid", unroll=True),
        L.Dense(2),
    ])


# The Dense chain of dense-activations: every element-wise activation name keras.activations.get
# accepts in Keras 3.15 (canonical names; see ACTIVATION_SKIPPED for the others). The order keeps
# every pre-activation in a range where its function is non-trivial (e.g. exponential after tanh).
DENSE_CHAIN_ACTIVATIONS = [
    "relu", "sigmoid", "tanh", "exponential", "log_softmax", "elu", "selu", "softplus", "softsign",
    "silu", "gelu", "hard_sigmoid", "hard_silu", "linear", "relu6", "leaky_relu", "mish",
    "log_sigmoid", "celu", "sparse_plus", "sparse_sigmoid", "squareplus", "soft_shrink",
    "hard_shrink", "tanh_shrink", "hard_tanh", "softmax",
]
ACTIVATION_SKIPPED = {
    "threshold": "needs arguments: threshold(x, threshold, default_value) has no defaults",
    "glu": "changes the width: splits the last axis in two halves (8 units -> 4), which Keras's Dense does not declare; refused by rnn-parity",
    "sparsemax": "mostly zeros (see dense-activations-b), which would hide the rest of the chain; in dense-activations-b",
    "swish": "alias of silu (keras.activations.get('swish') is silu; serialized as 'silu')",
    "hard_swish": "alias of hard_silu (keras.activations.get('hard_swish') is hard_silu; serialized as 'hard_silu')",
}


def build_dense_activations(seed):
    model = keras.Sequential([
        keras.Input((6, 4)),
        L.SimpleRNN(8, return_sequences=True),
        L.Flatten(),
    ])
    for name in DENSE_CHAIN_ACTIVATIONS:
        model.add(L.Dense(8, activation=name, name=f"dense_{name}"))
    return model


def build_dense_activations_b(seed):
    # The activation the chain of dense-activations leaves out: sparsemax (Keras 3.15's, see
    # activation-names.json) is zero almost everywhere on small logits, so it is the head here.
    # glu is not in any model: it halves the width, so Dense(8, "glu") outputs [N, 4] while its
    # compute_output_shape says [N, 8], and a layer after it fails; rnn-parity refuses it by name.
    return keras.Sequential([
        keras.Input((6, 4)),
        L.SimpleRNN(8, return_sequences=True),
        L.Flatten(),
        L.Dense(8, activation="sparsemax", name="dense_sparsemax"),
    ])


def build_functional_chain(seed):
    inputs = keras.Input((10, 3))
    x = L.LSTM(8)(inputs)
    outputs = L.Dense(2)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_functional_branches(seed):
    inputs = keras.Input((12, 4))
    embed = L.Dense(4, activation="tanh", name="embed")(inputs)  # branch point: feeds the LSTM and the GRU
    cls = L.Dense(3, activation="softmax", name="cls")(L.LSTM(8)(embed))
    seq = L.Dense(1, name="seq")(L.GRU(6, return_sequences=True)(embed))
    return keras.Model(inputs=inputs, outputs=[cls, seq])


def build_functional_two_inputs(seed):
    a = keras.Input((10, 3), name="a")
    b = keras.Input((10, 3), name="b")
    out_a = L.Dense(2, name="out_a")(L.SimpleRNN(4, name="rnn_a")(a))
    out_b = L.Dense(2, name="out_b")(L.SimpleRNN(4, name="rnn_b")(b))
    return keras.Model(inputs=[a, b], outputs=[out_a, out_b])


def build_legacy_h5_stack(seed):
    return keras.Sequential([
        keras.Input((12, 4)),
        L.LSTM(16, return_sequences=True),
        L.Dropout(0.2),
        L.LSTM(8),
        L.Dense(1, activation="sigmoid"),
    ])


def build_fixed_batch_32(seed):
    return keras.Sequential([
        keras.Input(shape=(10, 3), batch_size=32),
        L.SimpleRNN(5),
        L.Dense(2),
    ])


def build_irnn_relu_784(seed):
    # keras.io / Le et al. 2015 IRNN on pixel-by-pixel MNIST.
    return keras.Sequential([
        keras.Input((784, 1)),
        L.SimpleRNN(
            100,
            activation="relu",
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.001, seed=seed),
            recurrent_initializer=keras.initializers.Identity(gain=1.0),
        ),
        L.Dense(10, activation="softmax"),
    ])


def build_weights_only_stack(seed):
    return keras.Sequential([
        keras.Input((10, 3)),
        L.LSTM(8, return_sequences=True),
        L.LSTM(8),
        L.Dense(2),
    ])


# Convolution, pooling, normalization, RepeatVector and merge layers (the kinds beyond the recurrent cells).


def build_cnn_lstm(seed):
    # CNN-LSTM (keras.io / time-series tutorials): local features by a Conv1D, downsampled, then an LSTM.
    return keras.Sequential([
        keras.Input((24, 3)),
        L.Conv1D(8, 3, padding="same", activation="relu"),
        L.MaxPooling1D(2),
        L.LSTM(12),
        L.Dense(4, activation="softmax"),
    ])


def build_tcn_causal(seed):
    # WaveNet / TCN style: causal Conv1D layers with dilations 1, 2, 4 (receptive field 8 steps).
    return keras.Sequential([
        keras.Input((20, 3)),
        L.Conv1D(8, 2, padding="causal", dilation_rate=1, activation="relu"),
        L.Conv1D(8, 2, padding="causal", dilation_rate=2, activation="relu"),
        L.Conv1D(6, 3, padding="causal", dilation_rate=4, activation="tanh"),
        L.GlobalAveragePooling1D(),
        L.Dense(2),
    ])


def build_conv_strided_gru(seed):
    # Conv1D valid with stride 2 (21 -> 9 steps), AveragePooling1D(3, 2, same) (9 -> 5 steps: the first and
    # last windows cover 2 steps each, so the average divides by 2 there), then GRU + Dense.
    return keras.Sequential([
        keras.Input((21, 4)),
        L.Conv1D(6, 4, strides=2, padding="valid", use_bias=False),
        L.AveragePooling1D(3, strides=2, padding="same"),
        L.GRU(8),
        L.Dense(3),
    ])


def build_lstm_layernorm(seed):
    return keras.Sequential([
        keras.Input((10, 4)),
        L.LSTM(8, return_sequences=True),
        L.LayerNormalization(),
        L.GlobalMaxPooling1D(),
        L.Dense(3, activation="softmax"),
    ])


def build_batchnorm_stack(seed):
    # Moving statistics (set to random values like every weight) are what inference uses.
    return keras.Sequential([
        keras.Input((12, 5)),
        L.BatchNormalization(),
        L.LSTM(8, return_sequences=True),
        L.BatchNormalization(scale=False),
        L.GlobalAveragePooling1D(keepdims=True),
        L.Flatten(),
        L.Dense(6, activation="relu"),
        L.BatchNormalization(epsilon=1e-5, center=False),
        L.Dense(2),
    ])


def build_lstm_autoencoder(seed):
    # Sequence autoencoder (keras.io blog): encoder state repeated over T steps, decoded back per step.
    return keras.Sequential([
        keras.Input((8, 3)),
        L.LSTM(6),
        L.RepeatVector(8),
        L.LSTM(6, return_sequences=True),
        L.Dense(3),
    ])


def build_functional_merges(seed):
    a = keras.Input((10, 3), name="a")
    b = keras.Input((10, 3), name="b")
    seq_a = L.LSTM(6, return_sequences=True, name="seq_a")(a)
    seq_b = L.GRU(6, return_sequences=True, name="seq_b")(b)
    features = L.Concatenate(name="features")([seq_a, seq_b])  # [N, 10, 12]
    d1 = L.Dense(4, name="d1")(features)
    d2 = L.Dense(4, activation="tanh", name="d2")(features)
    d3 = L.Dense(4, activation="sigmoid", name="d3")(features)
    merged = L.Concatenate(name="merged")([
        L.Add(name="add")([d1, d2]),
        L.Subtract(name="subtract")([d1, d3]),
        L.Multiply(name="multiply")([d2, d3]),
        L.Average(name="average")([d1, d2, d3]),  # three inputs: Keras divides the sum by 3
        L.Maximum(name="maximum")([d1, d2, d3]),
        L.Minimum(name="minimum")([d1, d2]),
    ])  # [N, 10, 24]
    cls = L.Dense(2, name="cls")(L.LSTM(5, name="head")(merged))
    steps = L.Concatenate(axis=1, name="steps")([seq_a, seq_b])  # [N, 20, 6]: along time
    pooled = L.GlobalAveragePooling1D(name="pooled")(steps)
    return keras.Model(inputs=[a, b], outputs=[cls, pooled])


def case(name, builder, description, seed, inputs, saves=("keras",), tolerance=DEFAULT_TOLERANCE,
         weights="random", kernel_scale=None):
    """inputs: list of (kind, shape) with kind 'randn' or 'rand'; saves: 'keras', 'h5', 'weights';
    kernel_scale: {layer name: factor} applied to that layer's random kernel."""
    return dict(name=name, builder=builder, description=description, seed=seed, inputs=inputs,
                saves=saves, tolerance=tolerance, weights=weights, kernel_scale=kernel_scale or {})


CASES = [
    case("clf-lstm-softmax", build_clf_lstm_softmax,
         "MNIST rows classifier (keras.io / tutorials): LSTM(32) + Dense(10, softmax) on [N, 28, 28].",
         101, [("randn", (4, 28, 28))]),
    case("clf-gru-sigmoid", build_clf_gru_sigmoid,
         "Binary sequence classifier: GRU(16) (reset_after=True default) + Dense(1, sigmoid).",
         102, [("randn", (4, 20, 8))]),
    case("hidden-dense-dropout", build_hidden_dense_dropout,
         "Classifier with a hidden Dense(relu) and Dropout(0.5) before the softmax head.",
         103, [("randn", (4, 15, 6))]),
    case("activation-layer-head", build_activation_layer_head,
         "SimpleRNN(8) + Dense(4) + a separate Activation('softmax') layer.",
         104, [("randn", (4, 12, 5))]),
    case("stack-mixed-widths", build_stack_mixed_widths,
         "TensorFlow time-series tutorial style: LSTM(64, rs) + Dropout(0.2) + LSTM(32) + Dense(1).",
         105, [("randn", (4, 24, 7))]),
    case("stack-mixed-kinds", build_stack_mixed_kinds,
         "LSTM(16) -> GRU(12, reset_after=False) -> SimpleRNN(8, relu) -> Dense(2): three cell kinds stacked.",
         106, [("randn", (4, 10, 4))]),
    case("no-bias", build_no_bias,
         "Every layer with use_bias=False (LSTM, GRU, SimpleRNN, Dense): weight lists without a bias.",
         107, [("randn", (4, 9, 3))]),
    case("inference-identities", build_inference_identities,
         "Regularisation layers that are identities at inference: dropout/recurrent_dropout, SpatialDropout1D, "
         "GaussianNoise, GaussianDropout, AlphaDropout.",
         108, [("randn", (4, 16, 5))]),
    case("sequence-head", build_sequence_head,
         "GRU(go_backwards, return_sequences) + a per-step Dense(tanh) (3-D output) + Flatten + Dense(2).",
         109, [("randn", (4, 8, 3))]),
    case("reshape-input", build_reshape_input,
         "Flat MNIST input [N, 784] reshaped to [N, 28, 28] by a Reshape layer, then LSTM(16) + softmax.",
         110, [("randn", (4, 784))]),
    case("recurrent-options", build_recurrent_options,
         "Non-default recurrent options: SimpleRNN(elu), LSTM(relu, hard_sigmoid, unit_forget_bias=False), "
         "GRU(softsign, hard_sigmoid, unroll=True).",
         111, [("randn", (4, 7, 3))]),
    case("dense-activations", build_dense_activations,
         "SimpleRNN + Flatten + a chain of Dense(8) layers, one per element-wise activation name of Keras 3.15.",
         112, [("randn", (4, 6, 4))]),
    case("dense-activations-b", build_dense_activations_b,
         "The activations the dense-activations chain leaves out: Dense(8, sparsemax) (kernel x1.5: N=8 rows give "
         "all-zero, partial and one-hot outputs).",
         121, [("randn", (8, 6, 4))], kernel_scale={"dense_sparsemax": 1.5}),
    case("functional-chain", build_functional_chain,
         "Functional API model made only of basic layers: Input -> LSTM(8) -> Dense(2).",
         113, [("randn", (4, 10, 3))]),
    case("functional-branches", build_functional_branches,
         "Functional, one input, a shared per-step Dense feeding two branches: LSTM -> Dense(3, softmax) 'cls' "
         "and GRU(rs) -> Dense(1) 'seq'; two outputs.",
         114, [("randn", (4, 12, 4))]),
    case("functional-two-inputs", build_functional_two_inputs,
         "Functional with two inputs 'a' and 'b', each through its own SimpleRNN(4) -> Dense(2); two outputs.",
         115, [("randn", (4, 10, 3)), ("randn", (4, 10, 3))]),
    case("legacy-h5-stack", build_legacy_h5_stack,
         "Small stack (LSTM(16, rs) + Dropout + LSTM(8) + Dense(1, sigmoid)) saved only as legacy HDF5 model.h5.",
         116, [("randn", (4, 12, 4))], saves=("h5",)),
    case("legacy-h5-functional", build_functional_branches,
         "The functional-branches model saved only as legacy HDF5 model.h5.",
         117, [("randn", (4, 12, 4))], saves=("h5",)),
    case("fixed-batch-32", build_fixed_batch_32,
         "Input(shape=(10, 3), batch_size=32): the saved config fixes batch 32; predicted on N=4.",
         118, [("randn", (4, 10, 3))]),
    case("irnn-relu-784", build_irnn_relu_784,
         "keras.io IRNN on pixel-by-pixel MNIST: SimpleRNN(100, relu, identity recurrent kernel, "
         "RandomNormal(0.001) kernel) over 784 steps + Dense(10, softmax); N=512, pixels uniform [0, 1).",
         119, [("rand", (512, 784, 1))], weights="irnn", tolerance=1e-3),
    case("weights-only-stack", build_weights_only_stack,
         "Weights-only file (model.save_weights('model.weights.h5')) of LSTM(8, rs) + LSTM(8) + Dense(2); "
         "model.keras beside it for reference.",
         120, [("randn", (4, 10, 3))], saves=("models", "keras")),
    case("cnn-lstm", build_cnn_lstm,
         "CNN-LSTM: Conv1D(8, 3, same, relu) -> MaxPooling1D(2) -> LSTM(12) -> Dense(4, softmax).",
         122, [("randn", (4, 24, 3))]),
    case("tcn-causal", build_tcn_causal,
         "WaveNet/TCN style: causal Conv1D with dilation 1, 2, 4 -> GlobalAveragePooling1D -> Dense(2).",
         123, [("randn", (4, 20, 3))]),
    case("conv-strided-gru", build_conv_strided_gru,
         "Conv1D(6, 4, strides=2, valid, no bias) -> AveragePooling1D(3, 2, same) (edge windows of 2) -> GRU(8) -> Dense(3).",
         124, [("randn", (4, 21, 4))]),
    case("lstm-layernorm", build_lstm_layernorm,
         "LSTM(8, rs) -> LayerNormalization -> GlobalMaxPooling1D -> Dense(3, softmax).",
         125, [("randn", (4, 10, 4))]),
    case("batchnorm-stack", build_batchnorm_stack,
         "BatchNormalization (random moving statistics, variance in [0.5, 1.5)) on the input, after an LSTM "
         "(scale=False) and after a Dense (epsilon=1e-5, center=False); GlobalAveragePooling1D(keepdims) + Flatten.",
         126, [("randn", (4, 12, 5))]),
    case("lstm-autoencoder", build_lstm_autoencoder,
         "LSTM autoencoder: LSTM(6) -> RepeatVector(8) -> LSTM(6, rs) -> Dense(3) on every step.",
         127, [("randn", (4, 8, 3))]),
    case("functional-merges", build_functional_merges,
         "Functional, inputs 'a' and 'b': LSTM and GRU branches joined by Concatenate (features and, second output, "
         "time), three Dense heads merged by Add, Subtract, Multiply, Average (3 inputs), Maximum (3), Minimum.",
         128, [("randn", (4, 10, 3)), ("randn", (4, 10, 3))]),
]


# ---------------------------------------------------------------------------------------------
# Weights


def randomize_weights(model, seed, mode, kernel_scale):
    """Every kernel ~ U(-1, 1) * sqrt(3 / fan_in) (variance 1/fan_in; fan_in = the product of every axis but
    the last), every bias, beta and moving_mean ~ U(-0.5, 0.5), every gamma and moving_variance ~ U(0.5, 1.5).

    mode 'irnn': the SimpleRNN keeps its keras.io initializers (identity recurrent kernel,
    RandomNormal(0.001) kernel) and only its bias becomes U(-0.005, 0.005); the Dense head is
    randomized as above.
    """
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        variables = layer.weights
        if not variables:
            continue
        new = []
        for v in variables:
            shape = tuple(v.shape)
            if mode == "irnn" and isinstance(layer, L.SimpleRNN):
                if v.name == "bias":
                    new.append(rng.uniform(-0.005, 0.005, shape))
                else:
                    new.append(np.asarray(v.numpy()))
            elif v.name in ("kernel", "recurrent_kernel"):
                scale = kernel_scale.get(layer.name, 1.0) if v.name == "kernel" else 1.0
                # fan_in: every axis but the last (Dense [in, out]: in; Conv1D [k, in, out]: k * in)
                fan_in = int(np.prod(shape[:-1]))
                new.append(rng.uniform(-1.0, 1.0, shape) * np.sqrt(3.0 / fan_in) * scale)
            elif v.name == "embeddings":
                # token vectors of unit scale, so every id gives a distinct, non-trivial input
                new.append(rng.uniform(-1.0, 1.0, shape))
            elif v.name in ("bias", "beta", "moving_mean"):
                new.append(rng.uniform(-0.5, 0.5, shape))
            elif v.name in ("gamma", "moving_variance"):
                # positive, away from 0 and 1: a variance or scale of 1 would hide a dropped one
                new.append(rng.uniform(0.5, 1.5, shape))
            else:
                raise RuntimeError(f"{layer.name}: unexpected weight {v.path}")
        layer.set_weights([w.astype(np.float32) for w in new])


# ---------------------------------------------------------------------------------------------
# Float64 rebuild


def to_float64_config(obj):
    """Every float32 dtype / dtype policy in a Keras config becomes float64."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "dtype" and v == "float32":
                out[k] = "float64"
            elif k == "dtype" and isinstance(v, dict) and v.get("class_name") == "DTypePolicy":
                v = copy.deepcopy(v)
                v["config"]["name"] = "float64"
                out[k] = v
            else:
                out[k] = to_float64_config(v)
        return out
    if isinstance(obj, list):
        return [to_float64_config(v) for v in obj]
    return obj


def float64_clone(model):
    keras.config.set_floatx("float64")
    try:
        config = to_float64_config(keras.saving.serialize_keras_object(model))
        clone = keras.saving.deserialize_keras_object(config)
    finally:
        keras.config.set_floatx("float32")
    clone.set_weights([np.asarray(w, dtype=np.float64) for w in model.get_weights()])
    bad = [v.path for v in clone.weights if v.dtype != "float64"]
    if bad:
        raise RuntimeError(f"float64 clone has non-float64 weights: {bad}")
    return clone


# ---------------------------------------------------------------------------------------------
# Output helpers


def as_list(y):
    if isinstance(y, dict):
        raise RuntimeError("predict returned a dict; build outputs as a list")
    return list(y) if isinstance(y, (list, tuple)) else [y]


def numbered(stem, i, count):
    return f"{stem}.npy" if count == 1 else f"{stem}-{i}.npy"


def array_summary(a):
    flat = a.reshape(-1)
    return {
        "dtype": str(a.dtype),
        "shape": list(a.shape),
        "first": [float(v) for v in flat[:4]],
        "last": [float(v) for v in flat[-4:]],
        "sum": float(np.sum(flat.astype(np.float64))),
    }


def builder_source(builder):
    return textwrap.dedent(inspect.getsource(builder)).rstrip() + "\n"


def draw_inputs(c):
    xs, recipes = [], []
    for i, (kind, shape) in enumerate(c["inputs"]):
        s = c["seed"] + i
        np.random.seed(s)
        if kind == "randn":
            xs.append(np.random.randn(*shape).astype(np.float32))
            recipes.append(f"np.random.seed({s}); np.random.randn({', '.join(map(str, shape))}).astype(np.float32)")
        elif kind == "rand":
            xs.append(np.random.rand(*shape).astype(np.float32))
            recipes.append(f"np.random.seed({s}); np.random.rand({', '.join(map(str, shape))}).astype(np.float32)")
        elif kind.startswith("tokens"):
            # ("tokens:V:pre|post|none", (N, T)): ids 1..V-1, then sample i padded with 0 on `i` steps
            # (pre- or post-padding), so rows of every length, and with N > T an all-padding row.
            _, vocab, side = kind.split(":")
            x = np.random.randint(1, int(vocab), size=shape).astype(np.int32)
            for row in range(shape[0]):
                pad = min(row, shape[1])
                if side == "post" and pad:
                    x[row, shape[1] - pad:] = 0
                elif side == "pre" and pad:
                    x[row, :pad] = 0
            xs.append(x)
            recipes.append(f"np.random.seed({s}); x = np.random.randint(1, {vocab}, size={tuple(shape)}).astype(np.int32); "
                           f"row i {side}-padded with 0 on min(i, T) steps")
        elif kind == "randn-padded":
            # randn, then in sample i the last min(i, T) steps set to 0.0 (Masking's default mask_value).
            x = np.random.randn(*shape).astype(np.float32)
            for row in range(shape[0]):
                pad = min(row, shape[1])
                if pad:
                    x[row, shape[1] - pad:, :] = 0.0
            xs.append(x)
            recipes.append(f"np.random.seed({s}); x = np.random.randn({', '.join(map(str, shape))}).astype(np.float32); "
                           "in sample i the last min(i, T) steps set to 0.0")
        else:
            raise ValueError(kind)
    return xs, recipes


def predict(model, xs):
    return [np.asarray(y) for y in as_list(model.predict(xs if len(xs) > 1 else xs[0], verbose=0))]


def weights_h5_groups(path):
    """Names of the groups/datasets inside a Keras 3 .weights.h5 (or model.keras's model.weights.h5)."""
    import h5py

    names = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: names.append(n + ("" if isinstance(o, h5py.Group) else f" {list(o.shape)}")))
    return names


def dense_chain_ranges(model, xs):
    """For dense-activations: the pre-activation range of every Dense of the chain (float64)."""
    chain = [l for l in model.layers if l.name.startswith("dense_")]
    probe = keras.Model(inputs=model.inputs, outputs=[model.layers[1].output] + [l.output for l in chain])
    outs = [np.asarray(o, dtype=np.float64) for o in as_list(probe.predict(xs[0], verbose=0))]
    ranges = {}
    for layer, x_in, y in zip(chain, outs[:-1], outs[1:]):
        kernel, bias = [np.asarray(w, dtype=np.float64) for w in layer.get_weights()]
        z = x_in @ kernel + bias
        ranges[layer.name.removeprefix("dense_")] = {
            "preactivation": [float(z.min()), float(z.max())],
            "output": [float(y.min()), float(y.max())],
        }
    return ranges


# ---------------------------------------------------------------------------------------------
# One case


def write_case(c, command, out_dir):
    name, seed = c["name"], c["seed"]
    keras.backend.clear_session()  # fresh layer-name counters: `--case X` alone writes the same config
    keras.utils.set_random_seed(seed)
    xs, recipes = draw_inputs(c)
    model = c["builder"](seed)
    randomize_weights(model, seed, c["weights"], c["kernel_scale"])

    notes = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expected = predict(model, xs)
    if caught:
        notes["predictWarnings"] = sorted({str(w.message) for w in caught})
    if len(expected) != len(model.outputs):
        raise RuntimeError(f"{name}: {len(expected)} outputs for {len(model.outputs)} model outputs")
    expected = [y.astype(np.float32) for y in expected]
    for i, y in enumerate(expected):
        if np.ptp(y.astype(np.float64)) == 0.0:
            raise RuntimeError(f"{name}: output {i} is constant ({y.reshape(-1)[0]}): a degenerate fixture")

    clone = float64_clone(model)
    # Token ids stay integers; float inputs become float64.
    expected64 = predict(clone, [x if np.issubdtype(x.dtype, np.integer) else x.astype(np.float64) for x in xs])
    for y in expected64:
        if y.dtype != np.float64:
            raise RuntimeError(f"{name}: float64 rebuild predicted {y.dtype}")
    per_output = []
    for y32, y64 in zip(expected, expected64):
        if y32.shape != y64.shape:
            raise RuntimeError(f"{name}: float32 shape {y32.shape} vs float64 shape {y64.shape}")
        per_output.append(float(np.max(np.abs(y32.astype(np.float64) - y64))))
    max_abs = max(per_output)
    if not max_abs < c["tolerance"]:
        raise RuntimeError(f"{name}: Keras float32 vs float64: expected < {c['tolerance']}, got {max_abs}")

    final = os.path.join(out_dir, name)
    tmp = tempfile.mkdtemp(prefix=f".{name}.", dir=out_dir)
    os.chmod(tmp, 0o755)
    try:
        saved = []
        reload_errors = {}
        if "weights" in c["saves"]:
            path = os.path.join(tmp, "model.weights.h5")
            model.save_weights(path)
            saved.append("model.weights.h5")
            fresh = c["builder"](seed)
            fresh.load_weights(path)
            reload_errors["model.weights.h5"] = max_diff(predict(fresh, xs), expected)
        if "keras" in c["saves"]:
            path = os.path.join(tmp, "model.keras")
            model.save(path)
            saved.append("model.keras")
            reload_errors["model.keras"] = max_diff(predict(keras.saving.load_model(path), xs), expected)
            with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as d:
                z.extract("model.weights.h5", d)
                notes["modelKerasWeightsH5"] = weights_h5_groups(os.path.join(d, "model.weights.h5"))
        if "h5" in c["saves"]:
            path = os.path.join(tmp, "model.h5")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "You are saving your model as an HDF5 file ... legacy"
                model.save(path)
            saved.append("model.h5")
            reload_errors["model.h5"] = max_diff(predict(keras.saving.load_model(path), xs), expected)
        for file_name, err in reload_errors.items():
            if err != 0.0:
                raise RuntimeError(f"{name}: {file_name} loaded back predicts {err} away from expected")

        arrays = {}
        for i, x in enumerate(xs):
            arrays[numbered("input", i, len(xs))] = x
        for i, y in enumerate(expected):
            arrays[numbered("expected", i, len(expected))] = y
        for i, y in enumerate(expected64):
            arrays[numbered("expected64", i, len(expected64))] = y.astype(np.float64)
        for file_name, a in arrays.items():
            np.save(os.path.join(tmp, file_name), np.ascontiguousarray(a))

        if name == "fixed-batch-32":
            notes["fixedBatch"] = (
                f"config batch_shape {model.get_config()['layers'][0]['config']['batch_shape']}; "
                f"Keras predict ran N={xs[0].shape[0]} samples and returned {list(expected[0].shape)}"
            )
        if name == "dense-activations":
            notes["activationsInChain"] = DENSE_CHAIN_ACTIVATIONS
            notes["activationsSkipped"] = ACTIVATION_SKIPPED
        if name.startswith("dense-activations"):
            notes["chainRanges"] = dense_chain_ranges(model, xs)
        if c["kernel_scale"]:
            notes["kernelScale"] = c["kernel_scale"]

        config = model.get_config()
        record = {
            "name": name,
            "description": c["description"],
            "builder": builder_source(c["builder"]),
            "builderArgs": {"seed": seed},
            "modelClass": type(model).__name__,
            # model.layers: a Sequential's excludes its InputLayer, a Functional's includes them.
            "layers": [type(l).__name__ for l in model.layers],
            "layerNames": [l.name for l in model.layers],
            "configLayers": [[l["class_name"], l["config"]["name"]] for l in config["layers"]],
            "configInputLayers": config.get("input_layers"),
            "configOutputLayers": config.get("output_layers"),
            "seed": seed,
            "inputs": [
                {"file": numbered("input", i, len(xs)), "seed": seed + i, "shape": list(x.shape), "recipe": r}
                for i, (x, r) in enumerate(zip(xs, recipes))
            ],
            "weights": (
                "SimpleRNN keeps its keras.io initializers (identity recurrent kernel, RandomNormal(stddev=0.001, "
                f"seed={seed}) kernel), its bias = U(-0.005, 0.005); Dense: kernel U(-1, 1) * sqrt(3 / fan_in), "
                f"bias U(-0.5, 0.5); rng = np.random.default_rng({seed}), layer by layer, weight by weight"
                if c["weights"] == "irnn"
                else "kernel and recurrent_kernel U(-1, 1) * sqrt(3 / fan_in), bias U(-0.5, 0.5); "
                f"rng = np.random.default_rng({seed}), layer by layer in model.layers order, weight by weight"
                + (" (then kernels of kernelScale's layers times its factor)" if c["kernel_scale"] else "")
                + (" (fan_in of a Conv1D kernel [k, in, out]: k * in)" if any(isinstance(l, L.Conv1D) for l in model.layers) else "")
                + ("; gamma and moving_variance U(0.5, 1.5), beta and moving_mean U(-0.5, 0.5)"
                   if any(v.name in ("gamma", "moving_variance") for v in model.weights) else "")
            ),
            "files": sorted(saved + list(arrays) + ["case.json"]),
            "outputShapes": [list(y.shape) for y in expected],
            "float64Reference": "the model's config with every dtype policy float64 (keras.config.set_floatx('float64'), "
            "deserialize_keras_object), set_weights(get_weights() as float64), predict on the input as float64",
            "maxAbsF32VsF64": max_abs,
            "maxAbsF32VsF64PerOutput": per_output,
            "tolerance": c["tolerance"],
            "reloadMaxAbs": reload_errors,
            "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
            "command": command,
            "arrays": {k: array_summary(v) for k, v in arrays.items()},
            **notes,
        }
        with open(os.path.join(tmp, "case.json"), "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
        if os.path.exists(final):
            # tfjs/ is written by convert_tfjs.py from this folder's model; keep it across regenerations
            # (the model's config and weights do not change; rerun convert_tfjs.py after changing a case).
            if os.path.isdir(os.path.join(final, "tfjs")):
                os.rename(os.path.join(final, "tfjs"), os.path.join(tmp, "tfjs"))
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return max_abs


def max_diff(ys, expected):
    return max(float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)))) for a, b in zip(ys, expected))


# ---------------------------------------------------------------------------------------------
# activation-names.json


SPARSEMAX_QUIRK = (
    "Keras 3.15 (every backend) computes tau = (sum over the support of the cumulative sums of the sorted "
    "logits - 1) / k, not (cumulative sum at k - 1) / k as in Martins & Astudillo 2016; the two agree only "
    "when the support has one element. y here, and dense-activations-b, are what Keras computes."
)


def sparsemax_examples():
    """Keras's sparsemax next to the paper's on a few float64 vectors."""

    def paper(z):
        zs = np.sort(z)[::-1]
        cs = np.cumsum(zs)
        k = np.arange(1, len(z) + 1)
        kk = k[1 + k * zs > cs].max()
        return np.maximum(z - (cs[kk - 1] - 1) / kk, 0.0)

    out = []
    for z in ([0.0, 0.5, 3.0], [0.1, 0.2, 0.3, 0.4], [-0.3, 0.1, 0.5, 0.59, 0.2, 0.0, -0.1, 0.3], [2.0, 1.5, -1.0, 0.5]):
        z = np.asarray(z, dtype=np.float64)
        keras_y = np.asarray(keras.activations.sparsemax(tf.constant(z)))
        out.append({"x": z.tolist(), "keras": keras_y.tolist(), "paper": paper(z).tolist()})
    return out


def write_activation_names(out_dir):
    from keras.src.activations import ALL_OBJECTS_DICT

    xs = np.linspace(-6.0, 6.0, 49)
    x = tf.constant(xs, dtype=tf.float64)
    table = {}
    for name in sorted(ALL_OBJECTS_DICT):
        fn = keras.activations.get(name)
        entry = {"function": fn.__name__, "signature": str(inspect.signature(fn))}
        if fn.__name__ != name:
            entry["aliasOf"] = fn.__name__
        if name in ("softmax", "log_softmax", "sparsemax"):
            entry["note"] = "axis=-1: the 49 values are one vector, not element-wise"
        if name == "sparsemax":
            entry["kerasQuirk"] = SPARSEMAX_QUIRK
            entry["examples"] = sparsemax_examples()
        try:
            y = np.asarray(fn(x))
            if y.dtype != np.float64:
                raise RuntimeError(f"{name}: float64 input gave {y.dtype}")
            if y.shape != xs.shape:
                raise RuntimeError(f"changes the width: 49 values -> shape {list(y.shape)}")
            entry["y"] = [float(v) for v in y]
        except Exception as e:  # noqa: BLE001 - recorded: threshold needs arguments, glu halves the axis
            entry["y"] = None
            entry["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        table[name] = entry
    # glu on an even-width input so that there is still a reference for it.
    glu_x = tf.constant(np.concatenate([xs[:-1], xs[:-1][::-1]]).reshape(1, 96), dtype=tf.float64)
    table["glu"]["evenInput"] = "x = concat(linspace(-6, 6, 49)[:48], reversed), shape [1, 96]; y shape [1, 48]"
    table["glu"]["yEven"] = [float(v) for v in np.asarray(keras.activations.get("glu")(glu_x)).reshape(-1)]
    record = {
        "description": "Every name keras.activations.get accepts in Keras 3.15 (keras.src.activations.ALL_OBJECTS_DICT), "
        "with f(x) computed by Keras (TensorFlow backend) in float64 at x = linspace(-6, 6, 49). "
        "Default arguments; y is null where the call fails (see error).",
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
        "command": f"{PYTHON} {SCRIPT} --activations-only",
        "x": [float(v) for v in xs],
        "activations": table,
    }
    with open(os.path.join(out_dir, "activation-names.json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    return len(table)


def write_index(out_dir):
    lines = [
        "# Keras 3 \"users' real models\" fixtures",
        "",
        "Generated by real Keras 3 with `scripts/keras-models/make_models.py` (how to regenerate:",
        "`scripts/keras-models/README.md`). Each folder holds the saved model (`model.keras`, `model.h5`",
        "and/or `model.weights.h5`), `input*.npy` (float32), `expected*.npy` (Keras `model.predict`,",
        "float32, one file per output in `model.outputs` order), `expected64*.npy` (the same architecture",
        "rebuilt by Keras in float64) and `case.json`. `activation-names.json` tabulates every activation",
        "name `keras.activations.get` accepts, in float64.",
        "",
        "| case | files | max \\|f32 - f64\\| |",
        "| --- | --- | --- |",
    ]
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name, "case.json")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            record = json.load(f)
        models = ", ".join(f"`{x}`" for x in record["files"] if not x.endswith((".npy", ".json")))
        lines.append(f"| `{name}` | {models} | {record['maxAbsF32VsF64']:.3g} |")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    names = [c["name"] for c in CASES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=names, help="only this case (repeatable); default all")
    parser.add_argument("--activations-only", action="store_true", help="only write activation-names.json")
    args = parser.parse_args()
    if not os.path.isfile(SCRIPT):
        sys.exit(f"make_models: expected to run from the repository root (no {SCRIPT} here)")
    os.makedirs(OUT_DIR, exist_ok=True)
    tf.config.experimental.enable_op_determinism()
    if args.activations_only or args.case is None:
        count = write_activation_names(OUT_DIR)
        print(f"{'activation-names.json':24s} {count} names")
    if args.activations_only:
        return
    for c in CASES:
        if args.case is not None and c["name"] not in args.case:
            continue
        command = f"{PYTHON} {SCRIPT} --case {c['name']}"
        max_abs = write_case(c, command, OUT_DIR)
        print(f"{c['name']:24s} max |keras f32 - keras f64| = {max_abs:.3e}")
    write_index(OUT_DIR)


if __name__ == "__main__":
    main()
