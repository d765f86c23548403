#!/usr/bin/env bash
# How the format-4 compatibility fixtures in this folder were made, once, with the accord
# built from main when time came in: due dates, schedules, recurring work (the commit is in
# accord-version.txt). They stand for client files users have from then on: NEVER
# regenerate them with a newer accord. This script is kept as the record of the commands;
# it writes into OUT (a new folder), never over the checked-in files. Every date is judged
# --as-of 2027-06-01, so the outputs do not depend on the day they are read.
#
#   ACCORD=.build/debug/accord Tests/Fixtures/compat/format4/make.sh OUT
set -euo pipefail

ACCORD=${ACCORD:?set ACCORD to the accord binary}
ACCORD=$(cd "$(dirname "$ACCORD")" && pwd)/$(basename "$ACCORD")
OUT=${1:?usage: ACCORD=/path/to/accord make.sh OUT-FOLDER}
[ -e "$OUT" ] && { echo "make.sh: $OUT exists; give a new folder" >&2; exit 1; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export ACCORD_WORKSPACE="$WORK/workspace"
export XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache" XDG_CONFIG_HOME="$WORK/config"
export ACCORD_USER=alice
export NO_COLOR=1
export LC_ALL=C TZ=UTC
a() { "$ACCORD" "$@" >/dev/null; }

cat > timed.yaml <<'YAML'
playbook: timed
version: 1
title: Timed work
roles:
  consultant: Consultant
  czar: Collaboration czar
  head-of-sales: Head of sales
stages:
  - id: agree
    title: Agree
    target: 4w
    milestones:
      - {id: kick-off, title: Kick off, owner: consultant, due: 5bd}
      - {id: draft, title: Draft the charter, owner: consultant, needs: [kick-off], due: 10d}
    agreements:
      - id: charter
        title: The charter
        terms: We meet every week.
        signatories: [head-of-sales]
        needs: [draft]
        due: 2w
  - id: sustain
    title: Sustain
    gate:
      agreements: [charter]
    milestones:
      - {id: check-in, title: Monthly check-in, owner: czar, every: 30d, times: 3}
      - {id: review, title: Quarterly review, owner: czar, every: 13w, until: handover}
      - {id: handover, title: Hand over, owner: consultant, needs: [check-in]}
YAML

a start delta --playbook timed.yaml --name "Delta plc"
a zone Europe/London
a assign delta czar carol
a assign delta head-of-sales sam
a schedule delta draft 2027-01-15 --reason "after the holidays"
a complete delta kick-off
a complete delta draft
a sign delta charter --by sam --yes
a complete delta check-in --by carol
a skip delta check-in --by carol --reason "summer break"
a schedule delta check-in 2027-03-01 --reason "board calendar" --by carol

cp workspace/delta.json workspace/.accord-workspace.json "$OUT/"
"$ACCORD" status delta --json --as-of 2027-06-01 > "$OUT/delta.status.json"
"$ACCORD" log delta --json > "$OUT/delta.log.json"
"$ACCORD" next delta --json --as-of 2027-06-01 > "$OUT/delta.next.json"
"$ACCORD" status delta --as-of 2027-06-01 > "$OUT/delta.status.txt"
"$ACCORD" next delta --as-of 2027-06-01 > "$OUT/delta.next.txt"
"$ACCORD" log delta > "$OUT/delta.log.txt"
"$ACCORD" agenda --json --as-of 2027-06-01 > "$OUT/agenda.json"
"$ACCORD" check > "$OUT/check.txt"
"$ACCORD" --version > "$OUT/accord-version.txt"
