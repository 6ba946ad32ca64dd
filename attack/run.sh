#!/usr/bin/env bash
# Attack tests of deploy/monitoring/prometheusrule.yaml (not part of `make
# verify`): extracts spec.groups to rules.yaml and runs promtool on each file.
# Every FAILED case is a defect (see README.md); every SUCCESS held up.
set -u
cd "$(dirname "$0")"
python3 -c "
import yaml
d = yaml.safe_load(open('../deploy/monitoring/prometheusrule.yaml'))
yaml.safe_dump({'groups': d['spec']['groups']}, open('rules.yaml', 'w'), sort_keys=False, width=1000)"
for f in *.test.yaml; do promtool test rules "$f"; done
