#!/usr/bin/env python3
"""NumPy half of the ULP study for src/data/numpy-random.ts (TS half: scripts/ulp-study.ts).

Usage (from the repository root):

    python3 scripts/numpy-ulp-study.py --out /tmp/ulp-study [--seeds 0-9] [--count 1000000] [--mpmath 20000]
    npx tsc -p tsconfig.build.json && node dist/scripts/ulp-study.js /tmp/ulp-study

For each seed S this writes raw little-endian float64 files into --out:
  randn-S.f64  np.random.seed(S); np.random.randn(count)          (what the TS must reproduce)
  r2-S.f64     the accepted r2 = x1*x1 + x2*x2 of each polar pair  (the argument of log)
  log-S.f64    math.log(r2), i.e. the libm log NumPy's legacy_gauss calls
  crlog-S.f64  (with --mpmath K) the correctly rounded log of the first K r2 values (mpmath)
and manifest.json (numpy version, libc, seeds, count, command).

It first checks that replaying the polar method here, on NumPy's own uniform stream and with
math.log, reproduces np.random.randn bit for bit: that proves the log below is the one NumPy
used (both resolve to the same libm), so the TS side can compare its log against it directly.
With --mpmath K it also writes the correctly rounded log (mpmath, 200 bits, rounded once) of
the first K r2 values of each seed and counts where libm's log differs from it (about 20 us
per value).
"""
import argparse
import json
import math
import os
import platform
import sys

import numpy as np


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            seeds.extend(range(int(lo), int(hi) + 1))
        else:
            seeds.append(int(part))
    return seeds


def replay_polar(seed, count):
    """Legacy gauss replayed on the same uniform stream: -> (randn values, r2, log(r2))."""
    pairs_needed = (count + 1) // 2
    # Each polar attempt eats two doubles; rejection is ~21.5%, so 1.5x attempts is plenty.
    attempts = int(pairs_needed * 1.5) + 64
    np.random.seed(seed)
    u = np.random.random_sample(2 * attempts)
    x1 = 2.0 * u[0::2] - 1.0
    x2 = 2.0 * u[1::2] - 1.0
    r2 = x1 * x1 + x2 * x2
    keep = (r2 < 1.0) & (r2 != 0.0)
    x1, x2, r2 = x1[keep][:pairs_needed], x2[keep][:pairs_needed], r2[keep][:pairs_needed]
    if len(r2) < pairs_needed:
        raise RuntimeError("not enough accepted pairs; raise the attempt margin")
    # math.log, not np.log: np.log is NumPy's own SIMD ufunc, legacy_gauss calls libm's log.
    logr2 = np.fromiter((math.log(v) for v in r2.tolist()), dtype=np.float64, count=len(r2))
    f = np.sqrt(-2.0 * logr2 / r2)
    out = np.empty(2 * pairs_needed)
    out[0::2] = f * x2  # returned first
    out[1::2] = f * x1  # cached, returned next
    return out[:count], r2, logr2


def correctly_rounded_logs(r2, k):
    """mpmath's log of the first k values at 200 bits, rounded once to double."""
    import mpmath

    mpmath.mp.prec = 200
    return np.array([float(mpmath.log(mpmath.mpf(v))) for v in r2[:k].tolist()])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/ulp-study")
    parser.add_argument("--seeds", default="0-9")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--mpmath", type=int, default=0, metavar="K")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    seeds = parse_seeds(args.seeds)
    report = []
    for seed in seeds:
        np.random.seed(seed)
        ref = np.random.randn(args.count)
        replay, r2, logr2 = replay_polar(seed, args.count)
        same = int(np.sum(ref.view(np.uint64) == replay.view(np.uint64)))
        if same != args.count:
            raise RuntimeError(f"seed {seed}: replay differs from np.random.randn at "
                               f"{args.count - same} values; math.log is not NumPy's log here")
        ref.astype("<f8").tofile(os.path.join(args.out, f"randn-{seed}.f64"))
        r2.astype("<f8").tofile(os.path.join(args.out, f"r2-{seed}.f64"))
        logr2.astype("<f8").tofile(os.path.join(args.out, f"log-{seed}.f64"))
        row = {"seed": seed, "values": args.count, "pairs": len(r2)}
        if args.mpmath:
            exact = correctly_rounded_logs(r2, args.mpmath)
            exact.astype("<f8").tofile(os.path.join(args.out, f"crlog-{seed}.f64"))
            row["mpmathChecked"] = len(exact)
            row["libmVsCorrectlyRounded"] = int(np.sum(exact != logr2[:len(exact)]))
        report.append(row)
        print(json.dumps(row))
    manifest = {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libc": "-".join(platform.libc_ver()),
        "command": "python3 scripts/numpy-ulp-study.py " + " ".join(argv),
        "seeds": seeds,
        "count": args.count,
        "report": report,
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(seeds)} seeds x {args.count} values to {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
