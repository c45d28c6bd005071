#!/usr/bin/env bash
# The test world: a real Docker engine (containerd image store), buildx, Compose and an
# htpasswd-protected registry on 127.0.0.1:5000. Installs what is missing from Debian's
# packages, starts what is not running, and returns at once when everything is up.
#
#   scripts/test-world.sh          install (if needed) and start
#   scripts/test-world.sh status   exit 0 when engine and registry answer
#   scripts/test-world.sh classic  also start a second engine on the classic image store (what
#                                  GitHub-hosted runners have), and print its DOCKER_HOST
#   scripts/test-world.sh stop     stop the registry and the engines started here
#
# Everything it starts listens on loopback or a unix socket only.
set -euo pipefail

STATE_DIR=${AUTOBUILD_WORLD_DIR:-/var/lib/autobuild-test-world}
# The registry listens on 127.0.0.1:5000, or on the next free port when something that does not
# answer holds that one; the port in use is kept in $STATE_DIR/registry.port for the tests.
REGISTRY_PORT=$(cat "$STATE_DIR/registry.port" 2>/dev/null || echo 5000)
REGISTRY_ADDR=127.0.0.1:$REGISTRY_PORT
REGISTRY_USER=${AUTOBUILD_REGISTRY_USER:-autobuild}
REGISTRY_PASSWORD=${AUTOBUILD_REGISTRY_PASSWORD:-autobuild-test-password}
BASE_IMAGE=localhost:$REGISTRY_PORT/autobuild-test/busybox:latest

log() { printf 'test-world: %s\n' "$*" >&2; }

# The engine this script starts listens on docker's default socket.
ENGINE_HOST=unix:///var/run/docker.sock
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

# An engine that no longer answers (killed, or frozen with the session that started it) can leave
# processes that still hold the bolt locks of its data root; a new dockerd then waits on them
# ("waiting for response from boltdb open") and never answers. So: stop what is left that we can
# see, and start on a data root whose locks are free, a fresh one if the usual one is still held.
# Live (not zombie) processes of an engine: dockerd, and the containerd a dockerd started.
engine_pids() {
  ps -eo pid=,stat=,args= | awk '$2 !~ /^Z/ && ($3 == "dockerd" || $3 ~ /\/dockerd$/ ||
    ($3 == "containerd" && $4 == "--config" && $5 ~ /\/containerd\/containerd\.toml$/)) { print $1 }'
}

stop_stale_engine() {
  local pids
  pids=$(engine_pids)
  [ -n "$pids" ] || return 0
  log "stopping an engine that does not answer (pids: $(echo $pids))"
  as_root kill -9 $pids 2>/dev/null || true
  for _ in $(seq 1 40); do
    [ -z "$(engine_pids)" ] && return 0
    sleep 0.25
  done
}

# Exit 0 when no bolt database under the data root is locked by another process.
locks_free() {
  local db
  while IFS= read -r -d '' db; do
    as_root flock -n -x "$db" true 2>/dev/null || return 1
  done < <(as_root find "$1" -maxdepth 4 -name '*.db' -type f -print0 2>/dev/null)
}

# Exit 0 when the engine at DOCKER_HOST=$1 answers.
answers() { DOCKER_HOST=$1 timeout 5 docker info >/dev/null 2>&1; }

# Starts a dockerd named $1 (its log: $STATE_DIR/$1.log) on data root $2 with config file $3,
# listening on $4 (unix://...), with any further dockerd flags after; its exec root sits beside
# it under /run. Exit 0 once it answers.
launch_engine() {
  local name=$1 root=$2 config=$3 host=$4
  shift 4
  local exec_root=/run/autobuild-$(basename "$root") log=$STATE_DIR/$name.log
  as_root mkdir -p "$root" "$exec_root"
  # Whatever that pid file named was stopped before (or is a zombie not yet reaped).
  as_root rm -f "$exec_root/dockerd.pid"
  log "starting $name on $root, $host (log: $log)"
  as_root bash -c "setsid nohup dockerd --config-file '$config' --data-root '$root' --exec-root '$exec_root' \
    --pidfile '$exec_root/dockerd.pid' -H '$host' $* >'$log' 2>&1 </dev/null & echo \$! >'$STATE_DIR/$name.launch'"
  local pid
  pid=$(cat "$STATE_DIR/$name.launch")
  for _ in $(seq 1 90); do
    answers "$host" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  log "$name did not answer; last lines of its log:"
  tail -n 12 "$log" >&2 || true
  as_root kill -9 "$pid" 2>/dev/null || true
  return 1
}

