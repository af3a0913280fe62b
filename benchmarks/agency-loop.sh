#!/usr/bin/env bash
# Agency loop benchmark (docs/benchmarks.md): starts the whole local stack (ports +4000, fresh data
# under target/bench-agency) with Dukcapil's simulated REST back office answering at once, then
#   1. the loop: citizen submits through the gateway -> the agency receives -> its signed report ->
#      the state visible to the citizen through the gateway, at a fixed rate, p50/p90/p99;
#   2. the backlog: the agency down, N applications submitted, then back: drain rate, counted at the
#      agency (received, duplicated, lost);
# prints the results and stops the stack.
#
#   benchmarks/agency-loop.sh                  # 50 submissions/s for 60 s, a backlog of 10,000
#   benchmarks/agency-loop.sh 20 30 1000       # rate, seconds, backlog
#   MPP_BENCH_WARMUP=150 MPP_JVM_FLAGS="-XX:+UseSerialGC -Xmx256m" MPP_LAUNCHER_FLAGS="-XX:+UseSerialGC -Xmx256m" \
#     benchmarks/agency-loop.sh                # the full JIT (C2) everywhere, with a longer warm-up at 5/s
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-50}"
seconds="${2:-60}"
backlog="${3:-10000}"
offset=4000
export MPP_SIM_REPORT_DELAY=PT0S
# the stack's lean default flags (C1 only): with eleven JVMs on two cores, C2's compilations alone
# take minutes of CPU after a start (measured: ≈ 30 s of CPU per JVM), which a 60 s run cannot absorb
export MPP_JVM_FLAGS="${MPP_JVM_FLAGS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=192m}"
# all load comes from one citizen at one address: lift the per-citizen quota and the per-client rate limit
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.application.daily-submissions-per-service=1000000000"
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.rate-limits.defaults.capacity=1000000000"
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.rate-limits.defaults.refill=1000000000"

./mvnw -q -B -DskipTests package
mkdir -p target
# shellcheck disable=SC2086
"${MPP_JAVA:-java}" ${MPP_LAUNCHER_FLAGS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx192m} \
  -Dlogback.configurationFile=local-stack-logback.xml -jar local-stack/target/local-stack-exec.jar \
  --fresh --dir=target/bench-agency --port-offset=$offset > target/bench-agency.log 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT
echo "Starting the local stack; JVM flags: $MPP_JVM_FLAGS"
until grep -q "is up in" target/bench-agency.log; do
  if ! kill -0 $stack 2>/dev/null; then cat target/bench-agency.log; exit 1; fi
  sleep 1
done
grep "is up in" target/bench-agency.log
token="$(MPP_ISSUER_URI=http://127.0.0.1:$((8086 + offset)) tools/token siti)"
admin="$(sed -n 's/^admin=//p' target/bench-agency/data/kafka-credentials.properties)"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
classpath="$(ls "$repo"/org/apache/kafka/kafka-clients/*/kafka-clients-*.jar | grep -v sources | tail -1)"
classpath="$classpath:$(ls "$repo"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | grep -v sources | tail -1)"
"${MPP_JAVA:-java}" --class-path "$classpath" benchmarks/AgencyLoop.java "http://127.0.0.1:$((8080 + offset))" \
  "http://127.0.0.1:$((8091 + offset))" "http://127.0.0.1:$((8085 + offset))" \
  "$token" "$rate" "$seconds" "$backlog" "127.0.0.1:$((9092 + offset))" "$admin" "${MPP_BENCH_WARMUP:-30}"
