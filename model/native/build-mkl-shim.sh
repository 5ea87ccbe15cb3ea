#!/usr/bin/env bash
# Builds the optional oneMKL vendor-dispatch shim (see mkl_intel_cpu_shim.c). Prints its path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../target/native"
mkdir -p "$out"
cc -shared -fPIC -O2 -o "$out/libdoppel_mklshim.so" "$here/mkl_intel_cpu_shim.c"
echo "$out/libdoppel_mklshim.so"
