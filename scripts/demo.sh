#!/usr/bin/env bash
# The main job on a fresh machine: build, test and push examples/hello to the local registry
# with the same pipeline the action runs, reading the facts from this git checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-fund --no-audit
[ -f dist/cli.js ] || npm run build
bash scripts/test-world.sh
# The registry's port: 5000 unless the test world had to take another.
registry=localhost:$(cat "${AUTOBUILD_WORLD_DIR:-/var/lib/autobuild-test-world}/registry.port" 2>/dev/null || echo 5000)
export AUTOBUILD_PASSWORD=${AUTOBUILD_REGISTRY_PASSWORD:-autobuild-test-password}
exec node dist/cli.js \
  --image "$registry/examples/hello" \
  --username "${AUTOBUILD_REGISTRY_USER:-autobuild}" \
  --context examples/hello \
  --build-args "BASE_IMAGE=$registry/autobuild-test/busybox:latest" \
  --test-command 'hello | grep -q "hello from"' \
  "$@" .
