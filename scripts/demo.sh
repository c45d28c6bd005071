#!/usr/bin/env bash
# The main job on a fresh machine: build, test and push an example to the local registry with the
# same pipeline the action runs, reading the facts from this git checkout.
#
#   npm run demo [-- ARGS]           examples/hello (a test-command)
#   npm run demo -- ml-app [ARGS]    examples/ml-app (a Python app with a venv: its compose autotest)
#
# ARGS go to the CLI (dist/cli.js), e.g. --push false.
set -euo pipefail
cd "$(dirname "$0")/.."
example=hello
case "${1:-}" in hello | ml-app) example=$1 && shift ;; esac
[ -d node_modules ] || npm ci --no-fund --no-audit
[ -f dist/cli.js ] || npm run build
bash scripts/test-world.sh
# The registry's port: 5000 unless the test world had to take another.
registry=localhost:$(cat "${AUTOBUILD_WORLD_DIR:-/var/lib/autobuild-test-world}/registry.port" 2>/dev/null || echo 5000)
export AUTOBUILD_PASSWORD=${AUTOBUILD_REGISTRY_PASSWORD:-autobuild-test-password}
case "$example" in
  hello) set -- --build-args "BASE_IMAGE=$registry/autobuild-test/busybox:latest" --test-command 'hello | grep -q "hello from"' "$@" ;;
  # Its autotest is examples/ml-app/docker-compose.test.yml, found next to the Dockerfile.
  ml-app) set -- --build-args "BASE_IMAGE=$registry/autobuild-test/python:3" "$@" ;;
esac
exec node dist/cli.js \
  --image "$registry/examples/$example" \
  --username "${AUTOBUILD_REGISTRY_USER:-autobuild}" \
  --context "examples/$example" \
  "$@" .
