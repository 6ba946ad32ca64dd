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

package plugin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// apiServerAt serves objs (by URL path) as an API server whose clock reads
// server, in its Date header.
func apiServerAt(t *testing.T, server time.Time, objs map[string]runtime.Object) *httptest.Server {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", server.Format(http.TimeFormat))
		obj, ok := objs[r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		require.NoError(t, json.NewEncoder(w).Encode(obj))
	}))
	t.Cleanup(api.Close)
	return api
}

// TestReview8NextNameUsesTheServersClock: `next NAME` talks to the API
// server (it gets the CronJob), so "now" is the server's time, as for why
// and status (docs/plugin.md, "This machine's clock"). With the laptop's
// clock 10 minutes behind the cluster's, the first "next" time must not be
// one that already came in the cluster.
func TestReview8NextNameUsesTheServersClock(t *testing.T) {
	server := time.Date(2027, 3, 16, 12, 7, 0, 0, time.UTC)
	cj := cronJob("report", "*/5 * * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr.To("UTC") })
	cj.APIVersion, cj.Kind = "batch/v1", "CronJob"
	api := apiServerAt(t, server, map[string]runtime.Object{"/apis/batch/v1/namespaces/" + ns + "/cronjobs/report": cj})
	o, out := newTestOptions(server.Add(-10 * time.Minute)) // the laptop is 10 minutes behind
	o.Client = nil
	o.ConfigFlags.APIServer = ptr.To(api.URL)
	require.NoError(t, execute(t, o, "next", "report", "--count", "1", "-o", "json"))
	var got NextTimes
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	require.Len(t, got.Times, 1)
	assert.Equal(t, "2027-03-16T12:10:00Z", got.Times[0].UTC, "the next time after the cluster's 12:07, not after the laptop's 11:57")
}

// TestReview8LegacyCronTZLocal: a legacy schedule "CRON_TZ=Local 0 9 * * *"
// (served for objects created before the API server refused TZ= in a
// schedule) is evaluated by the controller in its own local zone, UTC in
// steadycron's and kube-controller-manager's images (--controller-time-zone).
// The plugin evaluates it in this machine's zone: on a laptop in Tokyo
// (TZ=Asia/Tokyo), next says 00:00Z rather than 09:00Z, for a SCHEDULE and
// for a CronJob alike (--controller-time-zone Local and --time-zone Local are
// refused for this very reason). The test runs itself again with TZ set, as
// the zone of a process is read when it starts.
func TestReview8LegacyCronTZLocal(t *testing.T) {
	if os.Getenv("REVIEW8_LOCAL_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReview8LegacyCronTZLocal$", "-test.count=1")
		cmd.Env = append(os.Environ(), "REVIEW8_LOCAL_CHILD=1", "TZ=Asia/Tokyo")
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "with TZ=Asia/Tokyo:\n%s", out)
		return
	}
	cj := cronJob("report", "CRON_TZ=Local 0 9 * * *", func(cj *batchv1.CronJob) { cj.Spec.TimeZone = nil })
	// This machine's clock reads its own zone, as time.Now does.
	now := time.Date(2027, 3, 16, 12, 0, 0, 0, time.UTC).In(time.Local)
	for _, arg := range []string{"CRON_TZ=Local 0 9 * * *", "report"} {
		o, out := newTestOptions(now, cj)
		require.NoError(t, execute(t, o, "next", arg, "--count", "1", "-o", "json"))
		var got NextTimes
		require.NoError(t, json.Unmarshal(out.Bytes(), &got))
		require.Len(t, got.Times, 1)
		assert.Equal(t, "2027-03-17T09:00:00Z", got.Times[0].UTC, "next %q: the controller's Local is UTC (--controller-time-zone), not this machine's zone: %s", arg, out)
		assert.Equal(t, "UTC", got.TimeZone, "next %q: the zone shown is this machine's: %s", arg, out)
	}
}

