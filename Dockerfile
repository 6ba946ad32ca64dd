# syntax=docker/dockerfile:1
#
# steadycron's image: the static cronjob-controller binary alone on
# distroless/static, running as an unprivileged user. The builder runs the
# same `make build` as CI and developers (make patch, then scripts/build.sh:
# CGO_ENABLED=0, versions stamped with -ldflags), so the image holds exactly
# the binary `make build` makes from this tree. Build it with `make image`
# (scripts/image.sh); docs/operations.md has the details.
#
# Pin the base images by digest for releases (FROM image@sha256:...).

ARG GO_VERSION=1.26.8

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Modules first, so that editing the source does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# The whole tree, .git included: scripts/build.sh stamps `git describe`.
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS="${TARGETOS}" GOARCH="${TARGETARCH}" make build \
 && if [ "${TARGETARCH:-$(go env GOHOSTARCH)}" = "$(go env GOHOSTARCH)" ]; then \
      _output/bin/cronjob-controller --version; \
    fi

FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="steadycron" \
      org.opencontainers.image.description="The Kubernetes CronJob controller, patched: cronjob-controller" \
      org.opencontainers.image.source="https://github.com/steadycron/steadycron" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /src/_output/bin/cronjob-controller /cronjob-controller
# distroless' nonroot user; the kubeadm sidecar overrides it (see
# deploy/kubeadm/patches) to read kcm's root-owned kubeconfig.
USER 65532:65532
EXPOSE 10270
ENTRYPOINT ["/cronjob-controller"]
