#!/usr/bin/env bash
# The main job: benchmark raceless against its peers and write the report.
#
#   ./report.sh                      quick preset (the whole suite in under ten minutes)
#   ./report.sh --preset full        each class's own iterations, three forks
#   ./report.sh --preset smoke       CI: one short iteration, 2 threads; proves it still runs
#   ./report.sh --include REGEX      only the benchmarks whose name matches (repeatable)
#   ./report.sh --help               every option
#
# Writes docs/results/<date>-<cpu>-<jdk>/ (or --out DIR): README.md, PNG charts, jmh-result.json.
# Needs only a JDK 17+: the Maven wrapper fetches Maven, Maven fetches the rest.
# REPORT_JAVA_OPTS: extra flags for the report's own JVM (the benchmark forks keep their @Fork flags).
set -euo pipefail
cd "$(dirname "$0")"

case " $* " in
  *" --help "*|*" -h "*) ;;                       # no build needed to print the usage
  *" --render "*|*" --render="*) ;;               # redraws from files: uses the jar as built
  *) ./mvnw -B -q -DskipTests package -pl jmh-benchmarks -am ;;
esac

if [ ! -f jmh-benchmarks/target/benchmarks.jar ]; then
  ./mvnw -B -q -DskipTests package -pl jmh-benchmarks -am
fi

exec java ${REPORT_JAVA_OPTS:-} -Draceless.report.launcher=./report.sh \
  -cp jmh-benchmarks/target/benchmarks.jar dev.raceless.bench.report.Report "$@"
