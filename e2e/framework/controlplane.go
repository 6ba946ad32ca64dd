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
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/klog/v2"
)

const (
	// FakeNodes is how many nodes kwok pretends to run: kwok-node-0,
	// kwok-node-1, ... (FakeNodeName). kube-scheduler places pods on them
	// as on a real cluster; each takes 10,000 pods (kwok-stages.yaml).
	FakeNodes = 4
	// fakeNodePrefix starts the fake nodes' names.
	fakeNodePrefix = "kwok-node-"
	// fakeNodeAnnotation marks the nodes kwok manages.
	fakeNodeAnnotation = "e2e.steadycron.io/fake-node"

	serviceClusterIPRange = "10.96.0.0/16"
	serviceClusterFirstIP = "10.96.0.1"

	// startTimeout bounds each readiness step of the bring-up.
	startTimeout = 90 * time.Second
	// stopGrace is how long a component gets between SIGTERM and SIGKILL.
	stopGrace = 15 * time.Second
)

//go:embed kwok-stages.yaml
var kwokStages []byte

// FakeNodeName is the name of fake node i (0 <= i < FakeNodes).
func FakeNodeName(i int) string { return fakeNodePrefix + strconv.Itoa(i) }

// controlPlane is etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok running as processes on loopback.
type controlPlane struct {
	opts      Options
	dir       string // artifacts dir: logs, pki, kubeconfigs
	etcdData  string // in dir; removed on stop
	etcdURL   string
	pki       *pki
	apiURL    string
	adminCfg  string // admin kubeconfig path
	kcmHealth string
	mu        sync.Mutex
	procs     []*process // in start order
	// ready waits until a (re)started component serves again, by name.
	ready map[string]func(context.Context, *process) error
}

// setReady records how to tell that the component name is up, for restarts.
func (cp *controlPlane) setReady(name string, ready func(context.Context, *process) error) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if cp.ready == nil {
		cp.ready = map[string]func(context.Context, *process) error{}
	}
	cp.ready[name] = ready
}

func (cp *controlPlane) logPath(name string) string {
	return filepath.Join(cp.dir, "logs", name+".log")
}

