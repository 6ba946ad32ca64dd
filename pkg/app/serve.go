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
	"context"
	"errors"
	"fmt"
	"net/http"
	goruntime "runtime"
	"sync/atomic"
	"time"

	apiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/server/healthz"
	"k8s.io/apiserver/pkg/server/mux"
	"k8s.io/apiserver/pkg/server/routes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/component-base/metrics/legacyregistry"
	"k8s.io/component-base/metrics/prometheus/slis"
	cmapp "k8s.io/controller-manager/app"
	"k8s.io/klog/v2"

	// Register client-go's REST client and workqueue metrics, as kcm does.
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/workqueue"
)

// syncCheck is the readiness check "informer-sync". A replica that is not
// leading is ready: it serves metrics and can take over. The leader is ready
// once the informers of the controllers it runs have synced.
type syncCheck struct {
	synced atomic.Pointer[[]cache.InformerSynced]
}

var _ healthz.HealthChecker = &syncCheck{}

func (s *syncCheck) Name() string { return "informer-sync" }

func (s *syncCheck) Check(_ *http.Request) error {
	fns := s.synced.Load()
	if fns == nil {
		return nil
	}
	for _, synced := range *fns {
		if !synced() {
			return errors.New("informers have not synced yet")
		}
	}
	return nil
}

// starting makes the check fail until track names the informers: from the
// moment this process leads until its controllers have registered their
// informers, it has no cache to be synced.
func (s *syncCheck) starting() {
	s.track([]cache.InformerSynced{func() bool { return false }})
}

// track makes the check wait for these informers; nil stops tracking.
func (s *syncCheck) track(synced []cache.InformerSynced) {
	if synced == nil {
		s.synced.Store(nil)
		return
	}
	s.synced.Store(&synced)
}

// newHandler serves /healthz, /livez, /readyz, /metrics and, when enabled,
// /debug/pprof. It is used behind authentication on the secure port and as it
// is on the insecure address.
func newHandler(c *Config, healthChecks, readyChecks []healthz.HealthChecker) http.Handler {
	m := mux.NewPathRecorderMux(ComponentName)
	healthz.InstallHandler(m, healthChecks...)
	healthz.InstallLivezHandler(m, healthz.PingHealthz)
	healthz.InstallReadyzHandler(m, readyChecks...)
	m.Handle("/metrics", legacyregistry.Handler())
	slis.SLIMetricsWithReset{}.Install(m)
	if c.Debugging.EnableProfiling {
		routes.Profiling{}.Install(m)
		if c.Debugging.EnableContentionProfiling {
			goruntime.SetBlockProfileRate(1)
		}
	}
	return m
}

// serve starts the secure and insecure servers; they stop when ctx is done.
func serve(ctx context.Context, c *Config, handler http.Handler, authn *apiserver.AuthenticationInfo, authz *apiserver.AuthorizationInfo) error {
	logger := klog.FromContext(ctx)
	if c.SecureServing != nil {
		secured := cmapp.BuildHandlerChain(handler, authz, authn)
		if _, _, err := c.SecureServing.Serve(secured, 0, ctx.Done()); err != nil {
			return fmt.Errorf("serving HTTPS: %w", err)
		}
	}
	if c.InsecureListener != nil {
		srv := &http.Server{
			Handler:           cmapp.BuildHandlerChain(handler, nil, nil),
			ReadHeaderTimeout: 10 * time.Second,
		}
		go func() {
			<-ctx.Done()
			_ = srv.Close()
		}()
		go func() {
			logger.Info("Serving insecurely", "address", c.InsecureListener.Addr().String())
			if err := srv.Serve(c.InsecureListener); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error(err, "Insecure serving stopped")
			}
		}()
	}
	return nil
}
