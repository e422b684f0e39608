"""Streaming and dask fits against the in-memory fit: time and client memory.

Data: ``m x n`` float64 (default 2,000,000 x 100) in row chunks of ``chunk``
rows (default 100,000), generated chunk by chunk from seeded generators so
every route sees the very same numbers:

* ``in-memory``: ``PinvRegressor().fit(X, y)`` on the whole NumPy array
  (factorization cache switched off, so no hashing of X is timed);
* ``partial_fit``: one ``partial_fit`` per chunk; each chunk is generated
  just before its call (generation is not timed), so the client never holds
  more than one chunk of data;
* ``dask threads``: ``fit`` on a dask array persisted in the same process,
  run by the threaded scheduler;
* ``dask LocalCluster``: the same on a ``distributed.LocalCluster`` with 2
  worker processes (1 thread each), data persisted on the workers.

Time: medians of ``--repeats`` runs. Memory: the client process's peak
Python/NumPy allocation (``tracemalloc``) *during* the fit, beyond what it
held before it (so persisted or given data is not counted), in multiples of
one chunk (``chunk * n * 8`` bytes); measured in a separate untimed run. For
``partial_fit`` the chunk being fed is counted. The machine has 2 cores and
may be shared: the figures are noisy, compare the ratios.

BLAS threads matter more than anything here: on a loaded 2-core machine a
2-thread OpenBLAS QR of a tall matrix can be several times *slower* than a
1-thread one (the threads wait on each other), which flatters every route
that runs one BLAS thread per worker. ``--blas-threads 1`` puts the client
routes on the same footing (the LocalCluster workers always run 1 thread,
distributed's default for worker processes).

Usage: ``python benchmarks/bench_streaming.py [--quick] [--repeats N] [--blas-threads K]``
"""

import argparse
import statistics
import time
import tracemalloc

import numpy as np

import sklearn_pinv
from sklearn_pinv import PinvRegressor


def make_chunk(i, rows, n, seed=0):
    """Chunk ``i``: ``X`` rows and ``y``, reproducible from ``(seed, i)``."""
    rng = np.random.default_rng([seed, i])
    X = rng.standard_normal((rows, n)) + 10.0
    beta = np.random.default_rng([seed, 10**6]).standard_normal(n)
    y = (X - 10.0) @ beta + 3.0 + 0.1 * rng.standard_normal(rows)
    return X, y


def _x_block(i, rows, n):
    return make_chunk(i, rows, n)[0]


def _y_block(i, rows, n):
    return make_chunk(i, rows, n)[1]


def dask_data(m, n, chunk):
    import dask
    import dask.array as da

    k = m // chunk
    xs = [da.from_delayed(dask.delayed(_x_block)(i, chunk, n), (chunk, n), float)
          for i in range(k)]
    ys = [da.from_delayed(dask.delayed(_y_block)(i, chunk, n), (chunk,), float)
          for i in range(k)]
    return da.concatenate(xs), da.concatenate(ys)


def measure(fit, repeats, before=None):
    """(median seconds, peak bytes beyond the start, last result)."""
    if before:
        before()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    result = fit()
    peak = tracemalloc.get_traced_memory()[1] - start
    tracemalloc.stop()
    times = []
    for _ in range(repeats):
        if before:
            before()
        t0 = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), peak, result


def stream_fit(m, n, chunk):
    est, elapsed = PinvRegressor(), 0.0
    for i in range(m // chunk):
        X, y = make_chunk(i, chunk, n)
        t0 = time.perf_counter()
        est.partial_fit(X, y)
        elapsed += time.perf_counter() - t0
        del X, y
    return est, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200,000 x 50 in 20,000-row chunks")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit BLAS threads in this process (threadpoolctl)")
    args = parser.parse_args()
    if args.blas_threads is not None:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(args.blas_threads):
            run(args)
    else:
        run(args)


def run(args):
    m, n, chunk = (200_000, 50, 20_000) if args.quick else (2_000_000, 100, 100_000)
    chunk_bytes = chunk * n * 8
    sklearn_pinv.set_config(factorization_cache=False)  # the default; said for clarity
    print(f"{m} x {n} float64 in {m // chunk} chunks of {chunk} rows "
          f"(one chunk = {chunk_bytes / 2**20:.0f} MiB); medians of {args.repeats}; "
          f"BLAS threads: {args.blas_threads or 'default'}; noisy shared 2-core machine",
          flush=True)

    parts = [make_chunk(i, chunk, n) for i in range(m // chunk)]
    X = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    del parts
    t_mem, peak_mem, ref = measure(lambda: PinvRegressor().fit(X, y), args.repeats)
    del X, y
    rows = [("in-memory fit", t_mem, peak_mem, ref)]

    # partial_fit: the timed part excludes generating each chunk.
    tracemalloc.start()
    est, _ = stream_fit(m, n, chunk)
    peak_stream = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times = [stream_fit(m, n, chunk)[1] for _ in range(args.repeats)]
    rows.append(("partial_fit", statistics.median(times), peak_stream, est))

    rows += bench_dask(m, n, chunk, args.repeats)

    print(f"{'route':<22} {'seconds':>8} {'ratio':>6} {'peak/chunk':>11} {'max rel coef diff':>18}")
    for name, t, peak, fitted in rows:
        diff = np.max(np.abs(fitted.coef_ - ref.coef_)) / np.max(np.abs(ref.coef_))
        print(f"{name:<22} {t:8.2f} {t / t_mem:6.2f} {peak / chunk_bytes:11.2f} {diff:18.1e}",
              flush=True)


def bench_dask(m, n, chunk, repeats):
    try:
        import dask
        import distributed
    except ImportError:
        print("dask/distributed not installed: dask rows skipped")
        return []
    out = []
    with dask.config.set(scheduler="threads"):
        Xd, yd = dask_data(m, n, chunk)
        Xd, yd = dask.persist(Xd, yd)
        t, peak, est = measure(lambda: PinvRegressor().fit(Xd, yd), repeats)
        out.append(("dask threads", t, peak, est))
        del Xd, yd
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        Xd, yd = dask_data(m, n, chunk)
        Xd, yd = client.persist([Xd, yd])
        distributed.wait([Xd, yd])
        t, peak, est = measure(lambda: PinvRegressor().fit(Xd, yd), repeats)
        out.append(("dask LocalCluster(2)", t, peak, est))
    cluster.close()
    return out


if __name__ == "__main__":
    main()
