#!/usr/bin/env bash
# Queue benchmark (docs/benchmarks.md): starts what the queues need (registry, identity, gateway,
# service-catalog, queue-service, Kafka and the MongoDB-wire store; ports +4000, fresh data under
# target/bench-queue), then through the gateway:
#   1. issuance: N walk-in tickets by C kiosks at once over five queues of every MPP, then N/4 of one
#      queue; tickets/s, every number counted, and the CPU each process spent;
#   2. call-next at one counter over a line of about 200, and each call's arrival on a connected board;
#   3. S boards connected to one queue-service instance: the memory they cost, and one call's fan-out;
# prints the results and stops the stack.
#
#   benchmarks/queue.sh                    # 20,000 tickets by 500 kiosks, 300 calls, 1,000 boards
#   benchmarks/queue.sh 5000 100 100 200   # tickets, kiosks, calls, boards
#   MPP_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/queue.sh   # the services on Java 25
set -euo pipefail
cd "$(dirname "$0")/.."
tickets="${1:-20000}"
clients="${2:-500}"
calls="${3:-300}"
streams="${4:-1000}"
offset=4000
# the stack's lean default flags (C1 only, serial GC, 256 MiB heaps), as run-local.sh starts them
export MPP_JVM_FLAGS="${MPP_JVM_FLAGS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=192m}"
# all kiosks share one address: lift the gateway's per-client rate limit; and let the bulkhead admit
# the 500 kiosks' requests at once (default 256 in flight per route, the rest refused with 503)
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.rate-limits.defaults.capacity=1000000000"
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.rate-limits.defaults.refill=1000000000"
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.max-concurrent-calls-per-route=${MPP_BENCH_BULKHEAD:-1000}"
services="registry,identity,gateway,service-catalog,queue-service"

./mvnw -q -B -DskipTests package
mkdir -p target
# shellcheck disable=SC2086
"${MPP_JAVA:-java}" ${MPP_LAUNCHER_FLAGS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx192m} \
  -Dlogback.configurationFile=local-stack-logback.xml -jar local-stack/target/local-stack-exec.jar \
  --fresh --dir=target/bench-queue --port-offset=$offset --services="$services" > target/bench-queue.log 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT
echo "Starting $services; JVM flags: $MPP_JVM_FLAGS"
until grep -q "is up in" target/bench-queue.log; do
  if ! kill -0 $stack 2>/dev/null; then cat target/bench-queue.log; exit 1; fi
  sleep 1
done
grep "is up in" target/bench-queue.log
issuer="http://127.0.0.1:$((8086 + offset))"
token() { MPP_ISSUER_URI=$issuer tools/token "$1"; }
listener() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
queue_pid="$(listener $((8083 + offset)))"
gateway_pid="$(listener $((8080 + offset)))"
echo "queue-service pid $queue_pid, gateway pid $gateway_pid"
"${MPP_JAVA:-java}" benchmarks/QueueLoad.java "http://127.0.0.1:$((8080 + offset))" \
  "$(token platform.admin)" "$(token officer.polri.surabaya)" \
  "$tickets" "$clients" "$calls" "$streams" "$queue_pid" "$gateway_pid" \
  "gateway=$gateway_pid,queue-service=$queue_pid,service-catalog=$(listener $((8081 + offset))),store=$(listener $((27017 + offset))),kafka=$(listener $((9092 + offset)))" \
  "http://127.0.0.1:$((8083 + offset))"
