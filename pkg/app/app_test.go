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

package app

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apiserver/pkg/server/healthz"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	restclient "k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/component-base/featuregate"
	logsapi "k8s.io/component-base/logs/api/v1"
	"k8s.io/klog/v2/ktesting"
	"k8s.io/utils/ptr"

	"github.com/steadycron/steadycron/pkg/controller/cronjob"
)

func TestNewOptionsDefaults(t *testing.T) {
	o := NewOptions()
	// The client budget and the workers are steadycron's (benchmarked);
	// the rest are kube-controller-manager's.
	assert.Equal(t, float32(500), o.ClientConnection.QPS)
	assert.Equal(t, int32(1000), o.ClientConnection.Burst)
	assert.Equal(t, int32(50), o.ConcurrentCronJobSyncs)
	assert.True(t, o.CreateJobsFirst)
	assert.Equal(t, "application/vnd.kubernetes.protobuf", o.ClientConnection.ContentType)
	assert.True(t, o.LeaderElection.LeaderElect)
	assert.Equal(t, "leases", o.LeaderElection.ResourceLock)
	assert.Equal(t, DefaultLeaseName, o.LeaderElection.ResourceName)
	assert.Equal(t, "kube-system", o.LeaderElection.ResourceNamespace)
	assert.Equal(t, 15*time.Second, o.LeaderElection.LeaseDuration.Duration)
	assert.Equal(t, DefaultSecurePort, o.SecureServing.BindPort)
	assert.ElementsMatch(t, []string{"/healthz", "/readyz", "/livez"}, o.Authorization.AlwaysAllowPaths)
	assert.Empty(t, o.InsecureServingAddress)
	assert.Empty(t, o.Validate(), "the defaults must be valid")
}

// TestFlagsSetOptions parses a command line into the Options the binary runs
// with and checks every field a flag sets, against the defaults for the rest.
func TestFlagsSetOptions(t *testing.T) {
	o := NewOptions()
	featureGate := featuregate.NewFeatureGate()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	for _, f := range o.Flags(featureGate).FlagSets {
		fs.AddFlagSet(f)
	}
	require.NoError(t, fs.Parse([]string{
		"--kubeconfig=/etc/kubernetes/controller-manager.conf",
		"--kube-api-qps=150", "--kube-api-burst=300",
		"--concurrent-cron-job-syncs=40", "--create-jobs-first=false",
		"--concurrent-job-tracker-syncs=7", "--metrics-per-cronjob=false",
		"--min-resync-period=1h",
		"--leader-elect=false", "--leader-elect-lease-duration=30s",
		"--leader-elect-resource-name=other", "--leader-elect-resource-namespace=steadycron",
		"--secure-port=0", "--insecure-serving-address=127.0.0.1:10271",
		"--version",
	}))

	want := NewOptions()
	want.Kubeconfig = "/etc/kubernetes/controller-manager.conf"
	want.ClientConnection.QPS = 150
	want.ClientConnection.Burst = 300
	want.ConcurrentCronJobSyncs = 40
	want.CreateJobsFirst = false
	want.ConcurrentJobTrackerSyncs = 7
	want.MetricsPerCronJob = false
	want.MinResyncPeriod = time.Hour
	want.LeaderElection.LeaderElect = false
	want.LeaderElection.LeaseDuration = metav1.Duration{Duration: 30 * time.Second}
	want.LeaderElection.ResourceName = "other"
	want.LeaderElection.ResourceNamespace = "steadycron"
	want.SecureServing.BindPort = 0
	want.InsecureServingAddress = "127.0.0.1:10271"
	want.ShowVersion = true
	assert.Equal(t, want, o)
}

