#!/usr/bin/env bash
# Round-trip the series: apply every patch to a fresh baseline, export it again
# with the stable options, and fail on any difference. This catches a patch
# that no longer applies and a patch file that is not in canonical form.
source "$(dirname "$0")/lib.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/steadycron-verify.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

make_series_repo "${work}/tree"
check_series_scope "${work}/tree"
unformatted="$(gofmt -l "${work}/tree/${UPSTREAM_PKG}")"
[[ -z "${unformatted}" ]] || die "the patched package is not gofmt-clean:
${unformatted#"${work}/tree/"}"
export_series "${work}/tree" "${work}/out"

mkdir -p "${work}/in"
while IFS= read -r p; do cp "${p}" "${work}/in/"; done < <(patch_files)
if ! diff -ru "${work}/in" "${work}/out" >"${work}/diff"; then
  cat "${work}/diff" >&2
  die "patches/ is not what the series exports to; run: make patch-workspace && make patch-export"
fi
log "verify-patches: $(patch_files | wc -l) patch(es) apply to $(kube_version) and round-trip unchanged"