start_engine() {
  as_root mkdir -p "$STATE_DIR"
  # The containerd image store lets the default docker buildx driver export cache.
  echo '{"features":{"containerd-snapshotter":true}}' | as_root tee "$STATE_DIR/daemon.json" >/dev/null
  stop_stale_engine
  local root=$STATE_DIR/engine
  if ! locks_free "$root"; then
    log "$root is still locked by an engine that no longer answers"
    root=$STATE_DIR/engine-$(date +%s)
  fi
  local old
  for old in "$STATE_DIR"/engine-*; do
    [ -d "$old" ] && [ "$old" != "$root" ] && locks_free "$old" || continue
    # dockerd bind-mounts its data root onto itself; a killed one leaves that mount behind.
    as_root umount "$old" 2>/dev/null || true
    as_root rm -rf "$old" || true
  done
  launch_engine dockerd "$root" "$STATE_DIR/daemon.json" "$ENGINE_HOST" && return 0
  stop_stale_engine
  root=$STATE_DIR/engine-$(date +%s)
  log "trying once more on a fresh data root"
  launch_engine dockerd "$root" "$STATE_DIR/daemon.json" "$ENGINE_HOST"
}

start_registry() {
  registry_up && return 0
  if pgrep -f 'docker-registry serve' >/dev/null; then
    log "stopping a registry that does not answer"
    as_root pkill -9 -f 'docker-registry serve' || true
    sleep 0.5
  fi
  # Port 5000 first; a port still held (by a process of an earlier session that does not answer
  # and cannot be stopped from here) is passed over.
  local port
  for port in $(seq 5000 5010); do
    ss -Hltn "sport = :$port" | grep -q . || break
    log "127.0.0.1:$port is held by something that does not answer; trying the next port"
  done
  REGISTRY_PORT=$port
  REGISTRY_ADDR=127.0.0.1:$port
  BASE_IMAGE=localhost:$port/autobuild-test/busybox:latest
  as_root mkdir -p "$STATE_DIR/registry"
  echo "$port" | as_root tee "$STATE_DIR/registry.port" >/dev/null
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
  log "registry did not answer on $REGISTRY_ADDR; last lines of its log:"
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
  echo "$REGISTRY_PASSWORD" | DOCKER_CONFIG=$cfg docker login -u "$REGISTRY_USER" --password-stdin "localhost:$REGISTRY_PORT" >/dev/null 2>&1
  DOCKER_CONFIG=$cfg docker push -q "$BASE_IMAGE" >/dev/null
  rm -rf "$cfg"
}

# A second engine without the containerd image store: its default builder cannot export cache
# (only inline), as on GitHub-hosted runners out of the box. Its own socket, data root, exec root
# and bridge, so it never touches the first engine's docker0; the base image is loaded into it.
CLASSIC_HOST=unix:///run/autobuild-classic.sock

start_classic() {
  if ! answers "$CLASSIC_HOST"; then
    if ! ip link show br-classic >/dev/null 2>&1; then
      as_root ip link add br-classic type bridge
      as_root ip addr add 172.31.254.1/24 dev br-classic
    fi
    as_root ip link set br-classic up
    as_root mkdir -p "$STATE_DIR"
    echo '{}' | as_root tee "$STATE_DIR/classic.json" >/dev/null
    local root=$STATE_DIR/classic
    locks_free "$root" || root=$STATE_DIR/classic-$(date +%s)
    launch_engine classic "$root" "$STATE_DIR/classic.json" "$CLASSIC_HOST" --bridge br-classic --iptables=false --ip-masq=false || return 1
  fi
  if ! DOCKER_HOST=$CLASSIC_HOST docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    docker save "$BASE_IMAGE" | DOCKER_HOST=$CLASSIC_HOST docker load -q >/dev/null
  fi
  echo "$CLASSIC_HOST"
}

world_up() {
  if engine_up && registry_up && plugins_ok && base_ok; then return 0; fi
  install_packages
  engine_up || start_engine
  start_registry
  make_base_image
  log "ready: $(docker version -f 'engine {{.Server.Version}}'), $(docker buildx version | cut -d' ' -f1-2), $(docker compose version --short 2>/dev/null | sed 's/^/compose /'), registry $REGISTRY_ADDR"
}

case "${1:-up}" in
  status)
    engine_up && registry_up && plugins_ok && base_ok
    ;;
  up)
    world_up
    ;;
  classic)
    world_up
    start_classic
    ;;
  stop)
    as_root pkill -f 'docker-registry serve' || true
    as_root pkill -x dockerd || true
    ;;
  *)
    echo "usage: $0 [up|status|classic|stop]" >&2
    exit 2
    ;;
esac
