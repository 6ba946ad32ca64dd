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
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

const scrape = `# HELP cronjob_controller_scheduling_decisions_total Decisions.
# TYPE cronjob_controller_scheduling_decisions_total counter
cronjob_controller_scheduling_decisions_total{cronjob="a",decision="invoke",namespace="n1",reason="onTime"} 3
cronjob_controller_scheduling_decisions_total{cronjob="a",decision="skip",namespace="n1",reason="suspended"} 2
cronjob_controller_scheduling_decisions_total{cronjob="b",decision="invoke",namespace="n1",reason="onTime"} 5
cronjob_controller_scheduling_decisions_total{cronjob="a",decision="invoke",namespace="n2",reason="onTime"} 7
# HELP cronjob_job_attempts Attempts.
# TYPE cronjob_job_attempts histogram
cronjob_job_attempts_bucket{cronjob="a",namespace="n1",le="1"} 1
cronjob_job_attempts_bucket{cronjob="a",namespace="n1",le="+Inf"} 2
cronjob_job_attempts_sum{cronjob="a",namespace="n1"} 3
cronjob_job_attempts_count{cronjob="a",namespace="n1"} 2
cronjob_job_attempts_bucket{cronjob="b",namespace="n1",le="1"} 1
cronjob_job_attempts_bucket{cronjob="b",namespace="n1",le="+Inf"} 1
cronjob_job_attempts_sum{cronjob="b",namespace="n1"} 1
cronjob_job_attempts_count{cronjob="b",namespace="n1"} 1
# HELP cronjob_jobtracker_cached_pods Pods.
# TYPE cronjob_jobtracker_cached_pods gauge
cronjob_jobtracker_cached_pods 4
`

func TestSumSeries(t *testing.T) {
	families, err := ParseMetrics([]byte(scrape))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		metric string
		labels map[string]string
		want   Series
	}{
		"a counter's one series, by every label": {
			metric: "cronjob_controller_scheduling_decisions_total",
			labels: Decision("n1", "a", "invoke", "onTime"),
			want:   Series{Value: 3, Matched: 1},
		},
		"a counter's series that include the labels, summed": {
			metric: "cronjob_controller_scheduling_decisions_total",
			labels: map[string]string{"namespace": "n1", "cronjob": "a"},
			want:   Series{Value: 5, Matched: 2},
		},
		"no labels match every series": {
			metric: "cronjob_controller_scheduling_decisions_total",
			want:   Series{Value: 17, Matched: 4},
		},
		"a label value that no series has": {
			metric: "cronjob_controller_scheduling_decisions_total",
			labels: map[string]string{"namespace": "n3"},
		},
		"a label name that no series has": {
			metric: "cronjob_controller_scheduling_decisions_total",
			labels: map[string]string{"namespace": "n1", "trigger": "manual"},
		},
		"a histogram's count and sum": {
			metric: "cronjob_job_attempts",
			labels: map[string]string{"namespace": "n1"},
			want:   Series{Count: 3, Sum: 4, Matched: 2},
		},
		"a gauge's value": {
			metric: "cronjob_jobtracker_cached_pods",
			want:   Series{Value: 4, Matched: 1},
		},
		"a family that was not served sums to zero": {
			metric: "cronjob_job_started_total",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := SumSeries(families, tc.metric, tc.labels); got != tc.want {
				t.Errorf("SumSeries(%s, %v) = %+v, want %+v", tc.metric, tc.labels, got, tc.want)
			}
		})
	}
}

func TestParseMetricsRejectsWhatIsNotTheTextFormat(t *testing.T) {
	if _, err := ParseMetrics([]byte("cronjob_job_started_total{namespace=\"n\" 1\n")); err == nil {
		t.Error("an unclosed label set parsed")
	}
}

// fakeSource serves the same scrape, or an error, every time.
type fakeSource struct {
	body  string
	err   error
	calls int
}

func (f *fakeSource) Metrics(context.Context) (map[string]*dto.MetricFamily, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return ParseMetrics([]byte(f.body))
}

func TestWaitCounter(t *testing.T) {
	cases := map[string]struct {
		// environment
		source  *fakeSource
		labels  map[string]string
		minimum float64
		// expectations
		want      float64
		wantErr   bool
		errSubstr string
	}{
		"reached at the first scrape, the value is returned": {
			source:  &fakeSource{body: scrape},
			labels:  map[string]string{"namespace": "n1", "cronjob": "a"},
			minimum: 4,
			want:    5,
		},
		"below the minimum until the timeout, the error names the last value": {
			source:    &fakeSource{body: scrape},
			labels:    Decision("n1", "a", "invoke", "onTime"),
			minimum:   4,
			want:      3,
			wantErr:   true,
			errSubstr: "last value 3",
		},
		"a series never served waits until the timeout": {
			source:    &fakeSource{body: scrape},
			labels:    Decision("n1", "c", "invoke", "onTime"),
			minimum:   1,
			wantErr:   true,
			errSubstr: "last value 0",
		},
		"scrape errors are retried until the timeout": {
			source:    &fakeSource{err: errors.New("connection refused")},
			minimum:   1,
			wantErr:   true,
			errSubstr: "cronjob_controller_scheduling_decisions_total",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// The first scrape is immediate; the timeout ends the wait
			// before a second one.
			got, err := WaitCounter(t.Context(), tc.source, "cronjob_controller_scheduling_decisions_total", tc.labels, tc.minimum, 10*time.Millisecond)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want an error: %t", err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tc.errSubstr) {
				t.Errorf("err = %q, want it to contain %q", err, tc.errSubstr)
			}
			if got != tc.want {
				t.Errorf("value %v, want %v", got, tc.want)
			}
			if tc.source.calls == 0 {
				t.Error("never scraped")
			}
		})
	}
}

// TestScrapeMetrics: a scrape sends the bearer token when there is one,
// parses a 200's body, and names the URL in every error.
func TestScrapeMetrics(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/broken":
			_, _ = w.Write([]byte("cronjob_job_started_total{\n"))
		case r.Header.Get("Authorization") != "Bearer t0ken":
			http.Error(w, "who are you", http.StatusUnauthorized)
		default:
			_, _ = w.Write([]byte(scrape))
		}
	}))
	defer srv.Close()
	cases := map[string]struct {
		path, bearer string
		errSubstr    string
	}{
		"with the token: parsed":                  {path: "/metrics", bearer: "t0ken"},
		"without it: the status and body":         {path: "/metrics", errSubstr: "401 Unauthorized: who are you"},
		"not the text format: the parser's error": {path: "/broken", errSubstr: "parsing metrics"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			families, err := scrapeMetrics(t.Context(), srv.Client(), srv.URL+tc.path, tc.bearer)
			if tc.errSubstr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := SumSeries(families, "cronjob_jobtracker_cached_pods", nil).Value; got != 4 {
					t.Errorf("cached pods %v, want 4", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.errSubstr) || !strings.Contains(err.Error(), srv.URL+tc.path) {
				t.Errorf("err = %v, want one with %q and the URL", err, tc.errSubstr)
			}
		})
	}
}
