# Sourced by the job benchmarks (expects ROOT set to the repo root): bench_java MAIN_CLASS ARGS... compiles
# the job module with its tests and runs MAIN_CLASS from the test classes in one JVM (DJL offline, libtorch
# from the build tree, Spark on loopback). BENCH_JAVA_OPTS sets the JVM options (default -Xmx8g).
bench_java() {
  (cd "$ROOT" && mvn -B -q -o -pl job -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$ROOT/job/target/test-classpath.txt" -Dmdep.includeScope=test) >&2
  export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/target/djl-cache}" ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$ROOT/target/djl-cache}"
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" SPARK_LOCAL_HOSTNAME="${SPARK_LOCAL_HOSTNAME:-localhost}"
  . "$ROOT/scripts/lib/mkl-shim.sh"
  local opens
  opens="$(sed -n 's:.*<doppel.jvm.opens>\(-.*\)</doppel.jvm.opens>.*:\1:p' "$ROOT/pom.xml")"
  java ${BENCH_JAVA_OPTS:--Xmx8g} $opens -Dai.djl.offline=true -Ddoppel.log.level="${DOPPEL_LOG_LEVEL:-error}" \
    -cp "$ROOT/job/target/classes:$ROOT/job/target/test-classes:$ROOT/job/src/main/resources:$(cat "$ROOT/job/target/test-classpath.txt")" \
    "$@"
}
