#!/usr/bin/env bash
# Gateway overhead benchmark: starts the services on the measured path (ports +4000, fresh data
# under target/bench-stack), runs the Gatling simulation against the same endpoint directly and
# through the gateway, prints the comparison table and stops the stack.
#
#   benchmarks/run.sh                       # measured JVMs with the full JIT (C2) and serial GC
#   MPP_JVM_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m" benchmarks/run.sh   # lean
#   benchmarks/run.sh -Dfixed.rate=2000     # any simulation property (see benchmarks/pom.xml)
#   MPP_BENCH_PIN=1 benchmarks/run.sh       # stack on all cores but the last, Gatling on the last
#   MPP_BENCH_SERVICES=registry,gateway,service-catalog,queue-service benchmarks/run.sh
#   benchmarks/run.sh -Dpath=/standards/akta-kelahiran -Dfixed.rate=500      # catalog: service detail
#   benchmarks/run.sh "-Dpath=/mpps/kota-probolinggo/services?q=akta" -Dfixed.rate=500   # catalog: search
#   MPP_BENCH_REFERENCE=nginx benchmarks/run.sh   # also through nginx (keep-alive reverse proxy,
#                                                 # one worker per core) as a reference proxy
set -euo pipefail
cd "$(dirname "$0")/.."
offset=4000
export MPP_JVM_FLAGS="${MPP_JVM_FLAGS:--XX:+UseSerialGC -Xms128m -Xmx256m -Xss512k}"
# all load comes from one address: lift the gateway's per-client rate limit on the measured route
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.rate-limits.routes.service-catalog.capacity=1000000000"
MPP_JVM_FLAGS="$MPP_JVM_FLAGS -Dmpp.gateway.rate-limits.routes.service-catalog.refill=1000000000"
# Only what the measured path needs: idle services and their heartbeats would share the CPU.
services="${MPP_BENCH_SERVICES:-registry,gateway,service-catalog}"
# MPP_BENCH_PIN=1 gives the load generator a core of its own (it then takes no CPU from the system
# under test, but on 2 cores the stack is left one core: see docs/benchmarks.md, run 6).
pin_stack=""
pin_load=""
cores=$(nproc)
if [[ "${MPP_BENCH_PIN:-0}" == 1 && $cores -ge 2 ]] && command -v taskset >/dev/null; then
  pin_stack="taskset -c 0-$((cores - 2))"
  pin_load="taskset -c $((cores - 1))"
fi

./mvnw -q -B -DskipTests package
mkdir -p target
$pin_stack "${MPP_JAVA:-java}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx192m \
  -Dlogback.configurationFile=local-stack-logback.xml -jar local-stack/target/local-stack-exec.jar \
  --fresh --dir=target/bench-stack --port-offset=$offset --services="$services" \
  > target/bench-stack.log 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT

echo "Starting $services; JVM flags: $MPP_JVM_FLAGS; stack: ${pin_stack:-all cores}; load: ${pin_load:-all cores}"
until grep -q "is up in" target/bench-stack.log; do
  if ! kill -0 $stack 2>/dev/null; then cat target/bench-stack.log; exit 1; fi
  sleep 1
done
grep "is up in" target/bench-stack.log

reference_url=""
if [[ "${MPP_BENCH_REFERENCE:-}" == nginx ]]; then
  conf="$PWD/target/bench-nginx"
  mkdir -p "$conf"
  cat > "$conf/nginx.conf" <<NGINX
worker_processes auto;
pid $conf/nginx.pid;
error_log $conf/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream catalog { server 127.0.0.1:$((8081 + offset)); keepalive 64; }
  server {
    listen 127.0.0.1:$((8090 + offset));
    location /api/catalog/ {
      proxy_pass http://catalog/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Prefix /api/catalog;
    }
  }
}
NGINX
  $pin_stack nginx -p "$conf" -c "$conf/nginx.conf"
  trap 'nginx -p "$conf" -c "$conf/nginx.conf" -s quit 2>/dev/null; kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT
  reference_url=http://127.0.0.1:$((8090 + offset))/api/catalog
  echo "Reference proxy: nginx at $reference_url"
fi

$pin_load ./mvnw -q -B -f benchmarks/pom.xml gatling:test \
  -Ddirect.url=http://127.0.0.1:$((8081 + offset)) \
  -Dgateway.url=http://127.0.0.1:$((8080 + offset))/api/catalog \
  -Dreference.url="$reference_url" "$@"

capacity=30
rate=1000
for arg in "$@"; do
  case "$arg" in
    -Dcapacity.seconds=*) capacity="${arg#*=}" ;;
    -Dfixed.rate=*) rate="${arg#*=}" ;;
  esac
done
java benchmarks/Report.java "$(ls -td benchmarks/target/gatling/*/ | head -1)" "$capacity" "$rate"
