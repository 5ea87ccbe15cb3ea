#!/usr/bin/env bash
# scripts/gpu-run/run.sh: the one device call of scripts/bench-embed-gpu --prepare, on a GPU host with Python
# torch (no Java, no network needed), from the repo root of the carried working tree:
#   PAYLOAD=target/gpu-run/payload.tar.xz OUT=<folder for results> bash scripts/gpu-run/run.sh
# Adapted from the measurement harness in ../shared/tools/gpu (same steps), building the JNI with the
# project's own scripts/build-torch-jni against the host's torch.
# Steps: facts; unpack JRE + jars; build DJL's PyTorch JNI against the installed torch (background,
# niced); random-weight model folders; peer anchor (HF transformers, foreground); wait for the JNI;
# point DJL at torch's lib folder + the new JNI; the project's embedder on the GPU (PROJECT/CHECK
# lines), a Hugging Face cross-check (XCHECK), the pair searches' cosine tiles GPU vs CPU (TILES), the attention
# lever (sdpa=off: PROJECT ...-matmul lines); summary. Keeps going past failing steps.
# Switches: SKIP_PEER=1 (no HF peer runs), SKIP_OPTIONAL=1 (bge + jina project runs only),
#   GPU_PROBE_DEADLINE / GPU_PROBE_HARD_END (seconds), JNI_BUDGET, BUILD_WAIT_UNTIL, PEER_BUDGET.
# Local dry run without a GPU: SIM_CPU=1 (tiny models, device cpu) with TORCH_DIR (a torch folder with
# headers; DOPPEL_CACHE=~/.cache/doppel reuses a JNI already built for it).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PAYLOAD="${PAYLOAD:-$REPO/target/gpu-run/payload.tar.xz}"
OUT="${OUT:-$PWD/gpu-probe-out}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
T0=$(date +%s)
el() { echo $(($(date +%s) - T0)); }
step() { echo; echo "=== [$(el)s] $*"; }
SIM_CPU=${SIM_CPU:-0}
DEADLINE=${GPU_PROBE_DEADLINE:-360}   # no optional step starts after this many seconds
HARD_END=${GPU_PROBE_HARD_END:-440}   # no Java step runs past this many seconds
WORK=${GPU_PROBE_WORK:-/tmp/gpu-probe-work}
if [ -z "${GPU_PROBE_WORK:-}" ] && findmnt -no OPTIONS --target /tmp 2>/dev/null | grep -qw noexec; then
  WORK="$HERE/.work"   # /tmp is noexec: the JRE and the JNI must run from elsewhere
fi
rm -rf "$WORK"; mkdir -p "$WORK"
PY=${PY:-python3}
[ -x "$PY" ] || PY=$(command -v python3)
NPROC=$(nproc)
ORIG_LD="${LD_LIBRARY_PATH:-}"   # Python steps after step 7 run with the caller's library path

step "1. facts"
echo "host $(hostname) $(uname -srm); $NPROC cores; python $PY; gpu-probe folder $(du -sh "$HERE" | cut -f1)"
nvidia-smi || echo "nvidia-smi: not available"
"$PY" -c 'import torch; print(torch.__version__, torch.version.cuda, torch.cuda.get_device_name())' || echo "torch: no GPU or not importable"
"$PY" -c 'import torch,os; print(os.path.dirname(torch.__file__))' || true
if command -v java >/dev/null; then echo "java: $(command -v java)"; java -version 2>&1 | head -2; else echo "java: none on PATH"; fi
# The rest from one interpreter (importing torch takes seconds): shell assignments go to a file.
"$PY" "$HERE/facts.py" "$WORK/facts.sh"
. "$WORK/facts.sh"
TORCH_DIR=${TORCH_DIR:-${PY_TORCH_DIR:-}}
echo "torch dir: $TORCH_DIR"
echo "torch lib: $(ls "$TORCH_DIR/lib" 2>/dev/null | tr '\n' ' ')"
echo "compiler: $(g++ --version 2>/dev/null | head -1); $(cmake --version 2>/dev/null | head -1); ninja $(ninja --version 2>/dev/null); nvcc: $(nvcc --version 2>/dev/null | tail -1)"
free -g | head -2; df -h /tmp | tail -1
SITE=$(dirname "$TORCH_DIR")
ABI=${ABI:-${PY_ABI:-}}
PTVER=${PTVER:-${PY_PTVER:-}}
FLAVOR=${FLAVOR:-${PY_FLAVOR:-cpu}}
CUDA_OK=${CUDA_OK:-0}
NV_LIBS=$(find "$SITE/nvidia" -name 'lib*.so*' -printf '%h\n' 2>/dev/null | sort -u | tr '\n' ':')
echo "libtorch $PTVER flavour $FLAVOR abi $ABI cuda_ok $CUDA_OK (scripts/build-torch-jni finds the CUDA headers and libcudart)"
echo "nvidia lib dirs: ${NV_LIBS:-none}"

