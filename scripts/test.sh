#!/usr/bin/env bash
# Runs every test: unit tests (Surefire) and integration tests against real PostgreSQL and
# MariaDB (*IT, Failsafe). Without reachable servers the integration tests are skipped with a
# message; with CI=true they fail instead. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-B -ntp verify)
if [ "${CI:-}" = "true" ]; then
  args+=(-Dferry.it.required=true)
fi
exec mvn "${args[@]}" "$@"
