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

package steadycron

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steadycron/steadycron/e2e/framework"
)

// opsGuide is the operator's guide whose kubectl commands
// TestOperationsGuideCommandsRun runs.
const opsGuide = "docs/operations.md"

// opsCommands lists every kubectl command of docs/operations.md, exactly as
// written there (whitespace runs as one space, comments cut), with what the
// test does with it: run it against the test cluster (run), with the
// placeholders filled in, or why it cannot run there (skip). A command the
// guide has and this list lacks, or the other way round, fails the test.
var opsCommands = []struct {
	cmd  string
	run  bool
	skip string
}{
	{cmd: "kubectl apply -k deploy/kubeadm/", skip: "TestDeploySidecarRBACGrantsKubeControllerManager (e2e/deploy) applies it"},
	{cmd: "kubectl -n kube-system edit configmap kubeadm-config", skip: "interactive, and kubeadm's"},
	{cmd: "kubectl apply -k overlays/prod", skip: "the reader's overlay"},
	{cmd: "kubectl apply -k deploy/monitoring/", skip: "needs the Prometheus Operator; TestDeployMonitoringManifestsApply (e2e/deploy) applies it"},
	{cmd: `kubectl -n kube-system get lease steadycron -o jsonpath='{.spec.holderIdentity}{"\n"}'`, run: true},
	{cmd: `kubectl -n kube-system get pod -l component=kube-controller-manager -o jsonpath='{range .items[*]}{.spec.containers[0].command}{"\n"}{end}' | tr ',' '\n' | grep cronjob`, skip: "kcm's static pod; the e2e control plane runs kcm as a process"},
	{cmd: "kubectl delete -k deploy/monitoring/", skip: "removes an install"},
	{cmd: "kubectl delete -k deploy/", skip: "removes an install"},
	{cmd: "kubectl delete -f deploy/kubeadm/rbac-kube-controller-manager.yaml", skip: "removes an install"},
	{cmd: "kubectl delete -k deploy/rbac/", skip: "removes the RBAC the running steadycron needs"},
	{cmd: "kubectl -n kube-system delete lease steadycron", skip: "deletes the Lease of the running leader"},
	{cmd: "kubectl -n <namespace> describe cronjob <cronjob>", run: true},
	{cmd: "kubectl -n <namespace> get events --field-selector involvedObject.name=<cronjob>", run: true},
	{cmd: "kubectl -n <namespace> create job --from=cronjob/<cronjob> <name>", run: true},
	{cmd: "kubectl -n <namespace> get jobs --sort-by=.metadata.creationTimestamp", run: true},
	{cmd: "kubectl -n <namespace> describe job <job>", run: true},
	{cmd: "kubectl -n <namespace> logs job/<job>", skip: "kwok's pods have no container logs"},
	{cmd: "kubectl delete pod", skip: "a fragment of prose"},
	{cmd: "kubectl -n <namespace> get events --field-selector reason=OverlappingRun", run: true},
	{cmd: "kubectl -n <namespace> get events --field-selector reason=FailedScheduling", run: true},
	{cmd: "kubectl describe pod", skip: "a fragment of prose"},
	{cmd: "kubectl -n kube-system get deploy,pods -l app.kubernetes.io/name=steadycron", run: true},
	{cmd: "kubectl -n kube-system describe pod <pod>", skip: "no steadycron pod: the e2e control plane runs steadycron as processes"},
	{cmd: "kubectl -n kube-system get pod -l component=kube-controller-manager", run: true},
	{cmd: "kubectl -n kube-system get lease steadycron -o yaml", run: true},
	{cmd: "kubectl apply -k deploy/", skip: "TestDeployControllerManifestsApply (e2e/deploy) applies it"},
	{cmd: "kubectl apply -k deploy/leader-pod-deletion-cost/", skip: "TestDeployLeaderPodDeletionCostRBAC (e2e/deploy) applies it"},
	{cmd: "kubectl -n kube-system auth can-i update leases/steadycron --as=system:kube-controller-manager", skip: "the sidecar's RBAC from deploy/kubeadm; TestDeploySidecarRBACGrantsKubeControllerManager (e2e/deploy) checks that access"},
	{cmd: "kubectl auth can-i update cronjobs/status --all-namespaces --as=system:kube-controller-manager", skip: "the sidecar's RBAC from deploy/kubeadm; TestDeploySidecarRBACGrantsKubeControllerManager (e2e/deploy) checks that access"},
	{cmd: "kubectl -n kube-system describe pod -l app.kubernetes.io/name=steadycron", run: true},
	{cmd: `kubectl -n kube-system get lease steadycron -o jsonpath='{.spec.holderIdentity}'`, run: true},
	{cmd: `kubectl -n kube-system get pod "${holder%_*}" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}{"\n"}'`, skip: "a shell variable, and the Deployment's pod; the e2e control plane runs steadycron as processes"},
	{cmd: `kubectl -n kube-system get pod "kube-controller-manager-$(hostname)" -o jsonpath='{.spec.containers[0].command}{"\n"}{.status.containerStatuses[?(@.name=="steadycron")].ready}{"\n"}'`, skip: "kcm's static pod; the e2e control plane runs kcm as a process"},
	{cmd: `kubectl -n kube-system get pod "kube-controller-manager-$(hostname)" -o jsonpath='{.status.containerStatuses[?(@.name=="steadycron")].ready}{"\n"}'`, skip: "kcm's static pod; the e2e control plane runs kcm as a process"},
	{cmd: `kubectl -n kube-system get pod -l component=kube-controller-manager -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.containers[0].command}{"\n"}{end}' | grep -c -- '-cronjob-controller'`, skip: "kcm's static pod; the e2e control plane runs kcm as a process"},
	{cmd: `kubectl -n kube-system logs "${holder%_*}" -c steadycron | grep -i 'lease'`, skip: "a shell variable, and the Deployment's pod; the e2e control plane runs steadycron as processes"},
	{cmd: `kubectl -n kube-system logs "kube-controller-manager-${holder%_*}" -c steadycron | grep -i 'lease'`, skip: "kcm's static pod; the e2e control plane runs kcm as a process"},
	{cmd: "kubectl -n kube-system rollout status deploy/steadycron --timeout=5m", skip: "the Deployment; the e2e control plane runs steadycron as processes"},
	{cmd: "kubectl apply -k --dry-run=server", skip: "a fragment of prose"},
	{cmd: "kubectl apply -k overlays/prod --dry-run=server", skip: "the reader's overlay; TestDeployOwnImageOverlayApplies (e2e/deploy) dry-runs examples/own-image"},
	{cmd: "kubectl kustomize overlays/prod | grep 'image:'", skip: "the reader's overlay; make verify renders examples/own-image"},
	{cmd: "kubectl create cronjob steadycron-smoke --image=busybox --schedule='* * * * *' -- true", skip: "the smoke test makes a minutely CronJob in the default namespace of the cluster; the e2e suites' own CronJobs cover it"},
	{cmd: `kubectl get jobs -o jsonpath='{range .items[?(@.metadata.ownerReferences[0].name=="steadycron-smoke")]}{.metadata.name}{" "}{.metadata.annotations.steadycron\.io/expected-start}{"\n"}{end}'`, run: true},
	{cmd: "kubectl delete cronjob steadycron-smoke", skip: "the smoke test's clean-up"},
	{cmd: "kubectl cronjob why", skip: "a fragment of prose; e2e/plugin runs kubectl cronjob why"},
	{cmd: "kubectl auth can-i list jobs --as=system:serviceaccount:kube-system:steadycron -A", skip: "the Deployment's service account; TestSteadycronRBACIsLeastPrivilege (e2e/dropin) checks what steadycron's RBAC allows"},
}