step "2. unpack JRE + jars"
"$PY" -c '
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    try:
        t.extractall(sys.argv[2], filter="tar")
    except TypeError:
        t.extractall(sys.argv[2])
' "$PAYLOAD" "$WORK"
JAVA="$WORK/jre/bin/java"
"$JAVA" -version 2>&1 | head -1
"$JAVA" -version >/dev/null 2>&1 || echo "JRE DOES NOT START from $WORK (noexec? set GPU_PROBE_WORK=<exec-able dir>)"
ls "$WORK/lib" | tr '\n' ' '; echo

step "3. DJL PyTorch JNI: scripts/build-torch-jni against $TORCH_DIR in the background"
JOBS=$((NPROC > 2 ? NPROC - 1 : 1))
export DOPPEL_CACHE="${DOPPEL_CACHE:-$WORK/cache}" JAVA_HOME="$WORK/jre"
SETSID=$(command -v setsid || true)   # own process group, so that a late build can be stopped whole
$SETSID "$REPO/scripts/build-torch-jni" --torch "$TORCH_DIR" --jobs "$JOBS" >"$WORK/jni-env.sh" 2>"$WORK/jni-build.log" &
BUILD_PID=$!
echo "build pid $BUILD_PID, $JOBS jobs (log: $WORK/jni-build.log)"

step "4. random-weight model folders"
if [ "$SIM_CPU" = 1 ]; then TINY=--tiny; else TINY=; fi
"$PY" "$HERE/make_models.py" "$WORK/tokenizer.json" "$WORK/models" $TINY || echo "make_models FAILED"

step "5. peer anchor (HF transformers BertModel, sdpa, inference_mode)"
if [ "$SIM_CPU" = 1 ] || [ "$CUDA_OK" != 1 ] || [ "${SKIP_PEER:-0}" = 1 ]; then
  echo "skipped: no CUDA torch in $PY, or SKIP_PEER=1"
else
  timeout 120 "$PY" "$HERE/peer.py" "${PEER_BUDGET:-85}" || echo "peer.py exited with $?"
fi

step "6. wait for the JNI build"
while kill -0 "$BUILD_PID" 2>/dev/null && [ "$(el)" -lt "${BUILD_WAIT_UNTIL:-300}" ]; do sleep 2; done
if kill -0 "$BUILD_PID" 2>/dev/null; then
  echo "build still running at $(el)s: stopping it (process group $BUILD_PID)"
  if [ -n "$SETSID" ]; then kill -- "-$BUILD_PID"; else kill "$BUILD_PID"; fi; sleep 1
fi
wait "$BUILD_PID"; echo "build-torch-jni exit $?"
cat "$WORK/jni-build.log"
mkdir -p "$OUT/jni"; cp "$DOPPEL_CACHE"/torch-jni/*/summary.txt "$DOPPEL_CACHE"/torch-jni/*/build.log "$OUT/jni/" 2>/dev/null

