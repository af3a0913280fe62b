#!/usr/bin/env bash
# Starts the whole MPP Digital platform on this machine (embedded Kafka broker, MongoDB-wire store,
# registry, gateway, every service, demo data). Builds first unless --no-build is given.
# Options after the build flag go to the launcher: --fresh (start with empty data), --dir=PATH,
# --port-offset=N, --ready-timeout=SECONDS, --exit-when-ready, --services=a,b. MPP_JAVA=/path/to/java
# picks the runtime.
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
# The runtime of every JVM of the stack (the launcher starts the others with its own): MPP_JAVA if
# set, else a Java 25 JDK where one is installed (measured faster here, docs/benchmarks.md), else
# the java on the PATH (17 or later). The jars are built for Java 17 either way.
java="${MPP_JAVA:-}"
if [[ -z "$java" ]]; then
  for candidate in "${JAVA25_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
      /usr/lib/jvm/java-25-openjdk-amd64/bin/java; do
    if [[ -x "$candidate" ]]; then java="$candidate"; break; fi
  done
fi
java="${java:-java}"
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms32m -Xmx192m -Dlogback.configurationFile=local-stack-logback.xml \
  -jar local-stack/target/local-stack-exec.jar "${args[@]}"
