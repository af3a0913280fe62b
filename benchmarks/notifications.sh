#!/usr/bin/env bash
# Notification benchmark (docs/benchmarks.md): starts what notifications need (registry, identity,
# gateway, notification-service, Kafka, the MongoDB-wire store and the launcher's SMTP server; ports
# +4000, fresh data under target/bench-notify), gives the demo citizens siti and budi a verified email
# address (the code read from the SMTP server's mail) and a live inbox stream through the gateway, then
# produces mpp.application.state-changed.v1 as application-service does (its own Kafka principal and
# headers) and measures:
#   1. latency at a fixed rate: event -> the citizen's live stream, and event -> the SMTP server;
#   2. throughput: a burst of events, until the inbox consumer has taken them all.
#
#   benchmarks/notifications.sh                 # 100 events/s for 60 s, then a burst of 20,000
#   benchmarks/notifications.sh 100 30 5000     # rate, seconds, burst
#   MPP_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/notifications.sh   # on Java 25
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-100}"
seconds="${2:-60}"
burst="${3:-20000}"
offset=4000
data=target/bench-notify
# the stack's lean default flags (C1 only, serial GC, 256 MiB heaps), as run-local.sh starts them
export MPP_JVM_FLAGS="${MPP_JVM_FLAGS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=192m}"
services="registry,identity,gateway,notification-service"

./mvnw -q -B -DskipTests package
mkdir -p target
# shellcheck disable=SC2086
"${MPP_JAVA:-java}" ${MPP_LAUNCHER_FLAGS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx192m} \
  -Dlogback.configurationFile=local-stack-logback.xml -jar local-stack/target/local-stack-exec.jar \
  --fresh --dir=$data --port-offset=$offset --services="$services" > target/bench-notify.log 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT
echo "Starting $services; JVM flags: $MPP_JVM_FLAGS"
until grep -q "is up in" target/bench-notify.log; do
  if ! kill -0 $stack 2>/dev/null; then cat target/bench-notify.log; exit 1; fi
  sleep 1
done
grep "is up in" target/bench-notify.log
issuer="http://127.0.0.1:$((8086 + offset))"
credentials=$data/data/kafka-credentials.properties
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
classpath="$(ls "$repo"/org/apache/kafka/kafka-clients/*/kafka-clients-*.jar | grep -v sources | tail -1)"
classpath="$classpath:$(ls "$repo"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | grep -v sources | tail -1)"
listener() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
"${MPP_JAVA:-java}" --class-path "$classpath" benchmarks/NotificationLoad.java "http://127.0.0.1:$((8080 + offset))" \
  "$(MPP_ISSUER_URI=$issuer tools/token siti)" "$(MPP_ISSUER_URI=$issuer tools/token budi)" \
  "127.0.0.1:$((9092 + offset))" "$(sed -n 's/^application-service=//p' $credentials)" "$(sed -n 's/^admin=//p' $credentials)" \
  "$data/data/mail" "$rate" "$seconds" "$burst" \
  "gateway=$(listener $((8080 + offset))),notification-service=$(listener $((8084 + offset))),store=$(listener $((27017 + offset))),kafka=$(listener $((9092 + offset)))"
