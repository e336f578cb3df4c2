"""Small legacy HDF5 full-model files (`model.save("m.h5")`) for test/formats/: test/fixtures/legacy-h5/<case>/.

Cases:
    keras3-stack          Keras 3's legacy writer: Sequential LSTM(6, rs) -> SimpleRNN(5, rs) -> GRU(4) -> Dense(3, softmax)
    keras3-functional     Keras 3's legacy writer: Functional, one input, a per-step Dense 'embed' feeding
                          LSTM -> Dense 'cls' and GRU(rs) -> Dense 'seq'; two outputs
    tfkeras2-stack        tf.keras 2.x's layout, written here with h5py (tf_keras cannot be installed in
    tfkeras2-functional   this sandbox): the same models' weights under tf.keras 2.x names and attributes
                          (model_config in Keras 2's form, weight_names with ':0' suffixes,
                          keras_version '2.15.0'), see write_tfkeras2() for what is copied from tf.keras

Each folder: model.h5, input.npy (float32), expected.npy (or expected-0.npy, expected-1.npy: Keras
float32 model.predict), and weights/<layer>.<k>.npy: every weight as h5py reads it from model.h5, in
weight_names order (the test compares the reader's arrays to these bit for bit).

bad/<name>.h5: one small model (SimpleRNN(3) -> Dense(2), Keras 3's legacy writer) edited with h5py, one
fault per file (see BAD below); bad/good.h5 is the unedited file, bad/chunked.h5 the same weights with
weight_names split into weight_names0/weight_names1 as Keras does for long lists.

Run from the repository root:
    .cache/keras-venv/bin/python scripts/keras-models/make_legacy_h5.py
"""

import json
import os
import shutil
import warnings

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

OUT = os.path.join("test", "fixtures", "legacy-h5")


def build_stack():
    return keras.Sequential([
        keras.Input((7, 4)),
        L.LSTM(6, return_sequences=True),
        L.SimpleRNN(5, return_sequences=True),
        L.GRU(4),
        L.Dense(3, activation="softmax"),
    ])


def build_functional():
    inputs = keras.Input((6, 3))
    embed = L.Dense(4, activation="tanh", name="embed")(inputs)
    cls = L.Dense(2, activation="softmax", name="cls")(L.LSTM(5)(embed))
    seq = L.Dense(1, name="seq")(L.GRU(3, return_sequences=True)(embed))
    return keras.Model(inputs=inputs, outputs=[cls, seq])


def randomize(model, seed):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        ws = layer.get_weights()
        layer.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype(np.float32) for w in ws])


def dump_weights(path, folder):
    """Every layer's datasets in weight_names order, as h5py reads them."""
    os.makedirs(os.path.join(folder, "weights"), exist_ok=True)
    with h5py.File(path, "r") as f:
        g = f["model_weights"]
        for layer in g.keys():
            names = g[layer].attrs.get("weight_names", [])
            for k, name in enumerate(names):
                name = name.decode("utf8") if isinstance(name, bytes) else name
                np.save(os.path.join(folder, "weights", f"{layer}.{k}.npy"), np.asarray(g[layer][name]))


