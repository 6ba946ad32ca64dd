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
	"fmt"

	"github.com/spf13/cobra"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	cliflag "k8s.io/component-base/cli/flag"
	"k8s.io/component-base/featuregate"
	logsapi "k8s.io/component-base/logs/api/v1"
	"k8s.io/component-base/term"

	"github.com/steadycron/steadycron/pkg/version"
)

// NewCommand returns the cronjob-controller command. Its context (set by the
// caller with SetContext) is cancelled on the first SIGTERM or SIGINT.
func NewCommand() *cobra.Command {
	o := NewOptions()
	featureGate := featuregate.NewFeatureGate()
	utilruntime.Must(logsapi.AddFeatureGates(featureGate))
	fss := o.Flags(featureGate)

	cmd := &cobra.Command{
		Use:   ComponentName,
		Short: "The Kubernetes CronJob controller with steadycron's patches",
		Long: `cronjob-controller runs the upstream Kubernetes CronJob controller, patched by
steadycron, in place of the one in kube-controller-manager. Run kube-controller-manager
with --controllers=*,-cronjob-controller and this beside it; replicas leader-elect on a
Lease of their own.`,
		Args: cobra.NoArgs,
		// A bad flag or option is reported in one line, without the usage.
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.ShowVersion {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), version.String())
				return err
			}
			if err := logsapi.ValidateAndApply(o.Logs, featureGate); err != nil {
				return err
			}
			cliflag.PrintFlags(cmd.Flags())
			if errs := o.Validate(); len(errs) > 0 {
				return utilerrors.NewAggregate(errs)
			}
			c, err := o.Config()
			if err != nil {
				return err
			}
			return Run(cmd.Context(), c)
		},
	}
	fs := cmd.Flags()
	for _, f := range fss.FlagSets {
		fs.AddFlagSet(f)
	}
	cols, _, _ := term.TerminalSize(cmd.OutOrStdout())
	cliflag.SetUsageAndHelpFunc(cmd, fss, cols)
	return cmd
}
