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
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	apiserveroptions "k8s.io/apiserver/pkg/server/options"
	cliflag "k8s.io/component-base/cli/flag"
	componentbaseconfig "k8s.io/component-base/config"
	"k8s.io/component-base/config/options"
	"k8s.io/component-base/featuregate"
	logsapi "k8s.io/component-base/logs/api/v1"
	cmoptions "k8s.io/controller-manager/options"
	netutils "k8s.io/utils/net"
)

const (
	// ComponentName is the name steadycron uses as its user agent, event
	// source and serving pair name. It is the name kube-controller-manager
	// uses for the CronJob controller, so dashboards, audit queries and RBAC
	// written for the stock controller keep matching.
	ComponentName = "cronjob-controller"

	// DefaultSecurePort is the HTTPS port for /metrics, /healthz and /readyz.
	// It differs from kube-controller-manager's 10257 so both can run in one
	// host-network static pod.
	DefaultSecurePort = 10270

	// DefaultLeaseName is the Lease steadycron leader-elects on. It is its own
	// Lease, not kube-controller-manager's, so the two never contend.
	DefaultLeaseName = "steadycron"
)

// Options holds everything the cronjob-controller command line configures.
// Flag names follow kube-controller-manager wherever kcm has the same setting.
type Options struct {
	// Kubeconfig is the path to a kubeconfig file; empty means in-cluster.
	Kubeconfig string
	// ClientConnection holds the API client's QPS, burst and content type.
	ClientConnection componentbaseconfig.ClientConnectionConfiguration
	// ConcurrentCronJobSyncs is the number of CronJobs synced in parallel.
	ConcurrentCronJobSyncs int32
	// CreateJobsFirst writes CronJob status and sends events after the
	// queued syncs, in the background (cronjob.Options.DeferStatusUpdates
	// and DeferEvents), so that under a burst Job creations go first.
	CreateJobsFirst bool
	// ConcurrentJobTrackerSyncs is the number of Jobs the job tracker
	// annotates in parallel.
	ConcurrentJobTrackerSyncs int32
	// MetricsPerCronJob labels steadycron's metrics with namespace and
	// cronjob. Clusters where one series per CronJob is too many turn it off;
	// the labels are then empty (which Prometheus treats as absent).
	MetricsPerCronJob bool
	// MinResyncPeriod bounds the informers' resync: each gets a random period
	// between MinResyncPeriod and twice that, as in kube-controller-manager.
	MinResyncPeriod time.Duration

	LeaderElection componentbaseconfig.LeaderElectionConfiguration

	SecureServing  *apiserveroptions.SecureServingOptions
	Authentication *apiserveroptions.DelegatingAuthenticationOptions
	Authorization  *apiserveroptions.DelegatingAuthorizationOptions
	// InsecureServingAddress, when set, also serves /metrics, /healthz and
	// /readyz over plain HTTP without authentication on this host:port. It is
	// meant for local use and tests; keep it on loopback.
	InsecureServingAddress string

	Debugging *cmoptions.DebuggingOptions
	Logs      *logsapi.LoggingConfiguration

	// ShowVersion prints the version and exits.
	ShowVersion bool
}

// Defaults that differ from kube-controller-manager's (QPS 20, burst 30, 5
// CronJob workers), chosen with the scale benchmark (docs/benchmarks.md):
// with 5,000 CronJobs due at once, 50 workers at 500 QPS create their Jobs
// as fast as the API server accepts them (20 workers at 200 QPS take 2.6
// times as long; 100 workers at 1,000 QPS are no faster).
const (
	DefaultQPS                    = 500
	DefaultBurst                  = 1000
	DefaultConcurrentCronJobSyncs = 50
	// DefaultConcurrentJobTrackerSyncs: each job tracker worker waits for its
	// patch's answer, so with 1,000 Jobs running at once the workers, not the
	// client's limiter, bound the rate of first-running annotations: 5 workers
	// took 1.47 times as long as an unthrottled client (median of
	// three runs), 20 workers 0.91 times as long (docs/benchmarks.md,
	// s17-pipe1000).
	DefaultConcurrentJobTrackerSyncs = 20
)

