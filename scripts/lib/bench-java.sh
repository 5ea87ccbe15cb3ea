# Sourced by the job benchmarks (expects ROOT set to the repo root): bench_java MAIN_CLASS ARGS... runs
# MAIN_CLASS from the job module's test classes in a JVM of its own (DJL offline, libtorch from the build
# tree, Spark on loopback), compiling the module with its tests on the first call. BENCH_JAVA_OPTS sets the
# JVM options (default -Xmx8g).
bench_java() {
  if [ -z "${_BENCH_BUILT:-}" ]; then
    (cd "$ROOT" && mvn -B -q -o -pl job -am test-compile dependency:build-classpath -DskipTests \
      -Dmdep.outputFile="$ROOT/job/target/test-classpath.txt" -Dmdep.includeScope=test) >&2
    _BENCH_BUILT=1
  fi
  export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/target/djl-cache}" ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$ROOT/target/djl-cache}"
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" SPARK_LOCAL_HOSTNAME="${SPARK_LOCAL_HOSTNAME:-localhost}"
  . "$ROOT/scripts/lib/mkl-shim.sh"
  local opens
  opens="$(sed -n 's:.*<doppel.jvm.opens>\(-.*\)</doppel.jvm.opens>.*:\1:p' "$ROOT/pom.xml")"
  java ${BENCH_JAVA_OPTS:--Xmx8g} $opens -Dai.djl.offline=true -Ddoppel.log.level="${DOPPEL_LOG_LEVEL:-error}" \
    -cp "$ROOT/job/target/classes:$ROOT/job/target/test-classes:$ROOT/job/src/main/resources:$(cat "$ROOT/job/target/test-classpath.txt")" \
    "$@"
}