func TestValidate(t *testing.T) {
	testCases := map[string]struct {
		mutate  func(*Options)
		wantErr []string
	}{
		"defaults are valid": {
			mutate: func(*Options) {},
		},
		"zero QPS": {
			mutate:  func(o *Options) { o.ClientConnection.QPS = 0 },
			wantErr: []string{"--kube-api-qps must be greater than 0"},
		},
		"negative QPS": {
			mutate:  func(o *Options) { o.ClientConnection.QPS = -1 },
			wantErr: []string{"--kube-api-qps must be greater than 0"},
		},
		"zero burst": {
			mutate:  func(o *Options) { o.ClientConnection.Burst = 0 },
			wantErr: []string{"--kube-api-burst must be at least 1"},
		},
		"no workers": {
			mutate:  func(o *Options) { o.ConcurrentCronJobSyncs = 0 },
			wantErr: []string{"--concurrent-cron-job-syncs must be at least 1"},
		},
		"renew deadline not below lease duration": {
			mutate:  func(o *Options) { o.LeaderElection.RenewDeadline = o.LeaderElection.LeaseDuration },
			wantErr: []string{"--leader-elect-renew-deadline (15s) must be less than --leader-elect-lease-duration (15s)"},
		},
		"a lock other than leases": {
			mutate:  func(o *Options) { o.LeaderElection.ResourceLock = "endpoints" },
			wantErr: []string{`--leader-elect-resource-lock must be "leases"`},
		},
		"leader election settings are ignored when it is off": {
			mutate: func(o *Options) {
				o.LeaderElection.LeaderElect = false
				o.LeaderElection.ResourceLock = "endpoints"
			},
		},
		"insecure address without a port": {
			mutate:  func(o *Options) { o.InsecureServingAddress = "127.0.0.1" },
			wantErr: []string{"--insecure-serving-address"},
		},
		"insecure address with a host name": {
			mutate:  func(o *Options) { o.InsecureServingAddress = "example.com:80" },
			wantErr: []string{"host must be an IP address or localhost"},
		},
		"insecure address with port out of range": {
			mutate:  func(o *Options) { o.InsecureServingAddress = "127.0.0.1:70000" },
			wantErr: []string{"port must be a number from 1 to 65535"},
		},
		"every problem is reported, not only the first": {
			mutate: func(o *Options) {
				o.ClientConnection.QPS = 0
				o.ConcurrentCronJobSyncs = -3
			},
			wantErr: []string{"--kube-api-qps", "--concurrent-cron-job-syncs"},
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			o := NewOptions()
			tc.mutate(o)
			errs := o.Validate()
			require.Len(t, errs, len(tc.wantErr), "errors: %v", errs)
			for i, want := range tc.wantErr {
				assert.Contains(t, errs[i].Error(), want)
			}
		})
	}
}

func TestCommandFailsFastOnBadInput(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	kubeconfig := writeKubeconfig(t, "https://127.0.0.1:1")

	testCases := map[string]struct {
		args    []string
		wantErr string
	}{
		"unknown flag": {
			args:    []string{"--no-such-flag"},
			wantErr: "unknown flag: --no-such-flag",
		},
		"QPS that is not a number": {
			args:    []string{"--kube-api-qps=fast"},
			wantErr: `invalid argument "fast" for "--kube-api-qps"`,
		},
		"invalid option values": {
			args:    []string{"--kube-api-qps=0", "--kubeconfig=" + kubeconfig},
			wantErr: "--kube-api-qps must be greater than 0",
		},
		"unreadable kubeconfig": {
			args:    []string{"--kubeconfig=/nonexistent/kubeconfig", "--secure-port=0"},
			wantErr: `loading client configuration (--kubeconfig="/nonexistent/kubeconfig")`,
		},
		"insecure port in use": {
			args:    []string{"--kubeconfig=" + kubeconfig, "--secure-port=0", "--insecure-serving-address=" + busy.Addr().String()},
			wantErr: "address already in use",
		},
		"secure port in use": {
			args:    []string{"--kubeconfig=" + kubeconfig, "--bind-address=127.0.0.1", "--secure-port=" + portOf(t, busy)},
			wantErr: "address already in use",
		},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			// Logging configuration is applied once per process.
			logsapi.ResetForTest(nil)
			cmd := NewCommand()
			cmd.SetArgs(tc.args)
			var out bytes.Buffer
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			_, ctx := ktesting.NewTestContext(t)
			cmd.SetContext(ctx)
			err := cmd.Execute()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.NotContains(t, out.String(), "Usage:", "a bad flag must be one clear line, not the usage")
		})
	}
}

func TestVersionFlag(t *testing.T) {
	cmd := NewCommand()
	cmd.SetArgs([]string{"--version"})
	var out bytes.Buffer
	cmd.SetOut(&out)
	require.NoError(t, cmd.Execute())
	assert.Regexp(t, `^steadycron cronjob-controller \S+ \(upstream Kubernetes \S+\)\n$`, out.String())
}

func TestConfigDefaultsDelegatedAuthToKubeconfig(t *testing.T) {
	o := NewOptions()
	o.Kubeconfig = writeKubeconfig(t, "https://127.0.0.1:1")
	o.SecureServing.BindPort = 0
	c, err := o.Config()
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, o.Kubeconfig, c.Authentication.RemoteKubeConfigFile)
	assert.Equal(t, o.Kubeconfig, c.Authorization.RemoteKubeConfigFile)
	assert.Nil(t, c.SecureServing, "--secure-port=0 disables HTTPS")
	assert.Equal(t, float32(DefaultQPS), c.RestConfig.QPS)
	assert.Equal(t, DefaultBurst, c.RestConfig.Burst)
}

