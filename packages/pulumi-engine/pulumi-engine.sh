#!/usr/bin/env bash
# Brings a Pulumi engine to this machine without the Pulumi installer (which downloads from outside):
#
#   pulumi                      the real CLI/engine, built from the Go module proxy
#                               (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi, version of @pulumi/pulumi)
#   pulumi-resource-kubernetes  the real Kubernetes provider, built from the Go module proxy (see PINS)
#   helm                        the Helm CLI at the version that provider embeds, built in the provider's module
#                               (a `tool` of go/kubernetes/go.mod): 98 % of its packages are the provider's, so
#                               built first it costs the provider's build nothing; the chart suites use it
#   pulumi-language-nodejs      go/cli/language-host, built in the CLI's module } stand-ins: the upstream
#   pulumi-resource-random      launcher of stand-ins/random-provider.ts        } Go modules are not served
#   pulumi-resource-docker      launcher of stand-ins/docker-provider.ts        } by the Go module proxy
#
# (paths relative to this package, packages/pulumi-engine; the Go wrapper modules are under go/)
#
# Laid out like a Pulumi installation: the CLI and its bundled language host in one bin directory (the
# CLI looks for bundled plugins next to itself), the resource providers installed into the plugin cache
# ($PULUMI_HOME/plugins) with `pulumi plugin install --file`, at the versions the npm packages ask for,
# so the engine resolves them by version and `pulumi plugin ls` lists them.
#
# The Go binaries go to a cache outside the repo, reused when their recorded module versions and
# ldflags match: ${PULUMI_ENGINE_CACHE:-$HOME/.cache/todo-chatbot/pulumi-engine}/<versions>/bin.
# The per-checkout bin directory and launchers go to .../checkouts/<hash of the workspace root's path>,
# rewritten on every run (cheap; the CLI there is a hard link). The workspace root is two levels up
# (the repository this package belongs to): its node_modules holds the @pulumi/* packages whose versions
# pick the plugins, and the launchers run Node there.
#
#   bash packages/pulumi-engine/pulumi-engine.sh                    build what is missing, then print the bin directory (last line)
#   bash packages/pulumi-engine/pulumi-engine.sh --build-binaries   only build the Go binaries into the cache (the CLI beside helm,
#                                                                   then the provider; needs no node_modules, so it can start
#                                                                   before `npm ci`)
#   bash packages/pulumi-engine/pulumi-engine.sh --helm             print the path of helm, built first if missing (waits for a
#                                                                   build in progress, which builds it before the provider)
#   bash packages/pulumi-engine/pulumi-engine.sh --path             print the bin directory if the binaries are built (writes the
#                                                                   launchers; waits for a build in progress), else exit 1
#   bash packages/pulumi-engine/pulumi-engine.sh --install-plugins  install the resource providers into $PULUMI_HOME (~/.pulumi)
#   bash packages/pulumi-engine/pulumi-engine.sh --versions         print what runs: CLI, provider binaries, requested versions
#
# PULUMI_ENGINE_NICE sets the niceness of the Go builds (default 15, so they stay out of a developer's way).
#
# Then: export PATH="$(bash packages/pulumi-engine/pulumi-engine.sh --path):$PATH"
#       bash packages/pulumi-engine/pulumi-engine.sh --install-plugins
#       PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_SKIP_UPDATE_CHECK=true pulumi ...
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SELF=packages/pulumi-engine/pulumi-engine.sh
log() { printf '[pulumi-engine] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- PINS -----------------------------------------------------------------------------------------
# pulumi/pulumi: pkg/v3 and sdk/v3 are tagged (v3.276.0); the CLI wrapper module pins them (go/cli/go.mod).
PULUMI_VERSION=3.276.0
# pulumi-kubernetes tags only the repo root and sdk/: its provider module is reachable only by the
# pseudo-version of a release commit, and the module proxy serves exactly one: the v4.25.0 release
# commit f47bc2d6f199 (2026-01-15). So the provider is 4.25.0 (go/kubernetes/go.mod).
KUBERNETES_VERSION=4.25.0
KUBERNETES_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
KUBERNETES_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199
# ---------------------------------------------------------------------------------------------------

CACHE_ROOT=${PULUMI_ENGINE_CACHE:-$HOME/.cache/todo-chatbot/pulumi-engine}
BIN=$CACHE_ROOT/pulumi-v$PULUMI_VERSION-kubernetes-v$KUBERNETES_VERSION/bin
BUILD_LOCK=$CACHE_ROOT/.build.lock # held by a build (flock)
CHECKOUT=$CACHE_ROOT/checkouts/$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
ENGINE_BIN=$CHECKOUT/bin          # pulumi + pulumi-language-nodejs: what goes on PATH
PROVIDERS=$CHECKOUT/providers     # launchers of the stand-in providers, installed into the plugin cache
PULUMI_LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
# the language host reports the CLI's version, as upstream's bundled one does; its source's hash is in its ldflags
# (and so in its stamp), so an edited main.go is rebuilt
LANGUAGE_HOST_LDFLAGS="-s -w -X main.version=$PULUMI_VERSION -X main.source=$(sha256sum "$HERE/go/cli/language-host/main.go" | cut -c1-16)"
KUBERNETES_LDFLAGS="-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_VERSION"
# the Helm the provider embeds: its version is the one go/kubernetes/go.mod resolves (the provider's requirement)
HELM_VERSION=$(awk '$1 == "helm.sh/helm/v3" { print $2 }' "$HERE/go/kubernetes/go.mod")
HELM_LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
HELM_LOCK=$CACHE_ROOT/.helm.lock   # held while helm builds (flock)

# The project whose node_modules decide the plugin versions (the SDKs ask the engine for those):
# PULUMI_ENGINE_PROJECT, else the workspace root.
PROJECT=${PULUMI_ENGINE_PROJECT:-$REPO}
npm_version() { # version of an installed npm package, or "none"
  node -e 'try { console.log(require(process.argv[1] + "/package.json").version) } catch { console.log("none") }' \
    "$PROJECT/node_modules/$1"
}

# A binary is reusable when `go version -m` shows the pinned module version and the stamp file written
# after its build records the same module version and ldflags (-trimpath keeps ldflags out of the binary).
stamp_of() { echo "$(dirname "$1")/.$(basename "$1").stamp"; }
up_to_date() { # <binary> <module> <module version> <ldflags>
  local info
  [ -x "$1" ] || return 1
  info=$(go version -m "$1" 2>/dev/null) || return 1
  grep -qE "^[[:space:]]+(mod|dep)[[:space:]]+$2[[:space:]]+$3([[:space:]]|\$)" <<<"$info" || return 1
  [ "$(cat "$(stamp_of "$1")" 2>/dev/null)" = "$2@$3 $4" ]
}

go_build() { # <wrapper dir> <output> <ldflags> <module> <module version> [package]  (in a scratch copy)
  local src=$1 out=$2 ldflags=$3 module=$4 version=$5 pkg=${6:-.} work started
  work=$(mktemp -d "${TMPDIR:-/tmp}/pulumi-engine-build.XXXXXX")
  cp -r "$src/." "$work/"
  if [ -n "${PREPARE:-}" ]; then (cd "$work" && "$PREPARE"); fi
  started=$(date +%s)
  log "building $(basename "$out") (cold builds take minutes; nice -n ${PULUMI_ENGINE_NICE:-15})"
  # static, without DWARF (never linked in: -s -w), as upstream's release builds are static (CGO_ENABLED=0)
  (cd "$work" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" nice -n "${PULUMI_ENGINE_NICE:-15}" \
    go build -trimpath -gcflags=all=-dwarf=false -ldflags "$ldflags" -o "$out.tmp" "$pkg") || { rm -rf "$work"; die "go build of $(basename "$out") failed"; }
  mv "$out.tmp" "$out"
  echo "$module@$version $ldflags" >"$(stamp_of "$out")"
  rm -rf "$work"
  log "built $(basename "$out") in $(( $(date +%s) - started )) s"
}

# Generates what the upstream cmd package's `go generate` would: the schema with the version set, and
# the Terraform mapping, both from the module zip, next to the wrapper's main.go that embeds them.
prepare_kubernetes() {
  local dir
  dir=$(GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' "$KUBERNETES_MODULE")
  [ -n "$dir" ] && [ -f "$dir/cmd/pulumi-resource-kubernetes/schema.json" ] || { go mod download "$KUBERNETES_MODULE" \
    && dir=$(GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' "$KUBERNETES_MODULE"); }
  node -e '
    const fs = require("node:fs");
    const [dir, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(dir + "/cmd/pulumi-resource-kubernetes/schema.json", "utf8"));
    schema.version = version;
    fs.writeFileSync("schema-embed.json", JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(dir + "/cmd/pulumi-resource-kubernetes/terraform-mapping.json", "utf8"));
    fs.writeFileSync("terraform-mapping-embed.json", JSON.stringify(mapping));
  ' "$dir" "$KUBERNETES_VERSION"
}

write_launcher() { # <path> <space-separated VAR=value list> <ts file> [args...]
  local name=$1 envs=$2 node_bin assignment
  shift 2
  node_bin=$(command -v node)
  {
    echo '#!/usr/bin/env bash'
    echo "# Written by $SELF for $REPO; rewritten on every run."
    for assignment in $envs; do printf 'export %q\n' "$assignment"; done
    # Node's compile cache from the first file on (the .ts entry's type stripping included: ~0.1 s of CPU per
    # start), in the directory enableCompileCache() uses by default
    echo '[ -n "${NODE_COMPILE_CACHE:-}" ] || export NODE_COMPILE_CACHE="${TMPDIR:-/tmp}/node-compile-cache"'
    printf 'exec %q --disable-warning=MODULE_TYPELESS_PACKAGE_JSON' "$node_bin"
    printf ' %q' "$@"
    printf ' "$@"\n'
  } >"$name.$$.tmp"
  chmod +x "$name.$$.tmp"
  # unchanged: keep the file (a test may be running it); else replace it in one rename
  if cmp -s "$name.$$.tmp" "$name"; then rm -f "$name.$$.tmp"; else mv "$name.$$.tmp" "$name"; fi
}

check_versions() {
  local v
  v=$(npm_version @pulumi/pulumi)
  [ "$v" = "$PULUMI_VERSION" ] || die "node_modules has @pulumi/pulumi $v but this script builds pulumi $PULUMI_VERSION: \
change PULUMI_VERSION and $HERE/go/cli/go.mod (go get -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$v) or pin @pulumi/pulumi"
  v=$(npm_version @pulumi/kubernetes)
  [ "$v" != none ] || die "$PROJECT/node_modules has no @pulumi/kubernetes: run npm ci"
}

# The Kubernetes provider binary is always $KUBERNETES_VERSION (the only build the Go module proxy serves);
# it is installed into the plugin cache under the version @pulumi/kubernetes asks for, so the engine
# loads it. When the two differ, the engine runs older provider code than a user gets: said here, by
# --versions, by the engine suite's output and in docs/verification.md.
kubernetes_note() {
  local requested
  requested=$(npm_version @pulumi/kubernetes)
  if [ "$requested" = "$KUBERNETES_VERSION" ]; then
    log "kubernetes provider: $KUBERNETES_VERSION, as @pulumi/kubernetes asks"
  else
    log "kubernetes provider: the $KUBERNETES_VERSION binary (built from the Go module proxy, which serves no other) is installed as $requested, the version @pulumi/kubernetes asks for; the provider code that runs is $KUBERNETES_VERSION's"
  fi
}

cli_built() { up_to_date "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION" "$PULUMI_LDFLAGS"; }
language_host_built() { up_to_date "$BIN/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION" "$LANGUAGE_HOST_LDFLAGS"; }
kubernetes_built() { up_to_date "$BIN/pulumi-resource-kubernetes" "$KUBERNETES_MODULE" "$KUBERNETES_MODULE_VERSION" "$KUBERNETES_LDFLAGS"; }
helm_built() { up_to_date "$BIN/helm" helm.sh/helm/v3 "$HELM_VERSION" "$HELM_LDFLAGS"; }
binaries_built() { cli_built && language_host_built && kubernetes_built && helm_built; }

# the binaries the per-checkout bin directory holds (hard links into $BIN): the CLI and its bundled language host
BUNDLED="pulumi pulumi-language-nodejs"
bundled_linked() { # every one of them in $ENGINE_BIN is the cached binary
  local binary
  for binary in $BUNDLED; do
    [ "$ENGINE_BIN/$binary" -ef "$BIN/$binary" ] || cmp -s "$ENGINE_BIN/$binary" "$BIN/$binary" || return 1
  done
}

all_built() {
  binaries_built && bundled_linked &&
    [ -x "$PROVIDERS/pulumi-resource-random" ] &&
    [ -x "$PROVIDERS/pulumi-resource-docker" ]
}

# `pulumi plugin install <kind> <name> <version> --file <binary>` into $PULUMI_HOME (default ~/.pulumi), skipped
# when the same file is already there.
install_plugin() { # <name> <version> <binary>
  local installed="${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-$1-v$2/pulumi-resource-$1"
  if cmp -s "$3" "$installed"; then log "plugin $1 $2: installed"; return; fi
  "$ENGINE_BIN/pulumi" plugin install resource "$1" "$2" --file "$3" --reinstall >&2 ||
    die "pulumi plugin install resource $1 $2 --file $3 failed"
}

build_cli() {
  if cli_built; then
    log "pulumi v$PULUMI_VERSION: cached"
  else
    go_build "$HERE/go/cli" "$BIN/pulumi" "$PULUMI_LDFLAGS" github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  fi
}

# the language host: a main package of the CLI's wrapper module, so every package it imports (the SDK's gRPC
# protocol) is the CLI's, compiled already; built after the CLI, it costs a link
build_language_host() {
  if language_host_built; then
    log "pulumi-language-nodejs v$PULUMI_VERSION: cached"
  else
    go_build "$HERE/go/cli" "$BIN/pulumi-language-nodejs" "$LANGUAGE_HOST_LDFLAGS" github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION" \
      ./language-host
  fi
}

build_kubernetes() {
  if kubernetes_built; then
    log "pulumi-resource-kubernetes $KUBERNETES_VERSION: cached"
  else
    PREPARE=prepare_kubernetes go_build "$HERE/go/kubernetes" "$BIN/pulumi-resource-kubernetes" "$KUBERNETES_LDFLAGS" \
      "$KUBERNETES_MODULE" "$KUBERNETES_MODULE_VERSION"
  fi
}

# helm, from the provider's module: the packages it compiles are the provider's (same module versions, same
# flags), so the provider's build that follows finds them in the Go build cache. Holds $HELM_LOCK meanwhile.
build_helm() {
  mkdir -p "$BIN"
  exec 8>"$HELM_LOCK"
  flock -n 8 || { log "helm is being built (a build holds $HELM_LOCK): waiting for it"; flock 8; }
  if helm_built; then
    log "helm $HELM_VERSION: cached"
  else
    go_build "$HERE/go/kubernetes" "$BIN/helm" "$HELM_LDFLAGS" helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
  fi
  exec 8>&-
}

# the CLI and the provider are separate modules: built side by side, a cold build keeps both cores busy; helm
# goes first on the provider's side (it is needed first, by the chart suites, and its packages are the provider's).
# One build at a time on this machine: it holds $BUILD_LOCK (the kernel drops it when the build ends, however it ends).
build_binaries() {
  local cli kubernetes failed=0
  mkdir -p "$BIN"
  exec 9>"$BUILD_LOCK"
  flock -n 9 || { log "another build of the engine is running (it holds $BUILD_LOCK): waiting for it"; flock 9; }
  { build_cli && build_language_host; } & cli=$!
  { build_helm && build_kubernetes; } & kubernetes=$!
  wait "$cli" || failed=1
  wait "$kubernetes" || failed=1
  exec 9>&-
  [ "$failed" = 0 ] || die "building the engine's Go binaries failed (see the messages above)"
}

# --path and --install-plugins wait for a build in progress, so a test started while the binaries build
# (CI starts the tests beside the cold build) uses them instead of finding them missing.
wait_for_build() {
  [ -e "$BUILD_LOCK" ] || return 0
  exec 7<"$BUILD_LOCK"
  flock -s -n 7 || { log "the engine is being built (a build holds $BUILD_LOCK): waiting for it"; flock -s 7; }
  exec 7<&-
}

# The per-checkout bin directory: the CLI and its language host (the CLI finds its bundled language host next
# to its own resolved path, so the directory holds the CLI itself: hard links, no copies, while a symlink would
# resolve back into the shared cache) and the launchers of the stand-in providers. Cheap; unchanged files stay.
write_engine_bin() {
  check_versions
  mkdir -p "$ENGINE_BIN" "$PROVIDERS"
  local binary
  for binary in $BUNDLED; do
    [ "$ENGINE_BIN/$binary" -ef "$BIN/$binary" ] || ln -f "$BIN/$binary" "$ENGINE_BIN/$binary" 2>/dev/null ||
      cp -f "$BIN/$binary" "$ENGINE_BIN/$binary"
  done
  write_launcher "$PROVIDERS/pulumi-resource-random" \
    "PULUMI_ENGINE_PROVIDER_NAME=random PULUMI_ENGINE_PROVIDER_VERSION=$(npm_version @pulumi/random)" \
    "$HERE/stand-ins/provider-host.ts" "$HERE/stand-ins/random-provider.ts"
  write_launcher "$PROVIDERS/pulumi-resource-docker" \
    "PULUMI_ENGINE_PROVIDER_NAME=docker PULUMI_ENGINE_PROVIDER_VERSION=$(npm_version @pulumi/docker)" \
    "$HERE/stand-ins/provider-host.ts" "$HERE/stand-ins/docker-provider.ts"
}

command -v go >/dev/null || die "go is not installed (needed to build the engine)"
if [ "${1:-}" = --build-binaries ]; then
  build_binaries
  exit 0
fi
if [ "${1:-}" = --helm ]; then
  build_helm
  helm_built || die "helm $HELM_VERSION is not built (see the messages above)"
  echo "$BIN/helm"
  exit 0
fi
command -v node >/dev/null || die "node is not on PATH (Node.js 24 runs the program and the stand-in providers)"
case "${1:-}" in
  --path)
    wait_for_build
    binaries_built || exit 1
    write_engine_bin
    all_built || exit 1
    echo "$ENGINE_BIN"
    exit 0
    ;;
  --install-plugins)
    wait_for_build
    all_built || die "the engine is not built: run bash $SELF"
    check_versions
    kubernetes_note
    install_plugin kubernetes "$(npm_version @pulumi/kubernetes)" "$BIN/pulumi-resource-kubernetes"
    install_plugin random "$(npm_version @pulumi/random)" "$PROVIDERS/pulumi-resource-random"
    install_plugin docker "$(npm_version @pulumi/docker)" "$PROVIDERS/pulumi-resource-docker"
    exit 0
    ;;
  --versions)
    # what runs, one name=version per line: the CLI, the provider binaries, what the SDKs ask for
    echo "pulumi=$PULUMI_VERSION"
    echo "kubernetes-binary=$KUBERNETES_VERSION"
    echo "kubernetes-requested=$(npm_version @pulumi/kubernetes)"
    echo "helm=$HELM_VERSION (the provider's)"
    echo "random=$(npm_version @pulumi/random) (stand-in)"
    echo "docker=$(npm_version @pulumi/docker) (stand-in)"
    exit 0
    ;;
  "") ;;
  *) die "unknown argument '$1' (usage: bash $SELF [--build-binaries | --helm | --path | --install-plugins | --versions])" ;;
esac

check_versions
build_binaries
write_engine_bin

all_built || die "the engine is incomplete after building; see the messages above"
[ "$("$ENGINE_BIN/pulumi" version)" = "v$PULUMI_VERSION" ] || die "$ENGINE_BIN/pulumi reports $("$ENGINE_BIN/pulumi" version), not v$PULUMI_VERSION"
kubernetes_note
log "pulumi $("$ENGINE_BIN/pulumi" version) in $ENGINE_BIN; providers: kubernetes $KUBERNETES_VERSION (built), random and docker (stand-ins); install them with --install-plugins"
echo "$ENGINE_BIN"
