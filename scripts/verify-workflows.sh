#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows) with actionlint,
# installed at a pinned version into _output/bin: syntax, expressions, the
# inputs of the actions used, and shellcheck on `run:` steps when shellcheck
# is installed.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

readonly ACTIONLINT="github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

actionlint="$(go_tool actionlint "${ACTIONLINT}")"
"${actionlint}" -no-color
