# steadycron: the upstream CronJob controller at a pinned Kubernetes version plus patches/.
SHELL := /usr/bin/env bash -o errexit -o pipefail -o nounset
.DEFAULT_GOAL := help

OUTPUT_DIR ?= _output
BIN_DIR    := $(OUTPUT_DIR)/bin
GO         ?= go

## help: list the targets
.PHONY: help
help:
	@sed -n 's/^## \([^:]*\): */\1\t/p' $(MAKEFILE_LIST) | column -t -s "$$(printf '\t')" | sed -e 's/^/  /'

## patch: generate pkg/controller/cronjob from the pinned module plus patches/
.PHONY: patch
patch:
	@scripts/patch-apply.sh

## build: build _output/bin/cronjob-controller and the kubectl plugin _output/bin/kubectl-cronjob
.PHONY: build
build: patch
	@scripts/build.sh

## plugin: build only the kubectl plugin, _output/bin/kubectl-cronjob (it needs the generated package, so not go install ...@latest)
.PHONY: plugin
plugin: patch
	@PLUGIN_ONLY=1 scripts/build.sh

## test: README's test command: verify, unit tests (upstream's for the patched package, and ours), the image's inspection, e2e
.PHONY: test
test: verify unit image-test e2e

## unit: unit tests only
.PHONY: unit
unit: patch
	@scripts/unit.sh

## sim: the seeded fault simulation of pkg/sim, findings by kind at the end (SEEDS=1000, FIRST_SEED, STEPS, FAULTS, RACE=1, TRACES=0, JOBS=N processes, WITHOUT=<patch numbers> to leave patches out)
.PHONY: sim
sim: patch
	@scripts/sim.sh

## sim-negative: the simulation's negative controls: without patch 0022, and with 0005's adoption switched off, it must find more lost counts and Forbid/Replace overlaps than on the full series (SEEDS=150)
.PHONY: sim-negative
sim-negative: patch
	@scripts/sim-negative.sh

## tidy: go mod tidy, after generating the package (tidy must see its imports)
.PHONY: tidy
tidy: patch
	$(GO) mod tidy

## verify: gofmt, go vet, go.mod pinning, the patch series (git am, round-trip), the bug report's repro, verify-deploy (with the metric contract), the CI workflows, the krew manifest, README's flag table against --help
.PHONY: verify
verify: patch
	@scripts/verify.sh

## verify-deploy: kubeadm sidecar patch, alert rules and their promtool unit tests, dashboard, the metric contract (docs/metrics-contract.yaml), kind config (no cluster needed)
.PHONY: verify-deploy
verify-deploy: patch
	@scripts/verify-deploy.sh

## verify-workflows: lint .github/workflows with actionlint (pinned, installed into _output/bin)
.PHONY: verify-workflows
verify-workflows:
	@scripts/verify-workflows.sh

## verify-krew: render the krew manifest .krew.yaml as krew-release-bot does and check it with krew's validate-krew-manifest (pinned, installed into _output/bin)
.PHONY: verify-krew
verify-krew:
	@scripts/verify-krew.sh

## verify-patches: apply and re-export the series (fail on any difference); the bug-fix group alone passes upstream's tests
.PHONY: verify-patches
verify-patches:
	@scripts/patch-verify.sh

## upstream-repro: run the mostRecentScheduleTime bug report's test in upstream's package (fails stock, passes with the patch it proposes alone)
.PHONY: upstream-repro
upstream-repro:
	@scripts/upstream-repro.sh

## patch-workspace: a git repo with one commit per patch, for editing the series (see patches/README.md)
.PHONY: patch-workspace
patch-workspace:
	@scripts/patch-workspace.sh

## patch-export: write the workspace's commits back to patches/
.PHONY: patch-export
patch-export:
	@scripts/patch-export.sh

## cluster-binaries: build etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, kubectl into _output/bin
.PHONY: cluster-binaries
cluster-binaries:
	@scripts/cluster-binaries.sh

## e2e: the e2e suites on a local control plane (or E2E_KUBECONFIG), the alerts suite with a real Prometheus
.PHONY: e2e
e2e: build cluster-binaries
	@scripts/e2e.sh

## reliability: the reliability suite with its long variants (real downtime, larger burst; E2E_RELIABILITY_N), and the fuzz targets (FUZZTIME)
.PHONY: reliability
reliability: build cluster-binaries
	@scripts/reliability.sh

## image: build the image without a container engine, reproducibly, into _output/image (IMAGE, PLATFORMS, PUSH=1)
.PHONY: image
image: patch
	@scripts/image.sh

## image-test: make image, inspect it offline (user, entrypoint, labels, layer; the binary runs --version), dry-run kind-e2e on it (both modes), then image-repro
.PHONY: image-test
image-test: image
	@cd image && IMAGE_DIR="$(CURDIR)/$(OUTPUT_DIR)/image" $(GO) test -count=1 -v ./...
	@SKIP_BUILD=1 DRY_RUN=1 STEADYCRON_MODE=sidecar scripts/kind-e2e.sh
	@SKIP_BUILD=1 DRY_RUN=1 STEADYCRON_MODE=deployment scripts/kind-e2e.sh
	@scripts/image-repro.sh

## image-repro: build the image again in a different environment (GOFLAGS, GOAMD64, go.work, an untracked file, ...) and compare the digests with _output/image's
.PHONY: image-repro
image-repro: patch
	@scripts/image-repro.sh

## kind-e2e: build the image, create a kind cluster with the kcm sidecar, load the image, run the e2e suites on it (DRY_RUN=1: check and print only)
.PHONY: kind-e2e
kind-e2e: patch
	@scripts/kind-e2e.sh

## bench: N CronJobs due at once: stock kcm, steadycron, kcm's budget, raw apiserver limit; BENCH_MODES=pipe-... runs their pods too (BENCH_N, BENCH_MODES, BENCH_WINDOW, BENCH_MARKS, BENCH_RUN_ID, BENCH_MAX_LOAD)
.PHONY: bench
bench: build cluster-binaries
	@scripts/bench.sh

## bench-memory: steadycron's RSS and CPU at 10,000 CronJobs, 30,000 Jobs, 30,000 pods against a floor of the same informers (MEMORY_ROUNDS, MEMORY_SETTLE, MEMORY_WINDOW, BENCH_RUN_ID, BENCH_MAX_LOAD)
.PHONY: bench-memory
bench-memory: build cluster-binaries
	@scripts/bench-memory.sh

## bench-steady: STEADY_N CronJobs (default 2000, realistic mix, pods on kwok) for STEADY_DURATION (default 21m): every scheduled time exactly one Job, creation skew per minute, steadycron's RSS/CPU/queue depth must not grow (STEADY_INTERVAL, BENCH_RUN_ID, BENCH_MAX_LOAD)
.PHONY: bench-steady
bench-steady: build cluster-binaries
	@scripts/bench-steady.sh

## run: a local control plane with steadycron, Prometheus with the default alerts (PROMETHEUS=false for none) and the examples; Ctrl-C tears it down
.PHONY: run
run: build cluster-binaries
	@scripts/run-local.sh

## clean: remove _output and the generated package
.PHONY: clean
clean:
	rm -rf $(OUTPUT_DIR) pkg/controller/cronjob
