#!/usr/bin/env bash
# Builds steadycron's container image without a container engine:
# scripts/build.sh builds a static cronjob-controller for each platform, and
# image/ (a small module on go-containerregistry, the library of crane,
# pinned in image/go.mod) puts each binary alone into an image on no base,
# as user 65532:65532, with the OCI labels, and the images into one index.
# The same commit gives the same digests in any directory and environment:
# the binaries are reproducible (scripts/build.sh: go.mod's toolchain, no
# caller GO* settings, the full commit SHA or VERSION as the version), the
# assembler is built the same way, and every timestamp in the image is
# SOURCE_DATE_EPOCH, the commit's time. `make image-repro` checks it.
#
# Writes to _output/image/:
#   oci/                                  OCI image layout with the index (all PLATFORMS)
#   reference                             IMAGE, the name the layout and the archives carry
#   build.env                             IMAGE, VERSION, PLATFORMS and SOURCE_DATE_EPOCH of this build
#                                         (scripts/image-repro.sh rebuilds with them)
#   cronjob-controller-linux-<arch>.tar   one docker-archive per platform, named IMAGE, for
#                                         `docker load -i` and `kind load image-archive`
#   digest                                the index's digest; IMAGE@<digest> pins it
# and prints the index's and each platform's digest.
#
# Environment:
#   IMAGE              image reference with a tag (default ghcr.io/steadycron/cronjob-controller:<VERSION>)
#   VERSION            the binary's version and the image's version label (default: the full commit SHA)
#   PLATFORMS          comma-separated (default linux/amd64,linux/arm64)
#   PUSH               1: also push the index to IMAGE's registry (credentials from ~/.docker/config.json,
#                      e.g. after `crane auth login` or `docker login`)
#   SOURCE_URL         the org.opencontainers.image.source label (default: the GitHub
#                      repository of GITHUB_REPOSITORY, else steadycron/steadycron)
# Every timestamp in the image is the commit time of HEAD; a SOURCE_DATE_EPOCH
# in the environment that says otherwise is an error, not a setting.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1
reproducible_go_env
# The generated package is git-ignored: build it from patches/ now, so that a
# stale or edited copy never gets into an image.
"${REPO_ROOT}/scripts/patch-apply.sh"

REPO="ghcr.io/steadycron/cronjob-controller"
version="$(source_version)"
IMAGE="${IMAGE:-${REPO}:${version//+/-}}"
PLATFORMS="${PLATFORMS:-linux/amd64,linux/arm64}"
revision="$(git rev-parse --verify -q HEAD 2>/dev/null)" || die "image: not a git checkout: the image's revision label needs HEAD"
commit_time="$(git log -1 --format=%ct HEAD)"
[[ -z "${SOURCE_DATE_EPOCH:-}" || "${SOURCE_DATE_EPOCH}" == "${commit_time}" ]] ||
  die "image: SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH} is not the commit time of HEAD (${commit_time}): unset it; the image's timestamps are the commit's"
export SOURCE_DATE_EPOCH="${commit_time}"
source_url="${SOURCE_URL:-https://github.com/${GITHUB_REPOSITORY:-steadycron/steadycron}}"

[[ "$(source_tree_state)" == clean ]] ||
  log "image: tracked files differ from ${revision}: the digest is not the commit's (the binaries say gitTreeState=dirty)"

out="${OUTPUT_DIR}/image"
rm -rf "${out}"
mkdir -p "${out}"

# The assembler, from its own module, so that go-containerregistry stays out
# of the product's go.mod.
builder="${OUTPUT_DIR}/bin/image-assemble"
# Built for this machine in the same pinned environment as the binaries
# (reproducible_go_env, above): its gzip output is part of the digest.
(cd image && GOOS="" GOARCH="" "${GO}" build -trimpath -buildvcs=false -o "${builder}" .)
# IMAGE is checked by go-containerregistry's reference parser (the one that
# writes the names), not by pattern: a tag and no digest.
"${builder}" check-ref "${IMAGE}" >/dev/null || die "image: IMAGE=${IMAGE}: want registry/repository:tag"

args=()
[[ "${PUSH:-0}" != 1 ]] || args+=(-push)
IFS=, read -r -a platforms <<<"${PLATFORMS}"
for p in "${platforms[@]}"; do
  # Only these two have every variant setting pinned (reproducible_go_env).
  [[ "${p}" =~ ^linux/(amd64|arm64)$ ]] || die "image: platform ${p}: want linux/amd64 or linux/arm64"
  bin="${out}/bin/${p//\//-}/cronjob-controller"
  GOOS=linux GOARCH="${p#linux/}" VERSION="${version}" BUILD_OUT="${bin}" "${REPO_ROOT}/scripts/build.sh"
  args+=(-binary "${p}=${bin}")
done

"${builder}" "${args[@]}" -tag "${IMAGE}" -version "${version}" -revision "${revision}" -source "${source_url}" \
  -source-date-epoch "${SOURCE_DATE_EPOCH}" \
  -oci-layout "${out}/oci" -archive-dir "${out}" -digest-file "${out}/digest" | tee "${out}/digests.txt"
printf '%s\n' "${IMAGE}" >"${out}/reference"
printf 'IMAGE=%q\nVERSION=%q\nPLATFORMS=%q\nSOURCE_DATE_EPOCH=%q\n' \
  "${IMAGE}" "${version}" "${PLATFORMS}" "${SOURCE_DATE_EPOCH}" >"${out}/build.env"
log "image: ${IMAGE}@$(cat "${out}/digest") in ${out#"${REPO_ROOT}/"}/ (oci/, cronjob-controller-linux-<arch>.tar)"
