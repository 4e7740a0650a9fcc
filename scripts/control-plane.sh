#!/usr/bin/env bash
# A real Kubernetes control plane (etcd + kube-apiserver + kube-controller-manager + kube-scheduler)
# on loopback, built from the Go module proxy. No kubelet and no Node: Pods are admitted and stored
# (Pending, unscheduled), but no container ever runs.
#
#   scripts/control-plane.sh build            build the binaries into the cache (reused when present)
#   scripts/control-plane.sh build kubectl    also build kubectl (handy for poking at a running plane)
#   scripts/control-plane.sh start DIR        start everything, state in DIR; writes DIR/kubeconfig
#   scripts/control-plane.sh stop DIR         stop what `start DIR` started and remove its data
#   scripts/control-plane.sh bin-dir          print the directory the binaries live in
#   scripts/control-plane.sh update-module    re-resolve scripts/control-plane/go.{mod,sum} (maintainers)
#
# Environment:
#   CONTROL_PLANE_CACHE   cache root (default ~/.cache/todo-chatbot/control-plane); binaries go to
#                         $CONTROL_PLANE_CACHE/<kubernetes version>/bin
#   CONTROL_PLANE_NICE    niceness of the Go build (default 15)
#   CONTROL_PLANE_SCHEDULER=0   do not start kube-scheduler (it only reports that no Node fits)
set -euo pipefail

K8S_VERSION=v1.34.2 # must match k8s.io/kubernetes in scripts/control-plane/go.mod
ETCD_VERSION=v3.6.4 # must match go.etcd.io/etcd/server/v3 in scripts/control-plane/go.mod
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE_DIR="$HERE/control-plane"
CACHE_ROOT="${CONTROL_PLANE_CACHE:-${HOME:-/root}/.cache/todo-chatbot/control-plane}"
BIN_DIR="$CACHE_ROOT/$K8S_VERSION/bin"

die() { echo "control-plane: $*" >&2; exit 1; }
log() { echo "control-plane: $*" >&2; }

# --- build -------------------------------------------------------------------------------------

# name -> Go package
package_of() {
  case "$1" in
    etcd) echo go.etcd.io/etcd/server/v3 ;;
    kube-apiserver | kube-controller-manager | kube-scheduler | kubectl) echo "k8s.io/kubernetes/cmd/$1" ;;
    *) die "unknown binary '$1' (known: etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)" ;;
  esac
}

version_ldflags() {
  local minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  local flags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

build_one() {
  local name=$1 pkg
  pkg=$(package_of "$name")
  if [[ -x "$BIN_DIR/$name" ]]; then
    log "$name: cached ($BIN_DIR/$name)"
    return
  fi
  command -v go >/dev/null || die "go is not on PATH: install Go >= 1.24 (https://go.dev/doc/install) to build $name"
  local start=$SECONDS
  log "$name: building $pkg (cold builds take minutes; niceness ${CONTROL_PLANE_NICE:-15})"
  (
    cd "$MODULE_DIR"
    CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
      nice -n "${CONTROL_PLANE_NICE:-15}" go build -trimpath -ldflags "$(version_ldflags)" \
      -o "$BIN_DIR/.$name.tmp" "$pkg"
  ) || die "$name: go build of $pkg failed (see the Go errors above)"
  mv -f "$BIN_DIR/.$name.tmp" "$BIN_DIR/$name"
  local secs=$((SECONDS - start))
  log "$name: built in ${secs}s ($(awk -v s="$secs" 'BEGIN { printf "%.1f", s / 60 }') min)"
}

cmd_build() {
  local names=(etcd kube-apiserver kube-controller-manager kube-scheduler "$@")
  mkdir -p "$BIN_DIR"
  # The module files decide what the cache holds: a changed go.mod/go.sum invalidates it.
  local stamp
  stamp=$(cat "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum" | sha256sum | cut -c1-16)
  exec 9>"$BIN_DIR/.build.lock"
  flock 9
  if [[ "$(cat "$BIN_DIR/.module-stamp" 2>/dev/null)" != "$stamp" ]]; then
    rm -f "$BIN_DIR"/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
    echo "$stamp" >"$BIN_DIR/.module-stamp"
  fi
  local start=$SECONDS name
  for name in "${names[@]}"; do build_one "$name"; done
  log "binaries ready in $BIN_DIR ($((SECONDS - start))s)"
  exec 9>&-
}

cmd_update_module() {
  (
    cd "$MODULE_DIR"
    go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION" \
      "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  )
}

# --- start / stop ------------------------------------------------------------------------------

COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler)

