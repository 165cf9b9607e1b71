#!/usr/bin/python3
"""run_workloads.py - the canonical benchmark workloads of faultline, one JSON.

Runs, one at a time (never two timings at once), on this machine:

  machine  bench_machine: memory bandwidth and Philox4x32-10 rate
  a        dense SIS: ER n = 200,000, mean degree 8, q = 0.05, 1024 x 50
  b        sparse SIS: the same with q = 0.005
  c        sparse cascade: R-MAT scale 20, degrade, 1024 x 100
  d        supervised fat-tree with pools: k = 32, 8 VMs per host, 14
           services per VM (992,544 vertices), 1024 x 100
  sweep    how the cost grows: vertices, degree, trials, steps on (a)-like
           graphs with few steps

Each workload runs `faultline run MODEL --stats-json` (load, run, step and
write time, peak RSS, from the command itself; the wall time of the whole
process and its max RSS measured here); (a) and (b) also run the scalar
baseline (scalar_sis) and graph-tool's SISState (graphtool_sis.py, skipped
when graph-tool is missing) on the same edge list, with the ratios and the
mean down fractions side by side.  The roofline estimate of every run uses
the machine figures of the same run.

(a) and (b) use an ER edge list written here (simple graph: no self-loops,
no duplicate pairs; each pair in both directions): the baselines read edge
lists.  (c) and (d) use HDF5 graphs (docs/graph-format.md) written by
`faultline generate rmat|fattree ARGS -o WORK/graphs/NAME.h5` with
--rmat-args and --fattree-args (the file name follows the arguments, so a
graph is generated once per set of arguments and reused); the fat-tree file
holds the classes, per-vertex parameters, pools and supervision edges, and
(d)'s model only imports it.  When `generate` exits 69 ("not available") the
workload is skipped with that message.

usage: run_workloads.py [WORKLOAD ...] [--build DIR] [--out FILE] [options]
  e.g. run_workloads.py a b --reps 3
       run_workloads.py a b --n 20000 --steps 10 --scalar-trials 64   (quick)
       run_workloads.py sweep
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WORKLOADS = {
    "a": dict(yaml="a_dense_sis.yaml", graph="er", n=200000, degree=8, q=0.05, p_fail=1e-4, p_repair=0.1,
              trials=1024, steps=50, sis=True),
    "b": dict(yaml="b_sparse_sis.yaml", graph="er", n=200000, degree=8, q=0.005, p_fail=1e-4, p_repair=0.1,
              trials=1024, steps=50, sis=True),
    "c": dict(yaml="c_sparse_cascade.yaml", graph="rmat", scale=20, edge_factor=16, q=0.1, p_fail=1e-5,
              p_repair=0.05, trials=1024, steps=100, sis=False),
    # (d): q, p_fail, p_repair and the rest are per vertex in the generated
    # file (docs/graph-format.md, "Generators"); the roofline only asks
    # whether vertices fail and are repaired at all
    "d": dict(yaml="d_fattree.yaml", graph="fattree", q=None, p_fail="per vertex, from the file",
              p_repair="per vertex, from the file", trials=1024, steps=100, sis=False),
}
# the bars of the issue: ratios on (a) and (b), memory of (c)
BARS = {"a": {"graphtool": 30, "scalar": 10}, "b": {"graphtool": 200, "scalar": 30},
        "c": {"peak_rss_bytes_max": 2.5e9}}


def log(msg):
    print(f"[run_workloads {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_measured(cmd, stdout=None, cwd=None):
    """Runs cmd; returns (exit code, wall seconds, max RSS bytes, stdout text)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE if stdout is None else stdout, cwd=cwd, text=True)
    out = p.stdout.read() if stdout is None else ""
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, wall, ru.ru_maxrss * 1024, out


# ------------------------------------------------------------------ graphs

