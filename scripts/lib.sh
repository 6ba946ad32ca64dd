#!/usr/bin/env bash
# Shared settings for the patch pipeline and builds. Sourced, not run.
#
# The Kubernetes version is pinned in exactly one place: the root go.mod's
# `require k8s.io/kubernetes vX.Y.Z`. Everything here reads it from there.

set -o errexit -o nounset -o pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly GO="${GO:-go}"

# Where upstream keeps the package, and where we generate it.
readonly UPSTREAM_MODULE="k8s.io/kubernetes"
readonly UPSTREAM_PKG="pkg/controller/cronjob"
readonly OUR_MODULE="github.com/steadycron/steadycron"
readonly GENERATED_DIR="${REPO_ROOT}/${UPSTREAM_PKG}"
readonly PATCH_DIR="${REPO_ROOT}/patches"
readonly OUTPUT_DIR="${REPO_ROOT}/_output"
# PATCH_WORKSPACE lets two people work on different patches at once.
readonly WORKSPACE_DIR="${PATCH_WORKSPACE:-${OUTPUT_DIR}/patch-workspace}"

# Stable format-patch options: the files must not churn when re-exported.
readonly FORMAT_PATCH_OPTS=(--zero-commit --no-signature --no-numbered --full-index --no-renames --stat=80)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# git with a fixed identity and none of the user's config that changes output.
pgit() {
  GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git \
    -c user.name="steadycron patch pipeline" -c user.email="patches@steadycron.io" \
    -c commit.gpgsign=false -c core.autocrlf=false -c core.hooksPath=/dev/null \
    -c am.threeWay=false -c init.defaultBranch=main "$@"
}

kube_version() {
  (cd "${REPO_ROOT}" && "${GO}" list -m -f '{{.Version}}' "${UPSTREAM_MODULE}")
}

# upstream_dir prints the module cache directory of the pinned k8s.io/kubernetes,
# downloading it first when needed.
upstream_dir() {
  local dir
  dir="$(cd "${REPO_ROOT}" && "${GO}" list -m -f '{{.Dir}}' "${UPSTREAM_MODULE}" 2>/dev/null || true)"
  if [[ -z "${dir}" || ! -d "${dir}" ]]; then
    (cd "${REPO_ROOT}" && "${GO}" mod download "${UPSTREAM_MODULE}") || die "cannot download ${UPSTREAM_MODULE}"
    dir="$(cd "${REPO_ROOT}" && "${GO}" list -m -f '{{.Dir}}' "${UPSTREAM_MODULE}")"
  fi
  [[ -d "${dir}/${UPSTREAM_PKG}" ]] || die "${UPSTREAM_PKG} not found in ${dir}"
  printf '%s\n' "${dir}"
}

# WITHOUT (a comma-separated list of patch numbers, e.g. WITHOUT=0022) leaves
# those patches out: the negative controls of the simulation (make sim) run
# against the series without a fix. Never set for builds.
patch_files() {
  local skip="${WITHOUT:-}"
  find "${PATCH_DIR}" -maxdepth 1 -name '*.patch' -type f | LC_ALL=C sort |
    while IFS= read -r p; do
      [[ -n "${skip}" && ",${skip}," == *",$(basename "${p}" | cut -c1-4),"* ]] && continue
      printf '%s\n' "${p}"
    done
}

# make_series_repo DIR: a git repo at DIR holding the upstream package at its
# upstream path as one baseline commit (tagged "baseline"), with every patch of
# the series applied on top by `git am`, one commit each.
make_series_repo() {
  local dir="$1" version src p
  version="$(kube_version)"
  src="$(upstream_dir)"
  rm -rf "${dir}"
  mkdir -p "${dir}/$(dirname "${UPSTREAM_PKG}")"
  cp -R "${src}/${UPSTREAM_PKG}" "${dir}/${UPSTREAM_PKG}"
  chmod -R u+w "${dir}"
  (
    cd "${dir}"
    pgit init -q
    pgit add -A
    GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
      pgit commit -q -m "baseline: ${UPSTREAM_MODULE} ${version} ${UPSTREAM_PKG}"
    pgit tag baseline
  )
  while IFS= read -r p; do
    [[ -n "${p}" ]] || continue
    if ! out="$(cd "${dir}" && pgit am -q "${p}" 2>&1)"; then
      (cd "${dir}" && pgit am --abort >/dev/null 2>&1 || true)
      die "patch $(basename "${p}") does not apply to ${UPSTREAM_MODULE} ${version}:
${out}"
    fi
  done < <(patch_files)
}