// start brings the control plane up in readiness order: etcd /health,
// kube-apiserver /readyz, kcm /healthz, kube-scheduler /healthz, every fake
// node Ready, default ServiceAccount. On error the caller stops what was started.
func (cp *controlPlane) start(ctx context.Context) (*rest.Config, error) {
	if err := os.MkdirAll(filepath.Join(cp.dir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("creating the artifacts dir: %w", err)
	}
	var err error
	if cp.pki, err = newPKI(filepath.Join(cp.dir, "pki")); err != nil {
		return nil, err
	}
	ports, err := freePorts(5)
	if err != nil {
		return nil, err
	}
	etcdClient, etcdPeer, apiPort, kcmPort, schedPort := ports[0], ports[1], ports[2], ports[3], ports[4]

	if err := cp.startEtcd(ctx, etcdClient, etcdPeer); err != nil {
		return nil, err
	}
	adminToken, err := cp.startAPIServer(ctx, apiPort)
	if err != nil {
		return nil, err
	}
	cp.adminCfg = filepath.Join(cp.dir, "admin.kubeconfig")
	if err := writeKubeconfig(cp.adminCfg, cp.apiURL, cp.pki.caPEM, "e2e-admin", adminToken); err != nil {
		return nil, err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.adminCfg)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", cp.adminCfg, err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("building the admin client: %w", err)
	}
	kcm, err := cp.startKCM(ctx, kcmPort)
	if err != nil {
		return nil, err
	}
	if err := cp.startScheduler(ctx, schedPort); err != nil {
		return nil, err
	}
	if err := cp.startKwok(ctx, client); err != nil {
		return nil, err
	}
	// Pods are refused until their namespace has its default ServiceAccount.
	for _, ns := range []string{metav1.NamespaceDefault, metav1.NamespaceSystem} {
		if err := waitDefaultServiceAccount(ctx, client, ns, kcm); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// launch starts the component name from the bin dir and waits until ready
// says it serves. ready is kept for StartComponent's restarts.
func (cp *controlPlane) launch(ctx context.Context, name string, env []string, ready func(context.Context, *process) error, args ...string) (*process, error) {
	p, err := cp.run(ctx, name, env, args...)
	if err != nil {
		return nil, err
	}
	cp.setReady(name, ready)
	return p, ready(ctx, p)
}

// startEtcd starts etcd on the two ports, with its data in the artifacts
// dir rather than /tmp, so that even a run killed with SIGKILL leaves
// nothing outside _output; stop removes it.
func (cp *controlPlane) startEtcd(ctx context.Context, clientPort, peerPort int) error {
	cp.etcdData = filepath.Join(cp.dir, "etcd-data")
	if err := os.MkdirAll(cp.etcdData, 0o700); err != nil {
		return fmt.Errorf("creating etcd's data dir: %w", err)
	}
	cp.etcdURL = "http://127.0.0.1:" + strconv.Itoa(clientPort)
	peerURL := "http://127.0.0.1:" + strconv.Itoa(peerPort)
	_, err := cp.launch(ctx, ComponentEtcd, nil, func(ctx context.Context, p *process) error {
		return waitHTTP(ctx, p, "etcd /health", cp.etcdURL+"/health", nil, "")
	},
		"--name=e2e",
		"--data-dir="+cp.etcdData,
		"--listen-client-urls="+cp.etcdURL,
		"--advertise-client-urls="+cp.etcdURL,
		"--listen-peer-urls="+peerURL,
		"--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=e2e="+peerURL,
		"--unsafe-no-fsync=true",
		"--quota-backend-bytes=4294967296",
	)
	return err
}

// startAPIServer starts kube-apiserver on port, with an admin identity from
// a static token file, and returns the admin's token.
func (cp *controlPlane) startAPIServer(ctx context.Context, port int) (string, error) {
	adminToken, err := randomToken()
	if err != nil {
		return "", err
	}
	tokenFile := filepath.Join(cp.pki.dir, "tokens.csv")
	if err := os.WriteFile(tokenFile, []byte(adminToken+",e2e-admin,e2e-admin,system:masters\n"), 0o600); err != nil {
		return "", fmt.Errorf("writing the token file: %w", err)
	}
	cp.apiURL = "https://127.0.0.1:" + strconv.Itoa(port)
	caPool := x509.NewCertPool()
	caPool.AppendCertsFromPEM(cp.pki.caPEM)
	apiHTTP := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: caPool}}}
	_, err = cp.launch(ctx, ComponentAPIServer, nil, func(ctx context.Context, p *process) error {
		return waitHTTP(ctx, p, "kube-apiserver /readyz", cp.apiURL+"/readyz", apiHTTP, adminToken)
	},
		"--etcd-servers="+cp.etcdURL,
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		// 127.0.0.1 is only accepted as the advertised address when the
		// apiserver does not maintain the kubernetes Service's endpoints.
		"--advertise-address=127.0.0.1",
		"--endpoint-reconciler-type=none",
		"--tls-cert-file="+cp.pki.servingCrt,
		"--tls-private-key-file="+cp.pki.servingKey,
		"--client-ca-file="+cp.pki.caCert,
		"--token-auth-file="+tokenFile,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+cp.pki.saKey,
		"--service-account-signing-key-file="+cp.pki.saKey,
		"--service-cluster-ip-range="+serviceClusterIPRange,
		"--authorization-mode=RBAC",
		// Makes blockOwnerDeletion on a Job's ownerReference need update on
		// cronjobs/finalizers, so the suite proves deploy/rbac grants it.
		"--enable-admission-plugins=OwnerReferencesPermissionEnforcement",
		"--profiling=false",
	)
	return adminToken, err
}

// startKCM starts kube-controller-manager on port as the admin, with every
// controller but the CronJob controller (unless Options.KCMCronJobController),
// and checks which controllers it runs.
func (cp *controlPlane) startKCM(ctx context.Context, port int) (*process, error) {
	controllers := "*,-cronjob-controller"
	if cp.opts.KCMCronJobController {
		klog.InfoS("WARNING: kube-controller-manager runs its own CronJob controller", "env", EnvKCMCronJobController)
		controllers = "*"
	}
	// kcm serves a self-signed certificate from --cert-dir; /healthz needs no
	// credentials, and this is loopback.
	kcmHTTP := loopbackHTTPS
	cp.kcmHealth = "https://127.0.0.1:" + strconv.Itoa(port) + "/healthz"
	args := []string{
		"--kubeconfig=" + cp.adminCfg,
		"--authentication-kubeconfig=" + cp.adminCfg,
		"--authorization-kubeconfig=" + cp.adminCfg,
		"--controllers=" + controllers,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + filepath.Join(cp.dir, "pki", "kube-controller-manager"),
		"--root-ca-file=" + cp.pki.caCert,
		"--service-account-private-key-file=" + cp.pki.saKey,
		"--service-cluster-ip-range=" + serviceClusterIPRange,
		"--profiling=false",
	}
	// Later flags win: Options.KCMArgs can override the ones above.
	args = append(args, cp.opts.KCMArgs...)
	kcm, err := cp.launch(ctx, ComponentKCM, nil, func(ctx context.Context, p *process) error {
		return waitHTTP(ctx, p, "kube-controller-manager /healthz", cp.kcmHealth, kcmHTTP, "")
	}, args...)
	if err != nil {
		return nil, err
	}
	return kcm, cp.checkKCMControllers(ctx, kcmHTTP)
}

