#!/usr/bin/env bash
# Builds the plugin-server demo (and the library it needs) and runs it:
#   examples/plugin-server/run.sh serve --port 8080 --plugins DIR   the server alone, until Ctrl-C
#   examples/plugin-server/run.sh jar --version N --into DIR        writes DIR/greeter-N.jar
#   examples/plugin-server/run.sh --seconds N [--clients N] [--period-ms N]   the load driver:
#     prints the figures; exits non-zero on any failed or wrong-version request, an old class
#     loader not collected, or open files that grew.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
./mvnw -B -q -pl examples/plugin-server -am package -DskipTests -Djcstress.skip=true -Dstress.skip=true
exec java -Xmx512m -jar "$here/target/plugin-server.jar" "$@"