# export_series REPO OUTDIR: write REPO's commits since "baseline" as patch files.
export_series() {
  local repo="$1" out="$2"
  mkdir -p "${out}"
  (cd "${repo}" && pgit format-patch -q "${FORMAT_PATCH_OPTS[@]}" -o "${out}" baseline..HEAD >/dev/null)
}

# check_series_scope REPO: every patch touches only the upstream package.
check_series_scope() {
  local repo="$1" outside
  outside="$(cd "${repo}" && pgit diff --name-only baseline..HEAD | grep -v "^${UPSTREAM_PKG}/" || true)"
  [[ -z "${outside}" ]] || die "patches touch files outside ${UPSTREAM_PKG}/: ${outside}"
}

# The groups of the series (patches/GROUPS): group_last NAME prints the number
# of the group's last patch (e.g. 3 for "fixes 0003"); repro_patch prints the
# number of the patch the bug report of docs/upstream/ is about.
readonly GROUPS_FILE="${PATCH_DIR}/GROUPS"
group_last() {
  local n
  n="$(awk -v g="$1" '$1 == g {print $2}' "${GROUPS_FILE}")"
  [[ "${n}" =~ ^[0-9]{4}$ ]] || die "patches/GROUPS names no last patch for group $1"
  printf '%d\n' "$((10#${n}))"
}
repro_patch() {
  local n
  n="$(sed -n 's/.*repro=\([0-9]\{4\}\).*/\1/p' "${GROUPS_FILE}")"
  [[ -n "${n}" ]] || die "patches/GROUPS names no repro= patch"
  printf '%d\n' "$((10#${n}))"
}

# series_ref REPO N: the commit of REPO (a make_series_repo) with the first N
# patches applied; 0 is the baseline.
series_ref() {
  if (($2 == 0)); then printf 'baseline\n'; return; fi
  (cd "$1" && pgit rev-list --reverse baseline..HEAD | sed -n "$2p")
}