// NewOptions returns Options with the defaults of kube-controller-manager for
// every setting the two share, except the client budget and the CronJob
// workers (see DefaultQPS).
func NewOptions() *Options {
	o := &Options{
		ClientConnection: componentbaseconfig.ClientConnectionConfiguration{
			ContentType: "application/vnd.kubernetes.protobuf",
			QPS:         DefaultQPS,
			Burst:       DefaultBurst,
		},
		ConcurrentCronJobSyncs:    DefaultConcurrentCronJobSyncs,
		CreateJobsFirst:           true,
		ConcurrentJobTrackerSyncs: DefaultConcurrentJobTrackerSyncs,
		MetricsPerCronJob:         true,
		MinResyncPeriod:           12 * time.Hour,
		LeaderElection: componentbaseconfig.LeaderElectionConfiguration{
			LeaderElect:       true,
			LeaseDuration:     metav1Duration(15 * time.Second),
			RenewDeadline:     metav1Duration(10 * time.Second),
			RetryPeriod:       metav1Duration(2 * time.Second),
			ResourceLock:      "leases",
			ResourceName:      DefaultLeaseName,
			ResourceNamespace: "kube-system",
		},
		SecureServing:  apiserveroptions.NewSecureServingOptions(),
		Authentication: apiserveroptions.NewDelegatingAuthenticationOptions(),
		Authorization:  apiserveroptions.NewDelegatingAuthorizationOptions(),
		Debugging:      cmoptions.RecommendedDebuggingOptions(),
		Logs:           logsapi.NewLoggingConfiguration(),
	}
	// As in kube-controller-manager: an in-memory self-signed certificate
	// unless --cert-dir or --tls-cert-file says otherwise, and delegated
	// authentication/authorization that may fall back to in-cluster config.
	o.SecureServing.ServerCert.CertDirectory = ""
	o.SecureServing.ServerCert.PairName = ComponentName
	o.SecureServing.BindPort = DefaultSecurePort
	o.Authentication.RemoteKubeConfigFileOptional = true
	o.Authorization.RemoteKubeConfigFileOptional = true
	o.Authorization.AlwaysAllowPaths = []string{"/healthz", "/readyz", "/livez"}
	return o
}

// Flags returns the command line flags, grouped for --help.
func (o *Options) Flags(featureGate featuregate.MutableFeatureGate) cliflag.NamedFlagSets {
	var fss cliflag.NamedFlagSets

	fs := fss.FlagSet("generic")
	fs.StringVar(&o.Kubeconfig, "kubeconfig", o.Kubeconfig, "Path to a kubeconfig file with the API server location and credentials. In-cluster configuration is used when empty.")
	fs.Float32Var(&o.ClientConnection.QPS, "kube-api-qps", o.ClientConnection.QPS, "QPS to use while talking with the Kubernetes API server.")
	fs.Int32Var(&o.ClientConnection.Burst, "kube-api-burst", o.ClientConnection.Burst, "Burst to use while talking with the Kubernetes API server.")
	fs.StringVar(&o.ClientConnection.ContentType, "kube-api-content-type", o.ClientConnection.ContentType, "Content type of requests sent to the API server.")
	fs.DurationVar(&o.MinResyncPeriod, "min-resync-period", o.MinResyncPeriod, "The resync period in reflectors will be random between MinResyncPeriod and 2*MinResyncPeriod.")
	featureGate.AddFlag(fs)
	fs.BoolVar(&o.ShowVersion, "version", o.ShowVersion, "Print the version and exit.")

	fs = fss.FlagSet("cronjob controller")
	fs.Int32Var(&o.ConcurrentCronJobSyncs, "concurrent-cron-job-syncs", o.ConcurrentCronJobSyncs, "The number of cron job objects that are allowed to sync concurrently. Larger number = more responsive jobs, but more CPU (and network) load.")
	fs.BoolVar(&o.CreateJobsFirst, "create-jobs-first", o.CreateJobsFirst, "Write CronJob status and send events in the background, after the queued syncs, so that Jobs due at the same time are created first. Set to false to write status and send events as each sync goes, as kube-controller-manager does.")
	fs.Int32Var(&o.ConcurrentJobTrackerSyncs, "concurrent-job-tracker-syncs", o.ConcurrentJobTrackerSyncs, "The number of Jobs the job tracker syncs concurrently (it annotates them with steadycron.io/first-running and steadycron.io/reexecutions, and observes their attempts).")
	fs.BoolVar(&o.MetricsPerCronJob, "metrics-per-cronjob", o.MetricsPerCronJob, "Label steadycron's metrics with namespace and cronjob. Set to false where one series per CronJob is too many: the two labels are then empty.")

	fs = fss.FlagSet("leader election")
	options.BindLeaderElectionFlags(&o.LeaderElection, fs)

	o.SecureServing.AddFlags(fss.FlagSet("secure serving"))
	fs = fss.FlagSet("insecure serving")
	fs.StringVar(&o.InsecureServingAddress, "insecure-serving-address", o.InsecureServingAddress, "If set, also serve /metrics, /healthz and /readyz over plain HTTP, with no authentication, on this host:port (for example 127.0.0.1:10271). For local use only.")
	o.Authentication.AddFlags(fss.FlagSet("authentication"))
	o.Authorization.AddFlags(fss.FlagSet("authorization"))
	o.Debugging.AddFlags(fss.FlagSet("debugging"))
	logsapi.AddFlags(o.Logs, fss.FlagSet("logs"))
	return fss
}

