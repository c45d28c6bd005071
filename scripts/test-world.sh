#!/usr/bin/env bash
# The test world: real Docker engines of two generations, buildx, Compose and an
# htpasswd-protected registry on 127.0.0.1:5000. Installs what is missing from Debian's
# packages, starts what is not running, and returns at once when everything is up.
# QEMU (Debian's qemu-user-static, registered with binfmt_misc) runs the other platform of the
# base image (linux/amd64 and linux/arm64) on this machine, in every engine.
# A Python base (localhost:5000/autobuild-test/python:3: python3 and python3-venv from the
# machine's own Debian release, by debootstrap --variant=minbase, made once and kept as a tarball
# in the world's folder) is there for examples in the shape of real Python apps.
#
#   current  Docker 28.5 + buildx 0.29 + compose 2.40 (Debian testing), the system's packages, on
#            docker's default socket: what runners carry today. The default world.
#   oldest   Docker 26.1 + buildx 0.13 + compose 2.26 (Debian trixie), the oldest supported
#            generation: unpacked into the world's folder and started on its own socket, data root
#            and bridge, with its own docker CLI and plugins.
#
#   scripts/test-world.sh               install (if needed) and start the current world
#   scripts/test-world.sh oldest        also start the oldest engine, and print its environment
#                                       (KEY=VALUE lines: DOCKER_HOST, PATH, DOCKER_CONFIG)
#   scripts/test-world.sh env oldest    print that environment only (start nothing)
#   scripts/test-world.sh status        exit 0 when engine and registry answer, and the base images
#                                       (busybox, python) and QEMU are in place
#   scripts/test-world.sh classic       also start a second engine on the classic image store (what
#                                       GitHub-hosted runners have), and print its DOCKER_HOST; of
#                                       the generation the caller's environment names
#                                       (AUTOBUILD_ENGINE=current|oldest, set by `env oldest`)
#   scripts/test-world.sh remote        also start an engine on "another host": a dockerd of the
#                                       current generation in a network namespace of its own
#                                       (autobuild-remote), reached over a veth pair at
#                                       tcp://10.213.0.2:2375, which sees the registry at
#                                       10.213.0.1; print its environment (DOCKER_HOST,
#                                       AUTOBUILD_REMOTE_REGISTRY, AUTOBUILD_REMOTE_BASE_IMAGE)
#   scripts/test-world.sh env remote    print that environment only (start nothing)
#   scripts/test-world.sh remote-down   stop the remote engine and remove its namespace, veth pair
#                                       and data root
#   scripts/test-world.sh stop          stop the registry and the engines started here
#
# Everything it starts listens on loopback or a unix socket only, but for the remote engine and
# its registry listener: on the two ends of a veth pair that only this machine reaches.
set -euo pipefail

# The generation the caller runs on (see `env oldest`); the script's own docker calls are for the
# current world unless they say otherwise, whatever the caller's DOCKER_HOST, DOCKER_CONFIG and PATH.
CALLER_GEN=${AUTOBUILD_ENGINE:-current}
unset DOCKER_HOST DOCKER_CONFIG DOCKER_CONTEXT

STATE_DIR=${AUTOBUILD_WORLD_DIR:-/var/lib/autobuild-test-world}
# The registry listens on 127.0.0.1:5000, or on the next free port when something that does not
# answer holds that one; the port in use is kept in $STATE_DIR/registry.port for the tests.
REGISTRY_PORT=$(cat "$STATE_DIR/registry.port" 2>/dev/null || echo 5000)
REGISTRY_ADDR=127.0.0.1:$REGISTRY_PORT
REGISTRY_USER=${AUTOBUILD_REGISTRY_USER:-autobuild}
REGISTRY_PASSWORD=${AUTOBUILD_REGISTRY_PASSWORD:-autobuild-test-password}
BASE_REPO=autobuild-test/busybox
BASE_IMAGE=localhost:$REGISTRY_PORT/$BASE_REPO:latest

# The base image is built for the machine's own architecture and for one that runs under QEMU;
# QEMU_FMT is the binfmt_misc handler that runs the latter.
NATIVE_ARCH=$(dpkg --print-architecture)
case "$NATIVE_ARCH" in
  arm64) FOREIGN_ARCH=amd64 QEMU_FMT=qemu-x86_64 ;;
  *) FOREIGN_ARCH=arm64 QEMU_FMT=qemu-aarch64 ;;
esac
BASE_PLATFORMS=linux/amd64,linux/arm64

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