# scratch_module SERIES DIR REF [FILE...]: a Go module at DIR (module path
# example.com/scratch) holding the upstream package as it is at REF in the
# series repo SERIES, plus FILEs copied into the package. The package's imports
# of itself are rewritten to the scratch module, as scripts/patch-apply.sh does
# for ours; everything else resolves through this repository's go.mod and go.sum.
readonly SCRATCH_MODULE="example.com/scratch"
scratch_module() {
  local series="$1" dir="$2" ref="$3"
  shift 3
  mkdir -p "${dir}"
  (cd "${series}" && pgit archive "${ref}" "${UPSTREAM_PKG}") | tar -x -C "${dir}"
  (($# == 0)) || cp "$@" "${dir}/${UPSTREAM_PKG}/"
  find "${dir}/${UPSTREAM_PKG}" -name '*.go' -type f -exec \
    sed -i "s#\"${UPSTREAM_MODULE}/${UPSTREAM_PKG}#\"${SCRATCH_MODULE}/${UPSTREAM_PKG}#g" {} +
  sed "s#^module .*#module ${SCRATCH_MODULE}#" "${REPO_ROOT}/go.mod" >"${dir}/go.mod"
  cp "${REPO_ROOT}/go.sum" "${dir}/go.sum"
}

# scratch_test DIR ARGS...: go test in a scratch module.
scratch_test() {
  local dir="$1"
  shift
  (cd "${dir}" && GOWORK=off GOFLAGS=-mod=mod "${GO}" test "$@")
}

# go_toolchain prints the Go release the root go.mod's toolchain line names
# (e.g. go1.26.8), or its go line's when it has none.
go_toolchain() {
  local t
  t="$(sed -n 's/^toolchain[[:space:]]\{1,\}\(go[0-9.]*\)[[:space:]]*$/\1/p' "${REPO_ROOT}/go.mod")"
  [[ -n "${t}" ]] || t="go$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\)[[:space:]]*$/\1/p' "${REPO_ROOT}/go.mod")"
  [[ "${t}" =~ ^go[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || die "go.mod names no Go release (toolchain or go line)"
  printf '%s\n' "${t}"
}

# reproducible_go_env exports the Go environment that makes a build depend
# only on the source and the Go release: the toolchain line's release
# (GOTOOLCHAIN; go downloads it from the module proxy when this machine has
# another), no GOFLAGS, no go.work, the baseline instruction sets (GOAMD64=v1,
# GOARM64=v8.0), no experiments, no FIPS module, and CGO off. Without it a
# GOFLAGS=-tags=..., a GOAMD64=v3 or a go.work in a parent directory changes
# the binary, and the image's digest with it.
reproducible_go_env() {
  GOTOOLCHAIN="$(go_toolchain)"
  # GOENV=off: an empty GOFLAGS or GOEXPERIMENT counts as unset, and Go would
  # read the user's `go env -w` file instead.
  export GOENV=off GOTOOLCHAIN GOFLAGS="" GOWORK=off GOAMD64=v1 GOARM64=v8.0 GOEXPERIMENT="" GOFIPS140=off CGO_ENABLED=0
  unset GOROOT
}

# source_version prints steadycron's version for the binary and the image:
# VERSION when set (a release tag such as v0.3.0), else the full commit SHA of
# HEAD, else "dev" outside a git checkout. Nothing else enters it (no
# abbreviation, no tags, no dirty marker), so the same commit gets the same
# version on every machine.
source_version() {
  if [[ -n "${VERSION:-}" ]]; then
    [[ "${VERSION}" =~ ^[0-9A-Za-z][0-9A-Za-z._+-]{0,127}$ ]] || die "VERSION=${VERSION}: want a version such as v0.3.0"
    printf '%s\n' "${VERSION}"
    return
  fi
  git -C "${REPO_ROOT}" rev-parse --verify -q HEAD 2>/dev/null || echo dev
}

# source_tree_state prints "dirty" when a tracked file differs from HEAD
# (untracked and ignored files never count: they are not built), else "clean".
source_tree_state() {
  if [[ -n "$(git -C "${REPO_ROOT}" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    echo dirty
  else
    echo clean
  fi
}

# ensure_prometheus makes sure `prometheus` and `promtool` are on PATH: the
# rule unit tests (make verify), the e2e alert suite and `make run` use
# Debian's prometheus package (2.42 on Debian 12; the Go module of promtool
# does not install from the module proxy). When they are missing and this
# runs as root, or with password-less sudo, and apt-get (CI starts from a
# clean machine as root; GitHub's runners have sudo), it installs the package;
# otherwise it fails, saying how to install it.
ensure_prometheus() {
  if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
    return 0
  fi
  # As root (CI here), or through password-less sudo (GitHub's runners).
  local as_root=()
  if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  fi
  if { [[ "$(id -u)" != 0 ]] && ((${#as_root[@]} == 0)); } || ! command -v apt-get >/dev/null; then
    log "prometheus and promtool are missing: install Debian's prometheus package"
    log "  (sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus)"
    return 1
  fi
  log "installing Debian's prometheus package (prometheus, promtool)"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null ||
    { log "apt-get install prometheus failed"; return 1; }
  command -v promtool >/dev/null && command -v prometheus >/dev/null
}

# go_tool NAME MODULE/PATH@VERSION: the path of _output/bin/NAME, first
# installing it with `go install` when it is missing or not at VERSION (the
# version its build information records, `go version -m`, or the one it
# prints, without or with the v, on `NAME --version`). CI starts from a clean
# machine; the module proxy is all it needs.
go_tool() {
  local name="$1" pkg="$2" bin="${OUTPUT_DIR}/bin/$1" version="${2##*@}"
  if [[ ! -x "${bin}" ]] ||
     { ! "${GO}" version -m "${bin}" 2>/dev/null | awk -v v="${version}" '$1 == "mod" && $3 == v {found = 1} END {exit !found}' &&
       ! "${bin}" --version 2>/dev/null | grep -qF "${version#v}"; }; then
    log "installing ${pkg} into ${bin#"${REPO_ROOT}/"}"
    mkdir -p "${OUTPUT_DIR}/bin"
    GOBIN="${OUTPUT_DIR}/bin" "${GO}" install "${pkg}" || die "go install ${pkg} failed"
  fi
  printf '%s\n' "${bin}"
}

# bench_preflight NAME WHAT, for the benchmark scripts (run from the repository
# root): stops unless the local control plane's programs and cronjob-controller
# are in _output/bin, and unless the 1-minute load average is at most
# BENCH_MAX_LOAD (default 1.5; 0 disables the check), since WHAT would then
# measure the other work too. NAME prefixes the messages.
bench_preflight() {
  local name="$1" what="$2" b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok cronjob-controller; do
    if [[ ! -x "_output/bin/${b}" ]]; then
      echo "${name}: _output/bin/${b} is missing: run 'make build cluster-binaries'" >&2
      exit 1
    fi
  done
  local max_load="${BENCH_MAX_LOAD:-1.5}" load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  if [[ "${max_load}" != "0" ]] && awk -v l="${load}" -v m="${max_load}" 'BEGIN { exit !(l > m) }'; then
    echo "${name}: load average ${load} > ${max_load}: ${what} would measure the other work too." >&2
    echo "${name}: wait, or set BENCH_MAX_LOAD=0 to run anyway (and say so with the figures)." >&2
    exit 1
  fi
}
