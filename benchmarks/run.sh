#!/usr/bin/env bash
# Gateway overhead benchmark: starts the local stack (ports +4000, fresh data under
# target/bench-stack), runs the Gatling simulation against the same endpoint directly and through
# the gateway, prints the comparison table and stops the stack.
#
#   benchmarks/run.sh                       # measured JVMs with the full JIT (C2) and serial GC
#   MPP_JVM_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m" benchmarks/run.sh   # lean
#   benchmarks/run.sh -Dfixed.rate=2000     # any simulation property (see benchmarks/pom.xml)
set -euo pipefail
cd "$(dirname "$0")/.."
offset=4000
export MPP_JVM_FLAGS="${MPP_JVM_FLAGS:--XX:+UseSerialGC -Xms128m -Xmx256m -Xss512k}"

./mvnw -q -B -DskipTests package
java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx192m -Dlogback.configurationFile=local-stack-logback.xml \
  -jar local-stack/target/local-stack-exec.jar --fresh --dir=target/bench-stack --port-offset=$offset \
  > target/bench-stack.log 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT

echo "Starting the local stack (service JVM flags: $MPP_JVM_FLAGS)..."
until grep -q "is up in" target/bench-stack.log; do
  if ! kill -0 $stack 2>/dev/null; then cat target/bench-stack.log; exit 1; fi
  sleep 1
done
grep "is up in" target/bench-stack.log

./mvnw -q -B -f benchmarks/pom.xml gatling:test \
  -Ddirect.url=http://127.0.0.1:$((8081 + offset)) \
  -Dgateway.url=http://127.0.0.1:$((8080 + offset))/api/catalog "$@"

capacity=30; rate=1000
for arg in "$@"; do
  case "$arg" in
    -Dcapacity.seconds=*) capacity="${arg#*=}" ;;
    -Dfixed.rate=*) rate="${arg#*=}" ;;
  esac
done
java benchmarks/Report.java "$(ls -td benchmarks/target/gatling/*/ | head -1)" "$capacity" "$rate"
