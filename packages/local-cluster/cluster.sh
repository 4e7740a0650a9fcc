#!/usr/bin/env bash
# A Minikube-like single-node Kubernetes cluster on this machine, built from the Go module proxy and
# Debian's packages: etcd + kube-apiserver + kube-controller-manager + kube-scheduler, and a node whose
# container runtime is a Docker daemon reached through cri-dockerd (as Minikube's default docker runtime
# is), so an image built into that daemon runs with imagePullPolicy: Never. kube-proxy (iptables),
# the CNI bridge, CoreDNS as the kube-dns Service and a default StorageClass "standard" complete it.
#
#   cluster.sh build [NAME...]         build the binaries into the cache (reused when present);
#                                      NAME: control-plane | node | kubectl | registry (default: control-plane node);
#                                      one build at a time: `start` and `bin-dir` wait for a build in progress
#   cluster.sh start DIR               start a whole cluster (root); state in DIR; prints DIR/env
#   cluster.sh start DIR --control-plane-only
#                                      only etcd + API server + controller manager + scheduler on
#                                      127.0.0.1, no node (no root needed): Pods stay Pending
#   cluster.sh start DIR --with-registry
#                                      also a Docker registry on NODE_IP:5000 (like Minikube's registry
#                                      addon; plain HTTP, trusted by the node's daemon): env gets REGISTRY
#   cluster.sh stop DIR                stop what `start DIR` started; remove its data, namespaces, cgroups
#   cluster.sh env DIR                 print KUBECONFIG, KUBE_CONTEXT, DOCKER_HOST, NODE_IP (shell syntax)
#   cluster.sh load-image DIR IMAGE... copy images from podman (or a docker-archive FILE.tar) into the node
#   cluster.sh prune-images DIR        keep the LOCAL_CLUSTER_KEEP_TAGS most recently tagged images of each
#                                      repository in the node's daemon, remove older tags (start does it too)
#   cluster.sh bin-dir                 print the directory the binaries live in
#   cluster.sh update-module           re-resolve go/kubernetes/go.{mod,sum} (maintainers)
#
# Layout of a running cluster (see README.md beside this file):
#   - the node has a network namespace of its own ("lc-<id>"), reached from the host through one veth
#     pair: the host side gets 192.168.N.1, the node 192.168.N.2 (N from 49 up, the first free /24;
#     Minikube's docker driver uses 192.168.49.2 too). The API server listens on https://NODE_IP:8443.
#   - the node's daemons share a private mount namespace that shadows the global sysctls the kubelet
#     writes (vm.overcommit_memory, kernel.panic, ...), so the host's values never change.
#   - dockerd runs in that mount namespace but in the host's network namespace, with no bridge and no
#     iptables rules: image builds (docker build --network host) reach the package registries as any
#     build on this machine does, while Pods get their network from the CNI bridge inside the node.
#   - cgroups live under /lc-<id> in every hierarchy; stop removes them.
#
# Environment:
#   LOCAL_CLUSTER_CACHE     cache root (default ~/.cache/todo-chatbot/local-cluster)
#   LOCAL_CLUSTER_NICE      niceness of the Go builds (default 15)
#   LOCAL_CLUSTER_START_TIMEOUT  seconds to wait for each component (default 180)
#   LOCAL_CLUSTER_DOCKER_DATA    the node's Docker data-root (default: a cached one, kept between runs
#                           like Minikube keeps its images; a private one in DIR when that is in use)
#   LOCAL_CLUSTER_KEEP_TAGS      tags kept per image repository in the kept data-root (default 3)
set -euo pipefail

K8S_VERSION=v1.34.2         # must match k8s.io/kubernetes in go/kubernetes/go.mod
ETCD_VERSION=v3.6.4         # must match go.etcd.io/etcd/server/v3 in go/kubernetes/go.mod
CRI_DOCKERD_VERSION=v0.3.17 # v0.4.x needs Docker API 1.42; Debian 12's docker.io 20.10 speaks 1.41
COREDNS_VERSION=v1.14.1     # must match go/coredns/go.mod
PAUSE_IMAGE=registry.k8s.io/pause:3.10
COREDNS_IMAGE=local-cluster/coredns:$COREDNS_VERSION
SERVICE_CIDR=10.96.0.0/12
SERVICE_IP=10.96.0.1
DNS_IP=10.96.0.10
POD_CIDR=10.244.0.0/24
CLUSTER_DOMAIN=cluster.local
NODE_NAME=local-cluster
CONTEXT_NAME=local-cluster

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO_DIR="$HERE/go"
CACHE_ROOT="${LOCAL_CLUSTER_CACHE:-${HOME:-/root}/.cache/todo-chatbot/local-cluster}"
BIN_DIR="$CACHE_ROOT/$K8S_VERSION/bin"

die() { echo "local-cluster: $*" >&2; exit 1; }
log() { echo "local-cluster: $*" >&2; }

# --- build -------------------------------------------------------------------------------------

CONTROL_PLANE_BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler)
NODE_BINARIES=(kubelet kube-proxy cri-dockerd coredns pause)

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

# the module a binary is built from, and the files whose content decides whether a cached build is current
module_of() {
  case "$1" in
    etcd | kube-apiserver | kube-controller-manager | kube-scheduler | kubelet | kube-proxy | kubectl) echo kubernetes ;;
    coredns | pause | registry) echo "$1" ;;
    cri-dockerd) echo cri-dockerd ;;
    *) die "unknown binary '$1'" ;;
  esac
}

