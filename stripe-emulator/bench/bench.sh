#!/usr/bin/env bash
# Measures the emulator's throughput on simple API requests (90% GET /v1/customers/{id}, 10% POST
# /v1/payment_intents). Fails below 2,000 requests/s.
#   stripe-emulator/bench/bench.sh                        # starts an emulator in the benchmark's JVM
#   stripe-emulator/bench/bench.sh --url http://localhost:12111 --seconds 20 --threads 32
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=$(ls stripe-emulator/target/stripe-emulator-*.jar 2>/dev/null | grep -v original | head -n1 || true)
if [ -z "$jar" ]; then
  ./mvnw -q -B -pl stripe-emulator package -DskipTests
  jar=$(ls stripe-emulator/target/stripe-emulator-*.jar | grep -v original | head -n1)
fi
exec java -cp "$jar" org.bookstore.emulator.Bench --min-rps 2000 "$@"