def keras2_config(keras3_path):
    """Keras 3's legacy config (what its .h5 writer stores), turned into what tf.keras 2.15 writes:
    batch_input_shape on layers, plain 'float32' dtypes, time_major on RNNs, no module/registered_name."""
    with h5py.File(keras3_path, "r") as f:
        raw = f.attrs["model_config"]
    config = json.loads(raw.decode("utf8") if isinstance(raw, bytes) else raw)

    def initializer(value):
        # tf.keras 2: {"class_name": "GlorotUniform", "config": {"seed": null}}
        cfg = {k: v for k, v in value["config"].items() if k not in ("input_axes", "output_axes")}
        return {"class_name": value["class_name"], "config": cfg}

    def fix_layer(layer):
        for key in ("module", "registered_name", "build_config"):
            layer.pop(key, None)
        c = layer["config"]
        if isinstance(c.get("dtype"), dict):
            c["dtype"] = c["dtype"].get("config", {}).get("name", "float32")
        if "batch_shape" in c:
            c["batch_input_shape"] = c.pop("batch_shape")
        for key in ("optional", "quantization_config", "zero_output_for_mask", "seed"):
            c.pop(key, None)
        if layer["class_name"] in ("LSTM", "GRU", "SimpleRNN"):
            c["time_major"] = False
            if layer["class_name"] != "SimpleRNN":
                c["implementation"] = 2
        for key in list(c):
            if isinstance(c[key], dict) and "class_name" in c[key]:
                c[key] = initializer(c[key])
        if "inbound_nodes" in layer:
            # Keras 3: [{"args": [keras_tensor], "kwargs": {}}]; tf.keras 2: [[[name, node, tensor, {}]]]
            nodes = []
            for node in layer["inbound_nodes"]:
                args = node["args"] if isinstance(node, dict) else node
                refs = [a["config"]["keras_history"] + [{}] for a in args]
                nodes.append(refs)
            layer["inbound_nodes"] = nodes
        return layer

    config["config"]["layers"] = [fix_layer(l) for l in config["config"]["layers"]]
    for key in ("input_layers", "output_layers"):
        refs = config["config"].get(key)
        if refs is not None and len(refs) == 3 and isinstance(refs[0], str):
            config["config"][key] = [refs]  # tf.keras 2 always writes a list of [name, node, tensor]
    config["keras_version"] = "2.15.0"
    config["backend"] = "tensorflow"
    return config["config"] and {"class_name": config["class_name"], "config": config["config"]}


def write_tfkeras2(model, keras3_path, path):
    """tf.keras 2.x (keras/saving/legacy/hdf5_format.py, 2.15): root attrs keras_version, backend and
    model_config (json bytes); model_weights with attrs layer_names, backend, keras_version; one group
    per layer (named by the layer name) with weight_names = weight.name bytes such as
    b'lstm/lstm_cell/kernel:0', each a dataset at that path inside the layer group; no
    top_level_model_weights group."""
    config = keras2_config(keras3_path)
    with h5py.File(keras3_path, "r") as src, h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        # h5py 2.x (tf.keras 2.0-2.4's era) wrote bytes as fixed-length strings; h5py 3 writes them as
        # variable-length ones (as Keras 3's file has them): this file keeps the fixed-length form.
        f.attrs["model_config"] = np.bytes_(json.dumps(config).encode("utf8"))
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.asarray([l.name.encode("utf8") for l in model.layers])
        g.attrs["backend"] = np.bytes_(b"tensorflow")
        g.attrs["keras_version"] = np.bytes_(b"2.15.0")
        for layer in sorted(model.layers, key=lambda x: x.name):
            lg = g.create_group(layer.name)
            old = src["model_weights"][layer.name].attrs.get("weight_names", [])
            names, values = [], []
            for name in old:
                name = name.decode("utf8") if isinstance(name, bytes) else name
                values.append(np.asarray(src["model_weights"][layer.name][name]))
                parts = name.split("/")
                # Keras 3: '[sequential/]lstm/lstm_cell/kernel'; tf.keras 2: 'lstm/lstm_cell/kernel:0'
                if parts[0] != layer.name:
                    parts = parts[1:]
                names.append(("/".join(parts) + ":0").encode("utf8"))
            lg.attrs["weight_names"] = np.asarray(names) if names else np.asarray([], dtype="S1")
            for name, val in zip(names, values):
                lg.create_dataset(name.decode("utf8"), data=val)