stamp_of() {
  local module=$1
  case "$module" in
    cri-dockerd) echo "$CRI_DOCKERD_VERSION" ;;
    *) { cat "$GO_DIR/$module/go.mod"; cat "$GO_DIR/$module/go.sum" "$GO_DIR/$module"/*.go 2>/dev/null || true; } | sha256sum | cut -c1-16 ;;
  esac
}

go_build() { # DIR OUTPUT LDFLAGS PACKAGE...  (OUTPUT ending in / is a directory: one binary per package)
  local dir=$1 out=$2 ldflags=$3
  shift 3
  (
    cd "$dir"
    CGO_ENABLED=0 GOFLAGS="${GOFLAGS_OVERRIDE:--mod=readonly} -buildvcs=false" \
      nice -n "${LOCAL_CLUSTER_NICE:-15}" go build -trimpath -gcflags=all=-dwarf=false -ldflags "$ldflags" -o "$out" "$@"
  )
}

build_cri_dockerd() { # OUTPUT
  # cri-dockerd's go.mod has replace directives, so `go install module@version` refuses it: build the
  # downloaded module as the main module instead (its vendor/ directory is incomplete: -mod=mod).
  local out=$1 src json
  json=$(go mod download -json "github.com/Mirantis/cri-dockerd@$CRI_DOCKERD_VERSION") ||
    die "cri-dockerd: go mod download github.com/Mirantis/cri-dockerd@$CRI_DOCKERD_VERSION failed"
  src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
  [[ -d "$src" ]] || die "cri-dockerd: no module directory in: $json"
  local work="$CACHE_ROOT/src/cri-dockerd-$CRI_DOCKERD_VERSION"
  if [[ ! -f "$work/go.mod" ]]; then
    rm -rf "$work"
    mkdir -p "$(dirname "$work")"
    cp -r "$src" "$work"
    chmod -R u+w "$work"
    rm -rf "$work/vendor"
  fi
  GOFLAGS_OVERRIDE=-mod=mod go_build "$work" "$out" \
    "-s -w -X github.com/Mirantis/cri-dockerd/cmd/version.Version=${CRI_DOCKERD_VERSION#v}" .
}

is_current() { [[ -x "$BIN_DIR/$1" && "$(cat "$BIN_DIR/.$1.stamp" 2>/dev/null)" == "$(stamp_of "$(module_of "$1")")" ]]; }

installed() { # NAME FILE: move a built FILE into place and record the stamp of its module
  mv -f "$2" "$BIN_DIR/$1"
  stamp_of "$(module_of "$1")" >"$BIN_DIR/.$1.stamp"
}

built_in() { # NAME START
  local secs=$((SECONDS - $2))
  log "$1: built in ${secs}s ($(awk -v s="$secs" 'BEGIN { printf "%.1f", s / 60 }') min)"
}

# The binaries of the kubernetes wrapper module (etcd, the control plane, kubelet, kube-proxy, kubectl)
# build in one `go build`: one compile graph, and the links run in parallel instead of one after another.
build_kubernetes() { # NAME...
  local start=$SECONDS out="$BIN_DIR/.build-kubernetes" pkgs=() name
  for name in "$@"; do
    case "$name" in
      etcd) pkgs+=(go.etcd.io/etcd/server/v3) ;; # go build names it "server" (the element before /v3)
      *) pkgs+=("k8s.io/kubernetes/cmd/$name") ;;
    esac
  done
  log "$*: building (cold builds take minutes; niceness ${LOCAL_CLUSTER_NICE:-15})"
  rm -rf "$out" && mkdir -p "$out"
  go_build "$GO_DIR/kubernetes" "$out/" "$(version_ldflags)" "${pkgs[@]}" || die "$*: go build failed (see the Go errors above)"
  for name in "$@"; do
    local file="$out/$name"
    [[ "$name" == etcd ]] && file="$out/server"
    [[ -x "$file" ]] || die "$name: go build wrote no $file"
    installed "$name" "$file"
  done
  rm -rf "$out"
  built_in "$*" "$start"
}

build_one() { # NAME: a binary of its own module
  local name=$1 start=$SECONDS out="$BIN_DIR/.$1.tmp"
  log "$name: building (cold builds take minutes; niceness ${LOCAL_CLUSTER_NICE:-15})"
  case "$name" in
    coredns | pause | registry) go_build "$GO_DIR/$name" "$out" "-s -w" . ;;
    cri-dockerd) build_cri_dockerd "$out" ;;
  esac || die "$name: go build failed (see the Go errors above)"
  installed "$name" "$out"
  built_in "$name" "$start"
}

cmd_build() {
  local names=() arg
  [[ $# -gt 0 ]] || set -- control-plane node
  for arg in "$@"; do
    case "$arg" in
      control-plane) names+=("${CONTROL_PLANE_BINARIES[@]}") ;;
      node) names+=("${NODE_BINARIES[@]}" registry) ;;
      kubectl | registry) names+=("$arg") ;;
      *) die "build: unknown target '$arg' (known: control-plane node kubectl registry)" ;;
    esac
  done
  command -v go >/dev/null || die "go is not on PATH: install Go >= 1.24 (https://go.dev/doc/install) to build ${names[*]}"
  mkdir -p "$BIN_DIR"
  exec 9>"$BIN_DIR/.build.lock"
  flock -n 9 || { log "another build is running (it holds $BIN_DIR/.build.lock): waiting for it"; flock 9; }
  local start=$SECONDS name kubernetes=() pids=() failed=0
  for name in "${names[@]}"; do
    if is_current "$name"; then log "$name: cached ($BIN_DIR/$name)"; continue; fi
    if [[ "$(module_of "$name")" == kubernetes ]]; then kubernetes+=("$name"); else
      build_one "$name" &
      pids+=($!)
    fi
  done
  # each module's build runs beside the others: a cold build keeps both cores busy through the links
  if [[ ${#kubernetes[@]} -gt 0 ]]; then build_kubernetes "${kubernetes[@]}" & pids+=($!); fi
  for name in "${pids[@]}"; do wait "$name" || failed=1; done
  [[ $failed == 0 ]] || die "build: some binaries failed to build (see the messages above)"
  log "binaries ready in $BIN_DIR ($((SECONDS - start))s)"
  exec 9>&-
}

cmd_update_module() {
  (
    cd "$GO_DIR/kubernetes"
    local cmd pkgs=()
    for cmd in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
      pkgs+=("k8s.io/kubernetes/cmd/$cmd@$K8S_VERSION")
    done
    go get "${pkgs[@]}" "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  )
  (cd "$GO_DIR/coredns" && go get "github.com/coredns/coredns@$COREDNS_VERSION" && go mod tidy)
}

# --- helpers -----------------------------------------------------------------------------------

# A free TCP port on 127.0.0.1, not one handed out earlier in this run. It is drawn from below the
# kernel's ephemeral range (net.ipv4.ip_local_port_range): ports in that range are what every
# outgoing connection and every listen(0) get, so one checked free there can be taken by a client
# before our daemon binds it (seen in CI: etcd "bind: address already in use" on 127.0.0.1:43212).
TAKEN=" "
PORT=""
PORT_FROM="" PORT_COUNT="" # the range drawn from, read once
port_range() {
  local low=32768 high=60999 # Linux's default, where the sysctl cannot be read
  [[ -r /proc/sys/net/ipv4/ip_local_port_range ]] && read -r low high </proc/sys/net/ipv4/ip_local_port_range
  PORT_FROM=10000 PORT_COUNT=$((low - 10000))
  if ((PORT_COUNT < 1000)); then # a widened ephemeral range: above it, or failing that anywhere
    PORT_FROM=$((high + 1)) PORT_COUNT=$((65535 - high))
    ((PORT_COUNT >= 1000)) || PORT_FROM=20000 PORT_COUNT=40000
  fi
}
next_free_port() {
  local port i
  [[ -n "$PORT_COUNT" ]] || port_range
  for i in $(seq 1 200); do
    port=$((PORT_FROM + RANDOM % PORT_COUNT))
    [[ "$TAKEN" == *" $port "* ]] && continue
    # any socket on it, listening or connected, on any address
    if [[ -z "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ]]; then
      TAKEN+="$port "
      PORT=$port
      return
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# pid of a process started in DIR, or nothing (guards against pid reuse: the command line must match)
running_pid() {
  local dir=$1 name=$2 pid
  pid=$(cat "$dir/run/$name.pid" 2>/dev/null) || return 0
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(cat "$dir/run/$name.match" 2>/dev/null || echo "/$name ")"; then echo "$pid"; fi
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

server_ext() { # FILE SAN
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
    'extendedKeyUsage=serverAuth' "subjectAltName=$2" >"$1"
}

make_pki() { # PKI NODE_IP (empty: control plane only)
  local pki=$1 node_ip=$2
  mkdir -p "$pki"
  chmod 700 "$pki"
  openssl_quiet req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 2 -sha256 \
    -subj "/CN=local-cluster-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
  local san="IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN"
  [[ -n "$node_ip" ]] && san+=",IP:$node_ip,DNS:$NODE_NAME"
  server_ext "$pki/apiserver.ext" "$san"
  issue_cert "$pki" apiserver kube-apiserver "" "$pki/apiserver.ext"
  issue_cert "$pki" admin kubernetes-admin system:masters
  issue_cert "$pki" controller-manager system:kube-controller-manager ""
  issue_cert "$pki" scheduler system:kube-scheduler ""
  if [[ -n "$node_ip" ]]; then
    # the Node authorizer and NodeRestriction know a kubelet by this name and group
    issue_cert "$pki" kubelet "system:node:$NODE_NAME" system:nodes
    server_ext "$pki/kubelet-serving.ext" "IP:$node_ip,DNS:$NODE_NAME"
    issue_cert "$pki" kubelet-serving "$NODE_NAME" "" "$pki/kubelet-serving.ext"
    issue_cert "$pki" kube-proxy system:kube-proxy ""
    # the API server's client certificate towards kubelets (logs, exec, port-forward)
    issue_cert "$pki" apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  fi
  openssl_quiet genrsa -out "$pki/sa.key" 2048
  openssl_quiet rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
}

write_kubeconfig() { # FILE SERVER PKI USER [CONTEXT]
  local file=$1 server=$2 pki=$3 user=$4 context=${5:-$CONTEXT_NAME}
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: $context
    cluster:
      server: $server
      certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
  - name: $context-$user
    user:
      client-certificate-data: $(base64 -w0 <"$pki/$user.crt")
      client-key-data: $(base64 -w0 <"$pki/$user.key")
contexts:
  - name: $context
    context:
      cluster: $context
      user: $context-$user
current-context: $context
EOF
  chmod 600 "$file"
}

# runs a command in the node's namespaces: "mnt" (the private mount namespace) and/or "net"
in_node() { # DIR WHICH COMMAND...
  local dir=$1 which=$2
  shift 2
  local args=()
  if [[ "$which" == *mnt* ]]; then args+=("--mount=/proc/$(cat "$dir/run/holder.pid")/ns/mnt"); fi
  if [[ "$which" == *net* ]]; then args+=("--net=/run/netns/$(cat "$dir/run/netns")"); fi
  nsenter "${args[@]}" -- "$@"
}

# launch NAME NAMESPACES BINARY ARGS...: a daemon in its own session, output to DIR/logs/NAME.log
launch() {
  local dir=$1 name=$2 which=$3 bin=$4
  shift 4
  echo "/$(basename "$bin") " >"$dir/run/$name.match"
  if [[ "$which" == host ]]; then
    setsid "$bin" "$@" </dev/null >"$dir/logs/$name.log" 2>&1 &
  else
    local args=()
    [[ "$which" == *mnt* ]] && args+=("--mount=/proc/$(cat "$dir/run/holder.pid")/ns/mnt")
    [[ "$which" == *net* ]] && args+=("--net=/run/netns/$(cat "$dir/run/netns")")
    setsid nsenter "${args[@]}" -- "$bin" "$@" </dev/null >"$dir/logs/$name.log" 2>&1 &
  fi
  echo $! >"$dir/run/$name.pid"
}

dump_logs() {
  local dir=$1 file
  for file in "$dir"/logs/*.log; do
    [[ -f "$file" ]] || continue
    echo "----- last lines of $file" >&2
    tail -n 12 "$file" >&2
  done
}

abort_start() {
  local dir=$1
  shift
  dump_logs "$dir"
  cmd_stop "$dir" >/dev/null 2>&1 || true
  die "$*"
}

timeout_s() { echo "${LOCAL_CLUSTER_START_TIMEOUT:-180}"; }

# wait until URL answers 2xx; fail early when PID dies. NETNS: "" (host) or "net" (inside the node)
wait_ready() { # DIR URL PID WHAT [net]
  local dir=$1 url=$2 pid=$3 what=$4 where=${5:-} i
  local tls=()
  if [[ "$what" == kube-apiserver ]]; then
    tls=(--cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key")
  elif [[ "$url" == https://* ]]; then
    tls=(-k) # components serve /healthz with self-signed certificates of their own
  fi
  for ((i = 0; i < $(timeout_s) * 2; i++)); do
    if [[ -n "$where" ]]; then
      if in_node "$dir" net curl -fsS --max-time 5 "${tls[@]}" "$url" >/dev/null 2>&1; then return 0; fi
    elif curl -fsS --max-time 5 "${tls[@]}" "$url" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || abort_start "$dir" "$what exited during start-up (logs above, all of them in $dir/logs)"
    sleep 0.5
  done
  abort_start "$dir" "$what did not answer $url within $(timeout_s)s (logs above; raise LOCAL_CLUSTER_START_TIMEOUT on a slow machine)"
}

# the API server, as the admin (curl): api METHOD PATH [CONTENT-TYPE BODY-FILE]
api() {
  local method=$1 path=$2 type=${3:-} body=${4:-}
  local args=(-sS --max-time 20 --cacert "$DIR/pki/ca.crt" --cert "$DIR/pki/admin.crt" --key "$DIR/pki/admin.key" -X "$method")
  [[ -n "$type" ]] && args+=(-H "Content-Type: $type" --data-binary "@$body")
  curl "${args[@]}" -w '\n%{http_code}' "$SERVER$path"
}

# server-side apply of one YAML object to its path: apply PATH <<YAML
apply() {
  local path=$1 file out code
  file=$(mktemp "$DIR/run/apply.XXXXXX")
  cat >"$file"
  out=$(api PATCH "$path?fieldManager=local-cluster&force=true" application/apply-patch+yaml "$file")
  rm -f "$file"
  code=${out##*$'\n'}
  [[ "$code" == 2* ]] || die "applying $path failed (HTTP $code): ${out%$'\n'*}"
}

# --- start -------------------------------------------------------------------------------------

require_tools() {
  local missing=() tool
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [[ ${#missing[@]} -eq 0 ]] || die "missing: ${missing[*]}. On Debian/Ubuntu: apt-get install --no-install-recommends docker.io containernetworking-plugins iptables iproute2 util-linux openssl curl"
}

# A build in progress (`build` holds $BIN_DIR/.build.lock until it ends): `start` and `bin-dir` wait for
# it, so a test or a cluster started while the binaries build (CI starts the tests beside the build)
# uses them instead of finding some missing. The kernel drops the lock when the build ends, however it ends.
wait_for_build() {
  [[ -e "$BIN_DIR/.build.lock" ]] || return 0
  exec 7<"$BIN_DIR/.build.lock"
  flock -s -n 7 || { log "the binaries are being built (a build holds $BIN_DIR/.build.lock): waiting for it"; flock -s 7; }
  exec 7<&-
}

require_binaries() {
  local name
  for name in "$@"; do
    [[ -x "$BIN_DIR/$name" ]] || die "$BIN_DIR/$name is missing: run 'bash packages/local-cluster/cluster.sh build' first"
  done
}

# the first 192.168.N.0/24 (N >= 49) that no interface or route of this machine uses
pick_subnet() {
  local n used
  used=$(ip -4 route show table all 2>/dev/null; ip -4 -o addr show 2>/dev/null)
  for n in $(seq 49 254); do
    if ! grep -q "192\.168\.$n\." <<<"$used"; then echo "192.168.$n"; return; fi
  done
  die "no free 192.168.N.0/24 subnet for the node"
}

start_control_plane() { # DIR BIND ADVERTISE NETNS-SPEC
  local dir=$1 bind=$2 advertise=$3 where=$4 pki="$1/pki"
  local etcd_port=2379 peer_port=2380 api_port=8443 kcm_port=10257 sched_port=10259
  if [[ "$where" == host ]]; then
    # on this machine's loopback: free ports, so several control planes (and anything else) can run
    next_free_port; etcd_port=$PORT
    next_free_port; peer_port=$PORT
    next_free_port; api_port=$PORT
    next_free_port; kcm_port=$PORT
    next_free_port; sched_port=$PORT
  fi # else the node's own network namespace: kubeadm's ports, as on a Minikube node
  local etcd_url="http://127.0.0.1:$etcd_port"
  SERVER="https://$advertise:$api_port"
  local net=""
  [[ "$where" == host ]] || net=net

  launch "$dir" etcd "$where" "$BIN_DIR/etcd" --name=local-cluster --data-dir="$dir/etcd-data" \
    --listen-client-urls="$etcd_url" --advertise-client-urls="$etcd_url" \
    --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
    --initial-cluster="local-cluster=http://127.0.0.1:$peer_port" --initial-cluster-state=new \
    --unsafe-no-fsync --log-level=warn
  wait_ready "$dir" "$etcd_url/health" "$(cat "$dir/run/etcd.pid")" etcd $net

  local node_flags=()
  if [[ "$where" == host ]]; then
    # no node, so no Pod can reach the API server through the kubernetes Service anyway
    node_flags+=(--endpoint-reconciler-type=none)
  else
    node_flags+=(--kubelet-preferred-address-types=InternalIP
      --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key")
  fi
  launch "$dir" kube-apiserver "$where" "$BIN_DIR/kube-apiserver" --etcd-servers="$etcd_url" \
    --bind-address="$bind" --advertise-address="$advertise" --secure-port="$api_port" --cert-dir="$dir/certs" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-cluster-ip-range="$SERVICE_CIDR" "${node_flags[@]}" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction,PodSecurity \
    --allow-privileged=true --profiling=false --v=1
  wait_ready "$dir" "$SERVER/readyz" "$(cat "$dir/run/kube-apiserver.pid")" kube-apiserver

  write_kubeconfig "$dir/kubeconfig" "$SERVER" "$pki" admin
  local local_server="$SERVER"
  write_kubeconfig "$dir/run/controller-manager.kubeconfig" "$local_server" "$pki" controller-manager
  write_kubeconfig "$dir/run/scheduler.kubeconfig" "$local_server" "$pki" scheduler

  local kcm="$dir/run/controller-manager.kubeconfig"
  launch "$dir" kube-controller-manager "$where" "$BIN_DIR/kube-controller-manager" --kubeconfig="$kcm" \
    --authentication-kubeconfig="$kcm" --authorization-kubeconfig="$kcm" \
    --bind-address=127.0.0.1 --secure-port="$kcm_port" --cert-dir="$dir/certs" \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --profiling=false --v=1
  local sched="$dir/run/scheduler.kubeconfig"
  launch "$dir" kube-scheduler "$where" "$BIN_DIR/kube-scheduler" --kubeconfig="$sched" \
    --authentication-kubeconfig="$sched" --authorization-kubeconfig="$sched" \
    --bind-address=127.0.0.1 --secure-port="$sched_port" --leader-elect=false --profiling=false --v=1
  wait_ready "$dir" "https://127.0.0.1:$kcm_port/healthz" "$(cat "$dir/run/kube-controller-manager.pid")" \
    kube-controller-manager $net
  wait_ready "$dir" "https://127.0.0.1:$sched_port/healthz" "$(cat "$dir/run/kube-scheduler.pid")" \
    kube-scheduler $net
}

# the kernel tunables the kubelet sets (pkg/kubelet/cm/container_manager_linux.go, setupKernelTunables),
# with the values it wants: shadowed in the node's mount namespace, so it finds them set and the host's
# own values never change
KUBELET_SYSCTLS=(vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1
  kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000)

start_namespaces() { # DIR ID
  local dir=$1 id=$2 subnet
  subnet=$(pick_subnet)
  local netns="lc-$id" host_if="lc$id"
  echo "$netns" >"$dir/run/netns"
  echo "$host_if" >"$dir/run/host-if"
  NODE_IP="$subnet.2"
  echo "$NODE_IP" >"$dir/run/node-ip"
  ip netns add "$netns"
  ip link add "$host_if" type veth peer name eth0 netns "$netns"
  ip addr add "$subnet.1/24" dev "$host_if"
  ip link set "$host_if" up
  in_node "$dir" net ip link set lo up
  in_node "$dir" net ip addr add "$NODE_IP/24" dev eth0
  in_node "$dir" net ip link set eth0 up
  # No default route on purpose: nothing from the node or its Pods can leave this machine. Locally
  # originated connections to Service IPs need a route to be DNATed (kube-proxy) on the way out.
  in_node "$dir" net ip route add "$SERVICE_CIDR" dev eth0
  # bridged Pod traffic goes through iptables (Services between Pods on the node); per network namespace
  in_node "$dir" net sh -c 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables' ||
    die "net.bridge.bridge-nf-call-iptables cannot be set in the node's network namespace (br_netfilter missing?)"
  in_node "$dir" net sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'

  # the private mount namespace every node daemon joins (held open by a sleeping process)
  local shadows=() entry
  mkdir -p "$dir/run/sysctl"
  for entry in "${KUBELET_SYSCTLS[@]}"; do
    local key=${entry%%=*} value=${entry#*=}
    echo "$value" >"$dir/run/sysctl/${key//\//.}"
    shadows+=("mount --bind $dir/run/sysctl/${key//\//.} /proc/sys/$key")
  done
  # files the daemons write at fixed paths land in DIR instead: dockerd's /etc/docker/key.json, the
  # kubelet's /var/log/pods and /var/log/containers
  mkdir -p "$dir/run/etc-docker"
  [[ -d /etc/docker ]] && shadows+=("mount --bind $dir/run/etc-docker /etc/docker")
  shadows+=("mount -t tmpfs -o size=256m,mode=0755 local-cluster-logs /var/log")
  local script="mount --make-rprivate / && $(IFS='&'; echo "${shadows[*]}" | sed 's/&/ \&\& /g') && exec sleep infinity"
  setsid unshare --mount --propagation private -- sh -c "$script" </dev/null >"$dir/logs/holder.log" 2>&1 &
  echo $! >"$dir/run/holder.pid"
  echo "sleep infinity" >"$dir/run/holder.match"
  local i
  for ((i = 0; i < 50; i++)); do
    if [[ "$(readlink "/proc/$(cat "$dir/run/holder.pid")/ns/mnt" 2>/dev/null)" != "$(readlink /proc/self/ns/mnt)" ]] &&
      grep -q 'sleep' "/proc/$(cat "$dir/run/holder.pid")/cmdline" 2>/dev/null; then
      return
    fi
    sleep 0.1
  done
  abort_start "$dir" "the node's mount namespace did not come up (log: $dir/logs/holder.log)"
}

start_docker() { # DIR ID
  local dir=$1 id=$2 data_root=${LOCAL_CLUSTER_DOCKER_DATA:-$CACHE_ROOT/docker}
  # the kept data-root serves one cluster at a time: dockerd inherits the lock on fd 8 and holds it
  # while it runs; a second cluster started meanwhile gets a private data-root in DIR
  mkdir -p "$data_root"
  exec 8>"$data_root.lock"
  if ! flock -n 8; then
    exec 8>&-
    data_root="$dir/docker"
    log "the kept Docker data-root is in use by another cluster: using $data_root (no cached images)"
  fi
  echo "$data_root" >"$dir/run/docker-data-root"
  mkdir -p "$data_root" "$dir/run/docker-exec"
  launch "$dir" dockerd mnt "$(command -v dockerd)" \
    --data-root="$data_root" --exec-root="$dir/run/docker-exec" --pidfile="$dir/run/dockerd.pidfile" \
    -H "unix://$dir/docker.sock" --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent="/lc-$id/docker" --oom-score-adjust=0 \
    --add-runtime "lc-runc=$HERE/runtime/runc-oom-clamp" --default-runtime=lc-runc --log-level=warn \
    --insecure-registry="$NODE_IP:5000"
  exec 8>&-
  local i
  for ((i = 0; i < $(timeout_s) * 2; i++)); do
    if DOCKER_HOST="unix://$dir/docker.sock" docker_cli version >/dev/null 2>&1; then break; fi
    kill -0 "$(cat "$dir/run/dockerd.pid")" 2>/dev/null || abort_start "$dir" "dockerd exited during start-up (log: $dir/logs/dockerd.log)"
    sleep 0.5
  done
  # a crashed earlier run may have left containers in a kept data-root
  local stale
  stale=$(DOCKER_HOST="unix://$dir/docker.sock" docker_cli ps -aq)
  [[ -z "$stale" ]] || DOCKER_HOST="unix://$dir/docker.sock" docker_cli rm -f $stale >/dev/null
  [[ "$data_root" == "$dir"/* ]] || prune_images "$dir"
}

# The kept data-root is a cache, as a Minikube node keeps its images; but every build of changed sources
# adds an image under a new tag (the stack tags by content hash), and it grew by tens of GB a day here.
# So each start keeps the LOCAL_CLUSTER_KEEP_TAGS (default 3) most recently tagged images of each
# repository and removes the older tags, with the layers that only they use (each start is a new
# cluster: nothing runs from them). `prune-images DIR` does the same on demand.
prune_images() { # DIR
  local keep=${LOCAL_CLUSTER_KEEP_TAGS:-3} refs old
  [[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "LOCAL_CLUSTER_KEEP_TAGS must be a whole number of at least 1 (it is '$keep')"
  local -x DOCKER_HOST="unix://$1/docker.sock"
  refs=$(docker_cli images --filter dangling=false --format '{{.Repository}}:{{.Tag}}' | grep -v ':<none>$' || true)
  [[ -n "$refs" ]] || return 0
  # by the time of the last tagging (a build tags its image even when every step came from the cache),
  # newest first; a repository may hold a registry host:port
  # shellcheck disable=SC2086 # one reference per word
  old=$(paste -d' ' <(docker_cli image inspect --format '{{.Metadata.LastTagTime.UnixNano}}' $refs) <(echo "$refs") |
    sort -k1,1nr | awk -v keep="$keep" '{ repo = $2; sub(/:[^:]*$/, "", repo) } ++seen[repo] > keep { print $2 }')
  [[ -n "$old" ]] || return 0
  log "removing $(wc -l <<<"$old") image tags older than the $keep most recently tagged of their repository (LOCAL_CLUSTER_KEEP_TAGS)"
  # shellcheck disable=SC2086 # one tag per word
  docker_cli rmi $old >/dev/null ||
    log "warning: some old image tags could not be removed (docker rmi failed; see above)"
}

cmd_prune_images() {
  local dir=${1:-}
  [[ -n "$dir" ]] || die "usage: $0 prune-images DIR"
  dir=$(cd "$dir" && pwd)
  [[ -S "$dir/docker.sock" ]] || die "no node Docker daemon in $dir (start it with: $0 start $dir)"
  prune_images "$dir"
}

# Debian's docker.io CLI (20.10) talks to a 20.10 daemon without extra plugins; any docker CLI works
docker_bin() { # the docker CLI's path (a command, so that `timeout` can run it)
  if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; else command -v docker; fi
}
docker_cli() { "$(docker_bin)" "$@"; }

# images made here (no registry is reachable): the pause image and CoreDNS, each one static binary
make_node_images() { # DIR
  local dir=$1 name image bin
  export DOCKER_HOST="unix://$dir/docker.sock"
  for name in pause coredns; do
    if [[ "$name" == pause ]]; then image=$PAUSE_IMAGE; else image=$COREDNS_IMAGE; fi
    bin="$BIN_DIR/$name"
    local want
    want=$(sha256sum "$bin" | cut -c1-16)
    if [[ "$(docker_cli image inspect -f '{{ index .Config.Labels "local-cluster.binary" }}' "$image" 2>/dev/null)" == "$want" ]]; then
      continue
    fi
    local ctx="$dir/run/image-$name"
    mkdir -p "$ctx"
    cp "$bin" "$ctx/$name"
    local entry="/$name"
    printf 'FROM scratch\nCOPY %s /%s\nLABEL local-cluster.binary=%s\nUSER 65532:65532\nENTRYPOINT ["%s"]\n' \
      "$name" "$name" "$want" "$entry" >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 docker_cli build -q -t "$image" "$ctx" >/dev/null || die "building the $image image failed"
    rm -rf "$ctx"
  done
  unset DOCKER_HOST
}

write_cni_config() { # DIR
  local dir=$1
  mkdir -p "$dir/cni/net.d" "$dir/cni/cache" "$dir/cni/ipam"
  cat >"$dir/cni/net.d/10-local-cluster.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "local-cluster",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$dir/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

# the kubelet's cgroupRoot must exist in every hierarchy (cpuset needs its cpus/mems filled in)
make_cgroups() { # ID
  local id=$1 root
  for root in /sys/fs/cgroup/*/; do
    [[ -f "$root/cgroup.procs" ]] || continue
    mkdir -p "$root/lc-$id"
    if [[ -f "$root/cpuset.cpus" ]]; then
      cat "$root/cpuset.cpus" >"$root/lc-$id/cpuset.cpus"
      cat "$root/cpuset.mems" >"$root/lc-$id/cpuset.mems"
    fi
  done
}

