"""tfjs layers-model artifacts (model.json + group1-shard*of*.bin) for a few models/keras-models cases.

`tensorflowjs_converter` itself cannot run here: the `tensorflowjs` wheel is not on the package index
this machine reaches, and its source (github tensorflow/tfjs, tfjs-converter/python) imports `tf_keras`,
`tensorflow_hub` and `tensorflow_decision_forests` at package import time, none of which is installable
here. So this script loads the converter's own Keras-HDF5 modules from that source
(keras_h5_conversion, write_weights, common, quantization, read_weights) without the package
__init__ files, and runs exactly what `tensorflowjs_converter --input_format keras <model.h5> <dir>`
runs for a full-model HDF5 file (converter.dispatch_keras_h5_to_tfjs_layers_model_conversion):
h5_merged_saved_model_to_tfjs_format, then write_artifacts.

Input: a model.h5 written by Keras 3's legacy HDF5 writer from the case's model (model.h5 of the
legacy cases, otherwise the case's model.keras loaded and re-saved to a temporary .h5).

Run from the repository root (see scripts/keras-models/README.md):
    .cache/tfjs-venv/bin/python scripts/keras-models/convert_tfjs.py --tfjs-src .cache/tfjs-src/tfjs-converter/python
"""

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

OUT_DIR = os.path.join("models", "keras-models")
KERAS_PYTHON = ".cache/keras-venv/bin/python"
# The tfjs source used (github tensorflow/tfjs, newest snapshot at the time; its version.py, a
# placeholder in the source tree, says 1.7.0, so model.json says "TensorFlow.js Converter v1.7.0").
TFJS_COMMIT = "0fc04d958ea592f3b8db79a8b3b497b5c8904097"
# case -> converter options; one case splits its weights into small shards.
CASES = {
    "clf-lstm-softmax": dict(split_weights_by_layer=False, weight_shard_size_bytes=4 * 1024 * 1024),
    "stack-mixed-widths": dict(split_weights_by_layer=False, weight_shard_size_bytes=16 * 1024),
    "stack-mixed-kinds": dict(split_weights_by_layer=True, weight_shard_size_bytes=4 * 1024 * 1024),
    "functional-branches": dict(split_weights_by_layer=False, weight_shard_size_bytes=4 * 1024 * 1024),
    "legacy-h5-stack": dict(split_weights_by_layer=False, weight_shard_size_bytes=4 * 1024 * 1024),
    "legacy-h5-functional": dict(split_weights_by_layer=False, weight_shard_size_bytes=4 * 1024 * 1024),
}


def load_converter(src):
    """Import tensorflowjs.converters.keras_h5_conversion without running the package __init__ files."""
    for name, sub in (("tensorflowjs", "tensorflowjs"), ("tensorflowjs.converters", "tensorflowjs/converters")):
        pkg = types.ModuleType(name)
        pkg.__path__ = [os.path.join(src, sub)]
        sys.modules[name] = pkg
    sys.path.insert(0, src)
    return importlib.import_module("tensorflowjs.converters.keras_h5_conversion")


def to_h5(case_dir, tmp):
    """The case's model as a Keras 3 legacy HDF5 file (written by the Keras venv)."""
    h5 = os.path.join(case_dir, "model.h5")
    if os.path.isfile(h5):
        return h5
    out = os.path.join(tmp, "model.h5")
    code = (
        "import os, sys, warnings; os.environ['TF_CPP_MIN_LOG_LEVEL']='2'; import keras; warnings.simplefilter('ignore');"
        f"keras.saving.load_model({os.path.join(case_dir, 'model.keras')!r}).save({out!r})"
    )
    subprocess.run([KERAS_PYTHON, "-c", code], check=True, stderr=subprocess.DEVNULL)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tfjs-src", required=True, help="tfjs-converter/python of github tensorflow/tfjs")
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args()
    import h5py

    conversion = load_converter(args.tfjs_src)
    version = importlib.import_module("tensorflowjs.version").version
    for name in sorted(CASES):
        if args.case and name not in args.case:
            continue
        options = CASES[name]
        case_dir = os.path.join(OUT_DIR, name)
        out = os.path.join(case_dir, "tfjs")
        with tempfile.TemporaryDirectory() as tmp:
            h5_path = to_h5(case_dir, tmp)
            with h5py.File(h5_path, "r") as h5:
                if "layer_names" in h5.attrs:
                    raise RuntimeError(f"{name}: weights-only HDF5, expected a full model")
                model_json, groups = conversion.h5_merged_saved_model_to_tfjs_format(
                    h5, split_by_layer=options["split_weights_by_layer"]
                )
            if os.path.exists(out):
                shutil.rmtree(out)
            os.makedirs(out)
            conversion.write_artifacts(
                model_json, groups, out, None, weight_shard_size_bytes=options["weight_shard_size_bytes"]
            )
        with open(os.path.join(out, "model.json")) as f:
            model = json.load(f)
        shards = [p for m in model["weightsManifest"] for p in m["paths"]]
        with open(os.path.join(out, "conversion.json"), "w") as f:
            json.dump(
                {
                    "converter": f"tensorflowjs source at github tensorflow/tfjs {TFJS_COMMIT} (tfjs-converter/python, "
                    f"version.py {version}), "
                    "keras_h5_conversion.h5_merged_saved_model_to_tfjs_format + write_artifacts",
                    "input": "model.h5" if os.path.isfile(os.path.join(case_dir, "model.h5")) else "model.keras re-saved as legacy .h5",
                    "options": options,
                    "shards": shards,
                    "note": "modelTopology is the Keras 3 config as the converter copies it (InputLayer batch_shape, "
                    "DTypePolicy dicts, module/registered_name keys); @tensorflow/tfjs 4.22.0's tf.loadLayersModel "
                    "rejects it: 'An InputLayer should be passed either a `batchInputShape` or an `inputShape`.' "
                    "The converter prints 'failed to lookup keras version from the file, this is likely a weight only "
                    "file' for every Keras 3 .h5 (its _check_version wants Keras 2) and goes on.",
                },
                f,
                indent=2,
            )
            f.write("\n")
        print(f"{name:24s} {len(shards)} shard(s), {len(model['weightsManifest'])} group(s)")


if __name__ == "__main__":
    main()