# Exit 0 when the registry's manifest of the base image is an index with both architectures.
base_index_ok() {
  local m a
  m=$(curl -sf --max-time 5 -u "$REGISTRY_USER:$REGISTRY_PASSWORD" \
    -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$REGISTRY_ADDR/v2/$BASE_REPO/manifests/latest") || return 1
  grep -Eq '"mediaType": *"application/vnd\.(oci\.image\.index\.v1|docker\.distribution\.manifest\.list\.v2)\+json"' <<<"$m" || return 1
  for a in "$NATIVE_ARCH" "$FOREIGN_ARCH"; do
    grep -Eq "\"architecture\": *\"$a\"" <<<"$m" || return 1
  done
}

# The kernel runs the foreign architecture's binaries with QEMU: the handler is enabled and has
# the F flag (the interpreter is opened once, when registered, so it works inside containers).
BINFMT_DIR=/proc/sys/fs/binfmt_misc
binfmt_ok() {
  grep -qsx enabled "$BINFMT_DIR/$QEMU_FMT" && grep -qs '^flags:.*F' "$BINFMT_DIR/$QEMU_FMT"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The suite a generation comes from, added to apt pinned low (priority 100), so that only the
# packages asked for by release come from it. The mirror is taken from the machine's own first
# apt stanza.
add_suite() {
  local suite=$1
  grep -rqs "Suites: $suite\$" /etc/apt/sources.list.d/ && return 1
  awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
    | sed -E "s/^Suites:.*/Suites: $suite/" | as_root tee "/etc/apt/sources.list.d/autobuild-$suite.sources" >/dev/null
  printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n' "$suite" \
    | as_root tee "/etc/apt/preferences.d/autobuild-$suite" >/dev/null
}

APT_UPDATED=
apt_update() {
  [ -n "$APT_UPDATED" ] && return 0
  as_root apt-get update -qq >/dev/null
  APT_UPDATED=1
}

# The current generation's suite, and the lowest engine version that counts as current.
CURRENT_SUITE=forky
CURRENT_MIN=28.5
# The oldest supported generation's suite.
OLDEST_SUITE=trixie

installed_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || true; }

install_packages() {
  local need=() have
  have=$(installed_version docker.io)
  if [ -z "$have" ] || dpkg --compare-versions "$have" lt "$CURRENT_MIN"; then need+=(docker.io docker-cli); fi
  have=$(installed_version docker-buildx)
  if [ -z "$have" ] || dpkg --compare-versions "$have" lt 0.29; then need+=(docker-buildx); fi
  have=$(installed_version docker-compose)
  if [ -z "$have" ] || dpkg --compare-versions "$have" lt 2.40; then need+=(docker-compose); fi
  local base=()
  command -v docker-registry >/dev/null || base+=(docker-registry)
  [ -x /bin/busybox ] || command -v busybox >/dev/null || base+=(busybox-static)
  command -v htpasswd >/dev/null || base+=(apache2-utils)
  command -v curl >/dev/null || base+=(curl)
  [ -e "/usr/share/binfmts/$QEMU_FMT" ] || base+=(qemu-user-static)
  command -v update-binfmts >/dev/null || base+=(binfmt-support)
  [ ${#need[@]} -eq 0 ] && [ ${#base[@]} -eq 0 ] && return 0

  log "installing: ${need[*]} ${base[*]}"
  [ ${#need[@]} -gt 0 ] && add_suite "$CURRENT_SUITE" || true
  apt_update
  export DEBIAN_FRONTEND=noninteractive
  if [ ${#base[@]} -gt 0 ]; then
    as_root apt-get install -y -qq --no-install-recommends "${base[@]}" >/dev/null
  fi
  if [ ${#need[@]} -gt 0 ]; then
    # By release, so that only these come from the newer suite and their dependencies resolve
    # as usual.
    local pkgs=() p
    for p in "${need[@]}"; do pkgs+=("$p/$CURRENT_SUITE"); done
    as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
}

# Registers QEMU_FMT with the kernel: qemu-user-static's install registers its handlers only when
# binfmt_misc is mounted (and not in what it takes for a container), and a registration lasts
# only until a reboot or an unmount of binfmt_misc.
ensure_binfmt() {
  binfmt_ok && return 0
  [ -e "$BINFMT_DIR/register" ] || as_root mount -t binfmt_misc binfmt_misc "$BINFMT_DIR"
  # A handler of that name that is disabled or lacks the F flag is replaced.
  if [ -e "$BINFMT_DIR/$QEMU_FMT" ]; then echo -1 | as_root tee "$BINFMT_DIR/$QEMU_FMT" >/dev/null; fi
  log "registering $QEMU_FMT with binfmt_misc"
  update-binfmts --display "$QEMU_FMT" >/dev/null 2>&1 || as_root update-binfmts --import "$QEMU_FMT"
  as_root update-binfmts --enable "$QEMU_FMT" >/dev/null 2>&1 || true
  binfmt_ok && return 0
  log "$QEMU_FMT is not registered with binfmt_misc:"
  cat "$BINFMT_DIR/$QEMU_FMT" >&2 2>/dev/null || true
  return 1
}

# The oldest generation, unpacked (only one docker.io package can be installed at a time): its
# dockerd, docker-proxy and docker CLI under $OLDEST_ROOT, its buildx and compose plugins in a
# docker config folder of its own.
OLDEST_DIR=$STATE_DIR/gen-oldest
OLDEST_ROOT=$OLDEST_DIR/pkg
OLDEST_CONFIG=$OLDEST_DIR/config
OLDEST_PATH=$OLDEST_ROOT/usr/sbin:$OLDEST_ROOT/usr/bin
OLDEST_HOST=unix:///run/autobuild-oldest.sock
# A caller on the oldest generation has its folders first on PATH: not for this script.
PATH=${PATH//"$OLDEST_PATH:"/}

oldest_installed() {
  [ -x "$OLDEST_ROOT/usr/sbin/dockerd" ] && [ -x "$OLDEST_ROOT/usr/bin/docker" ] \
    && [ -x "$OLDEST_CONFIG/cli-plugins/docker-buildx" ] && [ -x "$OLDEST_CONFIG/cli-plugins/docker-compose" ]
}

install_oldest() {
  oldest_installed && return 0
  log "unpacking the oldest generation ($OLDEST_SUITE: docker.io, docker-cli, docker-buildx, docker-compose) into $OLDEST_ROOT"
  add_suite "$OLDEST_SUITE" || true
  apt_update
  local dl
  dl=$(mktemp -d)
  chmod 755 "$dl"
  (cd "$dl" && as_root apt-get download -qq "docker.io/$OLDEST_SUITE" "docker-cli/$OLDEST_SUITE" \
    "docker-buildx/$OLDEST_SUITE" "docker-compose/$OLDEST_SUITE" >/dev/null 2>&1)
  as_root rm -rf "$OLDEST_ROOT"
  as_root mkdir -p "$OLDEST_ROOT" "$OLDEST_CONFIG/cli-plugins"
  local deb
  for deb in "$dl"/*.deb; do as_root dpkg-deb -x "$deb" "$OLDEST_ROOT"; done
  rm -rf "$dl"
  local plugin
  for plugin in docker-buildx docker-compose; do
    as_root ln -sfn "$OLDEST_ROOT/usr/libexec/docker/cli-plugins/$plugin" "$OLDEST_CONFIG/cli-plugins/$plugin"
  done
  echo '{"auths":{}}' | as_root tee "$OLDEST_CONFIG/config.json" >/dev/null
  oldest_installed
}

# The environment that points the docker CLI (and everything started with it) at a generation.
gen_env() {
  case "$1" in
    current) printf 'AUTOBUILD_ENGINE=current\n' ;;
    oldest)
      printf 'AUTOBUILD_ENGINE=oldest\nDOCKER_HOST=%s\nDOCKER_CONFIG=%s\nPATH=%s\n' "$OLDEST_HOST" "$OLDEST_CONFIG" "$OLDEST_PATH:$PATH"
      ;;
    *) echo "unknown engine generation '$1': current or oldest" >&2; return 2 ;;
  esac
}

# Runs a command with the docker CLI of generation $1.
with_gen() {
  local gen=$1
  shift
  if [ "$gen" = oldest ]; then
    env DOCKER_CONFIG="$OLDEST_CONFIG" PATH="$OLDEST_PATH:$PATH" "$@"
  else
    env -u DOCKER_CONFIG "$@"
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
# listening on $4 (unix://... or tcp://...), with any further dockerd flags after; its exec root
# sits beside it under /run. LAUNCH_PATH, when set, comes first on its PATH (the oldest
# generation's dockerd and docker-proxy); LAUNCH_NETNS, when set, names the network namespace it
# runs in (only the network: it shares the machine's mounts). Exit 0 once it answers.
launch_engine() {
  local name=$1 root=$2 config=$3 host=$4
  shift 4
  local exec_root=/run/autobuild-$(basename "$root") log=$STATE_DIR/$name.log
  as_root mkdir -p "$root" "$exec_root"
  # Whatever that pid file named was stopped before (or is a zombie not yet reaped).
  as_root rm -f "$exec_root/dockerd.pid"
  log "starting $name on $root, $host (log: $log)"
  as_root env PATH="${LAUNCH_PATH:+$LAUNCH_PATH:}$PATH" bash -c "setsid nohup ${LAUNCH_NETNS:+nsenter --net=/run/netns/$LAUNCH_NETNS }dockerd --config-file '$config' --data-root '$root' --exec-root '$exec_root' \
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

# Debian's static busybox for architecture $1 (not the machine's own), unpacked once and kept
# under $STATE_DIR/busybox; prints its path.
foreign_busybox() {
  local arch=$1 out=$STATE_DIR/busybox/$1/busybox
  if [ ! -x "$out" ]; then
    log "fetching busybox-static:$arch"
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
      as_root dpkg --add-architecture "$arch"
      APT_UPDATED=
    fi
    apt_update
    local dl
    dl=$(mktemp -d)
    chmod 755 "$dl"
    (cd "$dl" && as_root apt-get download -qq "busybox-static:$arch" >/dev/null 2>&1)
    as_root dpkg-deb -x "$dl"/busybox-static_*.deb "$dl/x"
    local bin
    for bin in "$dl/x/bin/busybox" "$dl/x/usr/bin/busybox"; do
      [ -x "$bin" ] && as_root install -D -m 755 "$bin" "$out" && break
    done
    as_root rm -rf "$dl"
  fi
  [ -x "$out" ] && echo "$out"
}

# Exit 0 when the engine (DOCKER_HOST, or docker's default socket) keeps images in containerd's
# image store, whose default builder can build and push several platforms at once.
containerd_store() { docker info -f '{{json .DriverStatus}}' 2>/dev/null | grep -q 'io.containerd.snapshotter'; }

# A tiny shell image made from Debian's static busybox, so fixtures need no Docker Hub: an index
# of linux/amd64 and linux/arm64, in the registry and (the machine's own platform) in the engine.
make_base_image() {
  base_ok && base_index_ok && return 0
  local dir
  dir=$(mktemp -d)
  mkdir "$dir/$NATIVE_ARCH" "$dir/$FOREIGN_ARCH"
  cp "$(command -v busybox || echo /bin/busybox)" "$dir/$NATIVE_ARCH/busybox"
  cp "$(foreign_busybox "$FOREIGN_ARCH")" "$dir/$FOREIGN_ARCH/busybox"
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
ARG TARGETARCH
COPY $TARGETARCH/busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
DOCKERFILE
  log "building base image $BASE_IMAGE ($BASE_PLATFORMS)"
  local cfg
  cfg=$(mktemp -d)
  echo "$REGISTRY_PASSWORD" | DOCKER_CONFIG=$cfg docker login -u "$REGISTRY_USER" --password-stdin "localhost:$REGISTRY_PORT" >/dev/null 2>&1
  if containerd_store; then
    DOCKER_CONFIG=$cfg docker buildx build -q --builder default --platform "$BASE_PLATFORMS" -t "$BASE_IMAGE" --push "$dir" >/dev/null
  else
    # The classic image store's builder builds one platform at a time: each is pushed under a tag
    # of its own, and the index made of them in the registry.
    local p parts=()
    for p in ${BASE_PLATFORMS//,/ }; do
      DOCKER_CONFIG=$cfg docker buildx build -q --builder default --platform "$p" -t "$BASE_IMAGE-${p#linux/}" --push "$dir" >/dev/null
      parts+=("$BASE_IMAGE-${p#linux/}")
    done
    DOCKER_CONFIG=$cfg docker buildx imagetools create -t "$BASE_IMAGE" "${parts[@]}" >/dev/null 2>&1
    docker image rm "${parts[@]}" >/dev/null 2>&1 || true
  fi
  # The engine keeps the machine's own platform, as the tests' `docker run`s expect.
  base_ok || DOCKER_CONFIG=$cfg docker pull -q --platform "linux/$NATIVE_ARCH" "$BASE_IMAGE" >/dev/null
  rm -rf "$dir" "$cfg"
  base_ok && base_index_ok
}

# A Python base, so that examples in the shape of real Python apps build offline: Debian's python3
# and python3-venv (with the pip and setuptools wheels that `python3 -m venv` installs from) in a
# minbase root made by debootstrap, from the machine's own release and apt mirror, imported as an
# image of the machine's own platform and pushed to the registry. The root is made once: its
# tarball is kept under $PYTHON_DIR, so a new registry or engine gets the image again in seconds.
PYTHON_REPO=autobuild-test/python
PYTHON_TAG=3
PYTHON_DIR=$STATE_DIR/python
python_image() { echo "localhost:$REGISTRY_PORT/$PYTHON_REPO:$PYTHON_TAG"; }
python_registry_ok() {
  curl -sf -o /dev/null --max-time 5 -u "$REGISTRY_USER:$REGISTRY_PASSWORD" \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/$PYTHON_REPO/manifests/$PYTHON_TAG"
}
python_ok() { python_registry_ok && docker image inspect "$(python_image)" >/dev/null 2>&1; }

# The machine's Debian release (its codename), and the mirror its apt sources name for it: the
# URIs of the first deb822 stanza (or sources.list line) of that suite, else of the first one.
debian_suite() { (. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}"); }
debian_mirror() {
  local suite=$1 files=() uri
  shopt -s nullglob
  files=(/etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  if [ ${#files[@]} -gt 0 ]; then
    uri=$(awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" }
      { u = ""; ok = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u); sub(/[ \t].*/, "", u) }
          if ($i ~ /^Suites:/) { n = split($i, w, /[ \t]+/); for (j = 2; j <= n; j++) if (w[j] == s) ok = 1 }
          if ($i ~ /^Types:/ && $i !~ /(^|[ \t])deb([ \t]|$)/) u = ""
        }
        if (u != "" && first == "") first = u
        if (u != "" && ok) { print u; found = 1; exit }
      }
      END { if (!found && first != "") print first }' "${files[@]}")
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk -v s="$suite" '$1 == "deb" { u = ($2 ~ /^\[/) ? $3 : $2; x = ($2 ~ /^\[/) ? $4 : $3
      if (first == "") first = u; if (x == s) { print u; found = 1; exit } }
      END { if (!found && first != "") print first }' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { log "no apt mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"; return 1; }
  echo "$uri"
}

# The root's tarball, made once (debootstrap takes a minute or more): $PYTHON_DIR/<suite>-<arch>.tar.
python_rootfs() {
  local suite tar root mirror started
  suite=$(debian_suite)
  tar=$PYTHON_DIR/$suite-$NATIVE_ARCH.tar
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || {
      log "installing: debootstrap"
      apt_update
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    }
    mirror=$(debian_mirror "$suite")
    root=$PYTHON_DIR/root
    as_root rm -rf "$root"
    as_root mkdir -p "$root"
    log "debootstrap --variant=minbase $suite (python3, python3-venv) from $mirror into $root"
    started=$(date +%s)
    if ! as_root debootstrap --variant=minbase --include=python3,python3-venv "$suite" "$root" "$mirror" >"$PYTHON_DIR/debootstrap.log" 2>&1; then
      log "debootstrap failed; last lines of $PYTHON_DIR/debootstrap.log:"
      tail -n 20 "$PYTHON_DIR/debootstrap.log" >&2 || true
      as_root rm -rf "$root"
      return 1
    fi
    # What a container never reads: apt's lists and caches, documentation, manuals, translations.
    as_root rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
      "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
      "$root"/var/log/* "$root"/debootstrap
    as_root tar --numeric-owner -C "$root" -cf "$tar.partial" .
    as_root mv "$tar.partial" "$tar"
    as_root rm -rf "$root"
    log "python root made in $(( $(date +%s) - started )) s: $tar ($(du -h "$tar" | cut -f1))"
  fi
  echo "$tar"
}

make_python_base() {
  python_ok && return 0
  local image cfg
  image=$(python_image)
  cfg=$(mktemp -d)
  echo "$REGISTRY_PASSWORD" | DOCKER_CONFIG=$cfg docker login -u "$REGISTRY_USER" --password-stdin "localhost:$REGISTRY_PORT" >/dev/null 2>&1
  if python_registry_ok; then
    DOCKER_CONFIG=$cfg docker pull -q "$image" >/dev/null
  else
    local tar
    tar=$(python_rootfs) || { rm -rf "$cfg"; return 1; }
    log "importing $tar as $image"
    as_root cat "$tar" | docker import --platform "linux/$NATIVE_ARCH" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
      --change 'CMD ["python3"]' - "$image" >/dev/null
    DOCKER_CONFIG=$cfg docker push -q "$image" >/dev/null
  fi
  rm -rf "$cfg"
  python_ok
}

# A bridge of its own for a second engine, so it never touches the first engine's docker0.
own_bridge() {
  local name=$1 addr=$2
  if ! ip link show "$name" >/dev/null 2>&1; then
    as_root ip link add "$name" type bridge
    as_root ip addr add "$addr" dev "$name"
  fi
  as_root ip link set "$name" up
}

# Loads the base image (the machine's own platform) into the engine at $2 (of generation $1) when
# it does not have it, or has one of an earlier build (other layers than the first engine's).
load_base() {
  local gen=$1 host=$2 want have
  want=$(docker image inspect -f '{{json .RootFS.Layers}}' "$BASE_IMAGE")
  have=$(with_gen "$gen" env DOCKER_HOST="$host" docker image inspect -f '{{json .RootFS.Layers}}' "$BASE_IMAGE" 2>/dev/null || true)
  if [ "$have" != "$want" ]; then
    docker save --platform "linux/$NATIVE_ARCH" "$BASE_IMAGE" | with_gen "$gen" env DOCKER_HOST="$host" docker load -q >/dev/null
  fi
}

# Second engines leave the firewall to the first one (--iptables=false), whose FORWARD policy
# drops what it has no rule for: container-to-container traffic on a second engine's networks
# too (a compose autotest's sut calling its web service). Their networks all lie in
# SECOND_RANGE (their bridges and address pools): traffic within it is let through, once.
SECOND_RANGE=172.28.0.0/14
allow_second_networks() {
  command -v iptables >/dev/null || return 0
  as_root iptables -N DOCKER-USER 2>/dev/null || true
  as_root iptables -C DOCKER-USER -s "$SECOND_RANGE" -d "$SECOND_RANGE" -j ACCEPT 2>/dev/null \
    || as_root iptables -I DOCKER-USER -s "$SECOND_RANGE" -d "$SECOND_RANGE" -j ACCEPT
  as_root iptables -C FORWARD -j DOCKER-USER 2>/dev/null || as_root iptables -I FORWARD -j DOCKER-USER
}

# A second engine of generation $1: name $2, socket $3, bridge $4 with address $5, the address
# pool of its own networks $6 (both within SECOND_RANGE), daemon.json features $7. Started when it
# does not answer; the base image is loaded into it.
start_second() {
  local gen=$1 name=$2 host=$3 bridge=$4 addr=$5 pool=$6 features=$7
  allow_second_networks
  if ! with_gen "$gen" env DOCKER_HOST="$host" timeout 5 docker info >/dev/null 2>&1; then
    own_bridge "$bridge" "$addr"
    local config="{\"features\":$features,\"default-address-pools\":[{\"base\":\"$pool\",\"size\":24}]}"
    as_root mkdir -p "$STATE_DIR"
    echo "$config" | as_root tee "$STATE_DIR/$name.json" >/dev/null
    local root=$STATE_DIR/$name
    locks_free "$root" || root=$STATE_DIR/$name-$(date +%s)
    local launch_path=
    [ "$gen" = oldest ] && launch_path=$OLDEST_PATH
    # Docker 26 removes the host's docker0 when it starts with no containers of its own, whatever
    # its --bridge: the first engine's default bridge is put back as it was.
    local docker0
    docker0=$(ip -4 -o addr show docker0 2>/dev/null | awk '{print $4; exit}')
    LAUNCH_PATH=$launch_path launch_engine "$name" "$root" "$STATE_DIR/$name.json" "$host" \
      --bridge "$bridge" --iptables=false --ip-masq=false || return 1
    if [ -n "$docker0" ] && ! ip link show docker0 >/dev/null 2>&1; then
      log "$name removed docker0 as it started: putting it back ($docker0)"
      as_root ip link add docker0 type bridge
      as_root ip addr add "$docker0" dev docker0
      as_root ip link set docker0 up
    fi
  fi
  load_base "$gen" "$host"
}

# The oldest generation's engine (containerd image store, as the current world's).
start_oldest() {
  install_oldest
  start_second oldest oldest "$OLDEST_HOST" br-oldest 172.31.253.1/24 172.30.0.0/16 '{"containerd-snapshotter":true}'
}

# A second engine without the containerd image store: its default builder cannot export cache
# (only inline), as on GitHub-hosted runners out of the box. Of the caller's generation.
start_classic() {
  if [ "$CALLER_GEN" = oldest ]; then
    install_oldest
    start_second oldest oldest-classic unix:///run/autobuild-oldest-classic.sock br-oldclassic 172.31.252.1/24 172.29.0.0/16 '{}'
    echo unix:///run/autobuild-oldest-classic.sock
  else
    start_second current classic unix:///run/autobuild-classic.sock br-classic 172.31.254.1/24 172.28.0.0/16 '{}'
    echo unix:///run/autobuild-classic.sock
  fi
}

# An engine on another host, as DOCKER_HOST=tcp://... names one: a dockerd of the current
# generation in a network namespace of the world's own, which the machine reaches only through a
# veth pair with private addresses (REMOTE_NET, used by nothing else here). It sees the registry
# at the host side of that pair (a second registry process, on the same storage and users), so
# it pulls the base image as REMOTE_BASE_IMAGE and pushes to REMOTE_REGISTRY; the registry's
# loopback address reads the same repositories.
REMOTE_NS=autobuild-remote
REMOTE_NET=10.213.0.0/16
REMOTE_VETH_HOST=ab-remote0
REMOTE_VETH_NS=ab-remote1
REMOTE_HOST_ADDR=10.213.0.1
REMOTE_NS_ADDR=10.213.0.2
# Plain TCP with no TLS: the engine listens only on its end of the veth pair, inside a namespace
# that nothing but this machine can reach.
REMOTE_HOST=tcp://$REMOTE_NS_ADDR:2375
REMOTE_ROOT=$STATE_DIR/remote
remote_registry() { echo "$REMOTE_HOST_ADDR:$REGISTRY_PORT"; }
remote_base_image() { echo "$(remote_registry)/$BASE_REPO:latest"; }

remote_env() {
  printf 'DOCKER_HOST=%s\nAUTOBUILD_REMOTE_REGISTRY=%s\nAUTOBUILD_REMOTE_BASE_IMAGE=%s\n' "$REMOTE_HOST" "$(remote_registry)" "$(remote_base_image)"
}

remote_net_ok() {
  [ -e "/run/netns/$REMOTE_NS" ] && ip -4 -o addr show dev "$REMOTE_VETH_HOST" 2>/dev/null | grep -q " $REMOTE_HOST_ADDR/" \
    && as_root ip -n "$REMOTE_NS" -4 -o addr show dev "$REMOTE_VETH_NS" 2>/dev/null | grep -q " $REMOTE_NS_ADDR/"
}
remote_registry_up() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$(remote_registry)/v2/" || true)
  [ "$code" = 401 ] || [ "$code" = 200 ]
}
remote_engine_up() { answers "$REMOTE_HOST"; }
remote_docker() { DOCKER_HOST=$REMOTE_HOST docker "$@"; }
# The remote engine holds the base image (the machine's own platform), the same as the local one's.
remote_base_ok() {
  local want have
  want=$(docker image inspect -f '{{json .RootFS.Layers}}' "$BASE_IMAGE" 2>/dev/null) || return 1
  have=$(remote_docker image inspect -f '{{json .RootFS.Layers}}' "$(remote_base_image)" 2>/dev/null) || return 1
  [ "$want" = "$have" ]
}
remote_ready() { remote_net_ok && remote_registry_up && remote_engine_up && remote_base_ok; }

# The namespace and the veth pair between it and the machine (one end in each); what is there
# already is kept.
remote_net() {
  [ -e "/run/netns/$REMOTE_NS" ] || as_root ip netns add "$REMOTE_NS"
  if ! ip link show "$REMOTE_VETH_HOST" >/dev/null 2>&1; then
    # A pair left half-made (its other end gone with an earlier namespace) is made again.
    as_root ip -n "$REMOTE_NS" link del "$REMOTE_VETH_NS" 2>/dev/null || true
    as_root ip link add "$REMOTE_VETH_HOST" type veth peer name "$REMOTE_VETH_NS" netns "$REMOTE_NS"
  fi
  ip -4 -o addr show dev "$REMOTE_VETH_HOST" | grep -q " $REMOTE_HOST_ADDR/" \
    || as_root ip addr add "$REMOTE_HOST_ADDR/30" dev "$REMOTE_VETH_HOST"
  as_root ip link set "$REMOTE_VETH_HOST" up
  as_root ip -n "$REMOTE_NS" -4 -o addr show dev "$REMOTE_VETH_NS" | grep -q " $REMOTE_NS_ADDR/" \
    || as_root ip -n "$REMOTE_NS" addr add "$REMOTE_NS_ADDR/30" dev "$REMOTE_VETH_NS"
  as_root ip -n "$REMOTE_NS" link set lo up
  as_root ip -n "$REMOTE_NS" link set "$REMOTE_VETH_NS" up
  remote_net_ok
}

# The registry once more, on the host side of the veth pair: the same storage and users as the
# one on loopback, so that a push from the remote engine is read back on 127.0.0.1.
start_remote_registry() {
  remote_registry_up && return 0
  stop_pidfile "$STATE_DIR/registry-remote.pid" registry-remote.yml
  sed -E "s|^  addr: .*|  addr: $(remote_registry)|" "$STATE_DIR/registry.yml" | as_root tee "$STATE_DIR/registry-remote.yml" >/dev/null
  log "starting registry on $(remote_registry) (for the remote engine)"
  as_root bash -c "setsid nohup docker-registry serve '$STATE_DIR/registry-remote.yml' >'$STATE_DIR/registry-remote.log' 2>&1 </dev/null & echo \$! >'$STATE_DIR/registry-remote.pid'"
  for _ in $(seq 1 60); do
    remote_registry_up && return 0
    sleep 0.25
  done
  log "registry did not answer on $(remote_registry); last lines of its log:"
  tail -n 20 "$STATE_DIR/registry-remote.log" >&2 || true
  return 1
}

# Stops the process named in pid file $1 when its command line holds $2; waits for it to go.
stop_pidfile() {
  local file=$1 what=$2 pid
  pid=$(cat "$file" 2>/dev/null) || return 0
  if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$what"; then
    as_root kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    as_root kill -9 "$pid" 2>/dev/null || true
  fi
  as_root rm -f "$file"
}

# The engine in the namespace: its own data root, exec root and pid file; its containers on a
# bridge of its own inside the namespace (so the machine's docker0 and firewall are not touched:
# no iptables rules, no masquerading, as nothing in there goes anywhere but the veth pair), and
# the registry at the host side of the pair, which speaks plain HTTP, as an insecure registry.
start_remote_engine() {
  # Kept when it answers and knows the registry where it is now (its port can change).
  remote_engine_up && grep -qF "\"$(remote_registry)\"" "$STATE_DIR/remote.json" 2>/dev/null && return 0
  stop_remote_engine
  as_root mkdir -p "$STATE_DIR"
  as_root tee "$STATE_DIR/remote.json" >/dev/null <<JSON
{"features":{"containerd-snapshotter":true},"insecure-registries":["$(remote_registry)"],
 "bip":"10.213.1.1/24","default-address-pools":[{"base":"10.213.16.0/20","size":24}]}
JSON
  local root=$REMOTE_ROOT
  locks_free "$root" || root=$REMOTE_ROOT-$(date +%s)
  LAUNCH_NETNS=$REMOTE_NS launch_engine remote "$root" "$STATE_DIR/remote.json" "$REMOTE_HOST" \
    --tls=false --iptables=false --ip6tables=false --ip-masq=false
}

# The base image, pulled by the remote engine from the registry at the host side of the pair.
remote_base() {
  remote_base_ok && return 0
  local cfg
  cfg=$(mktemp -d)
  echo "$REGISTRY_PASSWORD" | DOCKER_HOST=$REMOTE_HOST DOCKER_CONFIG=$cfg docker login -u "$REGISTRY_USER" --password-stdin "$(remote_registry)" >/dev/null 2>&1
  DOCKER_HOST=$REMOTE_HOST DOCKER_CONFIG=$cfg docker pull -q --platform "linux/$NATIVE_ARCH" "$(remote_base_image)" >/dev/null
  rm -rf "$cfg"
  remote_base_ok
}

start_remote() {
  remote_ready && return 0
  remote_net
  start_remote_registry
  start_remote_engine
  remote_base
}

# The remote engine's dockerd (and the containerd it started), from its pid file.
stop_remote_engine() {
  local exec_root pid
  for exec_root in /run/autobuild-remote /run/autobuild-remote-*; do
    [ -f "$exec_root/dockerd.pid" ] || continue
    pid=$(cat "$exec_root/dockerd.pid")
    if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "--exec-root $exec_root "; then
      log "stopping the remote engine (pid $pid)"
      as_root kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
      done
      as_root kill -9 "$pid" 2>/dev/null || true
    fi
    as_root rm -f "$exec_root/dockerd.pid"
  done
}

# Everything `remote` made: the engine (and its data roots: what a killed one left mounted is
# unmounted first, and nothing is removed across a mount), the second registry process, the
# namespace and the veth pair. The registry's storage stays, as the loopback registry uses it.
remote_down() {
  stop_remote_engine
  stop_pidfile "$STATE_DIR/registry-remote.pid" registry-remote.yml
  as_root ip link del "$REMOTE_VETH_HOST" 2>/dev/null || true
  [ -e "/run/netns/$REMOTE_NS" ] && as_root ip netns del "$REMOTE_NS"
  local root m
  for root in "$REMOTE_ROOT" "$REMOTE_ROOT"-*; do
    [ -d "$root" ] || continue
    for m in $(awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r); do
      as_root umount -l "$m" 2>/dev/null || true
    done
    as_root rm -rf --one-file-system "$root" || log "could not remove all of $root"
  done
  as_root rm -rf /run/autobuild-remote /run/autobuild-remote-* 2>/dev/null || true
  log "remote engine, registry listener, namespace $REMOTE_NS and veth $REMOTE_VETH_HOST removed"
}

world_ready() { engine_up && registry_up && plugins_ok && base_ok && binfmt_ok && base_index_ok && python_ok; }

world_up() {
  world_ready && return 0
  install_packages
  ensure_binfmt
  engine_up || start_engine
  start_registry
  make_base_image
  make_python_base
  log "ready: $(docker version -f 'engine {{.Server.Version}}'), $(docker buildx version | cut -d' ' -f1-2), $(docker compose version --short 2>/dev/null | sed 's/^/compose /'), registry $REGISTRY_ADDR"
}

case "${1:-up}" in
  status)
    world_ready
    ;;
  up)
    world_up
    ;;
  oldest)
    world_up
    start_oldest
    log "ready: oldest $(with_gen oldest env DOCKER_HOST=$OLDEST_HOST docker version -f 'engine {{.Server.Version}}'), $(with_gen oldest docker buildx version | cut -d' ' -f1-2), compose $(with_gen oldest docker compose version --short 2>/dev/null)"
    gen_env oldest
    ;;
  env)
    if [ "${2:-}" = remote ]; then remote_env; else gen_env "${2:-current}"; fi
    ;;
  classic)
    world_up
    start_classic
    ;;
  remote)
    world_up
    start_remote
    log "ready: remote $(remote_docker version -f 'engine {{.Server.Version}}') at $REMOTE_HOST (namespace $REMOTE_NS), registry $(remote_registry)"
    remote_env
    ;;
  remote-down)
    remote_down
    ;;
  stop)
    remote_down
    as_root pkill -f 'docker-registry serve' || true
    as_root pkill -x dockerd || true
    ;;
  *)
    echo "usage: $0 [up|oldest|env current|env oldest|env remote|status|classic|remote|remote-down|stop]" >&2
    exit 2
    ;;
esac
