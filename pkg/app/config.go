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
	"net"

	apiserver "k8s.io/apiserver/pkg/server"
	restclient "k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	netutils "k8s.io/utils/net"
)

// Config is everything Run needs, built from validated Options. Building it
// opens the listeners, so a port in use fails here, before anything starts.
type Config struct {
	*Options

	// RestConfig is the base client configuration; Run derives one client per
	// purpose from it, each with its own user agent and rate limiter.
	RestConfig *restclient.Config

	// SecureServing is nil when --secure-port=0.
	SecureServing *apiserver.SecureServingInfo
	// InsecureListener is nil unless --insecure-serving-address is set.
	InsecureListener net.Listener
}

// Config validates nothing; call Validate first.
func (o *Options) Config() (*Config, error) {
	restConfig, err := clientcmd.BuildConfigFromFlags("", o.Kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("loading client configuration (--kubeconfig=%q): %w", o.Kubeconfig, err)
	}
	restConfig.ContentType = o.ClientConnection.ContentType
	restConfig.QPS = o.ClientConnection.QPS
	restConfig.Burst = int(o.ClientConnection.Burst)

	// Delegated authentication and authorization talk to the same API server
	// unless told otherwise: the sidecar and the Deployment both run with one
	// kubeconfig, and kcm's separate flags stay available.
	if o.Authentication.RemoteKubeConfigFile == "" {
		o.Authentication.RemoteKubeConfigFile = o.Kubeconfig
	}
	if o.Authorization.RemoteKubeConfigFile == "" {
		o.Authorization.RemoteKubeConfigFile = o.Kubeconfig
	}

	c := &Config{Options: o, RestConfig: restConfig}
	if o.SecureServing.BindPort != 0 || o.SecureServing.Listener != nil {
		if err := o.SecureServing.MaybeDefaultWithSelfSignedCerts("localhost", nil, []net.IP{netutils.ParseIPSloppy("127.0.0.1")}); err != nil {
			return nil, fmt.Errorf("creating a self-signed serving certificate: %w", err)
		}
		if err := o.SecureServing.ApplyTo(&c.SecureServing); err != nil {
			return nil, fmt.Errorf("secure serving: %w", err)
		}
	}
	if o.InsecureServingAddress != "" {
		l, err := net.Listen("tcp", o.InsecureServingAddress)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("insecure serving on %s: %w", o.InsecureServingAddress, err)
		}
		c.InsecureListener = l
	}
	return c, nil
}

// Close releases the listeners of a Config that will not be run.
func (c *Config) Close() {
	if c.SecureServing != nil && c.SecureServing.Listener != nil {
		_ = c.SecureServing.Listener.Close()
	}
	if c.InsecureListener != nil {
		_ = c.InsecureListener.Close()
	}
}

// clientConfig returns a copy of the base configuration with its own user
// agent, so each purpose gets its own rate limiter as in kcm.
func (c *Config) clientConfig(userAgent string) *restclient.Config {
	return restclient.AddUserAgent(restclient.CopyConfig(c.RestConfig), userAgent)
}
