#!/usr/bin/env bash
# Every check `make verify` runs; reports all failures, not only the first.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

failed=()
check() {
  local name="$1"; shift
  log "--- ${name}"
  if "$@"; then log "    ok"; else failed+=("${name}"); fi
}

gofmt_clean() {
  local files
  files="$(git ls-files --cached --others --exclude-standard -- '*.go' | xargs -r gofmt -l)"
  [[ -z "${files}" ]] || { log "gofmt would change:"; log "${files}"; return 1; }
}

# go.mod pins k8s.io/kubernetes once; every staging module it replaces must be
# at the matching v0.X.Y, or the build mixes releases.
gomod_pinned() {
  local kube want bad
  kube="$(kube_version)"
  want="v0.${kube#v1.}"
  bad="$(awk -v want="${want}" '$2 == "=>" && $1 ~ /^k8s\.io\// && $4 != want {print $1 " => " $3 " " $4}' go.mod)"
  [[ -z "${bad}" ]] || { log "replace lines not at ${want} (k8s.io/kubernetes ${kube}):"; log "${bad}"; return 1; }
}

# Every Go file carries the Apache 2.0 header (LICENSE): "The steadycron
# Authors", or "The Kubernetes Authors" for the tests written for upstream's
# package (docs/upstream/testdata).
license_headers() {
  local f bad=()
  while IFS= read -r f; do
    head -n 20 "${f}" | grep -q 'Licensed under the Apache License, Version 2.0' &&
      head -n 20 "${f}" | grep -Eq '^Copyright [0-9]{4} The (steadycron|Kubernetes) Authors\.$' || bad+=("${f}")
  done < <(git ls-files --cached --others --exclude-standard -- '*.go')
  ((${#bad[@]} == 0)) || { log "no Apache 2.0 licence header:"; printf '    %s\n' "${bad[@]}" >&2; return 1; }
}

generated_untracked() {
  [[ -z "$(git ls-files "${UPSTREAM_PKG}")" ]] || { log "${UPSTREAM_PKG} is tracked by git; it must stay generated"; return 1; }
}

check gofmt gofmt_clean
check "go vet" "${GO}" vet ./...
# image/ is a module of its own (go-containerregistry stays out of go.mod).
check "go vet (image/)" "${GO}" -C image vet ./...
check "licence headers" license_headers
check "go.mod pinning" gomod_pinned
check "generated package untracked" generated_untracked
check verify-patches "${REPO_ROOT}/scripts/patch-verify.sh"
# The bug report's reproduction (docs/upstream/): fails on stock, passes with its patch alone.
check upstream-repro "${REPO_ROOT}/scripts/upstream-repro.sh" --brief
check verify-deploy "${REPO_ROOT}/scripts/verify-deploy.sh"
check "workflows (actionlint)" "${REPO_ROOT}/scripts/verify-workflows.sh"
check "krew manifest" "${REPO_ROOT}/scripts/verify-krew.sh"
# README's flag table against `cronjob-controller --help`: names and defaults.
check "README flag table" "${GO}" test -count=1 -run 'TestREADMEFlagTableMatchesHelp$' ./pkg/app/

if ((${#failed[@]})); then
  die "verify failed: ${failed[*]}"
fi
log "verify: all checks passed"
