#!/usr/bin/env bash
# How the format-2 compatibility fixtures in this folder were made, once, with the accord
# built from main when upgrades, delegation and signatures entered for someone else came
# in (the commit is in accord-version.txt). They stand for client files users have from
# then on: NEVER regenerate them with a newer accord. This script is kept as the record of
# the commands; it writes into OUT (a new folder), never over the checked-in files.
#
#   ACCORD=.build/debug/accord Tests/Fixtures/compat/format2/make.sh OUT
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

cat > v1.yaml <<'YAML'
playbook: charter-first
version: 1
title: Charter first
roles:
  consultant: Consultant
  czar: Collaboration czar
  head-of-sales: Head of sales
  sponsor: Sponsor
stages:
  - id: agree
    title: Agree
    milestones:
      - id: kick-off
        title: Kick off
        owner: consultant
      - id: old-survey
        title: A survey the next version drops
        owner: consultant
    agreements:
      - id: charter
        title: How sales and marketing will work together
        terms: |
          We meet every week.
          One shared "qualified lead" definition.
        signatories: [head-of-sales, sponsor]
  - id: implement
    title: Implement
    gate:
      agreements: [charter]
    milestones:
      - id: pilot
        title: Pilot the shared pipeline view
        owner: czar
YAML
sed -e 's/^version: 1/version: 2/' -e 's/We meet every week./We meet every fortnight./' v1.yaml > v2.yaml
sed -e 's/^version: 2/version: 3/' -e '/- id: old-survey/,+2d' v2.yaml > v3.yaml
printf '%%PDF-1.4 the charter, signed by sid on paper\n' > charter-signed-sid.pdf

a start gamma --playbook v1.yaml --name "Gamma & Sons" --note "kick-off"
a assign gamma czar carol
a assign gamma head-of-sales sam
a assign gamma sponsor sid
a complete gamma kick-off
a complete gamma old-survey --note "round 1"
a delegate gamma head-of-sales pat --until 2999-12-31 --reason "Sam on leave" --by sam
a sign gamma charter --by pat --yes
a sign gamma charter --on-behalf-of sid --evidence charter-signed-sid.pdf --yes
a complete gamma pilot --by carol
a upgrade gamma --playbook v2.yaml --reason "fortnightly meetings"
a sign gamma charter --by pat --yes --note "again, for sam"
a upgrade gamma --playbook v3.yaml --reason "the survey moved elsewhere" --force

cp workspace/gamma.json "$OUT/"
"$ACCORD" status gamma --json > "$OUT/gamma.status.json"
"$ACCORD" log gamma --json > "$OUT/gamma.log.json"
"$ACCORD" next gamma --json > "$OUT/gamma.next.json"
"$ACCORD" status gamma > "$OUT/gamma.status.txt"
"$ACCORD" log gamma > "$OUT/gamma.log.txt"
"$ACCORD" log gamma --format csv > "$OUT/gamma.log.csv"
"$ACCORD" check > "$OUT/check.txt"
"$ACCORD" --version > "$OUT/accord-version.txt"