// loopbackHTTPS reaches kube-controller-manager's and kube-scheduler's
// /healthz, served on loopback with self-signed certificates from --cert-dir;
// they need no credentials.
var loopbackHTTPS = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback, self-signed
}}

// startScheduler starts kube-scheduler at its defaults on port: it binds pods
// to the fake nodes, so that a CronJob's pod template needs no nodeName. Like
// kcm's, its certificate is self-signed and its /healthz open.
func (cp *controlPlane) startScheduler(ctx context.Context, port int) error {
	health := "https://127.0.0.1:" + strconv.Itoa(port) + "/healthz"
	_, err := cp.launch(ctx, ComponentScheduler, nil, func(ctx context.Context, p *process) error {
		return waitHTTP(ctx, p, "kube-scheduler /healthz", health, loopbackHTTPS, "")
	},
		"--kubeconfig="+cp.adminCfg,
		"--authentication-kubeconfig="+cp.adminCfg,
		"--authorization-kubeconfig="+cp.adminCfg,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		"--cert-dir="+filepath.Join(cp.dir, "pki", "kube-scheduler"),
		"--profiling=false",
	)
	return err
}

// startKwok starts kwok with the stages of kwok-stages.yaml, creates its one
// node and waits until the node is Ready. A restarted kwok is only started
// (no readiness check).
func (cp *controlPlane) startKwok(ctx context.Context, client kubernetes.Interface) error {
	kwokDir := filepath.Join(cp.dir, "kwok")
	if err := os.MkdirAll(kwokDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", kwokDir, err)
	}
	stagesPath := filepath.Join(kwokDir, "stages.yaml")
	config := kwokStages
	if n := cp.opts.KwokPodParallelism; n > 0 {
		// A KwokConfiguration in the file leaves its unset numbers at zero
		// (kwok v0.8.0 then refuses to start): kwok's defaults but the one.
		config = append(append([]byte(nil), config...), fmt.Sprintf(`---
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  podPlayStageParallelism: %d
  nodePlayStageParallelism: 4
  nodeLeaseParallelism: 4
  podsOnNodeSyncParallelism: 1
  enableDebuggingHandlers: true
  enableProfilingHandler: true
  enablePodsOnNodeSyncListPager: true
`, n)...)
	}
	if err := os.WriteFile(stagesPath, config, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", stagesPath, err)
	}
	kwok, err := cp.run(ctx, ComponentKwok, []string{"HOME=" + kwokDir}, // keep it from reading ~/.kwok
		"--kubeconfig="+cp.adminCfg,
		"--config="+stagesPath,
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector="+fakeNodeAnnotation+"=true",
		"--node-lease-duration-seconds=40",
		"--cidr=10.244.0.0/16",
		"--node-ip=10.250.0.1",
	)
	if err != nil {
		return err
	}
	for i := range FakeNodes {
		if err := createFakeNode(ctx, client, FakeNodeName(i)); err != nil {
			return err
		}
	}
	for i := range FakeNodes {
		if err := waitNodeSchedulable(ctx, client, FakeNodeName(i), kwok); err != nil {
			return err
		}
	}
	return nil
}

// checkKCMControllers reads kcm's verbose health, one line per controller, to
// be sure its CronJob controller is off (or on, when asked for). kcm adds a
// controller's line only once it has started the controllers, so this waits
// for the line of one that always runs (job-controller) before judging.
func (cp *controlPlane) checkKCMControllers(ctx context.Context, hc *http.Client) error {
	var body []byte
	err := poll(ctx, "kube-controller-manager to list its controllers in /healthz?verbose", startTimeout, nil, func(ctx context.Context) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, cp.kcmHealth+"?verbose", nil)
		if err != nil {
			return false, fmt.Errorf("kcm health request: %w", err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		defer func() { _ = resp.Body.Close() }()
		if body, err = io.ReadAll(resp.Body); err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		return strings.Contains(string(body), "]job-controller "), nil
	})
	if err != nil {
		return fmt.Errorf("%w; last /healthz?verbose:\n%s", err, body)
	}
	runsCronJob := strings.Contains(string(body), "]cronjob-controller ")
	if runsCronJob != cp.opts.KCMCronJobController {
		return fmt.Errorf("kube-controller-manager: cronjob-controller enabled=%t, want %t; /healthz?verbose:\n%s",
			runsCronJob, cp.opts.KCMCronJobController, body)
	}
	return nil
}

