#!/usr/bin/env bash
# Do debug tracking and the JFR hooks cost anything when they are off? Builds a copy of the
# library with DEBUG = false as a compile-time constant (javac then drops the tracking from the
# bytecode), runs each hot-path benchmark on both jars (each put first on the class path of the
# same benchmarks.jar) with -XX:CompileCommand=print on its JMH stub, and compares the compiled
# stubs instruction by instruction up to their first ret (the measured loop; after it come the
# out-of-line deoptimization stubs). Needs python3 and objdump (binutils); no disassembler plugin.
#
#   jmh-benchmarks/codegen/feature-off.sh [JAVA [JVM_ARGS]]
#   jmh-benchmarks/codegen/feature-off.sh /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
#       "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"
#
# Run from the top of the repository after ./mvnw -B -q -DskipTests package. Exits non-zero if
# a hot loop differs.
set -euo pipefail
JAVA=${1:-java}
ARGS=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

with="$top/primitives/target/raceless-primitives-0.1.0-SNAPSHOT.jar"
bench="$top/jmh-benchmarks/target/benchmarks.jar"
[[ -f $with && -f $bench ]] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }

# The same sources, DEBUG a constant false.
git -C "$top" ls-files -z primitives pom.xml mvnw .mvn | (cd "$top" && xargs -0 cp --parents -t "$work")
sed -i 's/private static final boolean DEBUG = Boolean.getBoolean(DEBUG_PROPERTY);/private static final boolean DEBUG = false;/' \
    "$work/primitives/src/main/java/dev/raceless/refcount/UseCount.java" \
    "$work/primitives/src/main/java/dev/raceless/grace/GraceDomain.java"
grep -q "DEBUG = false;" "$work/primitives/src/main/java/dev/raceless/refcount/UseCount.java" || { echo "DEBUG not found" >&2; exit 2; }
(cd "$work" && ./mvnw -B -q -o -f primitives/pom.xml -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package)
without="$work/primitives/target/raceless-primitives-0.1.0-SNAPSHOT.jar"

status=0
for b in refcount.UsePairBenchmark.useCount refcount.UsePairBenchmark.useCountLocal \
         grace.ReadSideBenchmark.enterExit grace.ReadSideBenchmark.enterExitLocal; do
  cls=${b%.*}; cls=${cls##*.}; m=${b##*.}
  stub="${cls}_${m}_jmhTest::${m}_avgt_jmhStub"
  for v in with without; do
    jar=${!v}
    "$JAVA" -cp "$jar:$bench" org.openjdk.jmh.Main "$b\$" -t 1 -f 1 -wi 4 -w 1 -i 1 -r 1 -jvm "$JAVA" \
        -jvmArgsPrepend "$ARGS -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*$stub" > "$work/$v-$m.log" 2>&1
    python3 "$here/normalized-asm.py" "$work/$v-$m.log" "${m}_avgt_jmhStub" > "$work/$v-$m.asm" 2> "$work/$v-$m.size"
  done
  a="$work/with-$m.asm"; n="$work/without-$m.asm"
  ra=$(grep -n -m1 '^ret' "$a" | cut -d: -f1); rn=$(grep -n -m1 '^ret' "$n" | cut -d: -f1)
  if diff <(head -"$ra" "$a") <(head -"$rn" "$n") > /dev/null; then hot=identical; else hot=DIFFERENT; status=1; fi
  printf '%-40s hot loop (%s instructions, %s locked): %s; whole stub: %s of %s instructions differ (%s bytes with, %s without)\n' \
      "$b" "$ra" "$(head -"$ra" "$a" | grep -c '^lock' || true)" "$hot" "$(diff "$a" "$n" | grep -c '^<' || true)" \
      "$(wc -l < "$a")" "$(cut -d' ' -f3 "$work/with-$m.size")" "$(cut -d' ' -f3 "$work/without-$m.size")"
done
exit $status
