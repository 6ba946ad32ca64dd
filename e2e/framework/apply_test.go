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
	"slices"
	"strings"
	"testing"
)

func TestParseObjects(t *testing.T) {
	cases := map[string]struct {
		yaml      string
		wantNames []string
		errSubstr string
	}{
		"documents between separators, empty and comment-only ones left out": {
			yaml:      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n# nothing\n---\n\n---   \napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
			wantNames: []string{"ServiceAccount/a", "ConfigMap/b"},
		},
		"a separator is a whole line, not a block scalar's content": {
			yaml:      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: |\n    x --- y\n",
			wantNames: []string{"ConfigMap/c"},
		},
		"a List stays one object": {
			yaml:      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: d\n",
			wantNames: []string{"List/"},
		},
		"a document that is not YAML names its number": {
			yaml:      "apiVersion: v1\nkind: ConfigMap\n---\nkind: [unclosed\n",
			errSubstr: "document 2",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			objs, err := ParseObjects([]byte(tc.yaml))
			if tc.errSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errSubstr) {
					t.Fatalf("err = %v, want one with %q", err, tc.errSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, o := range objs {
				names = append(names, o.GetKind()+"/"+o.GetName())
			}
			if !slices.Equal(names, tc.wantNames) {
				t.Errorf("objects %v, want %v", names, tc.wantNames)
			}
		})
	}
}
