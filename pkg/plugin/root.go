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

// Package plugin is the kubectl plugin kubectl-cronjob: it answers "when does
// my CronJob run, and why did it not?" from the facts the CronJob controller
// leaves in the cluster (Jobs and their annotations, the CronJob's events and
// status, the controller's Lease). Scheduled times are computed by the
// controller's own code (pkg/controller/cronjob), never by a second
// implementation.
package plugin

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/clock"
)

// Options are the flags and seams every command shares.
type Options struct {
	ConfigFlags *genericclioptions.ConfigFlags
	PrintFlags  *genericclioptions.JSONYamlPrintFlags
	genericiooptions.IOStreams

	// Output is -o: "" for tables, json or yaml.
	Output string
	// NoHeaders leaves the tables' headers out.
	NoHeaders bool
	// LeaseNamespace and LeaseName name the Lease steadycron leader-elects on.
	LeaseNamespace, LeaseName string
	// ControllerTimeZone is the time zone the controller evaluates schedules
	// without .spec.timeZone in: its process's local time zone, UTC in
	// steadycron's image and in kube-controller-manager's.
	ControllerTimeZone string

	// Clock is the time source; tests inject a fake one.
	Clock clock.Clock
	// Client, when set, is used instead of one built from ConfigFlags.
	Client kubernetes.Interface

	// serverDate is the API server's clock, read from the Date header of its
	// responses through the client built from ConfigFlags.
	serverDate serverDate
}

// serverDate keeps the Date header of the API server's latest response and
// the local clock's reading when it came, so that the server's time can be
// told later without trusting the local clock's offset.
type serverDate struct {
	mu        sync.Mutex
	date, got time.Time
}

// dateRecorder is an http.RoundTripper that records the Date header of each
// response in its serverDate.
type dateRecorder struct {
	next  http.RoundTripper
	date  *serverDate
	clock clock.PassiveClock
}

func (d *dateRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(req)
	if err == nil && resp != nil {
		if t, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			d.date.mu.Lock()
			d.date.date, d.date.got = t, d.clock.Now()
			d.date.mu.Unlock()
		}
	}
	return resp, err
}

// NewOptions returns the default options on the given streams.
func NewOptions(streams genericiooptions.IOStreams) *Options {
	return &Options{
		ConfigFlags:        genericclioptions.NewConfigFlags(true),
		PrintFlags:         genericclioptions.NewJSONYamlPrintFlags(),
		IOStreams:          streams,
		LeaseNamespace:     "kube-system",
		LeaseName:          "steadycron",
		ControllerTimeZone: "UTC",
		Clock:              clock.RealClock{},
	}
}

// NewCommand returns the kubectl-cronjob command with its subcommands.
func NewCommand(o *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kubectl-cronjob",
		Short: "Explain when CronJobs run, and why they did not",
		Long: `kubectl cronjob explains CronJobs from the facts the CronJob controller leaves in the
cluster: Jobs and their annotations, the CronJob's events and status, and steadycron's Lease.
Scheduled times are computed by the controller's own code.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations: map[string]string{
			cobra.CommandDisplayNameAnnotation: "kubectl cronjob",
		},
		// A zone the controller's own zone cannot be is the flag's error,
		// not every CronJob's without .spec.timeZone.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if strings.EqualFold(o.ControllerTimeZone, "Local") {
				// "Local" is this machine's zone, not the controller's.
				return fmt.Errorf("invalid argument %q for \"--controller-time-zone\" flag: Local is this machine's zone, not the controller's; give an IANA name such as Europe/Berlin", o.ControllerTimeZone)
			}
			if _, err := time.LoadLocation(o.ControllerTimeZone); err != nil {
				return fmt.Errorf("invalid argument %q for \"--controller-time-zone\" flag: %w", o.ControllerTimeZone, err)
			}
			return nil
		},
	}
	o.ConfigFlags.AddFlags(cmd.PersistentFlags())
	pf := cmd.PersistentFlags()
	pf.StringVarP(&o.Output, "output", "o", o.Output, "Output format: one of (json, yaml); tables when empty.")
	pf.BoolVar(&o.NoHeaders, "no-headers", o.NoHeaders, "Leave the tables' headers out.")
	pf.StringVar(&o.LeaseNamespace, "lease-namespace", o.LeaseNamespace, "Namespace of steadycron's leader-election Lease.")
	pf.StringVar(&o.LeaseName, "lease-name", o.LeaseName, "Name of steadycron's leader-election Lease.")
	pf.StringVar(&o.ControllerTimeZone, "controller-time-zone", o.ControllerTimeZone, "The controller's local time zone, in which it evaluates schedules without .spec.timeZone.")
	cmd.AddCommand(newNextCommand(o), newWhyCommand(o), newStatusCommand(o), newRunCommand(o), newLintCommand(o))
	return cmd
}

func (o *Options) client() (kubernetes.Interface, error) {
	if o.Client != nil {
		return o.Client, nil
	}
	config, err := o.ConfigFlags.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	config.UserAgent = "kubectl-cronjob"
	config.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return &dateRecorder{next: rt, date: &o.serverDate, clock: o.Clock}
	})
	c, err := kubernetes.NewForConfig(config)
	if err != nil {
		return nil, fmt.Errorf("building a client: %w", err)
	}
	o.Client = c
	return c, nil
}

// namespace returns -n, else the kubeconfig context's namespace, else "default".
func (o *Options) namespace() (string, error) {
	ns, _, err := o.ConfigFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return "", fmt.Errorf("reading the namespace from the kubeconfig: %w", err)
	}
	return ns, nil
}

// now is the API server's time when a response of it gave its Date header
// (second resolution: up to a second early, plus the request's latency),
// advanced by the local clock since; else the local clock, which may be off
// from the cluster's (see serverTimeKnown).
func (o *Options) now() time.Time {
	local := o.Clock.Now()
	o.serverDate.mu.Lock()
	defer o.serverDate.mu.Unlock()
	if o.serverDate.date.IsZero() {
		return local
	}
	return o.serverDate.date.Add(local.Sub(o.serverDate.got))
}

// serverTimeKnown tells whether now is the API server's time rather than the
// local clock's.
func (o *Options) serverTimeKnown() bool {
	o.serverDate.mu.Lock()
	defer o.serverDate.mu.Unlock()
	return !o.serverDate.date.IsZero()
}

// printObject prints a report as -o json or yaml; it returns false for tables.
func (o *Options) printObject(obj Report, w io.Writer) (bool, error) {
	if o.Output == "" {
		return false, nil
	}
	p, err := o.PrintFlags.ToPrinter(o.Output)
	if err != nil {
		return true, fmt.Errorf("-o %s: %w", o.Output, err)
	}
	obj.setKind()
	return true, p.PrintObj(obj, w)
}

// printTable prints rows under headers the way kubectl get does.
func (o *Options) printTable(w io.Writer, headers []string, rows [][]string) error {
	return printers.NewTablePrinter(printers.PrintOptions{NoHeaders: o.NoHeaders}).PrintObj(newTable(headers, rows), w)
}
