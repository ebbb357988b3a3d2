#!/usr/bin/env bash
# The main job: benchmark raceless against its peers and write the report.
#
#   ./report.sh                      quick preset (the whole suite in under ten minutes)
#   ./report.sh --preset full        each class's own iterations, three forks (the committed reports)
#   ./report.sh --preset smoke       CI: one short iteration, 2 threads; proves it still runs
#   ./report.sh --include REGEX      only the benchmarks whose name matches (repeatable)
#   ./report.sh --out DIR            write under DIR (default: results/, which git ignores)
#   ./report.sh --jdk22 PATH         the JDK 22+ on which the read-side benchmarks run again, forced
#                                    FENCED and forced ASYMMETRIC (default: $RACELESS_JDK22, else the
#                                    newest in /usr/lib/jvm; none: skip)
#   ./report.sh --render DIR         redraw DIR's README.md and charts from its files, run nothing
#   ./report.sh --help               every option
#
# Writes results/<date>-<cpu>-<jdk>/ (or DIR/<date>-<cpu>-<jdk>/): README.md, charts.md, PNG
# charts, jmh-result.json, footprint.md, run.properties. The committed reports live in
# docs/results/ and come from:   ./report.sh --preset full --out docs/results
# Needs only a JDK 17+: the Maven wrapper fetches Maven, Maven fetches the rest.
# REPORT_JAVA_OPTS: extra flags for the report's own JVMs (the benchmark forks keep their @Fork flags).
#
# Two JVMs: the one that measures has benchmarks.jar and report.jar only (JMH's forks inherit that
# class path, so no chart library is in them); the one that draws has report.jar and XChart
# (report/target/lib) and no JMH.
set -euo pipefail
cd "$(dirname "$0")"

BENCH=jmh-benchmarks/target/benchmarks.jar
REPORT=report/target/report.jar
RENDER_CP="$REPORT:report/target/lib/*"

render=false
case " $* " in
  *" --help "*|*" -h "*) ;;                                  # no build needed to print the usage
  *" --render "*|*" --render="*) render=true ;;
  *) ./mvnw -B -q -DskipTests package -pl jmh-benchmarks,report -am ;;
esac

if [ "$render" = true ]; then
  [ -f "$REPORT" ] || ./mvnw -B -q -DskipTests package -pl report -am
  exec java ${REPORT_JAVA_OPTS:-} -cp "$RENDER_CP" dev.raceless.report.Render "$@"
fi

if [ ! -f "$BENCH" ] || [ ! -f "$REPORT" ]; then
  ./mvnw -B -q -DskipTests package -pl jmh-benchmarks,report -am
fi

exec java ${REPORT_JAVA_OPTS:-} -Draceless.report.launcher=./report.sh \
  "-Draceless.report.renderClasspath=$RENDER_CP" \
  -cp "$BENCH:$REPORT" dev.raceless.report.Report "$@"
