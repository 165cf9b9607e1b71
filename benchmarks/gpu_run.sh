#!/usr/bin/env bash
# gpu_run.sh - the GPU figures of docs/performance.md: run from the repo
# root on a machine with an NVIDIA GPU, with a Release build in build/
# (`cmake --build build --target bench`) and, where that machine lacks them,
# the shared libraries it links in .dev/lib (copied from the build machine).
#
#   benchmarks/gpu_run.sh OUTDIR [--no-tests] [--no-host] [--reps N]
#                         [--kernel FILE] [--tune DIR] [WORKLOADS...]
#                                                  (default: a b c d)
#
# It finds NVIDIA's OpenCL driver (libnvidia-opencl.so.1) and points the ICD
# loader at it when /etc/OpenCL/vendors has no entry, runs the tests (the
# OpenCL ones compare the GPU with OpenMP bit for bit), then the workloads on
# the GPU (N runs each, default 3) and each once more with
# FAULTLINE_CL_PROFILE=1 (the time of each kernel), and, for comparison, on
# all CPU cores with OpenMP.  --no-tests and --no-host skip those parts.
# --kernel FILE runs everything with FAULTLINE_KERNEL_SOURCE=FILE.  --tune
# DIR adds, for each workload, the step kernel's time with the embedded
# kernels and with each variant DIR/NAME/step.cl (a copy of kernels/ with a
# change to try, or with one part knocked out to see what it costs).
# Everything goes to OUTDIR.
set -u
out=$(realpath -m "${1:?usage: gpu_run.sh OUTDIR [--no-tests] [--no-host] [WORKLOADS...]}")
shift
tests=1 host=1 reps=3 tune="" workloads=()
while [ $# -gt 0 ]; do
  case $1 in
    --no-tests) tests=0 ;;
    --no-host) host=0 ;;
    --tune) tune=$(realpath "$2"); shift ;;
    --reps) reps=$2; shift ;;
    --kernel) export FAULTLINE_KERNEL_SOURCE=$(realpath "$2"); shift ;;
    *) workloads+=("$1") ;;
  esac
  shift
done
[ ${#workloads[@]} -gt 0 ] || workloads=(a b c d)
mkdir -p "$out"
exec > >(tee "$out/gpu_run.log") 2>&1
# the build has absolute paths of the tree it was configured in
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' build/CMakeCache.txt)
if [ -n "$src" ] && [ "$src" != "$PWD" ] && [ ! -e "$src" ]; then
  mkdir -p "$(dirname "$src")" && ln -s "$PWD" "$src"
fi
cd "${src:-.}"
[ -d .dev/lib ] && export LD_LIBRARY_PATH=$PWD/.dev/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
echo "== $(date -u) on $(hostname), $(nproc) cores"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv || true
if ! grep -qs nvidia /etc/OpenCL/vendors/*.icd; then
  lib=$(ldconfig -p | awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}')
  [ -n "$lib" ] || lib=$(find / -xdev -name 'libnvidia-opencl.so.1' 2>/dev/null | head -1)
  echo "== no NVIDIA entry in /etc/OpenCL/vendors; driver: ${lib:-not found}"
  mkdir -p /tmp/icd && echo "$lib" >/tmp/icd/nvidia.icd && export OCL_ICD_VENDORS=/tmp/icd
fi
# FAULTLINE_KERNEL_SOURCE compiles with the Random123 headers of the build
# machine: bring them where that machine has none (.dev/include)
r123=$(sed -n 's/^RANDOM123_INCLUDE_DIR:PATH=//p' build/CMakeCache.txt)
if [ -n "$r123" ] && [ ! -e "$r123/Random123" ] && [ -d .dev/include/Random123 ]; then
  mkdir -p "$r123" && ln -s "$PWD/.dev/include/Random123" "$r123/Random123"
fi
build/faultline devices

if [ $tests = 1 ]; then
echo "== OpenCL tests (GPU against OpenMP, bit for bit) and the CPU tests"
if command -v ctest >/dev/null; then
  ctest --test-dir build --output-on-failure --timeout 300 -j 4 -E python
else
  for t in build/tests/test_*; do [ -x "$t" ] && timeout 300 "$t"; echo "$t: exit $?"; done
fi
fi

echo "== workloads on the GPU"
export PYTHONUNBUFFERED=1
python3 benchmarks/run_workloads.py ${workloads[*]} --backend opencl --no-baselines --reps "$reps" \
  --work /tmp/fl-work --out "$out/gpu-opencl.json"
for w in "${workloads[@]}"; do
  echo "== kernel times of ($w)"
  FAULTLINE_CL_PROFILE=1 build/faultline run /tmp/fl-work/$w.yaml -o /tmp/fl-work/$w-profile.h5 --backend opencl \
    --quiet --stats-json /tmp/fl-work/$w-profile.json && cat /tmp/fl-work/$w-profile.json
done
if [ -n "$tune" ]; then
  for w in "${workloads[@]}"; do
    for k in embedded "$tune"/*/step.cl; do
      name=$(basename "$(dirname "$k")")
      [ "$k" = embedded ] && name=embedded
      echo "== ($w) kernels $name: $(FAULTLINE_KERNEL_SOURCE=$([ "$k" = embedded ] || echo "$k") \
        FAULTLINE_CL_PROFILE=1 build/faultline run /tmp/fl-work/$w.yaml -o /tmp/fl-work/tune.h5 --backend opencl \
        --quiet 2>&1 | grep -E 'fl_k_step|rror')"
    done
  done
fi
if [ $host = 1 ]; then
  echo "== workloads on $(nproc) CPU cores, OpenMP"
  python3 benchmarks/run_workloads.py ${workloads[*]} --backend openmp --threads "$(nproc)" --no-baselines --reps 1 \
    --work /tmp/fl-work --out "$out/gpu-host-openmp.json"
fi
echo "== done $(date -u)"