# A free TCP port on 127.0.0.1, not one handed out earlier in this run.
TAKEN=" "
PORT=""
next_free_port() {
  local port i
  for i in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    [[ "$TAKEN" == *" $port "* ]] && continue
    if [[ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]]; then
      TAKEN+="$port "
      PORT=$port
      return
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# pid of a running component started in DIR, or nothing
running_pid() {
  local dir=$1 name=$2 pid
  pid=$(cat "$dir/run/$name.pid" 2>/dev/null) || return 0
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 0
  # guard against pid reuse: the process must still be our binary
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "/$name "; then echo "$pid"; fi
  return 0
}

openssl_quiet() {
  local out
  out=$(openssl "$@" 2>&1) || { echo "$out" >&2; die "openssl $1 failed"; }
}

# certificate signed by the CA: PKI NAME CN ORG [extensions-file]; client certificate by default
issue_cert() {
  local pki=$1 name=$2 cn=$3 org=$4 ext=${5:-}
  local subj="/CN=$cn"
  [[ -n "$org" ]] && subj="/O=$org$subj"
  openssl_quiet genrsa -out "$pki/$name.key" 2048
  openssl_quiet req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr"
  if [[ -z "$ext" ]]; then
    ext="$pki/$name.ext"
    printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
      'extendedKeyUsage=clientAuth' >"$ext"
  fi
  openssl_quiet x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 2 -sha256 -extfile "$ext" -out "$pki/$name.crt"
  rm -f "$pki/$name.csr"
}

make_pki() {
  local pki=$1
  mkdir -p "$pki"
  chmod 700 "$pki"
  openssl_quiet req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 2 -sha256 \
    -subj "/CN=todo-chatbot-test-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
    'extendedKeyUsage=serverAuth' \
    'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local' \
    >"$pki/apiserver.ext"
  issue_cert "$pki" apiserver kube-apiserver "" "$pki/apiserver.ext"
  issue_cert "$pki" admin kubernetes-admin system:masters
  issue_cert "$pki" controller-manager system:kube-controller-manager ""
  issue_cert "$pki" scheduler system:kube-scheduler ""
  openssl_quiet genrsa -out "$pki/sa.key" 2048
  openssl_quiet rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
}

write_kubeconfig() {
  local file=$1 server=$2 pki=$3 user=$4
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: control-plane
    cluster:
      server: $server
      certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
  - name: $user
    user:
      client-certificate-data: $(base64 -w0 <"$pki/$user.crt")
      client-key-data: $(base64 -w0 <"$pki/$user.key")
contexts:
  - name: control-plane
    context:
      cluster: control-plane
      user: $user
current-context: control-plane
EOF
  chmod 600 "$file"
}

launch() {
  local dir=$1 name=$2
  shift 2
  setsid "$BIN_DIR/$name" "$@" </dev/null >"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/run/$name.pid"
}

dump_logs() {
  local dir=$1 name
  for name in "${COMPONENTS[@]}"; do
    [[ -f "$dir/logs/$name.log" ]] || continue
    echo "----- last lines of $dir/logs/$name.log" >&2
    tail -n 15 "$dir/logs/$name.log" >&2
  done
}

abort_start() {
  local dir=$1
  shift
  dump_logs "$dir"
  cmd_stop "$dir" >/dev/null 2>&1 || true
  die "$*"
}

# wait until URL answers 2xx (with the admin client certificate for https); fail early when PID dies
wait_ready() {
  local dir=$1 url=$2 pid=$3 what=$4 timeout=${CONTROL_PLANE_START_TIMEOUT:-180} i
  local tls=(--cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key")
  [[ "$url" == https://* ]] || tls=()
  # the controller manager serves /healthz with a self-signed certificate of its own
  [[ "$what" == kube-apiserver ]] || tls=(-k)
  for ((i = 0; i < timeout * 2; i++)); do
    if curl -fsS --max-time 5 "${tls[@]}" "$url" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || abort_start "$dir" "$what exited during start-up (logs above, all of them in $dir/logs)"
    sleep 0.5
  done
  abort_start "$dir" "$what did not answer $url within ${timeout}s (logs above; raise CONTROL_PLANE_START_TIMEOUT on a slow machine)"
}

cmd_start() {
  local dir=${1:-}
  [[ -n "$dir" ]] || die "usage: $0 start DIR (DIR receives kubeconfig, logs and the cluster's data)"
  local name
  for name in etcd kube-apiserver kube-controller-manager; do
    [[ -x "$BIN_DIR/$name" ]] || die "$BIN_DIR/$name is missing: run 'bash scripts/control-plane.sh build' first"
  done
  command -v curl >/dev/null || die "curl is required (apt-get install curl)"
  command -v openssl >/dev/null || die "openssl is required (apt-get install openssl)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ -n "$(running_pid "$dir" kube-apiserver)" && -f "$dir/kubeconfig" ]]; then
    log "already running in $dir"
    echo "$dir/kubeconfig"
    return
  fi
  cmd_stop "$dir" >/dev/null 2>&1 || true # leftovers of a crashed run
  local start=$SECONDS
  mkdir -p "$dir/run" "$dir/logs" "$dir/etcd-data" "$dir/certs"
  chmod 700 "$dir/etcd-data" "$dir/run"
  make_pki "$dir/pki"
  local pki="$dir/pki"

  local etcd_port peer_port api_port kcm_port sched_port
  next_free_port; etcd_port=$PORT
  next_free_port; peer_port=$PORT
  next_free_port; api_port=$PORT
  next_free_port; kcm_port=$PORT
  next_free_port; sched_port=$PORT
  local etcd_url="http://127.0.0.1:$etcd_port" server="https://127.0.0.1:$api_port"

  launch "$dir" etcd --name=control-plane --data-dir="$dir/etcd-data" \
    --listen-client-urls="$etcd_url" --advertise-client-urls="$etcd_url" \
    --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
    --initial-cluster="control-plane=http://127.0.0.1:$peer_port" --initial-cluster-state=new \
    --unsafe-no-fsync --log-level=warn
  wait_ready "$dir" "$etcd_url/health" "$(cat "$dir/run/etcd.pid")" etcd

  launch "$dir" kube-apiserver --etcd-servers="$etcd_url" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$dir/certs" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range=10.0.0.0/24 --endpoint-reconciler-type=none \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction,PodSecurity \
    --allow-privileged=true --profiling=false --v=1
  wait_ready "$dir" "$server/readyz" "$(cat "$dir/run/kube-apiserver.pid")" kube-apiserver

  write_kubeconfig "$dir/kubeconfig" "$server" "$pki" admin
  write_kubeconfig "$dir/run/controller-manager.kubeconfig" "$server" "$pki" controller-manager
  write_kubeconfig "$dir/run/scheduler.kubeconfig" "$server" "$pki" scheduler

  local kcm="$dir/run/controller-manager.kubeconfig"
  launch "$dir" kube-controller-manager --kubeconfig="$kcm" \
    --authentication-kubeconfig="$kcm" --authorization-kubeconfig="$kcm" \
    --bind-address=127.0.0.1 --secure-port="$kcm_port" --cert-dir="$dir/certs" \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --service-cluster-ip-range=10.0.0.0/24 --profiling=false --v=1
  if [[ "${CONTROL_PLANE_SCHEDULER:-1}" != 0 && -x "$BIN_DIR/kube-scheduler" ]]; then
    local sched="$dir/run/scheduler.kubeconfig"
    launch "$dir" kube-scheduler --kubeconfig="$sched" \
      --authentication-kubeconfig="$sched" --authorization-kubeconfig="$sched" \
      --bind-address=127.0.0.1 --secure-port="$sched_port" --leader-elect=false --profiling=false --v=1
  fi
  wait_ready "$dir" "https://127.0.0.1:$kcm_port/healthz" "$(cat "$dir/run/kube-controller-manager.pid")" \
    kube-controller-manager

  printf '%s\n' "KUBECONFIG=$dir/kubeconfig" "API_SERVER=$server" "ETCD=$etcd_url" >"$dir/run/env"
  log "started in $((SECONDS - start))s: API server $server, kubeconfig $dir/kubeconfig"
  echo "$dir/kubeconfig"
}

cmd_stop() {
  local dir=${1:-}
  [[ -n "$dir" ]] || die "usage: $0 stop DIR"
  [[ -d "$dir" ]] || { log "nothing to stop: $dir does not exist"; return; }
  dir=$(cd "$dir" && pwd)
  local i j name pid stopped=()
  # reverse order: the API clients first, etcd last
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    name=${COMPONENTS[i]}
    pid=$(running_pid "$dir" "$name")
    [[ -n "$pid" ]] || continue
    kill -TERM "$pid" 2>/dev/null || true
    for ((j = 0; j < 60; j++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name ($pid) ignored SIGTERM for 15s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    stopped+=("$name")
  done
  rm -rf "$dir/etcd-data" "$dir/pki" "$dir/certs" "$dir/run" "$dir/kubeconfig"
  log "stopped: ${stopped[*]:-nothing was running}; data removed from $dir (logs kept in $dir/logs)"
}

main() {
  case "${1:-}" in
    build) shift; cmd_build "$@" ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    bin-dir) echo "$BIN_DIR" ;;
    update-module) cmd_update_module ;;
    *) die "usage: $0 build [kubectl] | start DIR | stop DIR | bin-dir | update-module" ;;
  esac
}

# one compound command, parsed whole before it runs: editing this file during a long build is safe
{ main "$@"; exit $?; }
