# Sourced by the scripts that need a real standalone Spark cluster on loopback (scripts/cluster-test,
# scripts/bench-pairs-driver); expects ROOT (the repo root) and WORK (an existing folder for the cluster's
# SPARK_HOME, logs/ and worker folders) to be set.
#   spark_jar                builds JAR (job/target/doppel-job-VERSION-spark.jar) and the local build when missing or
#                            older than the sources (DOPPEL_BUILD=package-only: package the compiled classes only)
#   spark_runtime            SPARK_CP: Spark's own runtime classpath (what a distribution's jars/ holds), resolved by
#                            Maven once; a SPARK_HOME in WORK whose jars/ links it, which workers build executors from
#   cluster_start N MEM      a master and N workers of 1 core each on 127.0.0.1 for executors of heap MEM (e.g. 2g);
#                            sets MASTER (spark://...) and CLUSTER_PIDS (master first, then the workers).
#                            WORKER_CORES, WORKER_MEM and the array WORKER_OPTS (JVM -D options, e.g. the workers'
#                            GPU resources) change the workers when set
#   cluster_stop             stops them (TERM, KILL after 5 s); safe to call twice
# Also sets OPENS (the pom's doppel.jvm.opens) and exports SPARK_LOCAL_IP, SPARK_LOCAL_HOSTNAME and the MKL shim.
_pom_value() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1; }
VERSION="$(grep -m1 -o '<version>[^<]*</version>' "$ROOT/pom.xml" | sed 's:</\?version>::g')"   # the project's own
JAR="$ROOT/job/target/doppel-job-$VERSION-spark.jar"
OPENS="$(_pom_value doppel.jvm.opens)"
CLUSTER_PIDS=()

spark_jar() {
  local cp_file="$ROOT/job/target/classpath.txt" only=""
  _stale() { [ ! -f "$1" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main "$ROOT/job/src/test/java/org/doppel/job/ReportDiff.java" -newer "$1" -type f -print -quit 2>/dev/null)" ]; }
  if _stale "$JAR" || _stale "$cp_file"; then
    echo "building $JAR ..." >&2
    [ "${DOPPEL_BUILD:-}" = package-only ] && only="-Dmaven.main.skip=true -Dmaven.test.skip=true -Dmaven.resources.skip=true"
    (cd "$ROOT" && mvn -B -q ${DOPPEL_MVN_OPTS:-} -Pspark-jar -DskipTests $only package) >&2
    touch "$JAR" "$cp_file"   # Maven keeps an unchanged classpath file's old time; scripts/doppel must not rebuild
  fi
}

spark_runtime() {
  local cp_file="$ROOT/job/target/spark-runtime-classpath.txt"
  if [ ! -f "$cp_file" ] || [ "$ROOT/pom.xml" -nt "$cp_file" ]; then
    mvn -B -q ${DOPPEL_MVN_OPTS:-} -f "$ROOT/scripts/lib/spark-runtime-pom.xml" dependency:build-classpath \
      -Dspark.version="$(_pom_value spark.version)" -Dscala.binary="$(_pom_value scala.binary)" -DincludeScope=runtime \
      -Dmdep.outputFile="$cp_file" >&2
  fi
  SPARK_CP="$(cat "$cp_file")"
  SPARK_HOME="$WORK/spark-home"
  rm -rf "$SPARK_HOME" && mkdir -p "$SPARK_HOME/jars"
  tr ':' '\n' <<<"$SPARK_CP" | while read -r j; do ln -sf "$j" "$SPARK_HOME/jars/"; done
  export SPARK_HOME SPARK_SCALA_VERSION="$(_pom_value scala.binary)"
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=localhost
  . "$ROOT/scripts/lib/mkl-shim.sh"   # executors inherit the workers' environment, as a local run does
}

_wait_for_log() { # FILE PATTERN WHAT
  for _ in $(seq 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$3 did not start in 120 s; last lines of $1:" >&2
  tail -20 "$1" >&2
  exit 1
}

cluster_start() { # WORKERS EXECUTOR_MEMORY
  local i worker_mem="${WORKER_MEM:-$(( ${2%g} + 1 ))g}"
  mkdir -p "$WORK/logs"
  java -Xmx512m $OPENS -cp "$SPARK_CP" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 0 --webui-port 0 >"$WORK/logs/master.log" 2>&1 &
  CLUSTER_PIDS=($!)
  _wait_for_log "$WORK/logs/master.log" "I have been elected leader" "the Spark master"
  MASTER="$(grep -o -m1 'spark://127.0.0.1:[0-9]*' "$WORK/logs/master.log")"
  for i in $(seq "$1"); do
    java -Xmx512m $OPENS ${WORKER_OPTS[@]+"${WORKER_OPTS[@]}"} -cp "$SPARK_CP" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "${WORKER_CORES:-1}" --memory "$worker_mem" --webui-port 0 --work-dir "$WORK/worker-$i" \
      "$MASTER" >"$WORK/logs/worker-$i.log" 2>&1 &
    CLUSTER_PIDS+=($!)
  done
  for i in $(seq "$1"); do _wait_for_log "$WORK/logs/worker-$i.log" "Successfully registered with master" "worker $i"; done
}

cluster_stop() {
  local p
  for p in "${CLUSTER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${CLUSTER_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  CLUSTER_PIDS=()
}
