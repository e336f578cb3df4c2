#!/usr/bin/env python3
"""Write NumPy's own legacy random stream as test fixtures for src/data/numpy-random.ts.

Usage (from the repository root):

    python3 scripts/make-numpy-vectors.py [--out test/fixtures/numpy-random]

For every seed in SEEDS this writes seed-<S>.json with
  randn:          np.random.seed(S); np.random.randn(RANDN_COUNT)
  randomSample:   np.random.seed(S); np.random.random_sample(SAMPLE_COUNT)
  randnTail:      the last TAIL_COUNT values of np.random.seed(S); np.random.randn(TAIL_FROM)
                  (pins the stream far from its start without storing it all)
and shaped.json with a few np.random.seed(S); np.random.randn(*shape) draws (C order).

Doubles are stored as repr() strings: repr is the shortest string that round-trips, and
JavaScript's Number() parses it back to the identical double. Every file records the numpy
version, the C library (whose log NumPy used) and the command that made it. Total size
stays under 1 MB (about 0.9 MB).

Correctly rounded log. NumPy's legacy_gauss calls the C library's log; glibc >= 2.28 rounds it
the wrong way for about 0.08% of arguments, and src/data/numpy-random.ts uses a correctly
rounded log instead (see its ULP study). So each randn series also lists `crLogExceptions`:
the positions where NumPy's value differs from the same polar method computed with a correctly
rounded log (Python's decimal module, 60 digits, rounded once), with both values. The TS must
equal NumPy everywhere else and the correctly-rounded value there, bit for bit. The script
first replays the polar method on NumPy's own uniforms with math.log (libm's log) and stops
unless that reproduces np.random.randn exactly.
"""
import argparse
import decimal
import json
import math
import os
import platform
import sys

import numpy as np

SEEDS = [
    0, 1, 2, 3, 7, 10, 42, 123, 1000, 1234, 12345, 31337,
    65535, 987654321, 2**31 - 1, 2**31, 2**32 - 2, 2**32 - 1,
]
RANDN_COUNT = 2000
SAMPLE_COUNT = 250
TAIL_FROM = 100_000
TAIL_COUNT = 8
SHAPED = [
    (42, [1, 10, 3]),
    (42, [4, 2, 3]),
    (0, [2, 5, 4]),
    (7, [3, 1, 7]),
    (123, [1, 1, 1]),
    (2**32 - 1, [2, 3, 5]),
]
COMMAND = "python3 scripts/make-numpy-vectors.py"


def as_strings(values):
    """Doubles -> repr strings (exact round trip)."""
    return [repr(float(v)) for v in np.asarray(values, dtype=np.float64).ravel()]


LN_CONTEXT = decimal.Context(prec=60)
EXCEPTION_TOTAL = [0]


def correctly_rounded_log(x):
    """The double nearest ln(x): a 60-digit decimal ln, rounded once."""
    return float(LN_CONTEXT.ln(decimal.Decimal(x)))


def polar_pairs(seed, count):
    """(x1, x2, r2) of the first ceil(count/2) accepted pairs of legacy_gauss for this seed."""
    pairs = (count + 1) // 2
    attempts = int(pairs * 1.5) + 64  # rejection rate is 1 - pi/4 ~ 21.5%
    np.random.seed(seed)
    u = np.random.random_sample(2 * attempts)  # the same double stream legacy_gauss draws
    x1 = 2.0 * u[0::2] - 1.0
    x2 = 2.0 * u[1::2] - 1.0
    r2 = x1 * x1 + x2 * x2
    keep = (r2 < 1.0) & (r2 != 0.0)
    if int(keep.sum()) < pairs:
        raise RuntimeError("not enough accepted pairs; raise the attempt margin")
    return x1[keep][:pairs], x2[keep][:pairs], r2[keep][:pairs]


def polar_value(x1, x2, r2, index, log):
    """Value `index` of the polar stream (even: f*x2, odd: the cached f*x1) with the given log."""
    j = index // 2
    f = math.sqrt(-2.0 * log(float(r2[j])) / float(r2[j]))
    return f * float(x2[j]) if index % 2 == 0 else f * float(x1[j])


def cr_log_exceptions(seed, numpy_values, start):
    """Positions start.. where NumPy's randn differs from the correctly-rounded-log polar method."""
    count = start + len(numpy_values)
    x1, x2, r2 = polar_pairs(seed, count)
    exceptions = []
    for offset, value in enumerate(np.asarray(numpy_values).tolist()):
        index = start + offset
        if polar_value(x1, x2, r2, index, math.log) != value:
            raise RuntimeError(f"seed {seed}: libm replay differs from np.random.randn at {index}")
        exact = polar_value(x1, x2, r2, index, correctly_rounded_log)
        if exact != value:
            EXCEPTION_TOTAL[0] += 1
            exceptions.append({"index": index, "numpy": repr(value), "correctlyRoundedLog": repr(exact)})
    return exceptions


def provenance():
    return {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libc": "-".join(platform.libc_ver()),
        "command": COMMAND,
    }


def seed_record(seed):
    np.random.seed(seed)
    randn = np.random.randn(RANDN_COUNT)
    np.random.seed(seed)
    sample = np.random.random_sample(SAMPLE_COUNT)
    np.random.seed(seed)
    tail = np.random.randn(TAIL_FROM)[-TAIL_COUNT:]
    return {
        **provenance(),
        "seed": seed,
        "randn": {"snippet": f"np.random.seed({seed}); np.random.randn({RANDN_COUNT})",
                  "values": as_strings(randn),
                  "crLogExceptions": cr_log_exceptions(seed, randn, 0)},
        "randomSample": {"snippet": f"np.random.seed({seed}); np.random.random_sample({SAMPLE_COUNT})",
                         "values": as_strings(sample)},
        "randnTail": {"snippet": f"np.random.seed({seed}); np.random.randn({TAIL_FROM})[-{TAIL_COUNT}:]",
                      "offset": TAIL_FROM - TAIL_COUNT,
                      "count": TAIL_FROM,
                      "values": as_strings(tail),
                      "crLogExceptions": cr_log_exceptions(seed, tail, TAIL_FROM - TAIL_COUNT)},
    }


def shaped_record():
    draws = []
    for seed, shape in SHAPED:
        np.random.seed(seed)
        values = np.random.randn(*shape)
        draws.append({
            "snippet": f"np.random.seed({seed}); np.random.randn({', '.join(map(str, shape))})",
            "seed": seed,
            "shape": list(values.shape),
            "values": as_strings(values),
            "crLogExceptions": cr_log_exceptions(seed, values.ravel(), 0),
        })
    return {**provenance(), "draws": draws}


def write_json(path, record):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("test", "fixtures", "numpy-random"))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for seed in SEEDS:
        path = os.path.join(args.out, f"seed-{seed}.json")
        write_json(path, seed_record(seed))
        total += os.path.getsize(path)
    path = os.path.join(args.out, "shaped.json")
    write_json(path, shaped_record())
    total += os.path.getsize(path)
    print(f"wrote {len(SEEDS) + 1} files, {total} bytes, to {args.out}")
    print(f"values where libm's log and a correctly rounded log give different randn: {EXCEPTION_TOTAL[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
