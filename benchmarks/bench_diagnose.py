"""End-to-end time and peak memory of ``sklearn-pinv diagnose`` on a large CSV.

Writes a 200000 x 50 CSV (one target, about 200 MB: 17 significant digits
per cell) into a temporary directory, then runs ``python -m sklearn_pinv
diagnose FILE --target y`` in a fresh process, ``--repeats`` times, and
prints for each run

* the wall time (process start to exit, imports included);
* its CPU time (user + system; less disturbed than the wall time when other
  work shares the CPUs);
* the peak resident memory of that process (``os.wait4``'s ``ru_maxrss``),
  the same for a process that only imports what ``diagnose`` imports
  (the baseline), and their difference over the size of the numeric data
  (``rows * (columns) * 8`` bytes): the goal (issue 12) is at most 10 s and
  at most 3x the data;
* the progress lines of the run (each step's elapsed time).

Goal: <= 10 s, <= 3x the data. The machine may be shared: quote the median.

Usage::

    python benchmarks/bench_diagnose.py [--rows 200000] [--cols 50] [--repeats 3]
        [--keep DIR] [--src DIR] [-- extra diagnose arguments]

``--keep DIR`` writes (or reuses) the CSV there instead of a temporary
directory; ``--src DIR`` puts another checkout's ``sklearn_pinv`` first on
``PYTHONPATH``; ``--before DIR`` runs that checkout and this one in turn,
round robin (the fair comparison on a shared machine), e.g. with
``git archive <old-commit> sklearn_pinv | tar -x -C /tmp/before``.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

IMPORTS = ("import numpy, scipy.linalg, pandas, sklearn.linear_model, "
           "sklearn.model_selection, sklearn_pinv")


def write_csv(path, rows, cols, seed=0, block=20000):
    """Gaussian features with spread scales, a linear target with noise."""
    rng = np.random.default_rng(seed)
    coef = rng.standard_normal(cols)
    scales = np.logspace(0, 3, cols)
    header = ",".join([f"x{j}" for j in range(cols)] + ["y"])
    with open(path, "w") as handle:
        handle.write(header + "\n")
        for start in range(0, rows, block):
            X = rng.standard_normal((min(block, rows - start), cols)) * scales
            y = (X / scales) @ coef + 0.5 * rng.standard_normal(X.shape[0])
            np.savetxt(handle, np.column_stack([X, y]), delimiter=",", fmt="%.17g")


def measured(argv, env):
    """Run ``argv`` under ``os.wait4`` to get its own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # Outside the checkout: `python -m` would import ./sklearn_pinv first.
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err, cwd=tempfile.gettempdir())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        out, err = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{argv[2:]} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out, err


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--cols", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="write or reuse the CSV in DIR")
    parser.add_argument("--src", metavar="DIR", help="sklearn_pinv checkout to time instead")
    parser.add_argument("--before", metavar="DIR", help="checkout to time in turn with this one")
    parser.add_argument("extra", nargs="*", help="more diagnose arguments (after --)")
    args = parser.parse_args()

    envs = {"this": _env(args.src)}
    if args.before:
        envs = {"before": _env(args.before), "after": _env(args.src)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"bench_{args.rows}x{args.cols}.csv"
        if not path.is_file():
            start = time.perf_counter()
            write_csv(path, args.rows, args.cols)
            print(f"wrote {path} in {time.perf_counter() - start:.1f} s")
        data = args.rows * (args.cols + 1) * 8
        print(f"{args.rows} x {args.cols} (+ target): file {path.stat().st_size / 1e6:.0f} MB, "
              f"numeric data {data / 1e6:.0f} MB; load average {os.getloadavg()[0]:.2f}")
        _, _, base, _, _ = measured([sys.executable, "-c", IMPORTS], envs[next(iter(envs))])
        print(f"baseline (imports only): peak RSS {base / 1e6:.0f} MB")
        argv = [sys.executable, "-m", "sklearn_pinv", "diagnose", str(path), "--target", "y",
                *args.extra]
        runs = {name: [] for name in envs}
        for i in range(args.repeats):
            for name, env in envs.items():
                wall, cpu, peak, _, err = measured(argv, env)
                runs[name].append((wall, cpu, peak))
                print(f"{name} run {i + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS "
                      f"{peak / 1e6:.0f} MB (+{(peak - base) / data:.2f}x the data); "
                      f"load {os.getloadavg()[0]:.2f}")
                if i == 0:
                    print("  " + err.strip().replace("\n", "\n  "))
        for name, rows in runs.items():
            wall, cpu, peak = (statistics.median(col) for col in zip(*rows))
            print(f"{name}: median {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak / 1e6:.0f} "
                  f"MB = {(peak - base) / data:.2f}x the data above the baseline "
                  "(goal: <= 10 s, <= 3x)")


def _env(src):
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    return env

if __name__ == "__main__":
    main()
