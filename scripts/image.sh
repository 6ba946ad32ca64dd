#!/usr/bin/env bash
# Builds steadycron's container image without a container engine:
# scripts/build.sh builds a static cronjob-controller for each platform, and
# image/ (a small module on go-containerregistry, the library of crane,
# pinned in image/go.mod) puts each binary alone into an image on no base,
# as user 65532:65532, with the OCI labels, and the images into one index.
# The same commit and Go version give the same digests: the binaries are
# reproducible (scripts/build.sh) and every timestamp in the image is
# SOURCE_DATE_EPOCH, the commit's time.
#
# Writes to _output/image/:
#   oci/                                  OCI image layout with the index (all PLATFORMS)
#   cronjob-controller-linux-<arch>.tar   one docker-archive per platform, named IMAGE, for
#                                         `docker load -i` and `kind load image-archive`
#   digest                                the index's digest; IMAGE@<digest> pins it
# and prints the index's and each platform's digest.
#
# Environment:
#   IMAGE              image reference with a tag (default ghcr.io/steadycron/cronjob-controller:<git describe>)
#   PLATFORMS          comma-separated (default linux/amd64,linux/arm64)
#   PUSH               1: also push the index to IMAGE's registry (credentials from ~/.docker/config.json,
#                      e.g. after `crane auth login` or `docker login`)
#   SOURCE_DATE_EPOCH  every timestamp in the image (default: the commit time of HEAD)
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

REPO="ghcr.io/steadycron/cronjob-controller"
version="$(git describe --tags --always --dirty 2>/dev/null || echo dev)"
IMAGE="${IMAGE:-${REPO}:${version//+/-}}"
PLATFORMS="${PLATFORMS:-linux/amd64,linux/arm64}"
revision="$(git rev-parse --verify -q HEAD 2>/dev/null)" || die "image: not a git checkout: the image's revision label needs HEAD"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}"

[[ "${IMAGE##*/}" == *:* && "${IMAGE}" != *@* ]] || die "image: IMAGE=${IMAGE} needs a tag (and no digest)"
[[ "${version}" != *-dirty ]] || log "image: the tree has uncommitted changes: version ${version}; the digest is not the commit's"

out="${OUTPUT_DIR}/image"
rm -rf "${out}"
mkdir -p "${out}"

# The assembler, from its own module, so that go-containerregistry stays out
# of the product's go.mod.
builder="${OUTPUT_DIR}/bin/image-assemble"
(cd image && CGO_ENABLED=0 "${GO}" build -trimpath -o "${builder}" .)

args=()
[[ "${PUSH:-0}" != 1 ]] || args+=(-push)
IFS=, read -r -a platforms <<<"${PLATFORMS}"
for p in "${platforms[@]}"; do
  [[ "${p}" =~ ^linux/[a-z0-9]+$ ]] || die "image: platform ${p}: want linux/<arch>"
  bin="${out}/bin/${p//\//-}/cronjob-controller"
  GOOS=linux GOARCH="${p#linux/}" CGO_ENABLED=0 BUILD_OUT="${bin}" "${REPO_ROOT}/scripts/build.sh"
  args+=(-binary "${p}=${bin}")
done

"${builder}" "${args[@]}" -tag "${IMAGE}" -version "${version}" -revision "${revision}" \
  -source-date-epoch "${SOURCE_DATE_EPOCH}" \
  -oci-layout "${out}/oci" -archive-dir "${out}" -digest-file "${out}/digest" | tee "${out}/digests.txt"
log "image: ${IMAGE}@$(cat "${out}/digest") in ${out#"${REPO_ROOT}/"}/ (oci/, cronjob-controller-linux-<arch>.tar)"
