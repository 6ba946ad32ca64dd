#!/usr/bin/env bash
# Checks that the image's digests depend on the commit alone: it builds the
# image again, with the IMAGE, VERSION, PLATFORMS and SOURCE_DATE_EPOCH of the
# build in _output/image (scripts/image.sh; built first when there is none),
# in an environment that differs in everything that must not matter, and
# compares the index's and every platform's digest:
#   - GOFLAGS (-tags, -gcflags=all=-N, -mod=mod), GOAMD64=v3, GOARM64=v8.2,
#     GOFIPS140=latest, CGO_ENABLED=1, GOTOOLCHAIN=local, and a go.work that
#     adds image/'s module (and its dependencies) to the build
#   - an untracked file in the checkout, git's core.abbrev=20
#   - another working directory, time zone, locale and umask
# Exits non-zero, naming the digests, when any differs.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

out="${OUTPUT_DIR}/image"
if [[ ! -f "${out}/build.env" || ! -f "${out}/digests.txt" ]]; then
  log "image-repro: no build in ${out#"${REPO_ROOT}/"}: building the first one"
  "${REPO_ROOT}/scripts/image.sh" >/dev/null
fi
# shellcheck source=/dev/null # written by scripts/image.sh
source "${out}/build.env"
first="$(mktemp)"
tmp="$(mktemp -d)"
untracked="${REPO_ROOT}/untracked-by-image-repro.txt"
[[ ! -e "${untracked}" ]] || die "image-repro: ${untracked} exists"
cleanup() { rm -rf "${first}" "${tmp}" "${untracked}"; }
trap cleanup EXIT
cp "${out}/digests.txt" "${first}"

echo "this file is not part of the commit" >"${untracked}"
cat >"${tmp}/go.work" <<WORK
go 1.26.0

use (
	${REPO_ROOT}
	${REPO_ROOT}/image
)
WORK

# A `go env -w` file: go reads it for every variable the environment leaves
# empty, so the build must not read it at all (GOENV=off).
printf 'GOFLAGS=-tags=steadycron_goenv\nGOEXPERIMENT=nodwarf5\n' >"${tmp}/goenv"

log "image-repro: building again in another environment"
(
  cd "${tmp}"
  umask 077
  env IMAGE="${IMAGE}" VERSION="${VERSION}" PLATFORMS="${PLATFORMS}" SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH}" \
    GOFLAGS="-tags=steadycron_repro -gcflags=all=-N -mod=mod" GOAMD64=v3 GOARM64=v8.2 GOFIPS140=latest \
    CGO_ENABLED=1 GOTOOLCHAIN=local GOWORK="${tmp}/go.work" GOENV="${tmp}/goenv" \
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.abbrev GIT_CONFIG_VALUE_0=20 \
    TZ=Pacific/Chatham LC_ALL=C.UTF-8 \
    "${REPO_ROOT}/scripts/image.sh" >/dev/null
)

if ! diff -u --label first "${first}" --label second "${out}/digests.txt" >&2; then
  die "image-repro: the digests differ (above): the image depends on more than the commit"
fi
log "image-repro: the same digests from both environments:"
cat "${out}/digests.txt"
