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

package validate

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

const dashboardFile = "../monitoring/dashboards/steadycron.json"

// The parts of Grafana's dashboard model the checks read.
type dashboard struct {
	UID           string                    `json:"uid"`
	Title         string                    `json:"title"`
	SchemaVersion int                       `json:"schemaVersion"`
	Panels        []panel                   `json:"panels"`
	Templating    struct{ List []variable } `json:"templating"`
	Time          struct{ From, To string } `json:"time"`
}

type panel struct {
	ID         int             `json:"id"`
	Type       string          `json:"type"`
	Title      string          `json:"title"`
	Datasource *datasourceRef  `json:"datasource"`
	GridPos    *gridPos        `json:"gridPos"`
	Targets    []target        `json:"targets"`
	Panels     []panel         `json:"panels"` // a collapsed row's panels
	FieldCfg   json.RawMessage `json:"fieldConfig"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type gridPos struct{ H, W, X, Y *int }

type target struct {
	RefID        string         `json:"refId"`
	Expr         string         `json:"expr"`
	LegendFormat string         `json:"legendFormat"`
	Datasource   *datasourceRef `json:"datasource"`
}

type variable struct {
	Type  string          `json:"type"`
	Name  string          `json:"name"`
	Query json.RawMessage `json:"query"`
}

// Grafana's built-in variables that can appear in a Prometheus query, and
// values to parse them with.
var builtins = map[string]string{
	"__rate_interval": "5m", "__interval": "1m", "__range": "1d",
	"__range_s": "86400", "__interval_ms": "60000",
}

var varRE = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|\$([A-Za-z0-9_]+)`)

// expand replaces template variables with values the PromQL parser accepts,
// and reports variables the dashboard does not define.
func expand(s string, defined map[string]bool) (string, error) {
	var undefined []string
	out := varRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := varRE.FindStringSubmatch(m)
		name := sub[1] + sub[2]
		if v, ok := builtins[name]; ok {
			return v
		}
		if !defined[name] {
			undefined = append(undefined, name)
		}
		return "x"
	})
	if len(undefined) > 0 {
		return "", fmt.Errorf("undefined variables %v in %q", undefined, s)
	}
	return out, nil
}

func loadDashboard(t *testing.T) *dashboard {
	t.Helper()
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s is not valid JSON: %v", dashboardFile, err)
	}
	return &d
}

// TestDashboardStructure: the fields Grafana needs to import the dashboard,
// unique panel ids, a layout inside the 24-column grid, and a data source
// and queries on every panel.
func TestDashboardStructure(t *testing.T) {
	d := loadDashboard(t)
	if d.UID == "" || d.Title == "" || d.SchemaVersion == 0 || d.Time.From == "" {
		t.Errorf("uid, title, schemaVersion and time are required: %q %q %d %q", d.UID, d.Title, d.SchemaVersion, d.Time.From)
	}
	if len(d.UID) > 40 {
		t.Errorf("uid %q is longer than Grafana's 40 characters", d.UID)
	}
	vars := map[string]variable{}
	for _, v := range d.Templating.List {
		if _, dup := vars[v.Name]; dup {
			t.Errorf("variable %s is defined twice", v.Name)
		}
		vars[v.Name] = v
	}
	if v, ok := vars["datasource"]; !ok || v.Type != "datasource" || string(v.Query) != `"prometheus"` {
		t.Errorf("a Prometheus data source variable named datasource is required, got %+v", v)
	}

	ids := map[int]string{}
	var walk func(ps []panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			what := fmt.Sprintf("panel %d %q", p.ID, p.Title)
			if p.ID <= 0 {
				t.Errorf("%s: ids are positive", what)
			}
			if other, dup := ids[p.ID]; dup {
				t.Errorf("%s: id already used by %q", what, other)
			}
			ids[p.ID] = p.Title
			if p.Title == "" || p.Type == "" {
				t.Errorf("%s: title and type are required", what)
			}
			if g := p.GridPos; g == nil || g.H == nil || g.W == nil || g.X == nil || g.Y == nil {
				t.Errorf("%s: gridPos needs h, w, x and y", what)
			} else if *g.X < 0 || *g.W <= 0 || *g.X+*g.W > 24 || *g.H <= 0 {
				t.Errorf("%s: gridPos %+v is outside the 24-column grid", what, *g)
			}
			if p.Type == "row" {
				walk(p.Panels)
				continue
			}
			if p.Datasource == nil || p.Datasource.UID != "${datasource}" || p.Datasource.Type != "prometheus" {
				t.Errorf("%s: datasource must be the ${datasource} variable, got %+v", what, p.Datasource)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no queries", what)
			}
			refs := map[string]bool{}
			for _, tg := range p.Targets {
				if tg.RefID == "" || refs[tg.RefID] {
					t.Errorf("%s: refId %q missing or repeated", what, tg.RefID)
				}
				refs[tg.RefID] = true
				if strings.TrimSpace(tg.Expr) == "" {
					t.Errorf("%s: query %s has no expr", what, tg.RefID)
				}
				if tg.Datasource != nil && tg.Datasource.UID != "${datasource}" {
					t.Errorf("%s: query %s uses data source %+v", what, tg.RefID, tg.Datasource)
				}
			}
			if len(p.FieldCfg) > 0 && !json.Valid(p.FieldCfg) {
				t.Errorf("%s: fieldConfig is not valid JSON", what)
			}
		}
	}
	walk(d.Panels)
}

// TestDashboardQueries: every query and variable query parses as PromQL
// once Grafana's variables are filled in, uses only defined variables, and
// selects only metrics steadycron exports, by labels they have.
func TestDashboardQueries(t *testing.T) {
	loadRules(t) // the recorded series the panels may select
	d := loadDashboard(t)
	defined := map[string]bool{}
	for _, v := range d.Templating.List {
		defined[v.Name] = true
	}
	labelValues := regexp.MustCompile(`^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$`)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			t.Errorf("variable %s: query: %v", v.Name, err)
			continue
		}
		m := labelValues.FindStringSubmatch(q.Query)
		if m == nil {
			t.Errorf("variable %s: %q is not label_values(selector, label)", v.Name, q.Query)
			continue
		}
		expr, err := expand(m[1], defined)
		if err == nil {
			err = checkExpr(expr)
		}
		if err != nil {
			t.Errorf("variable %s: %v", v.Name, err)
		}
		if f, ok := lookupFamily(strings.SplitN(expr, "{", 2)[0]); ok && !contains(append(f.labels, targetLabels...), m[2]) {
			t.Errorf("variable %s: the metric has no label %q", v.Name, m[2])
		}
	}

	var walk func(ps []panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			walk(p.Panels)
			for _, tg := range p.Targets {
				expr, err := expand(tg.Expr, defined)
				if err == nil {
					err = checkExpr(expr)
				}
				if err != nil {
					t.Errorf("panel %d %q query %s: %v", p.ID, p.Title, tg.RefID, err)
				}
				if _, err := expand(tg.LegendFormat, defined); err != nil {
					t.Errorf("panel %d %q query %s legend: %v", p.ID, p.Title, tg.RefID, err)
				}
			}
		}
	}
	walk(d.Panels)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
