#!/usr/bin/env bash
# The test world: a real Docker engine (containerd image store), buildx, Compose and an
# htpasswd-protected registry on 127.0.0.1:5000. Installs what is missing from Debian's
# packages, starts what is not running, and returns at once when everything is up.
#
#   scripts/test-world.sh          install (if needed) and start
#   scripts/test-world.sh status   exit 0 when engine and registry answer
#   scripts/test-world.sh stop     stop the registry and the engine started here
#
# Everything it starts listens on loopback or a unix socket only.
set -euo pipefail

STATE_DIR=${AUTOBUILD_WORLD_DIR:-/var/lib/autobuild-test-world}
REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_USER=${AUTOBUILD_REGISTRY_USER:-autobuild}
REGISTRY_PASSWORD=${AUTOBUILD_REGISTRY_PASSWORD:-autobuild-test-password}
BASE_IMAGE=localhost:5000/autobuild-test/busybox:latest

log() { printf 'test-world: %s\n' "$*" >&2; }

engine_up() { timeout 5 docker info >/dev/null 2>&1; }
registry_up() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$REGISTRY_ADDR/v2/" || true)
  [ "$code" = 401 ] || [ "$code" = 200 ]
}
plugins_ok() { docker buildx version >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }
base_ok() { docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local need=()
  command -v dockerd >/dev/null || need+=(docker.io)
  [ -x /usr/libexec/docker/cli-plugins/docker-buildx ] || need+=(docker-buildx)
  [ -x /usr/libexec/docker/cli-plugins/docker-compose ] || need+=(docker-compose)
  local base=()
  command -v docker-registry >/dev/null || base+=(docker-registry)
  [ -x /bin/busybox ] || command -v busybox >/dev/null || base+=(busybox-static)
  command -v htpasswd >/dev/null || base+=(apache2-utils)
  command -v curl >/dev/null || base+=(curl)
  [ ${#need[@]} -eq 0 ] && [ ${#base[@]} -eq 0 ] && return 0

  log "installing: ${need[*]} ${base[*]}"
  if [ ${#need[@]} -gt 0 ] && ! grep -rqs 'Suites: trixie' /etc/apt/sources.list.d/; then
    # The modern engine comes from the next Debian suite, pinned low so nothing else moves.
    # The mirror is taken from the machine's own first apt stanza.
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
      | sed -E 's/^Suites:.*/Suites: trixie/' | as_root tee /etc/apt/sources.list.d/autobuild-trixie.sources >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' \
      | as_root tee /etc/apt/preferences.d/autobuild-trixie >/dev/null
  fi
  as_root apt-get update -qq >/dev/null
  export DEBIAN_FRONTEND=noninteractive
  if [ ${#base[@]} -gt 0 ]; then
    as_root apt-get install -y -qq --no-install-recommends "${base[@]}" >/dev/null
  fi
  if [ ${#need[@]} -gt 0 ]; then
    as_root apt-get install -y -qq --no-install-recommends -t trixie \
      docker.io docker-cli docker-buildx docker-compose >/dev/null
  fi
}

start_engine() {
  engine_up && return 0
  as_root mkdir -p /etc/docker "$STATE_DIR"
  if [ ! -f /etc/docker/daemon.json ]; then
    # The containerd image store lets the default docker buildx driver export cache.
    echo '{"features":{"containerd-snapshotter":true}}' | as_root tee /etc/docker/daemon.json >/dev/null
  fi
  log "starting dockerd (log: $STATE_DIR/dockerd.log)"
  as_root bash -c "setsid nohup dockerd >'$STATE_DIR/dockerd.log' 2>&1 </dev/null &"
  for _ in $(seq 1 120); do
    engine_up && return 0
    sleep 0.5
  done
  log "dockerd did not answer within 60s; last lines of its log:"
  tail -n 20 "$STATE_DIR/dockerd.log" >&2 || true
  return 1
}

start_registry() {
  registry_up && return 0
  as_root mkdir -p "$STATE_DIR/registry"
  htpasswd -Bbn "$REGISTRY_USER" "$REGISTRY_PASSWORD" | as_root tee "$STATE_DIR/htpasswd" >/dev/null
  as_root tee "$STATE_DIR/registry.yml" >/dev/null <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
auth:
  htpasswd:
    realm: autobuild-test
    path: $STATE_DIR/htpasswd
YAML
  log "starting registry on $REGISTRY_ADDR"
  as_root bash -c "setsid nohup docker-registry serve '$STATE_DIR/registry.yml' >'$STATE_DIR/registry.log' 2>&1 </dev/null &"
  for _ in $(seq 1 60); do
    registry_up && return 0
    sleep 0.25
  done
  log "registry did not answer; last lines of its log:"
  tail -n 20 "$STATE_DIR/registry.log" >&2 || true
  return 1
}

# A tiny shell image made from Debian's static busybox, so fixtures need no Docker Hub.
make_base_image() {
  base_ok && return 0
  local dir
  dir=$(mktemp -d)
  cp "$(command -v busybox || echo /bin/busybox)" "$dir/busybox"
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
DOCKERFILE
  log "building base image $BASE_IMAGE"
  docker build -q -t "$BASE_IMAGE" "$dir" >/dev/null
  rm -rf "$dir"
  local cfg
  cfg=$(mktemp -d)
  echo "$REGISTRY_PASSWORD" | DOCKER_CONFIG=$cfg docker login -u "$REGISTRY_USER" --password-stdin localhost:5000 >/dev/null 2>&1
  DOCKER_CONFIG=$cfg docker push -q "$BASE_IMAGE" >/dev/null
  rm -rf "$cfg"
}

case "${1:-up}" in
  status)
    engine_up && registry_up && plugins_ok && base_ok
    ;;
  stop)
    as_root pkill -f 'docker-registry serve' || true
    as_root pkill -x dockerd || true
    ;;
  up)
    if engine_up && registry_up && plugins_ok && base_ok; then exit 0; fi
    install_packages
    start_engine
    start_registry
    make_base_image
    log "ready: $(docker version -f 'engine {{.Server.Version}}'), $(docker buildx version | cut -d' ' -f1-2), $(docker compose version --short 2>/dev/null | sed 's/^/compose /'), registry $REGISTRY_ADDR"
    ;;
  *)
    echo "usage: $0 [up|status|stop]" >&2
    exit 2
    ;;
esac
