#!/usr/bin/env python3
"""Write integer .npy fixtures for src/io/npy.ts with numpy.save itself.

Usage (from the repository root; any Python with NumPy, e.g. .cache/keras-venv/bin/python):

    python3 scripts/make-npy-integer-fixtures.py [--out test/fixtures/npy]

For every integer dtype (int8/16/32/64, uint8/16/32/64) writes <dtype>.npy, a (2, 4) array holding
the dtype's extremes (for the 64-bit ones: +-2**53, the most a double holds exactly) and a few
ordinary values, plus
  int64-too-big.npy      an int64 2**53 + 1 at index 5 (must be refused, naming it)
  uint64-too-big.npy     a uint64 2**64 - 1 at index 0 (refused)
  int64-too-small.npy    an int64 -(2**53) - 1 at index 3 (refused)
  big-endian-int32.npy   '>i4' (refused by name)
  token-ids.npy          np.random.seed(42); np.random.randint(0, 1000, (2, 5)), an Embedding input
and index.json: for each file its descr, shape and values as decimal strings (or the refusal).
"""
import argparse
import json
import os
import sys

import numpy as np

COMMAND = "python3 scripts/make-npy-integer-fixtures.py"
LIMIT = 2**53


def extremes(dtype):
    info = np.iinfo(dtype)
    lo, hi = max(int(info.min), -LIMIT), min(int(info.max), LIMIT)
    values = [lo, hi, 0, 1, lo + 1, hi - 1, 7 if lo == 0 else -7, 100]
    return np.array(values, dtype=dtype).reshape(2, 4)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("test", "fixtures", "npy"))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    index = {"numpy": np.__version__, "command": COMMAND, "files": {}}

    def save(name, array, refusal=None):
        np.save(os.path.join(args.out, name), array)
        entry = {"descr": array.dtype.str, "shape": list(array.shape)}
        if refusal is None:
            entry["values"] = [str(int(v)) for v in array.ravel()]
        else:
            entry["refusal"] = refusal
        index["files"][name] = entry

    for dtype in ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]:
        save(f"{dtype}.npy", extremes(dtype))
    big = np.zeros((2, 4), dtype=np.int64)
    big[1, 1] = LIMIT + 1
    save("int64-too-big.npy", big, {"index": 5, "value": str(LIMIT + 1)})
    small = np.arange(6, dtype=np.int64).reshape(3, 2)
    small[1, 1] = -LIMIT - 1
    save("int64-too-small.npy", small, {"index": 3, "value": str(-LIMIT - 1)})
    save("uint64-too-big.npy", np.array([2**64 - 1, 1], dtype=np.uint64), {"index": 0, "value": str(2**64 - 1)})
    save("big-endian-int32.npy", np.arange(4, dtype=">i4"), {"descr": ">i4"})
    np.random.seed(42)
    save("token-ids.npy", np.random.randint(0, 1000, (2, 5)))

    with open(os.path.join(args.out, "index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    print(f"wrote {len(index['files'])} .npy files and index.json to {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
