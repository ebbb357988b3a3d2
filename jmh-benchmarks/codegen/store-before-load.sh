#!/usr/bin/env bash
# Does C2 issue the ASYMMETRIC read side's slot store before the read it must precede? For each
# path (UseCount tryAcquire, plain and Local: the up, then the state read; GraceDomain enter,
# plain and Local: the up, then the reader's pointer read) the driver StoreBeforeLoad runs the
# path hot, C2 compiles it alone (-XX:-TieredCompilation), -XX:CompileCommand=print dumps the code
# bytes, normalized-asm.py disassembles them with objdump (no disassembler plugin needed) and
# check-order.py asserts that the first store to the slot's up total is followed by the load of
# the state or pointer before the method returns. Field offsets come from JOL in the same JVM.
# Each path is compiled once with C2's default schedule and STRESS_RUNS more times with its
# scheduling randomizers (StressLCM, StressGCM, StressIGVN, a random seed each time).
# A replica of the UseCount path with the library's release store must pass, and the same replica
# with a plain store (BROKEN on purpose: C2 sinks it below the volatile load) must fail: if it
# does not, the check cannot see a reorder and the script fails.
#
#   jmh-benchmarks/codegen/store-before-load.sh [JAVA_HOME]       (default: JDK 25 at the CI path)
#
# Run from the top of the repository after ./mvnw -B -q -DskipTests package; needs python3,
# objdump (binutils) and JOL (the primitives tests' dependency, in the local Maven repository).
# x86_64 only (objdump -mi386:x86-64). Exits non-zero if any library path or the good replica
# loads before it stores, or if the broken replica is not caught.
set -euo pipefail
JDK=${1:-/usr/lib/jvm/temurin-25-jdk-amd64}
STRESS_RUNS=${STRESS_RUNS:-2}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
[[ -n ${KEEP:-} ]] && echo "work: $work" >&2 || trap 'rm -rf "$work"' EXIT
[[ $(uname -m) == x86_64 ]] || { echo "x86_64 only (the disassembler call); skipped"; exit 0; }

jar="$top/primitives/target/raceless-primitives-0.1.0-SNAPSHOT.jar"
[[ -f $jar ]] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }
# JOL, the primitives tests' dependency: in the local repository after any test run, else asked of Maven.
ver=$(sed -n 's:.*<jol.version>\(.*\)</jol.version>.*:\1:p' "$top/pom.xml")
jol="${M2_REPO:-$HOME/.m2/repository}/org/openjdk/jol/jol-core/$ver/jol-core-$ver.jar"
if [[ ! -f $jol ]]; then
  (cd "$top" && ./mvnw -B -q -pl primitives dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/cp.txt" > /dev/null)
  jol=$(tr ':' '\n' < "$work/cp.txt" | grep '/jol-core-' | head -1)
fi
[[ -f $jol ]] || { echo "jol-core not found in the test classpath of primitives" >&2; exit 2; }
cp="$jar:$jol"
"$JDK/bin/javac" --release 17 -cp "$cp" -d "$work" "$here/StoreBeforeLoad.java"

# path | slot up offsets (fields) | load (field) | width | expected
paths=(
  "useCount|SlotTotals.up0|UseCount.state|QWORD|pass"
  "useCountLocal|SlotTotals.up0|UseCount.state|QWORD|pass"
  "graceDomain|SlotTotals.up0,SlotTotals.up1|Pointer.published|QWORD|pass"
  "graceDomainLocal|SlotTotals.up0,SlotTotals.up1|Pointer.published|QWORD|pass"
  "replica|Replica.up|Replica.state|QWORD|pass"
  "brokenReplica|Replica.up|Replica.state|QWORD|fail"
)
stress="-XX:+StressLCM -XX:+StressGCM -XX:+StressIGVN"
status=0
for p in "${paths[@]}"; do
  IFS='|' read -r m storeFields loadField width expected <<< "$p"
  for run in $(seq 0 "$STRESS_RUNS"); do
    flags=""; [[ $run -gt 0 ]] && flags=$stress
    log="$work/$m.$run.log"
    # A run whose C2 compile of the path was not printed (a rare miss) is run again, up to 3 times;
    # a path never printed counts as "missing", which fails the check with its log's tail.
    for attempt in 1 2 3; do
      set +e
      # shellcheck disable=SC2086
      "$JDK/bin/java" -cp "$cp:$work" --enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric \
          -Djol.magicFieldOffset=true -XX:-TieredCompilation -XX:+UnlockDiagnosticVMOptions $flags \
          -XX:CompileCommand=quiet "-XX:CompileCommand=dontinline,StoreBeforeLoad::*Path" \
          "-XX:CompileCommand=print,StoreBeforeLoad::${m}Path" StoreBeforeLoad "$m" > "$log" 2>&1
      jrc=$?
      python3 "$here/normalized-asm.py" "$log" "${m}Path" > "$work/$m.$run.asm" 2> "$work/$m.$run.err"
      arc=$?
      set -e
      [[ $jrc -eq 0 && $arc -eq 0 ]] && break
      echo "$m: attempt $attempt: java exited $jrc, disassembly exited $arc: $(tail -1 "$work/$m.$run.err")"
      [[ $attempt -lt 3 ]] || { tail -5 "$log"; : > "$work/$m.$run.asm"; }
    done
    grep -q '^readside ASYMMETRIC' "$log" || { echo "$m: not ASYMMETRIC"; tail -5 "$log"; exit 2; }
    off() { grep -E "^offset .*[.]$1 " "$log" | head -1 | awk '{print $3}'; }
    so=""; for f in ${storeFields//,/ }; do so="$so${so:+,}$(off "$f")"; done
    lo=$(off "$loadField")
    set +e
    line=$(python3 "$here/check-order.py" "$work/$m.$run.asm" "$so" "$lo" "$width"); rc=$?
    set -e
    got=pass; [[ $rc -eq 1 ]] && got=fail; [[ $rc -eq 2 ]] && got=missing
    mode="default schedule"; [[ $run -gt 0 ]] && mode="C2 stress run $run"
    verdict=ok; [[ $got == "$expected" ]] || { verdict=WRONG; status=1; }
    printf '%-6s %-17s %-18s expected %-4s got %-7s %s\n' "$verdict" "$m" "$mode" "$expected" "$got" "$line"
    [[ $expected == fail ]] && break # the broken replica: its default schedule already reorders
  done
done
exit $status
