#!/usr/bin/env bash
# The main job on a fresh machine: build, test and push examples/hello to the local registry
# with the same pipeline the action runs, reading the facts from this git checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-fund --no-audit
[ -f dist/cli.js ] || npm run build
bash scripts/test-world.sh
export AUTOBUILD_PASSWORD=${AUTOBUILD_REGISTRY_PASSWORD:-autobuild-test-password}
exec node dist/cli.js \
  --image localhost:5000/examples/hello \
  --username "${AUTOBUILD_REGISTRY_USER:-autobuild}" \
  --context examples/hello \
  --build-args "BASE_IMAGE=localhost:5000/autobuild-test/busybox:latest" \
  --test-command 'hello | grep -q "hello from"' \
  "$@" .
