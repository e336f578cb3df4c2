"""A Keras model made the way a user makes one: build, compile, fit, save. Not the fixtures script:
no seeded initializers, no edited biases, layers given names of their own, and a trained optimizer
saved alongside, so that rnn-parity's importer meets a .keras file as it comes out of a notebook.

Run from the repository root:
    .cache/keras-venv/bin/python scripts/keras-fixtures/user_model.py
Writes models/keras-user/user-lstm.{keras,weights.h5} and user-lstm.input.npy, user-lstm.expected.npy.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

keras.utils.set_random_seed(7)
out = os.path.join("models", "keras-user", "user-lstm")

# A toy task: from 12 steps of 3 features, predict the running mean of the first feature.
x = np.random.randn(256, 12, 3).astype("float32")
y = x[:, :, 0].mean(axis=1, keepdims=True)

model = keras.Sequential([
    keras.Input(shape=(12, 3)),
    keras.layers.LSTM(16, name="encoder"),
    keras.layers.Dense(1, name="score"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=3, batch_size=32, verbose=0)

model.save(out + ".keras")
model.save_weights(out + ".weights.h5")
x_new = np.random.randn(4, 12, 3).astype("float32")
np.save(out + ".input.npy", x_new)
np.save(out + ".expected.npy", model.predict(x_new, verbose=0))
print(f"wrote {out}.keras, .weights.h5, .input.npy, .expected.npy")