def write_er(path, n, degree, seed=1):
    """Simple undirected ER graph with n * degree / 2 distinct pairs, each
    written in both directions (SNAP edge list)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    m = int(round(n * degree / 2))
    keys = np.empty(0, dtype=np.int64)
    while keys.size < m:
        need = m - keys.size
        a = rng.integers(0, n, size=need + need // 8 + 64)
        b = rng.integers(0, n, size=a.size)
        ok = a != b
        k = np.minimum(a[ok], b[ok]) * n + np.maximum(a[ok], b[ok])
        keys = np.unique(np.concatenate([keys, k]))
    keys = rng.permutation(keys)[:m]
    e = np.empty((2 * m, 2), dtype=np.int64)
    e[0::2, 0], e[0::2, 1] = keys // n, keys % n
    e[1::2, 0], e[1::2, 1] = keys % n, keys // n
    write_pairs(path, e, f"# undirected Erdos-Renyi, n = {n}, {m} pairs, both directions, seed {seed}\n")


def write_pairs(path, e, header):
    import numpy as np
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(header)
        for i in range(0, e.shape[0], 1 << 20):  # chunks keep the strings' memory small
            c = e[i:i + (1 << 20)]
            f.write("\n".join(np.char.add(np.char.add(c[:, 0].astype(str), " "), c[:, 1].astype(str))))
            f.write("\n")
    os.replace(tmp, path)


def faultline_generate(fl, kind, args, path):
    """`faultline generate KIND ARGS -o PATH`; (ok, message)."""
    cmd = [fl, "generate", kind] + args + ["-o", path]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode == 0 and os.path.exists(path):
        return True, " ".join(cmd)
    if p.returncode == 69:
        return False, f"'faultline generate {kind}' is not available in this build (exit 69): {p.stderr.strip()}"
    return False, f"'{' '.join(cmd)}' failed with exit {p.returncode}: {p.stderr.strip()}"


# ------------------------------------------------------------ the roofline

def blocks_per_word(p_lane):
    """Expected Philox blocks of one bit-sliced Bernoulli draw for a word of
    64 lanes each asked with probability p_lane (independently): a lane is
    still open after b blocks (2b planes) with probability 4^-b."""
    if p_lane <= 0:
        return 0.0
    return sum(1.0 - (1.0 - p_lane * 4.0 ** -b) ** 64 for b in range(16))


def run_baseline(name, cmd):
    """Runs a baseline program that prints one JSON object; adds its command,
    wall time and max RSS, or says why it failed."""
    rc, wall, rss, out = run_measured(cmd)
    if rc != 0:
        return {"error": f"{name} exit {rc}", "command": " ".join(cmd)}
    res = json.loads(out)
    res.update(command=" ".join(cmd), process_wall_s=wall, process_max_rss_bytes=rss)
    return res


def roofline(n, m, trials, d, step_s, machine, p_fail=None, p_repair=None, perm_planes=False, q=None, form=None):
    """Estimate of bytes and Philox blocks per step of a threshold-1 model at
    mean down fraction d, lanes taken as independent, for the draws of
    docs/randomness.md: the crash F is one sparse stream per vertex and
    group of 16 words when p_fail < 1/32 (one block, plus one per two lanes
    that fire), else bit-sliced over the up lanes; the repair
    is bit-sliced over the crashed lanes (sparse below 1/32: one block per
    word with a crashed lane); the hit of a vertex whose in-edges share q is
    one bit-sliced draw per vertex word over the lanes that are up and have
    a down in-neighbour (mean in-degree m / n).  Bytes per vertex word: C
    read and written, D(t+1) written, D read by the tally (32), plus P and
    B read and written where a vertex can be lost permanently (perm_planes:
    (d)'s pools); 8 per in-edge for D(t).  In push mode (q < 1/32 with
    threshold 1: docs/randomness.md) the hit is instead one bit-sliced draw
    per vertex word over its down lanes, whether some out-edge transmits
    (chance 1 - (1 - q)^k), plus one block per lane that does, and no
    in-edge reads D(t): the bytes are the vertex's own words and 9 per
    transmission; with only `crash` vertices and no supervisors D is C, and
    the tally is counted in the step, so a word is C read and written (16).
    In the pull form a `crash` vertex (q given: the SIS
    workloads) with a bit-sliced p_repair draws its repair with the hit's
    uniform (docs/randomness.md): one draw over the crashed lanes and the
    lanes to hit.  The event form (form "event": docs/randomness.md) draws
    one block per down (vertex, trial), one more per two transmissions
    after the first, and per trial (fires + 1) / 2 blocks for its crashes;
    its reads are at random, so its bytes are whole 64-byte lines: the
    trial's bitmap line and the 16-byte parameters per down vertex, the
    target's line and 4 bytes of out_dst per transmission, a line per
    crash.  An estimate, not a count."""
    words = trials / 64.0
    k = m / n if n else 0.0
    push = q is not None and 0 < q < 1 / 32
    p_any = 1 - (1 - q) ** k if push else 0.0
    if form == "event" and push and isinstance(p_fail, float):
        down = n * trials * d
        sends = down * k * q
        crashes = n * trials * (1 - d) * p_fail
        blocks = down + max(sends - down * p_any, 0) / 2 + trials * (n * p_fail + 1) / 2
        bytes_step = down * (64 + 16) + sends * (64 + 4) + crashes * 64
        return roofline_out("event", n, m, trials, bytes_step, blocks, {"event": blocks / (n * words)}, step_s,
                            machine)
    if push:  # the SIS workloads: D is C (no D planes) and the tally is counted in the step
        bytes_step = n * (48.0 if perm_planes else 16.0) * words + n * trials * d * p_any * 9.0 + m * 4.0
    else:
        bytes_step = (m * 8.0 + n * (64.0 if perm_planes else 32.0)) * words + m * 16.0
    # p given per vertex in the graph file (d): taken as small, sparse draws
    if isinstance(p_fail, str):
        p_fail = 1e-4
    if isinstance(p_repair, str):
        p_repair = 0.01
    if not p_fail:
        fail = 0.0
    elif p_fail < 1 / 32:
        fail = (1.0 + 1024 * p_fail / 2) / 16
    else:
        fail = blocks_per_word(1 - d)
    if not p_repair:
        repair = 0.0
    elif p_repair < 1 / 32:
        repair = 1 - (1 - d) ** 64
    else:
        repair = blocks_per_word(d)
    to_hit = (1 - d) * (1 - (1 - d) ** k)
    if push:
        hit = blocks_per_word(d) + 64 * d * p_any
    elif q is not None and p_repair and p_repair >= 1 / 32:
        repair, hit = 0.0, blocks_per_word(d + to_hit)
    else:
        hit = blocks_per_word(to_hit)
    blocks = n * words * (fail + repair + hit)
    return roofline_out("push" if push else "pull", n, m, trials, bytes_step, blocks,
                        {"crash": fail, "repair": repair, "hit": hit}, step_s, machine)


def roofline_out(form, n, m, trials, bytes_step, blocks, per_word, step_s, machine):
    """The roofline's JSON: bytes and blocks per step against the machine's
    bandwidth and Philox rate."""
    et = m * trials
    bw = machine.get("memcpy_bytes_per_s") or 0
    ph = machine.get("philox_blocks_per_s") or 0
    t_mem = bytes_step / bw if bw else None
    t_rng = blocks / ph if ph else None
    bound = max(t for t in (t_mem, t_rng) if t is not None) if (t_mem or t_rng) else None
    return {
        "model": "estimate at the measured mean down fraction, lanes independent, draws of docs/randomness.md",
        "hit_form": form,
        "bytes_per_step": bytes_step,
        "bytes_per_edge_trial": bytes_step / et,
        "philox_blocks_per_step": blocks,
        "philox_blocks_per_vertex_word": per_word,
        "random_words_per_edge_trial": 4.0 * blocks / et,
        "memory_seconds_per_step": t_mem,
        "philox_seconds_per_step": t_rng,
        "bound_seconds_per_step": bound,
        "measured_step_s": step_s,
        "fraction_of_bound": bound / step_s if bound and step_s else None,
        "achieved_bytes_per_s": bytes_step / step_s if step_s else None,
        "achieved_philox_blocks_per_s": blocks / step_s if step_s else None,
    }


def scalar_roofline(n, m, trials, d, step_s, machine):
    """The scalar baseline: one block per drawn variable, a byte per
    (vertex, trial): reads D of the source per edge and trial."""
    et = m * trials
    blocks = m * trials * d * (1 - d) + n * trials
    bytes_step = m * trials + 2.0 * n * trials + m * 8.0
    ph = machine.get("philox_blocks_per_s") or 0
    return {"bytes_per_edge_trial": bytes_step / et, "random_words_per_edge_trial": 4.0 * blocks / et,
            "philox_seconds_per_step": blocks / ph if ph else None, "measured_step_s": step_s}


def trial_stderr(h5path, n):
    """Standard error of the mean down fraction (steps 1..T) between the
    trials of a results file; None without h5py."""
    try:
        import h5py
        import numpy as np
        with h5py.File(h5path, "r") as f:
            c = f["down_count"][:, 1:].astype(np.float64) / n
        per_trial = c.mean(axis=1)
        return float(per_trial.std(ddof=1) / np.sqrt(per_trial.size)) if per_trial.size > 1 else None
    except Exception:  # h5py missing or an empty run: the figure is optional
        return None


# ---------------------------------------------------------------- running

class Bench:
    def __init__(self, a):
        self.a = a
        self.build = os.path.abspath(a.build)
        self.fl = os.path.join(self.build, "faultline")
        self.scalar = os.path.join(self.build, "benchmarks", "scalar_sis")
        self.machine_bin = os.path.join(self.build, "benchmarks", "bench_machine")
        self.work = os.path.abspath(a.work or os.path.join(self.build, "benchmarks", "work"))
        os.makedirs(os.path.join(self.work, "graphs"), exist_ok=True)
        for exe in (self.fl, self.scalar, self.machine_bin):
            if not os.access(exe, os.X_OK):
                sys.exit(f"run_workloads: {exe} missing: cmake --build {a.build} --target bench")
        self.machine = {}

    def measure_machine(self):
        log("machine: memory bandwidth and Philox rate")
        cmd = [self.machine_bin, "--threads", str(self.a.threads)]
        if self.a.backend == "opencl":
            cmd.append("--opencl")
        rc, wall, _, out = run_measured(cmd)
        self.machine = json.loads(out) if rc == 0 else {"error": f"bench_machine exit {rc}"}
        return self.machine

    def step_limits(self):
        """The limits a faultline step runs against: the OpenCL device's copy
        bandwidth and Philox rate with --backend opencl, else the CPU's."""
        cl = self.machine.get("opencl")
        if self.a.backend == "opencl" and cl and not cl.get("error"):
            return {"memcpy_bytes_per_s": cl["copy_bytes_per_s"], "philox_blocks_per_s": cl["philox_blocks_per_s"]}
        return self.machine

    def er_graph(self, n, degree):
        path = os.path.join(self.work, "graphs", f"er-n{n}-k{degree:g}.txt")
        if not os.path.exists(path):
            log(f"writing ER graph n = {n}, degree {degree:g}: {path}")
            write_er(path, n, degree)
        return path

    def model(self, wl_name, spec, graph_path):
        """A copy of the workload's YAML in the work directory, with the
        graph's absolute path and the overridden q."""
        with open(os.path.join(HERE, "workloads", spec["yaml"])) as f:
            text = f.read()
        text, k = re.subn(r"(graph: \{ path: )[^,}\s]+", lambda m_: m_.group(1) + graph_path, text)
        if k != 1:
            sys.exit(f"run_workloads: {spec['yaml']}: no single 'graph: {{ path: ... }}' to point at {graph_path}")
        if spec.get("q") is not None:
            text = re.sub(r"(graph: \{.*q: )[0-9.eE+-]+", lambda m_: m_.group(1) + repr(spec["q"]), text)
        path = os.path.join(self.work, f"{wl_name}.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def run_faultline(self, name, model, trials, steps, reps):
        """`faultline run` reps times; every run's stats and the median."""
        runs = []
        for r in range(reps):
            stats = os.path.join(self.work, f"{name}.stats.json")
            out = os.path.join(self.work, f"{name}.h5")
            cmd = [self.fl, "run", model, "-o", out, "--trials", str(trials), "--steps", str(steps),
                   "--backend", self.a.backend, "--threads", str(self.a.threads), "--quiet", "--stats-json", stats]
            log(f"{name}: faultline run, rep {r + 1}/{reps}")
            rc, wall, rss, _ = run_measured(cmd, stdout=subprocess.DEVNULL)
            if rc != 0:
                return {"error": f"faultline run exit {rc}", "command": " ".join(cmd)}
            with open(stats) as f:
                s = json.load(f)
            s["process_wall_s"] = wall
            s["process_max_rss_bytes"] = rss
            s["mean_down_fraction_stderr"] = trial_stderr(out, s["vertices"])
            runs.append(s)
            os.unlink(out)
        med = lambda k: statistics.median(x[k] for x in runs)
        res = dict(runs[len(runs) // 2])
        for k in ("load_s", "run_s", "step_s", "write_s", "total_s", "process_wall_s", "edge_trial_steps_per_s",
                  "peak_rss_bytes", "process_max_rss_bytes"):
            res[k] = med(k)
        res["step_s_min"] = min(x["step_s"] for x in runs)
        res["command"] = " ".join(cmd)
        res["reps"] = reps
        res["process_edge_trial_steps_per_s"] = res["edges"] * res["trials"] * res["steps"] / res["process_wall_s"]
        res["all_runs"] = [{k: x[k] for k in ("load_s", "run_s", "step_s", "write_s", "process_wall_s")}
                           for x in runs]
        return res

    def run_scalar(self, edges, spec, steps):
        cmd = [self.scalar, edges, "--q", repr(spec["q"]), "--p-fail", repr(spec["p_fail"]), "--p-repair",
               repr(spec["p_repair"]), "--trials", str(self.a.scalar_trials), "--steps", str(steps),
               "--threads", str(self.a.threads)]
        log(f"scalar_sis: {self.a.scalar_trials} trials x {steps} steps")
        return run_baseline("scalar_sis", cmd)

    def run_graphtool(self, edges, spec, steps):
        py = self.a.python
        probe = subprocess.run([py, "-c", "import graph_tool.all"], capture_output=True, text=True)
        if probe.returncode != 0:
            return {"skipped": f"graph-tool not importable by {py} (Debian: apt-get install python3-graph-tool)"}
        cmd = [py, os.path.join(HERE, "graphtool_sis.py"), edges, "--q", repr(spec["q"]), "--p-fail",
               repr(spec["p_fail"]), "--p-repair", repr(spec["p_repair"]), "--trials", str(self.a.gt_trials),
               "--steps", str(steps), "--threads", str(self.a.threads)]
        log(f"graphtool_sis: {self.a.gt_trials} trials x {steps} steps")
        return run_baseline("graphtool_sis", cmd)

    def workload(self, name):
        spec = dict(WORKLOADS[name])
        a = self.a
        for k in ("n", "degree", "q", "scale"):
            if getattr(a, k, None) is not None and k in spec:
                spec[k] = getattr(a, k)
        trials = a.trials or spec["trials"]
        steps = a.steps or spec["steps"]
        res = {"workload": name, "parameters": {**spec, "trials": trials, "steps": steps}}
        if spec["graph"] == "er":
            edges = self.er_graph(spec["n"], spec["degree"])
        else:  # rmat or fattree: an HDF5 graph from `faultline generate`
            gen_args = (a.rmat_args if spec["graph"] == "rmat" else a.fattree_args).format(**spec).split()
            edges, msg = self.generated_graph(spec["graph"], gen_args)
            if edges is None:
                log(f"skipping ({name}): {msg}")
                return {**res, "skipped": msg}
            res["graph_generator"] = msg
        model = self.model(name, spec, edges)
        res["model"] = model
        res["edges_file"] = edges
        fl = self.run_faultline(name, model, trials, steps, a.reps)
        res["faultline"] = fl
        if "error" in fl:
            return res
        fl["roofline"] = roofline(fl["vertices"], fl["edges"], fl["trials"], fl["mean_down_fraction"], fl["step_s"],
                                  self.step_limits(), spec["p_fail"], spec["p_repair"], perm_planes=name == "d",
                                  q=spec.get("q") if spec["sis"] else None, form=fl.get("hits"))
        bars = BARS.get(name, {})
        if "peak_rss_bytes_max" in bars:
            res["bar_peak_rss"] = {"peak_rss_bytes": fl["peak_rss_bytes"], "max": bars["peak_rss_bytes_max"],
                                   "met": fl["peak_rss_bytes"] <= bars["peak_rss_bytes_max"]}
        if spec["sis"] and not a.no_baselines:
            sc = self.run_scalar(edges, spec, steps)
            res["scalar"] = sc
            if "error" not in sc:
                sc["roofline"] = scalar_roofline(sc["vertices"], sc["edges"], sc["trials"], sc["mean_down_fraction"],
                                                 sc["step_s"], self.machine)
                res["vs_scalar"] = {
                    "edge_count_used": "directed dependency edges (the file's lines) for both",
                    "ratio_step_only": fl["edge_trial_steps_per_s"] / sc["edge_trial_steps_per_s"],
                    "ratio_whole_process": fl["process_edge_trial_steps_per_s"] / sc["edge_trial_steps_per_s"],
                    "bar": bars.get("scalar"),
                    "mean_down_fraction_faultline": fl["mean_down_fraction"],
                    "mean_down_fraction_scalar": sc["mean_down_fraction"],
                    "stderr_faultline": fl.get("mean_down_fraction_stderr"),
                    "stderr_scalar": sc.get("mean_down_fraction_stderr"),
                }
            gt = self.run_graphtool(edges, spec, steps)
            res["graphtool"] = gt
            if "edge_steps_per_s" in gt:
                und = gt["undirected_edges"]
                ours_phys = und * fl["trials"] * fl["steps"] / fl["process_wall_s"]
                res["vs_graphtool"] = {
                    "faultline_rate_basis": "whole `faultline run` process wall time (load and write included)",
                    "faultline_edge_trial_steps_per_s_directed": fl["process_edge_trial_steps_per_s"],
                    "faultline_edge_trial_steps_per_s_physical": ours_phys,
                    "graphtool_edge_steps_per_s_physical": gt["edge_steps_per_s"],
                    "edges_directed": fl["edges"],
                    "edges_physical_undirected": und,
                    "ratio_same_physical_edges": ours_phys / gt["edge_steps_per_s"],
                    "ratio_directed_over_undirected": fl["process_edge_trial_steps_per_s"] / gt["edge_steps_per_s"],
                    "bar": bars.get("graphtool"),
                    "mean_down_fraction_faultline": fl["mean_down_fraction"],
                    "mean_down_fraction_graphtool": gt["mean_down_fraction"],
                    "stderr_faultline": fl.get("mean_down_fraction_stderr"),
                    "stderr_graphtool": gt.get("mean_down_fraction_stderr"),
                }
        return res

    def generated_graph(self, kind, args):
        """WORK/graphs/KIND-ARGS.h5 from `faultline generate KIND ARGS`, kept
        and reused; (path, the command or 'reused ...') or (None, why not)."""
        tag = re.sub(r"[^A-Za-z0-9.]+", "-", " ".join(args)).strip("-")
        path = os.path.join(self.work, "graphs", f"{kind}-{tag}.h5")
        cmd = " ".join([self.fl, "generate", kind] + args + ["-o", path])
        if os.path.exists(path):
            return path, f"reused {path} (from: {cmd})"
        log(f"generating {kind} graph: {cmd}")
        ok, msg = faultline_generate(self.fl, kind, args, path)
        return (path, msg) if ok else (None, msg)

    def sweep(self):
        """Step time at three or more sizes along each axis of an (a)-like
        SIS run: vertices, degree, trials, steps."""
        a = self.a
        base = dict(n=a.sweep_n, degree=8, trials=1024, steps=a.sweep_steps)
        axes = {
            "vertices": [dict(n=x) for x in (base["n"] // 4, base["n"] // 2, base["n"], base["n"] * 2)],
            "degree": [dict(degree=x) for x in (4, 8, 16)],
            "trials": [dict(trials=x) for x in (256, 1024, 4096)],
            "steps": [dict(steps=x) for x in (base["steps"], 2 * base["steps"], 4 * base["steps"])],
        }
        out = {}
        for axis, points in axes.items():
            out[axis] = []
            for p in points:
                cfg = {**base, **p}
                spec = dict(WORKLOADS["a"], **cfg)
                spec["q"] = a.sweep_q
                edges = self.er_graph(cfg["n"], cfg["degree"])
                model = self.model("sweep", spec, edges)
                fl = self.run_faultline(f"sweep-{axis}", model, cfg["trials"], cfg["steps"], a.sweep_reps)
                if "error" in fl:
                    out[axis].append({**cfg, **fl})
                    continue
                out[axis].append({**cfg, "edges": fl["edges"], "vertices": fl["vertices"], "load_s": fl["load_s"],
                                  "run_s": fl["run_s"], "step_s": fl["step_s"], "step_s_min": fl["step_s_min"],
                                  "write_s": fl["write_s"],
                                  "process_wall_s": fl["process_wall_s"], "peak_rss_bytes": fl["peak_rss_bytes"],
                                  "edge_trial_steps_per_s": fl["edge_trial_steps_per_s"],
                                  "mean_down_fraction": fl["mean_down_fraction"]})
                log(f"sweep {axis} {p}: step {fl['step_s']:.4f} s, {fl['edge_trial_steps_per_s']:.3g} e*t*s/s")
        return {"base": base, "q": a.sweep_q, "axes": out}


def git_commit():
    p = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                           text=True).stdout.strip()
    return p.stdout.strip() + ("-dirty" if dirty else "")


def main():
    ap = argparse.ArgumentParser(description="faultline's canonical benchmark workloads",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("workloads", nargs="*", help="a b c d sweep (default: a b c d)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=None, help="JSON file (default: BUILD/benchmarks/workloads.json)")
    ap.add_argument("--work", default=None, help="graphs, models, results (default: BUILD/benchmarks/work)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--backend", default="openmp", choices=["openmp", "opencl", "auto"])
    ap.add_argument("--reps", type=int, default=3, help="faultline runs per workload (median)")
    ap.add_argument("--n", type=int, help="override the ER vertex count of (a)/(b)")
    ap.add_argument("--degree", type=float, help="override the ER mean degree of (a)/(b)")
    ap.add_argument("--scale", type=int, help="override the R-MAT scale of (c)")
    ap.add_argument("--trials", type=int, help="override the trials of every workload")
    ap.add_argument("--steps", type=int, help="override the steps of every workload")
    ap.add_argument("--scalar-trials", type=int, default=128,
                    help="trials of the scalar baseline (its rate is per edge-trial-step)")
    ap.add_argument("--gt-trials", type=int, default=8, help="trials of graph-tool's SISState")
    ap.add_argument("--no-baselines", action="store_true", help="skip scalar_sis and graph-tool")
    ap.add_argument("--python", default="/usr/bin/python3", help="the Python with graph-tool")
    ap.add_argument("--rmat-args", default="--scale {scale} --edge-factor {edge_factor} --seed 1",
                    help="options of `faultline generate rmat` for (c); {scale} is --scale (default 20)")
    ap.add_argument("--fattree-args", default="--k 32 --vms-per-host 8 --services-per-vm 14 --seed 1",
                    help="options of `faultline generate fattree` for (d) (default: 992,544 vertices)")
    ap.add_argument("--sweep-n", type=int, default=100000)
    ap.add_argument("--sweep-steps", type=int, default=5)
    ap.add_argument("--sweep-reps", type=int, default=3)
    ap.add_argument("--sweep-q", type=float, default=WORKLOADS["a"]["q"],
                    help="q of the sweep's SIS model (0.05: (a)-like; 0.005: (b)-like)")
    ap.add_argument("--table", metavar="JSON", help="print the Markdown tables of an earlier run's JSON and exit")
    a = ap.parse_args()
    if a.table:
        with open(a.table) as f:
            markdown(json.load(f))
        return
    names = a.workloads or ["a", "b", "c", "d"]
    for w in names:
        if w not in WORKLOADS and w != "sweep":
            ap.error(f"unknown workload '{w}' (a b c d sweep)")
    out_path = a.out or os.path.join(a.build, "benchmarks", "workloads.json")
    b = Bench(a)
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "host": os.uname().nodename,
        "argv": sys.argv,
        "threads": a.threads,
        "backend": a.backend,
        "machine": b.measure_machine(),
        "workloads": {},
    }
    for w in names:
        load_before = os.getloadavg()[0]
        report["workloads"][w] = b.sweep() if w == "sweep" else b.workload(w)
        # other users of the CPU make timings noisy: say how busy it was
        report["workloads"][w]["loadavg_1min_before_after"] = [load_before, os.getloadavg()[0]]
        with open(out_path, "w") as f:  # after each workload: a partial run keeps what it measured
            json.dump(report, f, indent=1)
    log(f"wrote {out_path}")
    summarize(report)


def summarize(r):
    m = r["machine"]
    print(f"machine: {m.get('cpu')}, {m.get('threads')} threads, memcpy {m.get('memcpy_bytes_per_s', 0):.3g} B/s, "
          f"Philox {m.get('philox_blocks_per_s', 0):.3g} blocks/s")
    if m.get("opencl"):
        print(f"OpenCL device: {m['opencl']}")
    for name, w in r["workloads"].items():
        if name == "sweep":
            for axis, pts in w["axes"].items():
                print(f"sweep {axis}: " + ", ".join(
                    f"{p.get('n')}/{p.get('degree')}/{p.get('trials')}/{p.get('steps')}: {p.get('step_s', 0):.4f} s"
                    f" (min {p.get('step_s_min', 0):.4f})"
                    for p in pts))
            continue
        if "skipped" in w:
            print(f"({name}) skipped: {w['skipped']}")
            continue
        fl = w.get("faultline", {})
        if "error" in fl:
            print(f"({name}) error: {fl['error']}")
            continue
        print(f"({name}) {fl['vertices']} vertices, {fl['edges']:.0f} edges, {fl['trials']:.0f} x {fl['steps']}: "
              f"load {fl['load_s']:.2f} s, step {fl['step_s']:.4f} s, write {fl['write_s']:.2f} s, "
              f"process {fl['process_wall_s']:.2f} s, {fl['edge_trial_steps_per_s']:.3g} e*t*s/s "
              f"(process {fl['process_edge_trial_steps_per_s']:.3g}), peak RSS {fl['peak_rss_bytes'] / 1e9:.2f} GB, "
              f"mean down {fl['mean_down_fraction']:.4f}")
        if "vs_scalar" in w:
            v = w["vs_scalar"]
            print(f"    vs scalar: {v['ratio_step_only']:.1f}x step-only, {v['ratio_whole_process']:.1f}x whole process "
                  f"(bar {v['bar']}x); down {v['mean_down_fraction_faultline']:.4f} vs "
                  f"{v['mean_down_fraction_scalar']:.4f}")
        if "vs_graphtool" in w:
            v = w["vs_graphtool"]
            print(f"    vs graph-tool: {v['ratio_same_physical_edges']:.1f}x on the same physical edges "
                  f"({v['ratio_directed_over_undirected']:.1f}x counting our directed edges; bar {v['bar']}x); "
                  f"down {v['mean_down_fraction_faultline']:.4f} vs {v['mean_down_fraction_graphtool']:.4f}")
        elif "graphtool" in w:
            print(f"    graph-tool: {w['graphtool']}")


def markdown(r):
    """The tables of docs/performance.md from a run's JSON."""
    m = r["machine"]
    g = lambda x, f=".3g": format(x, f) if isinstance(x, (int, float)) else "-"
    print(f"Run {r['date']}, commit {r['commit']}, {m.get('cpu')}, {m.get('threads')} threads, "
          f"backend {r['backend']}; machine: memcpy {g(m.get('memcpy_bytes_per_s'))} B/s, "
          f"read {g(m.get('read_bytes_per_s'))} B/s, Philox {g(m.get('philox_blocks_per_s'))} blocks/s"
          + (f"; OpenCL device {m['opencl'].get('device')}: copy {g(m['opencl'].get('copy_bytes_per_s'))} B/s, "
             f"Philox {g(m['opencl'].get('philox_blocks_per_s'))} blocks/s" if m.get("opencl") else "") + ".\n")
    print("| workload | vertices | edges | trials x steps | load s | step s (median) | write s | process s "
          "| edge-trial-steps/s (steps) | (process) | peak RSS GB | mean down | load avg |")
    print("|" + " --- |" * 13)
    for name, w in r["workloads"].items():
        fl = w.get("faultline")
        if name == "sweep" or not fl or "error" in fl:
            if "skipped" in w:
                print(f"| ({name}) | skipped: {w['skipped']} |" + " |" * 11)
            continue
        la = w.get("loadavg_1min_before_after", [None, None])
        print(f"| ({name}) | {fl['vertices']} | {fl['edges']:.0f} | {fl['trials']:.0f} x {fl['steps']} "
              f"| {fl['load_s']:.2f} | {fl['step_s']:.3g} | {fl['write_s']:.2f} | {fl['process_wall_s']:.1f} "
              f"| {fl['edge_trial_steps_per_s']:.3g} | {fl['process_edge_trial_steps_per_s']:.3g} "
              f"| {fl['peak_rss_bytes'] / 1e9:.2f} | {fl['mean_down_fraction']:.4f} | {g(la[0], '.1f')}-{g(la[1], '.1f')} |")
    print("\n| workload | bytes / edge-trial | random words / edge-trial | memory s / step | Philox s / step "
          "| measured s / step | bound / measured |")
    print("|" + " --- |" * 7)
    for name, w in r["workloads"].items():
        fl = w.get("faultline") or {}
        rf = fl.get("roofline")
        if rf:
            print(f"| ({name}) faultline | {rf['bytes_per_edge_trial']:.3f} | {rf['random_words_per_edge_trial']:.3f} "
                  f"| {g(rf['memory_seconds_per_step'])} | {g(rf['philox_seconds_per_step'])} "
                  f"| {rf['measured_step_s']:.3g} | {g(rf['fraction_of_bound'], '.2f')} |")
        sr = (w.get("scalar") or {}).get("roofline")
        if sr:
            print(f"| ({name}) scalar | {sr['bytes_per_edge_trial']:.3f} | {sr['random_words_per_edge_trial']:.3f} "
                  f"| - | {g(sr['philox_seconds_per_step'])} | {sr['measured_step_s']:.3f} | - |")
    if any(w.get("vs_scalar") or w.get("vs_graphtool") for w in r["workloads"].values()):
        print("\n| workload | faultline | scalar_sis | ratio (step / process) | bar | graph-tool (per undirected edge) "
              "| ratio same edges (directed/undirected) | bar | mean down: faultline / scalar / graph-tool |")
        print("|" + " --- |" * 9)
    for name, w in r["workloads"].items():
        vs, vg = w.get("vs_scalar"), w.get("vs_graphtool")
        if not vs and not vg:
            continue
        fl, sc, gt = w["faultline"], w.get("scalar", {}), w.get("graphtool", {})
        se = lambda x: f" ± {x:.1g}" if isinstance(x, float) and x > 0 else ""
        print(f"| ({name}) | {fl['edge_trial_steps_per_s']:.3g} / {fl['process_edge_trial_steps_per_s']:.3g} "
              f"| {g(sc.get('edge_trial_steps_per_s'))} "
              f"| {g(vs and vs['ratio_step_only'], '.1f')} / {g(vs and vs['ratio_whole_process'], '.1f')} "
              f"| {g(vs and vs['bar'])} | {g(gt.get('edge_steps_per_s'))} "
              f"| {g(vg and vg['ratio_same_physical_edges'], '.1f')} / {g(vg and vg['ratio_directed_over_undirected'], '.1f')} "
              f"| {g(vg and vg['bar'])} | {fl['mean_down_fraction']:.4f}{se(fl.get('mean_down_fraction_stderr'))} / "
              f"{g(sc.get('mean_down_fraction'), '.4f')}{se(sc.get('mean_down_fraction_stderr'))} / "
              f"{g(gt.get('mean_down_fraction'), '.4f')}{se(gt.get('mean_down_fraction_stderr'))} |")
    sw = r["workloads"].get("sweep")
    if sw:
        print(f"\nSweep (q = {sw['q']}, base n = {sw['base']['n']}, degree {sw['base']['degree']}, "
              f"{sw['base']['trials']} trials x {sw['base']['steps']} steps; one axis varied at a time):\n")
        print("| axis | n | degree | trials | steps | edges | step s (median) | step s (min) | load s | peak RSS GB "
              "| edge-trial-steps/s | mean down |")
        print("|" + " --- |" * 12)
        for axis, pts in sw["axes"].items():
            for p in pts:
                if "step_s" not in p:
                    continue
                print(f"| {axis} | {p['n']} | {p['degree']:g} | {p['trials']} | {p['steps']} | {p['edges']:.0f} "
                      f"| {p['step_s']:.4f} | {p.get('step_s_min', p['step_s']):.4f} | {p['load_s']:.2f} "
                      f"| {p['peak_rss_bytes'] / 1e9:.3f} | {p['edge_trial_steps_per_s']:.3g} "
                      f"| {p['mean_down_fraction']:.5f} |")


if __name__ == "__main__":
    main()
