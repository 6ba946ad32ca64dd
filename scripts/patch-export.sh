#!/usr/bin/env bash
# Write the workspace's commits (baseline..HEAD) back to patches/ with stable
# git format-patch options, replacing the old series.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -d "${WORKSPACE_DIR}/.git" ]] || die "no workspace at ${WORKSPACE_DIR}: run make patch-workspace first"
dirty="$(cd "${WORKSPACE_DIR}" && pgit status --porcelain)"
[[ -z "${dirty}" ]] || die "workspace has uncommitted changes:
${dirty}"
check_series_scope "${WORKSPACE_DIR}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/steadycron-export.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT
export_series "${WORKSPACE_DIR}" "${tmp}"
mkdir -p "${PATCH_DIR}"
find "${PATCH_DIR}" -maxdepth 1 -name '*.patch' -type f -delete
if compgen -G "${tmp}/*.patch" >/dev/null; then
  cp "${tmp}"/*.patch "${PATCH_DIR}/"
fi
log "exported $(patch_files | wc -l) patch(es) to patches/"
