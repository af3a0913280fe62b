#!/usr/bin/env bash
# Starts the whole MPP Digital platform on this machine (embedded Kafka broker, MongoDB-wire store,
# registry, gateway, every service, demo data). Builds first unless --no-build is given.
# Options after the build flag go to the launcher: --fresh (start with empty data), --dir=PATH,
# --port-offset=N, --ready-timeout=SECONDS, --exit-when-ready.
set -euo pipefail
cd "$(dirname "$0")"
args=()
build=1
for arg in "$@"; do
  if [[ "$arg" == "--no-build" ]]; then build=0; else args+=("$arg"); fi
done
if [[ $build == 1 ]]; then
  ./mvnw -q -B -DskipTests package
fi
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms32m -Xmx192m -Dlogback.configurationFile=local-stack-logback.xml \
  -jar local-stack/target/local-stack-exec.jar "${args[@]}"