step "7. point DJL at $TORCH_DIR/lib and the JNI (the environment build-torch-jni printed)"
cat "$WORK/jni-env.sh"
ENGINE_OK=0
if [ -s "$WORK/jni-env.sh" ]; then
  . "$WORK/jni-env.sh"
  export DJL_CACHE_DIR="$ENGINE_CACHE_DIR" OPT_OUT_TRACKING=true DJL_OFFLINE=true
  export LD_LIBRARY_PATH="$TORCH_DIR/lib:${NV_LIBS}${EXTRA_LD_PATH:-}${LD_LIBRARY_PATH:-}"
  echo "ldd of the JNI, libraries not found:"; ldd "$ENGINE_CACHE_DIR"/pytorch/*/*libdjl_torch.so | grep -i 'not found' || echo "  none"
else
  echo "NO libdjl_torch.so: the project's GPU path cannot run"
fi
JOPTS=(-Xmx24g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.showDateTime=false
       -Dorg.slf4j.simpleLogger.log.ai.djl.pytorch.jni.LibUtils=debug)
CP="$WORK/lib/*"
DEV=gpu; [ "$SIM_CPU" = 1 ] && DEV=cpu

step "8. DJL engine info"
timeout 90 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.doppel.model.GpuProbeMain info 2>&1 | tee "$WORK/info.txt" | grep -v '^SLF4J'
grep -q '^INFO engine=PyTorch' "$WORK/info.txt" && ENGINE_OK=1

bench() {  # label timeout_s args...
  local label=$1 to=$2; shift 2
  step "9. PROJECT $label (timeout ${to}s)"
  if [ "$ENGINE_OK" != 1 ]; then echo "skipped: the DJL engine did not start"; return; fi
  if [ "$(el)" -gt "$DEADLINE" ] && [ "${MUST:-0}" != 1 ]; then echo "skipped: past ${DEADLINE}s"; return; fi
  local left=$((HARD_END - $(el)))
  if [ "$left" -lt 25 ]; then echo "skipped: only ${left}s left before ${HARD_END}s"; return; fi
  [ "$to" -gt "$left" ] && to=$left && echo "(timeout cut to ${to}s)"
  timeout "$to" "$JAVA" "${JOPTS[@]}" -cp "$CP" org.doppel.model.GpuProbeMain bench device=$DEV "$@" 2>&1 \
    | grep -v '^SLF4J' | grep -v 'LibUtils - Loading native library'; echo "(exit ${PIPESTATUS[0]})"
}
tiles() {  # timeout_s args...: the pair searches' cosine tiles (TILES / TILES_CHECK lines)
  local to=$1; shift
  step "9t. TILES: cosine tiles, GPU float16 + float32 rescoring vs float32 on this host's CPU (timeout ${to}s)"
  if [ "$ENGINE_OK" != 1 ]; then echo "skipped: the DJL engine did not start"; return; fi
  timeout "$to" "$JAVA" "${JOPTS[@]}" -cp "$CP" org.doppel.model.GpuProbeMain tiles "$@" 2>&1 \
    | grep -v '^SLF4J' | grep -v 'LibUtils - Loading native library'; echo "(exit ${PIPESTATUS[0]})"
}
M="$WORK/models"
if [ "$SIM_CPU" = 1 ]; then
  MUST=1 bench bge-small-size/512 300 model=$M/bge-small-size label=bge-small-size window=512 docs=30 doc_tokens=800 threads=2 check=3 xcheck=$OUT/xcheck-bge.json budget_s=10
  bench jina-base-size/2048 300 model=$M/jina-base-size label=jina-base-size window=2048 docs=20 doc_tokens=800 long_docs=1 long_tokens=3000 threads=2 check=3 check_long=1 budget_s=10
  bench bge-small-size/512-float16 300 model=$M/bge-small-size label=bge-small-size-f16 window=512 dtype=float16 docs=10 doc_tokens=600 threads=1 check=2
  bench bge-small-size/512-matmul 120 model=$M/bge-small-size label=bge-small-size-matmul window=512 docs=10 doc_tokens=600 threads=2 check=0 sdpa=off
  bench bge-small-size/512-bfloat16 300 model=$M/bge-small-size label=bge-small-size-bf16 window=512 dtype=bfloat16 docs=10 doc_tokens=600 threads=1 check=2
  tiles 120 device=cpu rows=3000 cpu_rows=3000 tile=1024
else
  MUST=1 bench bge-small-size/512 150 model=$M/bge-small-size label=bge-small-size window=512 docs=2000 doc_tokens=3000 threads=8 check=6 xcheck=$OUT/xcheck-bge.json budget_s=8
  tiles 90 rows=131072 cpu_rows=16384
fi
step "10. XCHECK: project vectors vs HF BertModel float32 (same weights, same ids)"
if [ -f "$OUT/xcheck-bge.json" ] && LD_LIBRARY_PATH="$ORIG_LD" "$PY" -c 'import torch, transformers' 2>/dev/null; then
  LD_LIBRARY_PATH="$ORIG_LD" timeout 60 "$PY" "$HERE/xcheck.py" "$OUT/xcheck-bge.json" || echo "xcheck exit $?"
else
  echo "skipped: no xcheck-bge.json or no torch+transformers"
fi
[ "${SKIP_OPTIONAL:-0}" = 1 ] && DEADLINE=0
if [ "$SIM_CPU" != 1 ]; then
  MUST=1 bench jina-base-size/8192 170 model=$M/jina-base-size label=jina-base-size window=8192 docs=600 doc_tokens=3000 long_docs=24 long_tokens=20000 threads=4 check=4 check_long=1 budget_s=10
  MUST=1 bench jina-base-size/512 80 model=$M/jina-base-size label=jina-base-size window=512 docs=1000 doc_tokens=3000 threads=8 check=4 budget_s=6
  # Lever: fused attention (the JNI's TorchOps sdpa, the default above) vs DJL's matmul/softmax/matmul.
  bench bge-small-size/512-matmul 60 model=$M/bge-small-size label=bge-small-size-matmul window=512 docs=1000 doc_tokens=3000 threads=8 check=0 budget_s=4 sdpa=off
  bench jina-base-size/8192-matmul 90 model=$M/jina-base-size label=jina-base-size-matmul window=8192 docs=200 doc_tokens=3000 long_docs=24 long_tokens=20000 threads=4 check=0 budget_s=6 sdpa=off
  # Lever: bfloat16 instead of float16 (same weights and windows; CHECK lines: vs float32 on the CPU).
  bench bge-small-size/512-bfloat16 60 model=$M/bge-small-size label=bge-small-size-bf16 window=512 dtype=bfloat16 docs=1000 doc_tokens=3000 threads=8 check=3 budget_s=4
  bench bert-base-8k/8192 90 model=$M/bert-base-8k label=bert-base-8k window=8192 docs=100 doc_tokens=3000 long_docs=48 long_tokens=20000 threads=4 check=0 budget_s=6
  bench bert-base-8k/512 70 model=$M/bert-base-8k label=bert-base-8k window=512 docs=1000 doc_tokens=3000 threads=8 check=0 budget_s=5
  bench bge-small-size/512-gpu-float32 60 model=$M/bge-small-size label=bge-small-size-gpu-f32 window=512 dtype=float32 docs=500 doc_tokens=3000 threads=1 check=3 budget_s=4
fi

step "11. summary ($(el)s)"
grep -h -E '^(PEER|PROJECT|CHECK|XCHECK|INFO|TILES|TILES_CHECK) ' "$OUT/log.txt" | tee "$OUT/summary.txt"
grep -h -E '^(torch|compiled:|build-torch-jni:)' "$WORK/jni-build.log" 2>/dev/null | tee -a "$OUT/summary.txt"
echo "gpu-probe folder: $(du -sh "$HERE" | cut -f1); total $(el)s"
sync; sleep 1