func TestSyncCheck(t *testing.T) {
	var synced atomic.Bool
	check := &syncCheck{}
	assert.NoError(t, check.Check(nil), "a replica that does not lead is ready")

	check.starting()
	assert.Error(t, check.Check(nil), "the leader is not ready before its controllers registered their informers")

	check.track([]cache.InformerSynced{func() bool { return true }, synced.Load})
	assert.Error(t, check.Check(nil), "the leader is not ready before its informers synced")

	synced.Store(true)
	assert.NoError(t, check.Check(nil))

	synced.Store(false)
	check.track(nil)
	assert.NoError(t, check.Check(nil), "after it stopped leading it is ready again")
}

func TestHandlerServesHealthReadinessAndMetrics(t *testing.T) {
	failing := healthz.NamedCheck("leaderElection", func(*http.Request) error { return assert.AnError })
	notSynced := &syncCheck{}
	notSynced.track([]cache.InformerSynced{func() bool { return false }})

	testCases := map[string]struct {
		health, ready []healthz.HealthChecker
		path          string
		wantCode      int
		wantBody      string
	}{
		"healthz when healthy":           {health: []healthz.HealthChecker{healthz.PingHealthz}, path: "/healthz", wantCode: http.StatusOK, wantBody: "ok"},
		"healthz reports a failed check": {health: []healthz.HealthChecker{healthz.PingHealthz, failing}, path: "/healthz", wantCode: http.StatusInternalServerError, wantBody: "leaderElection failed"},
		"healthz names each check":       {health: []healthz.HealthChecker{healthz.PingHealthz, failing}, path: "/healthz/leaderElection", wantCode: http.StatusInternalServerError},
		"readyz when synced":             {ready: []healthz.HealthChecker{healthz.PingHealthz, &syncCheck{}}, path: "/readyz", wantCode: http.StatusOK, wantBody: "ok"},
		"readyz before the caches sync":  {ready: []healthz.HealthChecker{healthz.PingHealthz, notSynced}, path: "/readyz?verbose", wantCode: http.StatusInternalServerError, wantBody: "informer-sync failed"},
		"livez":                          {path: "/livez", wantCode: http.StatusOK},
		"metrics":                        {path: "/metrics", wantCode: http.StatusOK, wantBody: "# TYPE"},
		"no profiling unless enabled":    {path: "/debug/pprof/", wantCode: http.StatusNotFound},
	}
	for name, tc := range testCases {
		t.Run(name, func(t *testing.T) {
			o := NewOptions()
			o.Debugging.EnableProfiling = false
			srv := httptest.NewServer(newHandler(&Config{Options: o}, tc.health, tc.ready))
			defer srv.Close()
			resp, err := http.Get(srv.URL + tc.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			assert.Equal(t, tc.wantCode, resp.StatusCode, body.String())
			assert.Contains(t, body.String(), tc.wantBody)
		})
	}
}

func TestWaitForAPIServerRetriesUntilHealthy(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		if calls.Add(1) < 3 {
			http.Error(w, "etcd not ready", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()

	_, ctx := ktesting.NewTestContext(t)
	require.NoError(t, waitForAPIServer(ctx, clientFor(t, srv.URL), time.Millisecond))
	assert.Equal(t, int32(3), calls.Load())
}

func TestWaitForAPIServerStopsOnCancel(t *testing.T) {
	_, ctx := ktesting.NewTestContext(t)
	ctx, cancel := context.WithCancel(ctx)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		cancel()
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	assert.ErrorIs(t, waitForAPIServer(ctx, clientFor(t, srv.URL), time.Hour), context.Canceled)
}

func TestResyncPeriodIsWithinBounds(t *testing.T) {
	for range 100 {
		p := resyncPeriod(time.Hour)
		assert.GreaterOrEqual(t, p, time.Hour)
		assert.Less(t, p, 2*time.Hour)
	}
}

func clientFor(t *testing.T, host string) clientset.Interface {
	t.Helper()
	c, err := clientset.NewForConfig(&restclient.Config{Host: host})
	require.NoError(t, err)
	return c
}

func portOf(t *testing.T, l net.Listener) string {
	t.Helper()
	_, port, err := net.SplitHostPort(l.Addr().String())
	require.NoError(t, err)
	return port
}

func writeKubeconfig(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	content := strings.ReplaceAll(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "SERVER", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`, "SERVER", server)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// TestLeadAndRunReleasesTheLeaseAfterTheControllersStop: on SIGTERM (ctx
// ends), the controllers are stopped first and the lease is released only
// once they have returned, so that no other replica leads while they still
// create Jobs or write statuses.
func TestLeadAndRunReleasesTheLeaseAfterTheControllersStop(t *testing.T) {
	_, ctx := ktesting.NewTestContext(t)
	client := fake.NewClientset()
	lock, err := resourcelock.New(resourcelock.LeasesResourceLock, "kube-system", "steadycron",
		client.CoreV1(), client.CoordinationV1(), resourcelock.ResourceLockConfig{Identity: "replica-a"})
	require.NoError(t, err)
	holder := func() string {
		lease, err := client.CoordinationV1().Leases("kube-system").Get(context.Background(), "steadycron", metav1.GetOptions{})
		require.NoError(t, err)
		return ptr.Deref(lease.Spec.HolderIdentity, "")
	}

	sigterm, stop := context.WithCancel(ctx)
	started := make(chan struct{})
	var holderWhileStopping string
	run := func(runCtx context.Context, _ takeover) []cronjob.PendingSkip {
		close(started)
		<-runCtx.Done()
		// The controllers drain and write statuses here, for a while: the
		// lease must still be held at the end of it (the time stands for
		// that work; it is no wait for a condition).
		time.Sleep(200 * time.Millisecond)
		holderWhileStopping = holder()
		return nil
	}
	done := make(chan error)
	go func() {
		done <- leadAndRun(sigterm, leaderelection.LeaderElectionConfig{
			Lock: lock, LeaseDuration: 2 * time.Second, RenewDeadline: time.Second, RetryPeriod: 100 * time.Millisecond,
			Name: ComponentName,
		}, nil, run)
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("never started leading")
	}
	stop()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("leadAndRun did not return after ctx ended")
	}
	assert.Equal(t, "replica-a", holderWhileStopping, "the lease was not held while the controllers stopped")
	assert.Empty(t, holder(), "the lease was not released once the controllers stopped")
}

// TestLeadAndRunPassesThePreviousLeadersLastRenewal: a new leader counts the
// scheduling decisions from the previous holder's last renewal of the lease
// on (cronjob.Options.DecisionsSince), and from its own start if nobody held
// the lease before; the previous holder may have sent requests until its
// release, or its last renewal plus twice the renew deadline and the retry
// period, or three times the lease duration it wrote if longer
// (cronjob.Options.PredecessorEnded). A renewal later than this process's
// clock is taken to be now; a holder without a renewal time counts from its
// acquire time, or from now.
func TestLeadAndRunPassesThePreviousLeadersLastRenewal(t *testing.T) {
	start := time.Now()
	lastRenewal := start.Add(-time.Hour).Truncate(time.Microsecond)
	leads := 2*time.Second + 100*time.Millisecond // 2 × RenewDeadline + RetryPeriod below
	lease := func(holder string, acquired, renewed time.Time) *coordinationv1.Lease {
		l := &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "steadycron"},
			Spec:       coordinationv1.LeaseSpec{HolderIdentity: ptr.To(holder)},
		}
		if !acquired.IsZero() {
			l.Spec.AcquireTime = ptr.To(metav1.NewMicroTime(acquired))
		}
		if !renewed.IsZero() {
			l.Spec.RenewTime = ptr.To(metav1.NewMicroTime(renewed))
		}
		return l
	}
	for name, tc := range map[string]struct {
		lease *coordinationv1.Lease
		// want: the times, or, if now, between the start of the test and
		// the acquisition
		wantSince, wantEnded time.Time
		now                  bool
	}{
		"nobody held the lease": {wantSince: nobodyCounted},
		"an earlier leader held it, and it expired": {
			lease:     lease("replica-old", lastRenewal, lastRenewal),
			wantSince: lastRenewal, wantEnded: lastRenewal.Add(leads),
		},
		"an earlier leader with a longer lease duration held it": {
			lease: func() *coordinationv1.Lease {
				l := lease("replica-old", lastRenewal, lastRenewal)
				// its renew deadline may be up to the lease duration:
				// three times it is longer than leads
				l.Spec.LeaseDurationSeconds = ptr.To[int32](1)
				return l
			}(),
			wantSince: lastRenewal, wantEnded: lastRenewal.Add(3 * time.Second),
		},
		"an earlier leader released it": {
			lease:     lease("", lastRenewal, lastRenewal),
			wantSince: lastRenewal, wantEnded: lastRenewal,
		},
		"a holder without a renewal time: from its acquire time": {
			lease:     lease("replica-old", lastRenewal, time.Time{}),
			wantSince: lastRenewal, wantEnded: lastRenewal.Add(leads),
		},
		"a holder without any time: from now": {
			lease: lease("replica-old", time.Time{}, time.Time{}), now: true,
		},
		"a renewal an hour ahead of this clock: from now": {
			lease: lease("replica-old", lastRenewal, start.Add(time.Hour)), now: true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, ctx := ktesting.NewTestContext(t)
			client := fake.NewClientset()
			if tc.lease != nil {
				_, err := client.CoordinationV1().Leases("kube-system").Create(ctx, tc.lease, metav1.CreateOptions{})
				require.NoError(t, err)
			}
			previous := leadOnce(ctx, t, client, "replica-new", nil, nil)
			if tc.now {
				acquired := time.Now()
				assert.False(t, previous.since.Before(start) || previous.since.After(acquired), "since %v is not the acquisition, in [%v, %v]", previous.since, start, acquired)
				assert.True(t, previous.ended.Equal(previous.since.Add(leads)), "ended %v, want since %v + %v", previous.ended, previous.since, leads)
				return
			}
			assert.True(t, tc.wantSince.Equal(previous.since), "since %v, want %v", previous.since, tc.wantSince)
			assert.True(t, tc.wantEnded.Equal(previous.ended), "ended %v, want %v", previous.ended, tc.wantEnded)
		})
	}
}

// leadOnce runs one leadership of identity over the lease kube-system/steadycron
// that stops as soon as it started (a graceful stop), with handover as its
// handover store (nil: none); its controllers hand pending over. It returns
// what the leadership's run was given.
func leadOnce(ctx context.Context, t *testing.T, client clientset.Interface, identity string, handover *handoverStore, pending []cronjob.PendingSkip) takeover {
	t.Helper()
	lock, err := resourcelock.New(resourcelock.LeasesResourceLock, "kube-system", "steadycron",
		client.CoreV1(), client.CoordinationV1(), resourcelock.ResourceLockConfig{Identity: identity})
	require.NoError(t, err)
	sigterm, stop := context.WithCancel(ctx)
	defer stop()
	got := make(chan takeover, 1)
	run := func(runCtx context.Context, previous takeover) []cronjob.PendingSkip {
		got <- previous
		stop()
		<-runCtx.Done()
		return pending
	}
	require.NoError(t, leadAndRun(sigterm, leaderelection.LeaderElectionConfig{
		Lock: lock, LeaseDuration: 2 * time.Second, RenewDeadline: time.Second, RetryPeriod: 100 * time.Millisecond,
		Name: ComponentName,
	}, handover, run))
	return <-got
}

// TestReleaseLeaseOnlyReleasesItsOwnLease: the release at a graceful stop
// writes the lease released only when this process holds it by the record it
// reads then; a lease another replica acquired meanwhile is left alone
// (client-go's own release decides from its last record, and overwrote it).
func TestReleaseLeaseOnlyReleasesItsOwnLease(t *testing.T) {
	for name, tc := range map[string]struct {
		holder       string
		wantReleased bool
	}{
		"held by this process: released":          {holder: "replica-a", wantReleased: true},
		"acquired by another replica: left alone": {holder: "replica-b"},
	} {
		t.Run(name, func(t *testing.T) {
			_, ctx := ktesting.NewTestContext(t)
			renewed := metav1.NewMicroTime(time.Now().Truncate(time.Microsecond))
			client := fake.NewClientset(&coordinationv1.Lease{
				ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "steadycron"},
				Spec: coordinationv1.LeaseSpec{
					HolderIdentity: ptr.To(tc.holder), LeaseDurationSeconds: ptr.To[int32](15),
					AcquireTime: &renewed, RenewTime: &renewed,
				},
			})
			lock, err := resourcelock.New(resourcelock.LeasesResourceLock, "kube-system", "steadycron",
				client.CoreV1(), client.CoordinationV1(), resourcelock.ResourceLockConfig{Identity: "replica-a"})
			require.NoError(t, err)
			released, err := releaseLease(ctx, lock)
			require.NoError(t, err)
			assert.Equal(t, tc.wantReleased, released)
			lease, err := client.CoordinationV1().Leases("kube-system").Get(ctx, "steadycron", metav1.GetOptions{})
			require.NoError(t, err)
			wantHolder := tc.holder
			if tc.wantReleased {
				wantHolder = ""
			}
			assert.Equal(t, wantHolder, ptr.Deref(lease.Spec.HolderIdentity, ""))
		})
	}
}