start_node() { # DIR ID
  local dir=$1 id=$2 pki="$1/pki"
  make_cgroups "$id"
  write_cni_config "$dir"
  mkdir -p "$dir/cri-dockerd" "$dir/kubelet"
  launch "$dir" cri-dockerd mnt,net "$BIN_DIR/cri-dockerd" \
    --container-runtime-endpoint="unix://$dir/run/cri-dockerd.sock" --docker-endpoint="unix://$dir/docker.sock" \
    --network-plugin=cni --cni-bin-dir=/usr/lib/cni --cni-conf-dir="$dir/cni/net.d" --cni-cache-dir="$dir/cni/cache" \
    --pod-infra-container-image="$PAUSE_IMAGE" --cri-dockerd-root-directory="$dir/cri-dockerd" \
    --hairpin-mode=hairpin-veth --log-level=warn
  local i
  for ((i = 0; i < 60; i++)); do [[ -S "$dir/run/cri-dockerd.sock" ]] && break; sleep 0.5; done
  [[ -S "$dir/run/cri-dockerd.sock" ]] || abort_start "$dir" "cri-dockerd did not open its socket (log: $dir/logs/cri-dockerd.log)"

  write_kubeconfig "$dir/run/kubelet.kubeconfig" "$SERVER" "$pki" kubelet
  printf 'nameserver %s\n' "$DNS_IP" >"$dir/run/resolv.conf"
  cat >"$dir/run/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $pki/ca.crt }
authorization: { mode: Webhook }
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
containerRuntimeEndpoint: unix://$dir/run/cri-dockerd.sock
cgroupDriver: cgroupfs
cgroupRoot: /lc-$id
# this machine has cgroup v1; Kubernetes 1.35 makes the kubelet refuse it by default
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
clusterDNS: [$DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $dir/run/resolv.conf
staticPodPath: ""
rotateCertificates: false
serializeImagePulls: false
evictionHard: { memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%" }
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
protectKernelDefaults: false
localStorageCapacityIsolation: true
EOF
  launch "$dir" kubelet mnt,net "$BIN_DIR/kubelet" --config="$dir/run/kubelet.yaml" \
    --kubeconfig="$dir/run/kubelet.kubeconfig" --root-dir="$dir/kubelet" --cert-dir="$dir/kubelet/pki" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1
  wait_ready "$dir" "http://127.0.0.1:10248/healthz" "$(cat "$dir/run/kubelet.pid")" kubelet net

  write_kubeconfig "$dir/run/kube-proxy.kubeconfig" "$SERVER" "$pki" kube-proxy
  cat >"$dir/run/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $dir/run/kube-proxy.kubeconfig }
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
oomScoreAdj: 0
nodePortAddresses: ["$NODE_IP/32"]
# 0 leaves the global conntrack sysctls alone (they are not per network namespace)
conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
EOF
  launch "$dir" kube-proxy net "$BIN_DIR/kube-proxy" --config="$dir/run/kube-proxy.yaml" --v=1
  wait_ready "$dir" "http://127.0.0.1:10256/healthz" "$(cat "$dir/run/kube-proxy.pid")" kube-proxy net
}

wait_for() { # DIR WHAT COMMAND... (polls until COMMAND succeeds)
  local dir=$1 what=$2 i
  shift 2
  for ((i = 0; i < $(timeout_s) * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  abort_start "$dir" "$what not within $(timeout_s)s (logs above)"
}

node_ready() { api GET "/api/v1/nodes/$NODE_NAME" | tr -d ' \n' | grep -q '"type":"Ready","status":"True"'; }

default_service_account() { [[ "$(api GET /api/v1/namespaces/default/serviceaccounts/default | tail -n1)" == 200 ]]; }

coredns_ready() {
  api GET /apis/apps/v1/namespaces/kube-system/deployments/coredns | tr -d ' \n' | grep -q '"readyReplicas":1'
}

install_addons() { # DIR
  local dir=$1
  # CoreDNS as the kube-dns Service, as kubeadm and Minikube set it up (listening on 1053 inside the Pod,
  # so it runs as non-root without NET_BIND_SERVICE; the Service still answers on port 53)
  apply /api/v1/namespaces/kube-system/serviceaccounts/coredns <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: { name: coredns, namespace: kube-system }
EOF
  apply /apis/rbac.authorization.k8s.io/v1/clusterroles/system:coredns <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "system:coredns" }
rules:
  - { apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch] }
  - { apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch] }
EOF
  apply /apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:coredns <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "system:coredns" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns" }
subjects: [{ kind: ServiceAccount, name: coredns, namespace: kube-system }]
EOF
  apply /api/v1/namespaces/kube-system/configmaps/coredns <<EOF
apiVersion: v1
kind: ConfigMap
metadata: { name: coredns, namespace: kube-system }
data:
  Corefile: |
    .:1053 {
        errors
        health :8080
        ready :8181
        kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
            ttl 30
        }
        cache 30
        loadbalance
    }
EOF
  apply /apis/apps/v1/namespaces/kube-system/deployments/coredns <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: { name: coredns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  replicas: 1
  selector: { matchLabels: { k8s-app: kube-dns } }
  template:
    metadata: { labels: { k8s-app: kube-dns } }
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: coredns
          image: $COREDNS_IMAGE
          imagePullPolicy: Never
          args: [-conf, /etc/coredns/Corefile]
          ports:
            - { name: dns, containerPort: 1053, protocol: UDP }
            - { name: dns-tcp, containerPort: 1053, protocol: TCP }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          livenessProbe: { httpGet: { path: /health, port: 8080 }, periodSeconds: 10 }
          readinessProbe: { httpGet: { path: /ready, port: 8181 }, periodSeconds: 2 }
          resources: { requests: { cpu: 10m, memory: 32Mi }, limits: { memory: 128Mi } }
          volumeMounts: [{ name: config, mountPath: /etc/coredns, readOnly: true }]
      volumes: [{ name: config, configMap: { name: coredns } }]
EOF
  apply /api/v1/namespaces/kube-system/services/kube-dns <<EOF
apiVersion: v1
kind: Service
metadata: { name: kube-dns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  clusterIP: $DNS_IP
  selector: { k8s-app: kube-dns }
  ports:
    - { name: dns, port: 53, protocol: UDP, targetPort: 1053 }
    - { name: dns-tcp, port: 53, protocol: TCP, targetPort: 1053 }
EOF
  # The default StorageClass, named as Minikube's. Minikube's storage-provisioner is not available here:
  # a fixed set of hostPath volumes, made world-writable as that provisioner makes them, binds claims.
  apply /apis/storage.k8s.io/v1/storageclasses/standard <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: k8s.io/minikube-hostpath
reclaimPolicy: Delete
volumeBindingMode: Immediate
EOF
  local n
  for n in $(seq 1 "${LOCAL_CLUSTER_VOLUMES:-12}"); do
    mkdir -p "$dir/volumes/pv$n"
    chmod 0777 "$dir/volumes/pv$n"
    apply "/api/v1/persistentvolumes/local-cluster-pv$n" <<EOF
apiVersion: v1
kind: PersistentVolume
metadata: { name: local-cluster-pv$n, labels: { local-cluster/volume: "true" } }
spec:
  storageClassName: standard
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: $dir/volumes/pv$n, type: Directory }
EOF
  done
}

start_registry() { # DIR
  local dir=$1
  mkdir -p "$dir/registry"
  cat >"$dir/run/registry.yml" <<EOF
version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage:
  filesystem: { rootdirectory: $dir/registry }
  delete: { enabled: true }
http: { addr: "$NODE_IP:5000" }
EOF
  launch "$dir" registry mnt,net "$BIN_DIR/registry" "$dir/run/registry.yml"
  wait_ready "$dir" "http://$NODE_IP:5000/v2/" "$(cat "$dir/run/registry.pid")" registry
  REGISTRY="$NODE_IP:5000"
}

write_env() { # DIR
  local dir=$1
  {
    echo "KUBECONFIG=$dir/kubeconfig"
    echo "KUBE_CONTEXT=$CONTEXT_NAME"
    echo "API_SERVER=$SERVER"
    if [[ -n "${NODE_IP:-}" ]]; then
      echo "DOCKER_HOST=unix://$dir/docker.sock"
      echo "NODE_IP=$NODE_IP"
      echo "NODE_NAME=$NODE_NAME"
      echo "HOST_INTERFACE=$(cat "$dir/run/host-if")"
    fi
    if [[ -n "${REGISTRY:-}" ]]; then echo "REGISTRY=$REGISTRY"; fi
  } >"$dir/env"
}

cmd_start() {
  local dir=${1:-} mode=${2:-}
  [[ -n "$dir" ]] || die "usage: $0 start DIR [--control-plane-only] (DIR receives kubeconfig, env, logs and the cluster's data)"
  [[ -z "$mode" || "$mode" == --control-plane-only || "$mode" == --with-registry ]] ||
    die "start: unknown option '$mode' (known: --control-plane-only, --with-registry)"
  require_tools curl openssl ss
  wait_for_build
  require_binaries "${CONTROL_PLANE_BINARIES[@]}"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  DIR=$dir
  if [[ -n "$(running_pid "$dir" kube-apiserver)" && -f "$dir/env" ]]; then
    log "already running in $dir"
    echo "$dir/env"
    return
  fi
  cmd_stop "$dir" >/dev/null 2>&1 || true # leftovers of a crashed run
  local start=$SECONDS
  mkdir -p "$dir/run" "$dir/logs" "$dir/etcd-data" "$dir/certs"
  chmod 700 "$dir/etcd-data" "$dir/run"

  if [[ "$mode" == --control-plane-only ]]; then
    NODE_IP=""
    make_pki "$dir/pki" ""
    start_control_plane "$dir" 127.0.0.1 127.0.0.1 host
    write_env "$dir"
    log "control plane started in $((SECONDS - start))s: API server $SERVER (no node: Pods stay Pending)"
    echo "$dir/env"
    return
  fi

  [[ $EUID -eq 0 ]] || die "a cluster with a node needs root (network and mount namespaces, cgroups); use --control-plane-only without it"
  require_tools dockerd runc ip nsenter unshare iptables
  [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/portmap ]] ||
    die "the CNI plugins are missing in /usr/lib/cni: apt-get install --no-install-recommends containernetworking-plugins"
  require_binaries "${NODE_BINARIES[@]}"
  [[ "$mode" != --with-registry ]] || require_binaries registry
  local id
  id=$(printf '%s' "$dir" | sha256sum | cut -c1-8)
  echo "$id" >"$dir/run/id"
  start_namespaces "$dir" "$id"
  make_pki "$dir/pki" "$NODE_IP"
  start_docker "$dir" "$id" &
  local docker_job=$!
  start_control_plane "$dir" 0.0.0.0 "$NODE_IP" mnt,net
  wait "$docker_job" || abort_start "$dir" "the node's Docker daemon did not start"
  make_node_images "$dir"
  start_node "$dir" "$id"
  wait_for "$dir" "node $NODE_NAME Ready" node_ready
  wait_for "$dir" "serviceaccount/default" default_service_account
  install_addons "$dir"
  wait_for "$dir" "CoreDNS Ready" coredns_ready
  [[ "$mode" != --with-registry ]] || start_registry "$dir"
  write_env "$dir"
  log "cluster started in $((SECONDS - start))s: API server $SERVER, node $NODE_NAME ($NODE_IP), Docker unix://$dir/docker.sock"
  echo "$dir/env"
}

