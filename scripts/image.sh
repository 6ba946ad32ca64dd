#!/usr/bin/env bash
# Build steadycron's container image from the Dockerfile (whose builder runs
# `make build`) with the first container engine found: docker (BuildKit),
# podman or buildah.
#
# Environment:
#   IMAGE      image reference (default ghcr.io/steadycron/cronjob-controller:<git describe>)
#   ENGINE     docker | podman | buildah (default: the first one installed)
#   PLATFORMS  e.g. linux/amd64,linux/arm64: a multi-platform build (docker buildx,
#              or podman/buildah --platform); with docker it needs PUSH=1
#   PUSH       1: push IMAGE after building
#   DRY_RUN    1: print the commands instead of running them
set -o errexit -o nounset -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

REPO="ghcr.io/steadycron/cronjob-controller"
version="$(git describe --tags --always --dirty 2>/dev/null || echo dev)"
IMAGE="${IMAGE:-${REPO}:${version//+/-}}"
PLATFORMS="${PLATFORMS:-}"
PUSH="${PUSH:-}"

run() {
  if [[ -n "${DRY_RUN:-}" ]]; then
    printf '%q ' "$@"; printf '\n'
  else
    "$@"
  fi
}

engine="${ENGINE:-}"
if [[ -z "${engine}" ]]; then
  # docker only counts with a reachable daemon; podman and buildah need none.
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    engine=docker
  else
    for e in podman buildah; do
      if command -v "${e}" >/dev/null 2>&1; then engine="${e}"; break; fi
    done
  fi
fi
if [[ -z "${engine}" && -z "${DRY_RUN:-}" ]]; then
  cat >&2 <<MSG
image: no container engine found (docker, podman or buildah).
The image's build stage runs 'make build'; without an engine, 'make build'
gives the same binary in _output/bin/cronjob-controller. DRY_RUN=1 prints the
build command.
MSG
  exit 1
fi
engine="${engine:-docker}"

echo "image: building ${IMAGE} with ${engine}${PLATFORMS:+ for ${PLATFORMS}}" >&2
case "${engine}" in
  docker)
    if [[ -n "${PLATFORMS}" ]]; then
      # A multi-platform image cannot be loaded into the local engine: push it.
      [[ -n "${PUSH}" ]] || { echo "image: PLATFORMS with docker needs PUSH=1" >&2; exit 1; }
      run docker buildx build --platform "${PLATFORMS}" --tag "${IMAGE}" --push .
      exit 0
    fi
    DOCKER_BUILDKIT=1 run docker build --tag "${IMAGE}" .
    ;;
  podman | buildah)
    if [[ "${PLATFORMS}" == *,* ]]; then
      # Several platforms make a manifest list, pushed as one.
      run "${engine}" build --platform "${PLATFORMS}" --manifest "${IMAGE}" .
      [[ -z "${PUSH}" ]] || run "${engine}" manifest push --all "${IMAGE}" "docker://${IMAGE}"
      echo "image: ${IMAGE}" >&2
      exit 0
    fi
    run "${engine}" build ${PLATFORMS:+--platform "${PLATFORMS}"} --tag "${IMAGE}" .
    ;;
  *)
    echo "image: unknown ENGINE ${engine}" >&2
    exit 1
    ;;
esac
if [[ -n "${PUSH}" ]]; then
  run "${engine}" push "${IMAGE}"
fi
echo "image: ${IMAGE}" >&2
