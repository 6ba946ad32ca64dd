/*
Copyright 2026 The steadycron Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package framework

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Environment variables that configure a run. scripts/e2e.sh documents them.
const (
	// EnvKubeconfig names an existing cluster to test (the kind path); the
	// framework then starts no process of its own.
	EnvKubeconfig = "E2E_KUBECONFIG"
	// EnvArtifacts overrides the artifacts directory of this run.
	EnvArtifacts = "E2E_ARTIFACTS"
	// EnvRunID names the run; artifacts go to _output/e2e/<run-id>/<suite>.
	EnvRunID = "E2E_RUN_ID"
	// EnvBinDir is where etcd, kube-apiserver, ... and cronjob-controller are.
	EnvBinDir = "E2E_BIN_DIR"
	// EnvKCMCronJobController, when "true", leaves kcm's own CronJob
	// controller on. It exists only to show that the negative control fails
	// when kcm creates Jobs; never set it otherwise.
	EnvKCMCronJobController = "E2E_KCM_CRONJOB_CONTROLLER"
	// EnvFakeNode names a kwok node of an external cluster (E2E_KUBECONFIG)
	// to bind test pods to (the cluster's real nodes would otherwise get
	// them); unset, test pods are real containers for a real scheduler and
	// kubelet. The local cluster needs none: its scheduler has only kwok's
	// nodes to choose from.
	EnvFakeNode = "E2E_FAKE_NODE"
	// EnvSteadycronArgs adds flags to steadycron's command line
	// (space-separated), e.g. "-v=4".
	EnvSteadycronArgs = "E2E_STEADYCRON_ARGS"
)

// modulePath identifies the repository root when walking up from the
// working directory (go test runs in the package's directory).
const modulePath = "github.com/steadycron/steadycron"

// Options says which cluster to use and where things are.
type Options struct {
	// Suite names the test suite; it is the last element of the artifacts dir.
	Suite string
	// Kubeconfig, when set, is an existing cluster to use instead of starting one.
	Kubeconfig string
	// RepoRoot is the root of the steadycron repository.
	RepoRoot string
	// ArtifactsDir receives process logs, kubeconfigs and failure dumps.
	ArtifactsDir string
	// BinDir holds the cluster binaries and cronjob-controller.
	BinDir string
	// KCMCronJobController leaves kcm's CronJob controller on (negative-control demonstration only).
	KCMCronJobController bool
	// Kwok says that kwok runs test pods, steered by the annotations of
	// kwok-stages.yaml: set for the local cluster and with E2E_FAKE_NODE.
	Kwok bool
	// FakeNode is the kwok node test pods are bound to with spec.nodeName
	// (E2E_FAKE_NODE on an external cluster); empty, the scheduler places
	// them.
	FakeNode string
	// StartSteadycron starts steadycron with the cluster (the default).
	StartSteadycron bool
	// SteadycronArgs are extra flags for steadycron.
	SteadycronArgs []string
	// KCMArgs are extra flags for the local control plane's
	// kube-controller-manager, after the framework's own (so they win), for
	// example --kube-api-qps=500 in the pipeline benchmark. Not set from the
	// environment.
	KCMArgs []string
	// KwokPodParallelism, when positive, is how many pods kwok moves through
	// their stages at once (its podPlayStageParallelism; kwok's default is
	// 4). Not set from the environment.
	KwokPodParallelism int
}

// OptionsFromEnv returns the options for suite from the environment.
func OptionsFromEnv(suite string) (Options, error) {
	root, err := findRepoRoot()
	if err != nil {
		return Options{}, err
	}
	o := Options{
		Suite:           suite,
		Kubeconfig:      os.Getenv(EnvKubeconfig),
		FakeNode:        os.Getenv(EnvFakeNode),
		RepoRoot:        root,
		BinDir:          os.Getenv(EnvBinDir),
		ArtifactsDir:    os.Getenv(EnvArtifacts),
		StartSteadycron: true,
		SteadycronArgs:  strings.Fields(os.Getenv(EnvSteadycronArgs)),
	}
	if v := os.Getenv(EnvKCMCronJobController); v != "" {
		if o.KCMCronJobController, err = strconv.ParseBool(v); err != nil {
			return Options{}, fmt.Errorf("%s=%q: %w", EnvKCMCronJobController, v, err)
		}
	}
	o.Kwok = o.Kubeconfig == "" || o.FakeNode != ""
	if o.Kubeconfig == "" {
		o.FakeNode = "" // kube-scheduler places pods on the local cluster's kwok nodes
	}
	if o.BinDir == "" {
		o.BinDir = filepath.Join(root, "_output", "bin")
	}
	if o.ArtifactsDir == "" {
		runID := os.Getenv(EnvRunID)
		if runID == "" {
			runID = time.Now().Format("20060102-150405")
		}
		o.ArtifactsDir = filepath.Join(root, "_output", "e2e", runID, suite)
	}
	if o.ArtifactsDir, err = filepath.Abs(o.ArtifactsDir); err != nil {
		return Options{}, fmt.Errorf("artifacts dir: %w", err)
	}
	return o, nil
}

// findRepoRoot walks up from the working directory to the go.mod of the
// steadycron module.
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if isModuleRoot(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the steadycron repository (no go.mod of " + modulePath + " above the working directory)")
		}
		dir = parent
	}
}

func isModuleRoot(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "module ") {
			return strings.TrimSpace(strings.TrimPrefix(line, "module ")) == modulePath
		}
	}
	return false
}
