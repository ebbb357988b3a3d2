#!/usr/bin/env bash
# The rcutorture-style soak (stress-tests, dev.raceless.stress.harness.StressMain --soak): every
# open-ended stress scenario at once, with fault injection, for the given time; prints operations,
# faults, errors and latency histograms; exits non-zero on any error.
#   ./torture.sh --seconds 60
#   ./torture.sh --minutes 10 [--stall-seconds 2]
# JAVA_HOME selects the JDK (default: the one on the PATH). Builds the stress-tests jar first
# (set TORTURE_OFFLINE=1 to keep Maven off the network when the dependencies are cached).
set -euo pipefail
cd "$(dirname "$0")"
if [ $# -eq 0 ]; then
  echo "usage: ./torture.sh --seconds N | --minutes N [--stall-seconds S]" >&2
  exit 2
fi
offline=
[ "${TORTURE_OFFLINE:-0}" = 1 ] && offline=-o
./mvnw -B -q $offline -pl stress-tests -am package -DskipTests -Djcstress.skip=true -Dstress.skip=true
java=java
[ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
exec "$java" -cp stress-tests/target/jcstress.jar dev.raceless.stress.harness.StressMain --soak "$@"
