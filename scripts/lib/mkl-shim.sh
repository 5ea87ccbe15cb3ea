# Sourced by scripts/doppel, scripts/test and the benchmarks (expects ROOT set to the repo root).
# libtorch's bundled oneMKL takes a slow generic GEMM path on non-Intel x86-64 CPUs; a two-function
# preload shim (model/native) restores its fast path (~1.6-2x embedding speed on AMD). The JVMs
# started from here (and Surefire's forks) inherit LD_PRELOAD. DOPPEL_MKL_SHIM=0 turns it off.
if [ "${DOPPEL_MKL_SHIM:-auto}" != 0 ] && grep -q -m1 AuthenticAMD /proc/cpuinfo 2>/dev/null && command -v cc >/dev/null 2>&1; then
  _shim="$ROOT/model/target/native/libdoppel_mklshim.so"
  [ -f "$_shim" ] || "$ROOT/model/native/build-mkl-shim.sh" >/dev/null
  export LD_PRELOAD="$_shim${LD_PRELOAD:+:$LD_PRELOAD}"
fi