# --- stop --------------------------------------------------------------------------------------

stop_pid() { # DIR NAME
  local dir=$1 name=$2 pid j
  pid=$(running_pid "$dir" "$name")
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((j = 0; j < 60; j++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name ($pid) ignored SIGTERM for 15s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  STOPPED+=("$name")
}

cmd_stop() {
  local dir=${1:-}
  [[ -n "$dir" ]] || die "usage: $0 stop DIR"
  [[ -d "$dir" ]] || { log "nothing to stop: $dir does not exist"; return; }
  dir=$(cd "$dir" && pwd)
  STOPPED=()
  local id="" netns="" host_if="" holder="" data_root=""
  id=$(cat "$dir/run/id" 2>/dev/null || true)
  netns=$(cat "$dir/run/netns" 2>/dev/null || true)
  host_if=$(cat "$dir/run/host-if" 2>/dev/null || true)
  holder=$(running_pid "$dir" holder)
  data_root=$(cat "$dir/run/docker-data-root" 2>/dev/null || true)

  # the node first (kubelet would restart what we remove), then the Pods' containers, then the daemons
  local name
  for name in kube-proxy kubelet; do stop_pid "$dir" "$name"; done
  if [[ -S "$dir/docker.sock" ]]; then
    # bounded: a wedged daemon must not hold the stop up (seen once in CI: docker rm -f never returned
    # and the caller's timeout left every daemon running); it is stopped below either way, and what is
    # left of the containers goes with the node's cgroups
    local containers docker
    docker=$(docker_bin)
    containers=$(DOCKER_HOST="unix://$dir/docker.sock" timeout 20 "$docker" ps -aq 2>/dev/null) ||
      log "the node's Docker daemon did not list its containers within 20s; stopping it anyway"
    if [[ -n "$containers" ]] && ! DOCKER_HOST="unix://$dir/docker.sock" timeout 40 "$docker" rm -f $containers >/dev/null 2>&1; then
      log "docker rm -f of the node's containers failed or took over 40s; their processes are killed with the node's cgroups"
    fi
  fi
  for name in registry cri-dockerd dockerd kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$dir" "$name"; done

  # anything else still inside the node's mount namespace (containerd shims, a stray container)
  if [[ -n "$holder" ]]; then
    local ns pid
    ns=$(readlink "/proc/$holder/ns/mnt" 2>/dev/null || true)
    if [[ -n "$ns" ]]; then
      for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [[ "$pid" == "$holder" ]] && continue
        [[ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" == "$ns" ]] && kill -KILL "$pid" 2>/dev/null || true
      done
    fi
    kill -KILL "$holder" 2>/dev/null || true
    STOPPED+=(mount-namespace)
  fi
  if [[ -n "$netns" ]]; then
    # processes still in the network namespace (none expected), then the namespace and its veth
    local pid
    for pid in $(ip netns pids "$netns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$netns" 2>/dev/null || true
    STOPPED+=(network-namespace)
  fi
  [[ -z "$host_if" ]] || ip link del "$host_if" 2>/dev/null || true
  if [[ -n "$id" ]]; then
    # cgroups: every hierarchy's /lc-<id> subtree, deepest first (empty once the processes are gone;
    # a container process the daemons left behind, e.g. after a failed docker rm -f, is killed first)
    local cg i pid
    for cg in /sys/fs/cgroup/*/lc-"$id" /sys/fs/cgroup/lc-"$id"; do
      [[ -d "$cg" ]] || continue
      for pid in $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u); do kill -KILL "$pid" 2>/dev/null || true; done
      for ((i = 0; i < 20; i++)); do
        find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [[ -d "$cg" ]] || break
        sleep 0.25
      done
      [[ ! -d "$cg" ]] || log "could not remove cgroup $cg (processes left in it?)"
    done
  fi
  rm -rf "$dir/etcd-data" "$dir/pki" "$dir/certs" "$dir/run" "$dir/kubeconfig" "$dir/env" "$dir/docker.sock" \
    "$dir/docker" "$dir/kubelet" "$dir/cri-dockerd" "$dir/cni" "$dir/volumes" "$dir/registry"
  [[ "$data_root" == "$dir"/* ]] && data_root="" # a private data-root went with the rest
  log "stopped: ${STOPPED[*]:-nothing was running}; data removed from $dir (logs kept in $dir/logs${data_root:+; images kept in $data_root})"
}

# --- images ------------------------------------------------------------------------------------

cmd_load_image() {
  local dir=${1:-}
  [[ -n "$dir" && $# -ge 2 ]] || die "usage: $0 load-image DIR IMAGE|FILE.tar ..."
  dir=$(cd "$dir" && pwd)
  [[ -S "$dir/docker.sock" ]] || die "no node Docker daemon in $dir (start it with: $0 start $dir)"
  shift
  local image id
  export DOCKER_HOST="unix://$dir/docker.sock"
  for image in "$@"; do
    if [[ -f "$image" ]]; then
      docker_cli load -q -i "$image" >/dev/null || die "docker load -i $image failed"
      continue
    fi
    command -v podman >/dev/null || die "load-image $image: podman is not installed (or pass a docker-archive .tar file)"
    id=$(podman image inspect -f '{{.Id}}' "$image" 2>/dev/null) ||
      die "load-image: podman has no image $image (podman images lists what it has)"
    if [[ "$(docker_cli image inspect -f '{{ index .Config.Labels "local-cluster.source-id" }}' "$image" 2>/dev/null)" == "$id" ]] ||
      [[ "$(docker_cli image inspect -f '{{.Id}}' "$image" 2>/dev/null)" == "sha256:${id#sha256:}" ]]; then
      log "$image: already in the node"
      continue
    fi
    podman save --format docker-archive "$image" | docker_cli load -q >/dev/null || die "copying $image from podman failed"
    log "$image: loaded into the node"
  done
}

cmd_env() {
  local dir=${1:-}
  [[ -n "$dir" && -f "$dir/env" ]] || die "no running cluster in '${dir}' (start one with: $0 start DIR)"
  cat "$dir/env"
}

main() {
  case "${1:-}" in
    build) shift; cmd_build "$@" ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    env) shift; cmd_env "$@" ;;
    load-image) shift; cmd_load_image "$@" ;;
    prune-images) shift; cmd_prune_images "$@" ;;
    bin-dir) wait_for_build; echo "$BIN_DIR" ;;
    update-module) cmd_update_module ;;
    *) die "usage: $0 build [control-plane|node|kubectl|registry...] | start DIR [--control-plane-only] | stop DIR | env DIR | load-image DIR IMAGE... | prune-images DIR | bin-dir | update-module" ;;
  esac
}

# one compound command, parsed whole before it runs: editing this file during a long build is safe
{ main "$@"; exit $?; }
