#!/usr/bin/python3
"""graphtool_sis.py - the graph-tool side of the SIS benchmarks.

Loads the SNAP edge list that the benchmark's model imports into graph-tool
as an undirected graph (each pair u-v once: the file lists both directions
as dependency edges, graph-tool's undirected edge is both), and runs
graph-tool's SISState for the same number of steps with the same
parameters and start (every vertex susceptible, i.e. up), one trial at a
time, synchronous updates (iterate_sync), graph-tool's own OpenMP threads.

Parameters, per MODEL.md's SIS check and graph-tool's docs (help(gt.SISState)):
an S vertex becomes I with probability (1 - r) [1 - prod_j (1 - beta)] + r,
an I vertex recovers with probability gamma; so r = p_fail, gamma =
p_repair, beta = q.  The initial state is passed as s (all 0): without it
SISState infects a random vertex at the start.

Prints JSON on stdout: sizes (vertices, undirected_edges, and the directed
edges of the file), time of the iterate_sync calls only and of each whole
trial (state set-up included), edge-steps per second over the undirected
edges, and the mean down (infected) fraction per step and over steps 1..T.
Run with /usr/bin/python3 (Debian's python3-graph-tool).

usage: graphtool_sis.py EDGES --q Q --p-fail P --p-repair R
                        [--trials N] [--steps T] [--seed S] [--threads P]
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def load_edges(path):
    """Directed (source, target) pairs of a SNAP edge list, as int64 labels."""
    with open(path, "rb") as f:
        data = f.read()
    if b"#" in data or b"%" in data:
        data = b"\n".join(l for l in data.split(b"\n") if not l.lstrip().startswith((b"#", b"%")))
    tok = np.array(data.split(), dtype=np.int64)
    if tok.size % 2:
        sys.exit(f"graphtool_sis: {path}: odd number of labels")
    return tok.reshape(-1, 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("edges")
    ap.add_argument("--q", type=float, required=True)
    ap.add_argument("--p-fail", type=float, required=True)
    ap.add_argument("--p-repair", type=float, required=True)
    ap.add_argument("--trials", type=int, default=8)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()

    import graph_tool
    import graph_tool.all as gt

    t0 = time.perf_counter()
    pairs = load_edges(a.edges)
    labels, idx = np.unique(pairs, return_inverse=True)
    idx = idx.reshape(-1, 2)
    n = int(labels.size)
    lo, hi = np.minimum(idx[:, 0], idx[:, 1]), np.maximum(idx[:, 0], idx[:, 1])
    und = np.unique(lo * n + hi)
    self_loops = int(np.count_nonzero(und // n == und % n))
    # symmetric: every directed edge has its reverse, with the same count
    fwd = np.sort(idx[:, 0] * n + idx[:, 1])
    rev = np.sort(idx[:, 1] * n + idx[:, 0])
    symmetric = bool(np.array_equal(fwd, rev))
    simple = bool(und.size * 2 - self_loops == pairs.shape[0] and np.unique(fwd).size == fwd.size)
    g = gt.Graph(directed=False)
    g.add_vertex(n)
    g.add_edge_list(np.stack([und // n, und % n], axis=1))
    load_s = time.perf_counter() - t0

    gt.openmp_set_num_threads(a.threads)
    gt.seed_rng(a.seed)
    np.random.seed(a.seed)
    down = np.zeros(a.steps + 1)
    iterate_s = 0.0
    trial_s = 0.0
    trial_means = []
    for trial in range(a.trials):
        t1 = time.perf_counter()
        s = g.new_vertex_property("int32_t", val=0)  # all susceptible (up)
        state = gt.SISState(g, beta=a.q, gamma=a.p_repair, r=a.p_fail, s=s)
        mine = 0.0
        for t in range(a.steps):
            t2 = time.perf_counter()
            state.iterate_sync(niter=1)
            iterate_s += time.perf_counter() - t2
            frac = state.get_state().fa.sum() / n
            down[t + 1] += frac
            mine += frac / max(a.steps, 1)
        trial_s += time.perf_counter() - t1
        trial_means.append(mine)
    down /= a.trials
    m = int(g.num_edges())
    out = {
        "program": "graphtool_sis",
        "graph_tool_version": graph_tool.__version__.split()[0],
        "edges_file": a.edges,
        "vertices": n,
        "undirected_edges": m,
        "directed_edges_in_file": int(pairs.shape[0]),
        "file_symmetric": symmetric,
        "file_simple": simple,
        "self_loops": self_loops,
        "edge_count_used": "undirected_edges",
        "trials": a.trials,
        "steps": a.steps,
        "threads": a.threads,
        "q": a.q,
        "p_fail": a.p_fail,
        "p_repair": a.p_repair,
        "seed": a.seed,
        "load_s": load_s,
        "iterate_s": iterate_s,
        "trial_s": trial_s,
        "step_s": iterate_s / (a.trials * a.steps) if a.steps else 0.0,
        "edge_steps_per_s": m * a.steps * a.trials / iterate_s if iterate_s > 0 else 0.0,
        "edge_steps_per_s_with_setup": m * a.steps * a.trials / trial_s if trial_s > 0 else 0.0,
        "mean_down_fraction": float(down[1:].mean()) if a.steps else 0.0,
        # the spread between trials: the standard error of the mean above
        "mean_down_fraction_stderr": float(np.std(trial_means, ddof=1) / np.sqrt(a.trials)) if a.trials > 1 else None,
        "down_fraction": [round(float(x), 8) for x in down],
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
