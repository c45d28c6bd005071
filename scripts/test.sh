#!/usr/bin/env bash
# All tests: unit and end-to-end, against real engines and a registry that this script installs
# and starts when they are missing. Ends with one line: "Tests: N passed, N failed".
#
#   npm test                      everything on the current engine (Docker 28.5, buildx 0.29), then
#                                 every engine-sensitive e2e file on the oldest supported one
#                                 (Docker 26.1, buildx 0.13)
#   npm test -- ARGS              vitest ARGS (files, -t NAME, --project) on both generations
#   ENGINES=oldest npm test -- …  only on the generations named (current, oldest)
#   AUTOBUILD_TESTS_SERIAL=1      the two generations one after the other (default: side by side)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
npm run --silent build
npm run --silent typecheck
node scripts/docs.mjs --check
bash scripts/test-world.sh

# The e2e files whose outcome depends on the engine, buildx or compose: build, cache, registry
# faults, push, the classic image store, compose autotests and hooks, the engine API, clean-up.
ENGINE_SENSITIVE=(
  test/e2e/pipeline.test.ts test/e2e/cache.test.ts test/e2e/faults.test.ts test/e2e/registries.test.ts
  test/e2e/tags.test.ts test/e2e/classic-engine.test.ts test/e2e/dockerhub.test.ts
  test/e2e/engine-api.test.ts test/e2e/concurrency.test.ts test/e2e/post.test.ts test/e2e/checks.test.ts
  test/e2e/workflow-commands.test.ts test/e2e/platforms.test.ts test/e2e/test-options.test.ts test/e2e/rerun.test.ts test/e2e/compression.test.ts
  test/e2e/distribute.test.ts test/e2e/sizes.test.ts test/e2e/rebuild.test.ts
)

reports=()
status=0
started=$(date +%s)

# One generation's tests; its vitest report goes to $2.
run_generation() {
  local gen=$1 report=$2
  shift 2
  case "$gen" in
    current)
      npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
      ;;
    oldest)
      # The oldest engine on its own socket, with its own docker CLI and plugins.
      (
        while IFS= read -r line; do export "${line?}"; done < <(bash scripts/test-world.sh oldest)
        if [ $# -gt 0 ]; then set -- "$@"; else set -- --project e2e "${ENGINE_SENSITIVE[@]}"; fi
        echo "== on the oldest engine: $(docker version -f '{{.Server.Version}}'), buildx $(docker buildx version | cut -d' ' -f2)"
        npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
      )
      ;;
    *)
      echo "ENGINES: unknown generation '$gen' (current, oldest)" >&2
      return 2
      ;;
  esac
}

gens=(${ENGINES:-current oldest})
for gen in "${gens[@]}"; do
  case "$gen" in current | oldest) ;; *) echo "ENGINES: unknown generation '$gen' (current, oldest)" >&2; exit 2 ;; esac
done
if [ "${#gens[@]}" -eq 2 ] && [ -z "${AUTOBUILD_TESTS_SERIAL:-}" ]; then
  # The two generations have engines of their own (sockets, data roots, classic-store engines) and
  # share only the registry, where every test writes repositories of its own: they run side by
  # side, the oldest's output shown after the current one's. AUTOBUILD_TESTS_SERIAL=1 runs them in turn.
  # The oldest engine is started first, so that neither run starts world services while the other runs.
  bash scripts/test-world.sh oldest > /dev/null
  current_report=$(mktemp) oldest_report=$(mktemp) oldest_log=$(mktemp)
  reports+=("current=$current_report" "oldest=$oldest_report")
  run_generation oldest "$oldest_report" "$@" > "$oldest_log" 2>&1 &
  oldest_pid=$!
  run_generation current "$current_report" "$@" || status=$?
  wait "$oldest_pid" || status=$?
  cat "$oldest_log"
else
  for gen in "${gens[@]}"; do
    report=$(mktemp)
    reports+=("$gen=$report")
    run_generation "$gen" "$report" "$@" || status=$?
  done
fi
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const arg of process.argv.slice(2)) {
    const [gen, file] = arg.split("=");
    let r;
    try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch { console.log(`${gen} engine: no report`); failed++; continue; }
    const s = r.numPendingTests + r.numTodoTests;
    console.log(`${gen} engine: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (s ? `, ${s} skipped` : ""));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += s;
  }
  console.log(`Whole run: ${process.argv[1]} s`);
  console.log(`Tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$(( $(date +%s) - started ))" "${reports[@]}" || true
for r in "${reports[@]}"; do rm -f "${r#*=}"; done
exit $status
