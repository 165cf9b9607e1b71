#!/usr/bin/python3
"""The results of `faultline run` as pipelines read them (INTERFACE.md).

Runs FAULTLINE on MODEL and checks, with h5py and with xarray's h5netcdf
engine, every dataset and attribute of "Results of run": names, types,
named dimensions, compression, the `complete` attribute, and consistency
between the per-trial and the aggregated datasets.  Exits non-zero on the
first failure.
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

faultline, model = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="faultline-py-")
out = os.path.join(tmp, "run.h5")
trials, steps, offset, stride = 100, 12, 7, 5
cmd = [faultline, "run", model, "-o", out, "--trials", str(trials), "--steps", str(steps),
       "--trial-offset", str(offset), "--vertex-series", str(stride), "--seed", "3", "--quiet"]
subprocess.run(cmd, check=True)
assert sorted(os.listdir(tmp)) == ["run.h5"], os.listdir(tmp)  # no temporary left

expected = {  # name: (dtype, dims)
    "time": ("int32", ("time",)),
    "trial": ("int64", ("trial",)),
    "vertex": ("int64", ("vertex",)),
    "down_fraction": ("float64", ("time",)),
    "system_down": ("float64", ("time",)),
    "down_count": ("uint32", ("trial", "time")),
    "system_down_trial": ("uint8", ("trial", "time")),
    "vertex_unavailability": ("float64", ("vertex",)),
    "vertex_down_final": ("float64", ("vertex",)),
    "vertex_down_series": ("float64", ("vtime", "vertex")),
    "class_down_fraction": ("float64", ("time", "class")),
}

with h5py.File(out, "r") as f:
    for name, (dtype, dims) in expected.items():
        d = f[name]
        assert d.dtype == np.dtype(dtype), (name, d.dtype)
        if h5py.h5ds.is_scale(d.id):  # a scale is its own dimension
            got = (name,)
        else:
            got = tuple(d.dims[i][0].name.lstrip("/") for i in range(d.ndim))
        assert got == dims, (name, got)
        assert d.compression == "gzip" and d.shuffle, name
    assert f["vertex_name"].dims[0][0].name == "/vertex"
    names = [s.decode() if isinstance(s, bytes) else s for s in f["vertex_name"][:]]
    assert names[:2] == ["w0", "w1"], names
    a = f.attrs
    for key in ["Conventions", "title", "faultline_version", "model_name", "model_yaml", "model_sha256",
                "seed", "trials", "trial_offset", "steps", "propagation", "backend", "device", "created",
                "command", "complete"]:
        assert key in a, key
    assert list(a.keys())[-1] == "complete" and a["complete"] == 1
    assert a["trials"] == trials and a["trial_offset"] == offset and a["steps"] == steps and a["seed"] == 3
    assert a["model_name"] == "pool-replacement" and a["propagation"] == "synchronous"
    assert a["model_yaml"] == open(model).read()
    import hashlib
    assert a["model_sha256"] == hashlib.sha256(open(model, "rb").read()).hexdigest()
    assert list(f["time"][:]) == list(range(steps + 1))
    assert list(f["trial"][:]) == list(range(offset, offset + trials))
    assert list(f["vtime"][:]) == [0, 5, 10]
    # aggregates agree with the per-trial data
    n = f["vertex"].shape[0]
    dc, sdt = f["down_count"][:], f["system_down_trial"][:]
    assert np.allclose(f["down_fraction"][:], dc.mean(axis=0) / n)
    assert np.allclose(f["system_down"][:], sdt.mean(axis=0))
    assert np.allclose(f["vertex_down_series"][-1], f["vertex_down_final"][:]) or steps % stride != 0
    assert (f["vertex_unavailability"][:] >= 0).all() and (f["vertex_unavailability"][:] <= 1).all()

ds = xr.open_dataset(out, engine="h5netcdf")
for name, (dtype, dims) in expected.items():
    assert ds[name].dims == dims, (name, ds[name].dims)
assert ds.sizes["trial"] == trials and ds.sizes["time"] == steps + 1 and ds.sizes["vtime"] == 3
assert list(ds["class"].values) == ["worker", "(none)"], ds["class"].values
assert float(ds.system_down.sel(time=0)) == 0.0
ds.close()

# a failing run leaves nothing behind
bad = os.path.join(tmp, "nodir", "x.h5")
r = subprocess.run([faultline, "run", model, "-o", bad, "--quiet", "--trials", "64", "--steps", "2"])
assert r.returncode == 73, r.returncode
assert not os.path.exists(bad)
print("results layout ok:", out)
