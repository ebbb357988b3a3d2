#!/usr/bin/env bash
# Do debug tracking and the JFR hooks cost anything when they are off? Builds a copy of the
# library with DEBUG = false as a compile-time constant (javac then drops the tracking from the
# bytecode), runs each hot-path benchmark on both jars (each put first on the class path of the
# same benchmarks.jar) with -XX:CompileCommand=print on its JMH stub, and compares the compiled
# stubs instruction by instruction, except inside the deoptimization stubs (the code that saves
# live values to the stack and leaves compiled code; its stack offsets may differ). Needs python3
# and objdump (binutils); no disassembler plugin. C2 compiles from profiles: a run whose warm-up
# took another path may compile another loop (then run it again; the script says DIFFERENT).
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
[[ -n ${KEEP:-} ]] && echo "work: $work" >&2 || trap 'rm -rf "$work"' EXIT

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

# Deoptimization stubs (mov esi,<reason> ... call <UncommonTrapBlob>) save live values to stack
# slots whose offsets may differ; they run only to leave compiled code. Each is collapsed to one
# line: mov esi,<reason>, then only moves, pushes and pops, then a call. The hlt padding between
# the code and its stub section (never executed) is dropped.
stubs='function flush() { for (i = 1; i <= n; i++) print buf[i]; n = 0; s = 0 }
  /^hlt$/ { next }
  /^mov +esi,ADDR$/ { flush(); s = 1; buf[++n] = $0; next }
  s && /^call +ADDR$/ { n = 0; s = 0; print "<deoptimization stub>"; next }
  s && /^(mov|vmov|rex|push|pop|xchg|nop|data16)/ { buf[++n] = $0; next }
  s { flush() }
  { print }
  END { flush() }'

status=0
for b in refcount.UsePairBenchmark.useCount refcount.UsePairBenchmark.useCountLocal \
         grace.ReadSideBenchmark.enterExit grace.ReadSideBenchmark.enterExitLocal \
         loader.LoaderHotPathBenchmark.acquireRelease loader.LoaderHotPathBenchmark.registryForEach4; do
  cls=${b%.*}; cls=${cls##*.}; m=${b##*.}
  stub="${cls}_${m}_jmhTest::${m}_avgt_jmhStub"
  a="$work/with-$m.asm"; n="$work/without-$m.asm"
  # C2 compiles from profiles, and a warm-up may end in one of two loop shapes for either jar:
  # up to three attempts, each compiling both jars afresh.
  for attempt in 1 2 3; do
    for v in with without; do
      jar=${!v}
      "$JAVA" -cp "$jar:$bench" org.openjdk.jmh.Main "$b\$" -t 1 -f 1 -wi 4 -w 1 -i 1 -r 1 -jvm "$JAVA" \
          -jvmArgsPrepend "$ARGS -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*$stub" > "$work/$v-$m.log" 2>&1
      python3 "$here/normalized-asm.py" "$work/$v-$m.log" "${m}_avgt_jmhStub" > "$work/$v-$m.asm" 2> "$work/$v-$m.size"
    done
    if diff <(awk "$stubs" "$a") <(awk "$stubs" "$n") > /dev/null; then same=identical; break; fi
    same=DIFFERENT
    cp "$a" "$work/with-$m.attempt$attempt.asm"; cp "$n" "$work/without-$m.attempt$attempt.asm"
  done
  [[ $same == identical ]] || status=1
  printf '%-46s %5s instructions, %s locked: %s outside the deoptimization stubs at attempt %s (%s instructions differ inside them; %s bytes with, %s without)\n' \
      "$b" "$(wc -l < "$a")" "$(grep -c '^lock' "$a" || true)" "$same" "$attempt" "$(diff "$a" "$n" | grep -c '^<' || true)" \
      "$(cut -d' ' -f3 "$work/with-$m.size")" "$(cut -d' ' -f3 "$work/without-$m.size")"
done
exit $status
