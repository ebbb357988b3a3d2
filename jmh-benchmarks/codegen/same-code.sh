#!/usr/bin/env bash
# Does a refactoring leave the hot paths as they were? Builds the library at a base git revision,
# runs each hot-path benchmark on both jars (each put first on the class path of the same
# benchmarks.jar) with -XX:CompileCommand=print on its JMH stub, and compares the compiled stubs
# instruction by instruction after feature-off.sh's normalization, with field offsets also
# normalized (a field moved into a superclass changes its offset, not the code). Deoptimization
# stubs are collapsed as in feature-off.sh. Needs python3 and objdump; no disassembler plugin.
#
#   jmh-benchmarks/codegen/same-code.sh BASE_REV [JAVA [JVM_ARGS]]
#   jmh-benchmarks/codegen/same-code.sh main~3 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
#       "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"
#
# Run from the top of the repository after ./mvnw -B -q -DskipTests package. Exits non-zero if
# a hot loop differs. BENCHMARKS="a.B.m ..." overrides the list.
set -euo pipefail
BASE=${1:?usage: same-code.sh BASE_REV [JAVA [JVM_ARGS]]}
JAVA=${2:-java}
ARGS=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
[[ -n ${KEEP:-} ]] && echo "work: $work" >&2 || trap 'rm -rf "$work"' EXIT

now="$top/primitives/target/raceless-primitives-0.1.0-SNAPSHOT.jar"
bench="$top/jmh-benchmarks/target/benchmarks.jar"
[[ -f $now && -f $bench ]] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }

paths="primitives pom.xml mvnw .mvn"
git -C "$top" cat-file -e "$BASE:build-config" 2>/dev/null && paths="$paths build-config"
git -C "$top" archive "$BASE" $paths | tar -x -C "$work"
(cd "$work" && ./mvnw -B -q -o -f primitives/pom.xml -DskipTests -Dcheckstyle.skip -Dmaven.javadoc.skip=true \
   -Dmaven.source.skip=true package)
base="$work/primitives/target/raceless-primitives-0.1.0-SNAPSHOT.jar"

# feature-off.sh's deoptimization-stub collapse, plus: small displacements [reg+0x..] -> [reg+OFF]
norm='function flush() { for (i = 1; i <= n; i++) print buf[i]; n = 0; s = 0 }
  { gsub(/\+0x[0-9a-f]+\]/, "+OFF]") }
  /^hlt$/ { next }
  /^mov +esi,ADDR$/ { flush(); s = 1; buf[++n] = $0; next }
  s && /^call +ADDR$/ { n = 0; s = 0; print "<deoptimization stub>"; next }
  s && /^(mov|vmov|rex|push|pop|xchg|nop|data16)/ { buf[++n] = $0; next }
  s { flush() }
  { print }
  END { flush() }'

list=${BENCHMARKS:-"refcount.UsePairBenchmark.useCount refcount.UsePairBenchmark.useCountLocal
  grace.ReadSideBenchmark.enterExit grace.ReadSideBenchmark.enterExitLocal"}
status=0
for b in $list; do
  cls=${b%.*}; cls=${cls##*.}; m=${b##*.}
  stub="${cls}_${m}_jmhTest::${m}_avgt_jmhStub"
  for attempt in 1 2 3; do
    for v in now base; do
      jar=${!v}
      "$JAVA" -cp "$jar:$bench" org.openjdk.jmh.Main "$b\$" -t 1 -f 1 -wi 4 -w 1 -i 1 -r 1 -jvm "$JAVA" \
          -jvmArgsPrepend "$ARGS -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*$stub" > "$work/$v-$m.log" 2>&1
      python3 "$here/normalized-asm.py" "$work/$v-$m.log" "${m}_avgt_jmhStub" 2> /dev/null \
          | awk "$norm" > "$work/$v-$m.asm"
    done
    if diff "$work/now-$m.asm" "$work/base-$m.asm" > /dev/null; then same=identical; break; fi
    same=DIFFERENT
  done
  [[ $same == identical ]] || { status=1; diff "$work/now-$m.asm" "$work/base-$m.asm" | head -20 || true; }
  printf '%-44s %4s instructions now, %4s at %s, %s locked: %s (attempt %s)\n' "$b" \
      "$(wc -l < "$work/now-$m.asm")" "$(wc -l < "$work/base-$m.asm")" "$BASE" \
      "$(grep -c '^lock' "$work/now-$m.asm" || true)" "$same" "$attempt"
done
exit $status
