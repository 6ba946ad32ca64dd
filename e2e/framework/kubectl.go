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
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Kubectl runs kubectl with args as the cluster admin (the suite's admin
// kubeconfig) and returns its standard output: the way to do exactly what a
// user does, such as `kubectl create job NAME --from=cronjob/CRONJOB`. It runs
// the kubectl in the binaries directory (E2E_BIN_DIR; `make cluster-binaries`
// builds it), else the one on PATH. The error carries kubectl's standard
// error.
func (c *Cluster) Kubectl(ctx context.Context, args ...string) (string, error) {
	bin, err := c.kubectlPath()
	if err != nil {
		return "", err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append([]string{"--kubeconfig=" + c.Kubeconfig}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// KubectlCronJob runs `kubectl cronjob args...` as the cluster admin: kubectl
// finds the plugin kubectl-cronjob in the binaries directory (`make build`
// puts it there), as it finds any plugin on PATH. It returns the standard
// output; the error carries the exit status and the standard error.
func (c *Cluster) KubectlCronJob(ctx context.Context, args ...string) (string, error) {
	kubectl, err := c.kubectlPath()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(c.opts.BinDir, "kubectl-cronjob")); err != nil {
		return "", fmt.Errorf("no kubectl-cronjob in %s (make build builds it): %w", c.opts.BinDir, err)
	}
	var stdout, stderr bytes.Buffer
	// kubectl takes no flags before a plugin's name; the plugin reads --kubeconfig itself.
	cmd := exec.CommandContext(ctx, kubectl, append([]string{"cronjob", "--kubeconfig=" + c.Kubeconfig}, args...)...)
	cmd.Env = append(os.Environ(), "PATH="+c.opts.BinDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kubectl cronjob %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// kubectlPath is the kubectl in the binaries directory (E2E_BIN_DIR; `make
// cluster-binaries` builds it), else the one on PATH (a kind cluster's).
func (c *Cluster) kubectlPath() (string, error) {
	bin := filepath.Join(c.opts.BinDir, "kubectl")
	if fi, err := os.Stat(bin); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return bin, nil
	}
	bin, err := exec.LookPath("kubectl")
	if err != nil {
		return "", fmt.Errorf("no kubectl in %s or on PATH (make cluster-binaries builds it): %w", c.opts.BinDir, err)
	}
	return bin, nil
}
