# Sourced by scripts/doppel, scripts/bench-embed-gpu and scripts/test-torch-jni (expects ROOT set to the repo root).
# DOPPEL_TORCH (a Python torch or libtorch folder, a torch wheel, or "auto") runs DJL on that libtorch through the
# JNI that scripts/build-torch-jni compiles against it: built on first use (~5 min on 2 cores), then cached.
if [ -n "${DOPPEL_TORCH:-}" ] && [ -z "${DOPPEL_TORCH_JNI:-}" ]; then
  _env=$("$ROOT/scripts/build-torch-jni") || { echo "doppel: DOPPEL_TORCH=$DOPPEL_TORCH: scripts/build-torch-jni failed" >&2; exit 2; }
  eval "$_env"
  unset _env
fi
