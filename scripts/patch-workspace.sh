#!/usr/bin/env bash
# Create _output/patch-workspace: a git repo with the upstream package as the
# "baseline" commit and one commit per patch. Edit there with ordinary git
# (commit, rebase -i, commit --fixup), then run scripts/patch-export.sh.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ -d "${WORKSPACE_DIR}/.git" && "${FORCE:-}" != "1" ]]; then
  ahead="$(cd "${WORKSPACE_DIR}" && pgit status --porcelain | wc -l)"
  die "${WORKSPACE_DIR} exists (uncommitted files: ${ahead}); export it first or re-run with FORCE=1 to discard it"
fi
make_series_repo "${WORKSPACE_DIR}"
log "workspace ready: ${WORKSPACE_DIR}"
log "  baseline..HEAD holds the series; edit, commit or rebase there, then: make patch-export"
