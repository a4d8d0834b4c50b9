"""Times the peer libraries on the workloads scripts/bench gives on stdin, so that ours and the peers see the
same machine state. The first line is the settings (JSON: quick, threads); each later line is a JSON request:
- a workload: it times every peer of it and prints one JSON object per measurement on stdout (workload, engine,
  threads, median_ms, min_ms, max_ms, runs, load: the 1-minute load average when it ended), then {"done": name};
- {"prepare": workload}: it builds the workload's torch call and its operands and prints {"ready": name};
- {"burst": name, "threads": t, "calls": n}: n back-to-back calls of the prepared torch call on t threads, each
  timed alone, printed as {"ms": [...]} once torch's threads have stopped spinning. scripts/bench alternates these
  bursts with bursts of ours, so that a spell of a busy machine falls on both.
A request that fails prints {"error": text} (and, for a workload, {"done": name} after it).
Progress goes to stderr. Run with Debian's /usr/bin/python3 (numpy, scipy, python3-torch)."""
import json
import os
import sys
import threading
import time

import numpy as np
import scipy.signal


def measure(call, quick):
    """Median, min and max wall time in ms: one warm-up call, then repeats for about a second (3 to 15)."""
    first = timed_ms(call) / 1e3
    budget = 0.3 if quick else 1.0
    runs = max(3, min(15, int(budget / max(first, 1e-9))))
    if quick and first > 1.0:
        runs = 1
    times = sorted(timed_ms(call) for _ in range(runs))
    return times[len(times) // 2], times[0], times[-1], runs


def wait_idle(limit_s=0.2):
    """Returns once every other thread of this process sleeps, or after limit_s: torch's OpenMP threads spin for
    some milliseconds after a call (6.5 ms at 2 threads here), which would run into the burst of ours that follows.
    Reads the threads' states in /proc (Linux); elsewhere it returns at once."""
    tasks = "/proc/self/task"
    if not os.path.isdir(tasks):
        return
    me = threading.get_native_id()
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline:
        if not any(thread_state(tasks, t) == "R" for t in os.listdir(tasks) if int(t) != me):
            return
        time.sleep(0.0002)


def thread_state(tasks, thread):
    """The state letter of a thread of this process (R: running), or None where it has ended."""
    try:
        with open(f"{tasks}/{thread}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def timed_ms(call):
    """The wall time of one call, ms."""
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1e3


def emit(workload, engine, threads, result):
    median, low, high, runs = result
    print(json.dumps({"workload": workload, "engine": engine, "threads": threads,
                      "median_ms": median, "min_ms": low, "max_ms": high, "runs": runs,
                      "load": os.getloadavg()[0]}), flush=True)


def progress(text):
    print(f"bench-peers: {text}", file=sys.stderr, flush=True)


def torch_call(w, kind, rng, torch, F):
    """The torch call that computes the workload's map: conv1d/2d/3d (forward), conv_transpose2d (the input
    gradient of a strided conv2d) or torch.nn.grad.conv2d_input / conv2d_weight."""
    rank = len(w["size"])
    out = [(n + 2 * w["pad"] - k) // w["stride"] + 1 for n, k in zip(w["size"], w["kernel"])]
    x_shape = [w["batch"], w["channels"], *w["size"]]
    w_shape = [w["outputs"], w["channels"] // w["groups"], *w["kernel"]]
    dy_shape = [w["batch"], w["outputs"], *out]

    def tensor(shape):
        return torch.from_numpy(rng.standard_normal(shape, dtype=np.float32))

    options = dict(stride=w["stride"], padding=w["pad"], groups=w["groups"])
    operation = w["operation"]
    if kind == "cnn" and operation == "forward":
        conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[rank]
        x, k = tensor(x_shape), tensor(w_shape)
        return lambda: conv(x, k, **options)
    if kind == "transpose" and operation == "grad-input" and rank == 2:
        dy, k = tensor(dy_shape), tensor(w_shape)
        return lambda: F.conv_transpose2d(dy, k, **options)
    if kind == "grad" and operation == "grad-input" and rank == 2:
        dy, k = tensor(dy_shape), tensor(w_shape)
        return lambda: torch.nn.grad.conv2d_input(x_shape, k, dy, **options)
    if kind == "grad" and operation == "grad-weights" and rank == 2:
        x, dy = tensor(x_shape), tensor(dy_shape)
        return lambda: torch.nn.grad.conv2d_weight(x, w_shape, dy, **options)
    raise ValueError(f"workload {w['name']}: no torch call for kind {kind!r}, {operation}, rank {rank}")


def main():
    spec = json.loads(sys.stdin.readline())
    quick = spec["quick"]
    rng = np.random.default_rng(0)
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as error:
        torch = F = None
        print(json.dumps({"error": f"torch is not importable ({error}); install python3-torch"}), flush=True)

    prepared = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        w = json.loads(line)
        if "prepare" in w or "burst" in w:
            try:
                print(json.dumps(torch_request(w, prepared, rng, torch, F)), flush=True)
            except Exception as error:  # reported to scripts/bench, which stops; the script goes on reading
                print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
            continue
        try:
            run_workload(w, spec, quick, rng, torch, F)
        finally:
            print(json.dumps({"done": w["name"]}), flush=True)


def torch_request(w, prepared, rng, torch, F):
    """Answers {"prepare": workload} with {"ready": name} and {"burst": name, "threads": t, "calls": n} with
    {"ms": [n times]}: the calls run back to back, each timed alone."""
    if torch is None:
        raise RuntimeError("torch is not importable; install python3-torch")
    if "prepare" in w:
        workload = w["prepare"]
        prepared[workload["name"]] = torch_call(workload, workload["kind"], rng, torch, F)
        return {"ready": workload["name"]}
    call = prepared[w["burst"]]
    use_threads(torch, w["threads"])
    with torch.no_grad():
        times = [timed_ms(call) for _ in range(w["calls"])]
    wait_idle()
    return {"ms": times}


def use_threads(torch, threads):
    """Sets torch's thread count where it differs: torch.set_num_threads starts a fresh thread pool each time, even
    at the same count, and its new thread spins for 10-15 ms after the burst, on the core our next burst runs on."""
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def run_workload(w, spec, quick, rng, torch, F):
    """Times every peer of one workload."""
    name, kind = w["name"], w["kind"]
    if kind in ("cnn", "transpose", "grad"):
        if torch is None:
            return
        call = torch_call(w, kind, rng, torch, F)
        for threads in spec["threads"]:
            use_threads(torch, threads)
            progress(f"torch {name} {threads} thread(s)")
            with torch.no_grad():
                result = measure(call, quick)
            emit(name, "torch", threads, result)
    elif kind == "image":
        image = rng.standard_normal(w["size"], dtype=np.float32)
        kernel = rng.standard_normal(w["kernel"], dtype=np.float32)
        flipped = kernel[::-1, ::-1].copy()  # fft/oa convolve: the same correlation as a convolution
        progress(f"scipy.signal.correlate2d {name}")
        emit(name, "scipy-correlate2d", 1, measure(lambda: scipy.signal.correlate2d(image, kernel, "same"), quick))
        progress(f"scipy.signal.fftconvolve {name}")
        emit(name, "scipy-fftconvolve", 1, measure(lambda: scipy.signal.fftconvolve(image, flipped, "same"), quick))
        progress(f"scipy.signal.oaconvolve {name}")
        emit(name, "scipy-oaconvolve", 1, measure(lambda: scipy.signal.oaconvolve(image, flipped, "same"), quick))
    elif kind == "signal":
        signal = rng.standard_normal(w["size"][0], dtype=np.float32)
        kernel = rng.standard_normal(w["kernel"][0], dtype=np.float32)
        progress(f"numpy.convolve {name}")
        emit(name, "numpy-convolve", 1, measure(lambda: np.convolve(signal, kernel, "valid"), quick))
        progress(f"scipy.signal.oaconvolve {name}")
        emit(name, "scipy-oaconvolve", 1, measure(lambda: scipy.signal.oaconvolve(signal, kernel, "valid"), quick))
        progress(f"scipy.signal.fftconvolve {name}")
        emit(name, "scipy-fftconvolve", 1, measure(lambda: scipy.signal.fftconvolve(signal, kernel, "valid"), quick))
    else:
        raise ValueError(f"workload {name}: unknown kind {kind!r}")


if __name__ == "__main__":
    main()