// Validate returns every problem with the options, not only the first.
func (o *Options) Validate() []error {
	var errs []error
	if o.ClientConnection.QPS <= 0 {
		errs = append(errs, fmt.Errorf("--kube-api-qps must be greater than 0, got %v", o.ClientConnection.QPS))
	}
	if o.ClientConnection.Burst < 1 {
		errs = append(errs, fmt.Errorf("--kube-api-burst must be at least 1, got %d", o.ClientConnection.Burst))
	}
	if o.ConcurrentCronJobSyncs < 1 {
		errs = append(errs, fmt.Errorf("--concurrent-cron-job-syncs must be at least 1, got %d", o.ConcurrentCronJobSyncs))
	}
	if o.ConcurrentJobTrackerSyncs < 1 {
		errs = append(errs, fmt.Errorf("--concurrent-job-tracker-syncs must be at least 1, got %d", o.ConcurrentJobTrackerSyncs))
	}
	if o.MinResyncPeriod <= 0 {
		errs = append(errs, fmt.Errorf("--min-resync-period must be greater than 0, got %v", o.MinResyncPeriod))
	}
	errs = append(errs, validateLeaderElection(&o.LeaderElection)...)
	if o.InsecureServingAddress != "" {
		if err := validateHostPort(o.InsecureServingAddress); err != nil {
			errs = append(errs, fmt.Errorf("--insecure-serving-address: %w", err))
		}
	}
	errs = append(errs, o.SecureServing.Validate()...)
	errs = append(errs, o.Authentication.Validate()...)
	errs = append(errs, o.Authorization.Validate()...)
	errs = append(errs, o.Debugging.Validate()...)
	return errs
}

func validateLeaderElection(le *componentbaseconfig.LeaderElectionConfiguration) []error {
	if !le.LeaderElect {
		return nil
	}
	var errs []error
	if le.ResourceLock != "leases" {
		errs = append(errs, fmt.Errorf(`--leader-elect-resource-lock must be "leases", got %q`, le.ResourceLock))
	}
	if le.ResourceName == "" || le.ResourceNamespace == "" {
		errs = append(errs, errors.New("--leader-elect-resource-name and --leader-elect-resource-namespace must not be empty"))
	}
	lease, renew, retry := le.LeaseDuration.Duration, le.RenewDeadline.Duration, le.RetryPeriod.Duration
	if lease <= 0 || renew <= 0 || retry <= 0 {
		errs = append(errs, errors.New("--leader-elect-lease-duration, --leader-elect-renew-deadline and --leader-elect-retry-period must be greater than 0"))
	} else if renew >= lease {
		errs = append(errs, fmt.Errorf("--leader-elect-renew-deadline (%v) must be less than --leader-elect-lease-duration (%v)", renew, lease))
	}
	return errs
}

func validateHostPort(address string) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", address, err)
	}
	if host != "" && netutils.ParseIPSloppy(host) == nil && host != "localhost" {
		return fmt.Errorf("%q: host must be an IP address or localhost", address)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("%q: port must be a number from 1 to 65535", address)
	}
	return nil
}

func metav1Duration(d time.Duration) metav1.Duration { return metav1.Duration{Duration: d} }
