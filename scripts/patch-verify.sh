#!/usr/bin/env bash
# Round-trip the series: apply every patch to a fresh baseline, export it again
# with the stable options, and fail on any difference. This catches a patch
# that no longer applies and a patch file that is not in canonical form.
# shellcheck source=scripts/lib.sh
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
# Every commit message follows patches/README.md's template.
while IFS= read -r p; do
  for field in "What and why:" "Upstream:" "Differs from upstream:" "Why not upstream yet:"; do
    grep -q "^${field}" "${p}" || die "$(basename "${p}"): the commit message has no \"${field}\" (see patches/README.md, Commit message template)"
  done
done < <(patch_files)
n="$(patch_files | wc -l)"
log "patches: ${n} patches apply with git am, in order, to ${UPSTREAM_MODULE} $(kube_version) ${UPSTREAM_PKG}"
log "    (a clean tree of upstream's package from the module cache), touch only that package,"
log "    are gofmt-clean, round-trip unchanged through git format-patch and follow the commit message template"
# Upstream's own tests are not run here: `make unit` runs them once, on the same
# package with the whole series applied, and prints each by name.
upstream_tests="$(cd "${work}/tree" && pgit grep -h -o -E '^func Test[A-Za-z0-9_]+' baseline -- "${UPSTREAM_PKG}" | sed 's/^func //' | LC_ALL=C sort -u)"
log "patches: upstream's own tests for the package, $(wc -l <<<"${upstream_tests}") functions ($(paste -sd' ' <<<"${upstream_tests}")),"
log "    run with all ${n} patches applied in make unit (scripts/unit.sh), not here: make test runs them once"

# The bug fixes come first (patches/GROUPS): they must stand on their own, on a
# clean upstream package, with upstream's tests and their own passing, so that
# each can be sent as a PR without the KEP features or steadycron's carries.
fixes="$(group_last fixes)"
scratch_module "${work}/tree" "${work}/fixes" "$(series_ref "${work}/tree" "${fixes}")"
if ! scratch_test "${work}/fixes" -count=1 "./${UPSTREAM_PKG}/..." >"${work}/fixes.log" 2>&1; then
  tail -n 60 "${work}/fixes.log" >&2
  die "the bug-fix group (patches 0001-$(printf '%04d' "${fixes}")) fails its tests on a clean ${UPSTREAM_MODULE} $(kube_version) package"
fi
log "patches: the bug-fix group, patches 0001-$(printf '%04d' "${fixes}"), applies alone to a clean ${UPSTREAM_PKG} and passes"
log "    the package's tests there (upstream's $(wc -l <<<"${upstream_tests}") functions and the fixes' own)"