// run starts a binary from the bin dir with its log in the artifacts dir.
func (cp *controlPlane) run(ctx context.Context, name string, env []string, args ...string) (*process, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("not starting %s: %w", name, err)
	}
	p, err := startProcess(name, cp.logPath(name), env, filepath.Join(cp.opts.BinDir, name), args...)
	if err != nil {
		return nil, err
	}
	cp.mu.Lock()
	cp.procs = append(cp.procs, p)
	cp.mu.Unlock()
	return p, nil
}

// stop stops the processes in reverse start order and removes etcd's data.
func (cp *controlPlane) stop() {
	cp.mu.Lock()
	procs := append([]*process(nil), cp.procs...)
	cp.mu.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		if err := procs[i].stop(stopGrace); err != nil {
			klog.ErrorS(err, "Stopping process", "name", procs[i].name)
		}
	}
	if cp.etcdData != "" {
		if err := os.RemoveAll(cp.etcdData); err != nil {
			klog.ErrorS(err, "Removing etcd's data dir", "dir", cp.etcdData)
		}
	}
}

func createFakeNode(ctx context.Context, client kubernetes.Interface, name string) error {
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Annotations: map[string]string{fakeNodeAnnotation: "true"},
			Labels: map[string]string{
				corev1.LabelHostname:   name,
				corev1.LabelOSStable:   "linux",
				corev1.LabelArchStable: "amd64",
				"type":                 "kwok",
			},
		},
	}
	if _, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating node %s: %w", name, err)
	}
	return nil
}

// waitNodeSchedulable waits until kwok reports node name Ready and kcm's node
// lifecycle controller has lifted the not-ready taint it starts with, after
// which kube-scheduler places pods on it.
func waitNodeSchedulable(ctx context.Context, client kubernetes.Interface, name string, kwok *process) error {
	return poll(ctx, "node "+name+" Ready and untainted", startTimeout, kwok, func(ctx context.Context) (bool, error) {
		node, err := client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		for _, t := range node.Spec.Taints {
			if t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute {
				return false, nil
			}
		}
		for _, c := range node.Status.Conditions {
			if c.Type == corev1.NodeReady {
				return c.Status == corev1.ConditionTrue, nil
			}
		}
		return false, nil
	})
}

func waitDefaultServiceAccount(ctx context.Context, client kubernetes.Interface, ns string, owner *process) error {
	return poll(ctx, "ServiceAccount "+ns+"/default", startTimeout, owner, func(ctx context.Context) (bool, error) {
		_, err := client.CoreV1().ServiceAccounts(ns).Get(ctx, "default", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return err == nil, nil
	})
}

// poll runs cond until it is true, failing early when owner (the process that
// should make it true; may be nil) exits.
func poll(ctx context.Context, what string, timeout time.Duration, owner *process, cond wait.ConditionWithContextFunc) error {
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		if owner != nil {
			if err := owner.errIfExited(); err != nil {
				return false, err
			}
		}
		return cond(ctx)
	})
	if err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

// waitHTTP waits until url answers 200, failing early when p exits.
func waitHTTP(ctx context.Context, p *process, what, url string, hc *http.Client, bearer string) error {
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	var last string
	err := poll(ctx, what, startTimeout, p, func(ctx context.Context) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false, fmt.Errorf("building request for %s: %w", url, err)
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := hc.Do(req)
		if err != nil {
			last = err.Error()
			return false, nil
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		_ = resp.Body.Close()
		last = fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(body)))
		return resp.StatusCode == http.StatusOK, nil
	})
	if err != nil {
		return fmt.Errorf("%w (last answer: %s; log: %s)", err, last, p.logPath)
	}
	return nil
}

// writeKubeconfig writes a kubeconfig for one bearer-token user.
func writeKubeconfig(path, server string, caPEM []byte, user, token string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["e2e"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["e2e"] = &clientcmdapi.Context{Cluster: "e2e", AuthInfo: user}
	cfg.CurrentContext = "e2e"
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// freePorts returns n distinct loopback ports that were free a moment ago.
// All are held open together so that the kernel does not hand one out twice.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %w", err)
		}
		defer func() { _ = l.Close() }()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating a token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