// TestOperationsGuideCommandsRun runs every kubectl command of the operator's
// guide that can run against the test cluster, with the real kubectl, in the
// guide's order, on a CronJob of its own: <namespace>, <cronjob>, <name>
// (the Job created by hand) and <job> (the same Job) are filled in. Each must
// succeed. The guide's commands must be exactly those of opsCommands.
func TestOperationsGuideCommandsRun(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "..", opsGuide))
	require.NoError(t, err)
	inGuide := guideCommands(string(guide))
	var listed []string
	for _, c := range opsCommands {
		listed = append(listed, c.cmd)
	}
	require.Equal(t, sortedUnique(listed), sortedUnique(inGuide), "%s's kubectl commands and opsCommands differ: change both", opsGuide)

	ctx := t.Context()
	ns := cluster.NewNamespace(t)
	cj, err := cluster.CreateCronJob(ctx, ns, cluster.NewCronJob("guide", "0 0 1 1 *", framework.Succeeds))
	require.NoError(t, err)
	fill := strings.NewReplacer("<namespace>", ns, "<cronjob>", cj.Name, "<name>", "guide-by-hand", "<job>", "guide-by-hand")
	for _, c := range opsCommands {
		if !c.run {
			continue
		}
		args, err := shellWords(strings.TrimPrefix(fill.Replace(c.cmd), "kubectl "))
		require.NoError(t, err, c.cmd)
		out, err := cluster.Kubectl(ctx, args...)
		assert.NoError(t, err, "%s:\n%s", c.cmd, out)
	}
}

// guideCommands returns the kubectl commands of a Markdown text: every code
// span that starts with "kubectl ", and every line of a sh code block that
// does (with its backslash continuations), whitespace runs made one space and
// a trailing "# comment" cut.
func guideCommands(text string) []string {
	var cmds []string
	normalize := func(s string) string {
		s = regexp.MustCompile(`\s+#\s.*$`).ReplaceAllString(s, "")
		return strings.Join(strings.Fields(s), " ")
	}
	blocks := regexp.MustCompile("(?s)```(?:sh|bash)\n(.*?)```")
	for _, m := range blocks.FindAllStringSubmatch(text, -1) {
		joined := strings.ReplaceAll(m[1], "\\\n", " ")
		for _, line := range strings.Split(joined, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "kubectl ") {
				cmds = append(cmds, normalize(line))
			}
		}
	}
	prose := blocks.ReplaceAllString(text, "")
	for _, m := range regexp.MustCompile("`(kubectl [^`]*)`").FindAllStringSubmatch(prose, -1) {
		cmds = append(cmds, normalize(m[1]))
	}
	return cmds
}

// shellWords splits a command line as sh would for the quoting the guide
// uses: words separated by spaces, single quotes keeping their content as
// it is. Pipes and other shell syntax are errors: such commands are not run.
func shellWords(line string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case quoted && r == '\'':
			quoted = false
		case quoted:
			word.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == ' ':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case strings.ContainsRune("|&;<>()$`\\\"", r):
			return nil, &shellSyntaxError{line: line, char: r}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, &shellSyntaxError{line: line, char: '\''}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

type shellSyntaxError struct {
	line string
	char rune
}

func (e *shellSyntaxError) Error() string {
	return "not a plain command (" + string(e.char) + "): " + e.line
}

func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
