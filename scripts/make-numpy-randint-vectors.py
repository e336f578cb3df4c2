#!/usr/bin/env python3
"""Write NumPy's legacy randint stream as test fixtures for NumpyRandomState.randint.

Usage (from the repository root; any Python with NumPy, e.g. .cache/keras-venv/bin/python):

    python3 scripts/make-numpy-randint-vectors.py [--out test/fixtures/numpy-random]

Writes randint.json with
  draws:  np.random.seed(S); np.random.randint(low, high, COUNT) for every seed in SEEDS and
          every (low, high) in RANGES (legacy RandomState, default dtype: int64 on Linux/macOS),
  tails:  the last TAIL_COUNT values of a long draw (past many MT19937 twists),
  shaped: np.random.seed(S); np.random.randint(low, high, shape) (C order),
  mixed:  one seed, several calls in a row (randint, randn, randint, randn ...), to pin that
          randint starts afresh each call and leaves the cached Gaussian alone.
Integers are stored as decimal strings (exact whatever their size).

Before writing, the script replays NumPy's algorithm (random_bounded_uint64_fill with
use_masked=True, numpy/random/src/distributions/distributions.c) on raw MT19937 words and
stops unless the replay equals np.random.randint for every draw: so the fixtures also confirm
the algorithm src/data/numpy-random.ts implements (one unbuffered 32-bit word per try below
2**32 - 1; two words, first one high, per try above).
"""
import argparse
import json
import os
import platform
import sys

import numpy as np

SEEDS = [0, 1, 7, 42, 123, 2**31 - 1, 2**32 - 1]
RANGES = [
    (0, 2), (0, 3), (0, 10), (0, 1000), (0, 20000),
    (0, 2**31 - 1), (0, 2**31), (0, 2**31 + 1), (0, 2**32 - 1), (0, 2**32), (0, 2**32 + 1),
    (0, 2**40), (0, 3 * 2**40 + 17), (0, 2**53),
    (-5, 5), (-1000, -10), (10, 11), (-(2**31), 2**31), (100, 2**33 + 100),
    (-(2**52), 2**52), (2**53 - 1000, 2**53),
]
COUNT = 64
TAILS = [(42, 0, 1000, 5000), (0, 0, 3, 5000), (1, 0, 20000, 3000), (123, 0, 2**40, 2000)]
TAIL_COUNT = 16
SHAPED = [(42, (2, 5), 0, 10), (0, (3, 4, 2), 0, 20000), (7, (1, 6), -3, 3), (123, (), 0, 1000)]
MIXED_SEED = 42
COMMAND = "python3 scripts/make-numpy-randint-vectors.py"


def provenance():
    return {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "command": COMMAND,
    }


def as_strings(values):
    return [str(int(v)) for v in np.asarray(values).ravel()]


def raw_words(seed, n):
    """The first n MT19937 words: randint(0, 2**32) takes next_uint32 directly (rng 2**32 - 1)."""
    np.random.seed(seed)
    return [int(w) for w in np.random.randint(0, 2**32, n, dtype=np.uint64)]


def gen_mask(rng):
    return (1 << rng.bit_length()) - 1


def replay(seed, low, high, count):
    """random_bounded_uint64_fill(off=low, rng=high-low-1, use_masked=True), from raw words."""
    rng = high - low - 1
    words = iter(raw_words(seed, 64 * count + 64))
    out = []
    for _ in range(count):
        if rng == 0:
            v = 0
        elif rng < 2**32 - 1:
            while (v := next(words) & gen_mask(rng)) > rng:
                pass
        elif rng == 2**32 - 1:
            v = next(words)
        else:
            while (v := ((next(words) << 32) | next(words)) & gen_mask(rng)) > rng:
                pass
        out.append(low + v)
    return out


def draw(seed, low, high, size):
    np.random.seed(seed)
    values = np.random.randint(low, high, size)
    assert values.dtype == np.int64, values.dtype
    return values


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("test", "fixtures", "numpy-random"))
    args = parser.parse_args(argv)

    draws = []
    for seed in SEEDS:
        for low, high in RANGES:
            values = draw(seed, low, high, COUNT)
            if replay(seed, low, high, COUNT) != [int(v) for v in values]:
                sys.exit(f"replay differs from NumPy: seed {seed}, randint({low}, {high})")
            draws.append({
                "snippet": f"np.random.seed({seed}); np.random.randint({low}, {high}, {COUNT})",
                "seed": seed, "low": str(low), "high": str(high), "values": as_strings(values),
            })
    tails = []
    for seed, low, high, n in TAILS:
        values = draw(seed, low, high, n)
        if replay(seed, low, high, n) != [int(v) for v in values]:
            sys.exit(f"replay differs from NumPy: seed {seed}, randint({low}, {high}, {n})")
        tails.append({
            "snippet": f"np.random.seed({seed}); np.random.randint({low}, {high}, {n})[-{TAIL_COUNT}:]",
            "seed": seed, "low": str(low), "high": str(high), "count": n,
            "offset": n - TAIL_COUNT, "values": as_strings(values[-TAIL_COUNT:]),
        })
    shaped = []
    for seed, shape, low, high in SHAPED:
        values = draw(seed, low, high, shape)
        shaped.append({
            "snippet": f"np.random.seed({seed}); np.random.randint({low}, {high}, {shape})",
            "seed": seed, "shape": list(values.shape), "low": str(low), "high": str(high),
            "values": as_strings(values),
        })
    # Several calls on one stream: randn values are doubles (repr strings), randint integers.
    calls = [("randint", 0, 10, 5), ("randn", 3), ("randint", 0, 2**40, 3), ("randn", 1),
             ("randint", 10, 11, 4), ("randn", 2), ("randint", -7, 20000, 6)]
    np.random.seed(MIXED_SEED)
    mixed = []
    for call in calls:
        if call[0] == "randint":
            _, low, high, n = call
            mixed.append({"call": "randint", "low": str(low), "high": str(high), "count": n,
                          "values": as_strings(np.random.randint(low, high, n))})
        else:
            _, n = call
            mixed.append({"call": "randn", "count": n,
                          "values": [repr(float(v)) for v in np.random.randn(n)]})

    record = {**provenance(), "draws": draws, "tails": tails, "shaped": shaped,
              "mixed": {"seed": MIXED_SEED, "calls": mixed}}
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "randint.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(draws)} draws, {len(tails)} tails, {len(shaped)} shaped, "
          f"{os.path.getsize(path)} bytes; replay of the masked algorithm matched every draw")


if __name__ == "__main__":
    main(sys.argv[1:])
