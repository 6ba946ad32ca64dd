#!/usr/bin/env bash
# Validates the krew plugin manifest .krew.yaml with krew's own validator,
# validate-krew-manifest of sigs.k8s.io/krew (installed at a pinned version
# into _output/bin): the manifest's structure (apiVersion, kind, name, short
# description, a semantic version, each platform's uri, sha256, bin and
# selector), that each platform selector matches a platform krew supports, and
# that no two of them overlap.
#
# .krew.yaml is a krew-release-bot template; it is first rendered the way the
# bot renders it on a tag: {{ .TagName }} becomes a version, and each
# {{addURIAndSha "URL" .TagName }} line becomes `uri: URL` and `sha256: DIGEST`
# at that line's indentation (a stand-in digest here: the archives are not
# downloaded, -skip-install).
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

readonly VALIDATOR="sigs.k8s.io/krew/cmd/validate-krew-manifest@v0.4.3"
readonly TAG="v0.0.0-verify"
# The sha256 of an empty file: hex with letters (all digits would read as a YAML number).
readonly DIGEST="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

validator="$(go_tool validate-krew-manifest "${VALIDATOR}")"
dir="$(mktemp -d)"
trap 'rm -rf "${dir}"' EXIT

# The plugin's name is the manifest file's name for the validator.
name="$(awk '/^metadata:/ {m = 1; next} m && $1 == "name:" {print $2; exit}' .krew.yaml)"
[[ -n "${name}" ]] || die ".krew.yaml: no metadata.name"
manifest="${dir}/${name}.yaml"
sed -E \
  -e "s/\{\{ *\.TagName *\}\}/${TAG}/g" \
  -e "s/^( *)\{\{ *addURIAndSha \"([^\"]+)\" \.TagName *\}\}\$/\1uri: \2\n\1sha256: ${DIGEST}/" \
  .krew.yaml >"${manifest}"
if grep -n '{{' "${manifest}" >&2; then
  die ".krew.yaml: template actions this check does not render (above); krew-release-bot knows .TagName and addURIAndSha"
fi
"${validator}" -manifest "${manifest}" -skip-install 2>&1 | sed 's/^/    /' >&2
exit "${PIPESTATUS[0]}"