def make(name, builder, seed, input_shape, tfkeras2_name):
    keras.utils.clear_session()
    model = builder()
    randomize(model, seed)
    np.random.seed(seed)
    x = np.random.randn(*input_shape).astype(np.float32)
    ys = model.predict(x, verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    for folder_name in (name, tfkeras2_name):
        folder = os.path.join(OUT, folder_name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        np.save(os.path.join(folder, "input.npy"), x)
        if len(ys) == 1:
            np.save(os.path.join(folder, "expected.npy"), np.asarray(ys[0]))
        else:
            for i, y in enumerate(ys):
                np.save(os.path.join(folder, f"expected-{i}.npy"), np.asarray(y))
    keras3_path = os.path.join(OUT, name, "model.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(keras3_path)
    dump_weights(keras3_path, os.path.join(OUT, name))
    reloaded = keras.saving.load_model(keras3_path)
    for y, z in zip(ys, [reloaded.predict(x, verbose=0)] if len(ys) == 1 else reloaded.predict(x, verbose=0)):
        assert np.array_equal(np.asarray(y), np.asarray(z)), name
    tf2_path = os.path.join(OUT, tfkeras2_name, "model.h5")
    write_tfkeras2(model, keras3_path, tf2_path)
    dump_weights(tf2_path, os.path.join(OUT, tfkeras2_name))
    print(name, tfkeras2_name, [np.asarray(y).shape for y in ys])


def build_tiny():
    return keras.Sequential([keras.Input((4, 2)), L.SimpleRNN(3), L.Dense(2)])


def set_names(group, names):
    if "weight_names" in group.attrs:
        del group.attrs["weight_names"]
    group.attrs["weight_names"] = [n.encode("utf8") for n in names]


def names_of(group):
    """weight_names as written: Keras 3 writes 'sequential/dense/kernel' here (the variables' paths)."""
    return [n.decode("utf8") if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]


def bad_wrong_shape(f):
    g = f["model_weights/dense"]
    kernel = names_of(g)[0]
    del g[kernel]
    g.create_dataset(kernel, data=np.full((3, 1), 0.5, np.float32))


def bad_missing_weight(f):
    g = f["model_weights/simple_rnn"]
    names = names_of(g)
    set_names(g, names[:2])
    del g[names[2]]


def bad_extra_weight(f):
    g = f["model_weights/dense"]
    names = names_of(g)
    extra = names[1].rsplit("/", 1)[0] + "/extra"
    set_names(g, names + [extra])
    g.create_dataset(extra, data=np.zeros((2,), np.float32))


def bad_nan_weight(f):
    g = f["model_weights/simple_rnn"]
    d = g[names_of(g)[1]]
    v = np.asarray(d)
    v[1, 2] = np.nan
    d[...] = v


def bad_swapped_order(f):
    g = f["model_weights/dense"]
    set_names(g, list(reversed(names_of(g))))


def bad_dangling_name(f):
    g = f["model_weights/dense"]
    names = names_of(g)
    set_names(g, [names[0], names[1] + "_missing"])


def bad_traversal(f):
    g = f["model_weights/dense"]
    names = names_of(g)
    set_names(g, [names[0], "../simple_rnn/" + names_of(f["model_weights/simple_rnn"])[2]])


def bad_no_model_config(f):
    del f.attrs["model_config"]


def bad_keras1(f):
    f.attrs["keras_version"] = "1.2.2"


def bad_unused_group(f):
    g = f["model_weights"].create_group("ghost")
    set_names(g, ["ghost/kernel"])
    g.create_dataset("ghost/kernel", data=np.zeros((2, 2), np.float32))


def bad_float64_weight(f):
    g = f["model_weights/dense"]
    bias = names_of(g)[1]
    v = np.asarray(g[bias]).astype(np.float64)
    del g[bias]
    g.create_dataset(bias, data=v)


def chunked(f):
    g = f["model_weights/simple_rnn"]
    names = names_of(g)
    del g.attrs["weight_names"]
    g.attrs["weight_names0"] = [n.encode("utf8") for n in names[:2]]
    g.attrs["weight_names1"] = [n.encode("utf8") for n in names[2:]]


BAD = [bad_wrong_shape, bad_missing_weight, bad_extra_weight, bad_nan_weight, bad_swapped_order, bad_dangling_name,
       bad_traversal, bad_no_model_config, bad_keras1, bad_unused_group, bad_float64_weight]


def make_bad():
    keras.utils.clear_session()
    model = build_tiny()
    randomize(model, 303)
    folder = os.path.join(OUT, "bad")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    good = os.path.join(folder, "good.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(good)
    np.random.seed(303)
    x = np.random.randn(2, 4, 2).astype(np.float32)
    np.save(os.path.join(folder, "input.npy"), x)
    np.save(os.path.join(folder, "expected.npy"), model.predict(x, verbose=0))
    for edit in BAD + [chunked]:
        path = os.path.join(folder, edit.__name__.replace("bad_", "").replace("_", "-") + ".h5")
        shutil.copy(good, path)
        with h5py.File(path, "r+") as f:
            edit(f)
    reloaded = keras.saving.load_model(os.path.join(folder, "chunked.h5"))
    assert np.array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
    print("bad", sorted(os.listdir(folder)))


if __name__ == "__main__":
    make_bad()
    make("keras3-stack", build_stack, 301, (3, 7, 4), "tfkeras2-stack")
    make("keras3-functional", build_functional, 302, (3, 6, 3), "tfkeras2-functional")
