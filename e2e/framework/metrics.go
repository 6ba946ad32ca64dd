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
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// How the suites read steadycron's metrics: scrape a process (a Steadycron
// instance, or whichever instance leads), parse the text format with
// Prometheus' own parser, and sum the series of one family whose labels
// include the ones asked for.

// MetricsSource is something whose /metrics can be scraped: a *Steadycron,
// or Cluster.LeaderMetrics.
type MetricsSource interface {
	Metrics(ctx context.Context) (map[string]*dto.MetricFamily, error)
}

// LeaderMetrics scrapes, each time, the steadycron instance that leads then
// (Cluster.SteadycronLeader); a scrape while none leads is an error.
func (c *Cluster) LeaderMetrics() MetricsSource { return leaderMetrics{c} }

type leaderMetrics struct{ c *Cluster }

func (l leaderMetrics) Metrics(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	leader, err := l.c.SteadycronLeader(ctx)
	if err != nil {
		return nil, err
	}
	return leader.Metrics(ctx)
}

// KCMMetrics scrapes kube-controller-manager's /metrics (on its secure port,
// as the admin identity) and parses it.
func (c *Cluster) KCMMetrics(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	if c.cp == nil {
		return nil, ErrExternalCluster
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // loopback, self-signed
	}}
	return scrapeMetrics(ctx, hc, strings.TrimSuffix(c.cp.kcmHealth, "/healthz")+"/metrics", c.Config.BearerToken)
}

// scrapeMetrics GETs url, with a bearer token when one is given, and parses
// the Prometheus text format. Errors name the URL.
func scrapeMetrics(ctx context.Context, hc *http.Client, url, bearer string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("building the request for %s: %w", url, err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scraping %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scraping %s: %s: %s", url, resp.Status, body)
	}
	families, err := ParseMetrics(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return families, nil
}

// ParseMetrics parses the Prometheus text format.
func ParseMetrics(body []byte) (map[string]*dto.MetricFamily, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parsing metrics: %w", err)
	}
	return families, nil
}

// Series is the sum over the series of one metric family that match a set
// of labels.
type Series struct {
	// Value is the sum of the counters', gauges' and untyped samples' values.
	Value float64
	// Count and Sum are the sums of the histograms' and summaries' sample
	// counts and sample sums.
	Count uint64
	Sum   float64
	// Matched is how many series matched.
	Matched int
}

// SumSeries sums the series of families[metric] whose labels include every
// name and value of labels (nil or empty matches every series). A family
// that is missing sums to zero.
func SumSeries(families map[string]*dto.MetricFamily, metric string, labels map[string]string) Series {
	var s Series
	for _, m := range families[metric].GetMetric() {
		if !HasLabels(m, labels) {
			continue
		}
		s.Matched++
		switch {
		case m.Counter != nil:
			s.Value += m.GetCounter().GetValue()
		case m.Gauge != nil:
			s.Value += m.GetGauge().GetValue()
		case m.Untyped != nil:
			s.Value += m.GetUntyped().GetValue()
		case m.Histogram != nil:
			s.Count += m.GetHistogram().GetSampleCount()
			s.Sum += m.GetHistogram().GetSampleSum()
		case m.Summary != nil:
			s.Count += m.GetSummary().GetSampleCount()
			s.Sum += m.GetSummary().GetSampleSum()
		}
	}
	return s
}

// HasLabels reports whether m has every label of want, with its value.
func HasLabels(m *dto.Metric, want map[string]string) bool {
	found := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			found++
		}
	}
	return found == len(want)
}

// ScrapeSeries scrapes from and sums the series of metric that match labels
// (SumSeries).
func ScrapeSeries(ctx context.Context, from MetricsSource, metric string, labels map[string]string) (Series, error) {
	families, err := from.Metrics(ctx)
	if err != nil {
		return Series{}, err
	}
	return SumSeries(families, metric, labels), nil
}

// WaitCounter scrapes from until the value of the series of metric that
// match labels (SumSeries' Value) is at least minimum, and returns that
// value. Scrape errors are retried until timeout; the error then names the
// last value seen.
func WaitCounter(ctx context.Context, from MetricsSource, metric string, labels map[string]string, minimum float64, timeout time.Duration) (float64, error) {
	var got float64
	err := WaitFor(ctx, fmt.Sprintf("%s%v >= %v", metric, labels, minimum), timeout, func(ctx context.Context) (bool, error) {
		s, err := ScrapeSeries(ctx, from, metric, labels)
		if err != nil {
			return false, nil //nolint:nilerr // retried until the timeout
		}
		got = s.Value
		return got >= minimum, nil
	})
	if err != nil {
		return got, fmt.Errorf("%w (last value %v)", err, got)
	}
	return got, nil
}

// Decision is the label set of one CronJob's
// cronjob_controller_scheduling_decisions_total series for a decision
// ("invoke" or "skip") and its reason.
func Decision(ns, cronJob, decision, reason string) map[string]string {
	return map[string]string{"namespace": ns, "cronjob": cronJob, "decision": decision, "reason": reason}
}
