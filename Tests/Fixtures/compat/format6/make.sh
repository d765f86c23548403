#!/usr/bin/env bash
# How the format-6 compatibility fixtures in this folder were made, once, with the accord
# built from the branch that gave events their ids (the commit is in accord-version.txt).
# They stand for client files users have from then on: NEVER regenerate them with a newer
# accord. This script is kept as the record of the commands; it writes into OUT (a new
# folder), never over the checked-in files. Every date is judged --as-of 2027-01-15 (the
# bundled playbook has due dates), so the outputs do not depend on the day they are read.
#
#   ACCORD=.build/debug/accord Tests/Fixtures/compat/format6/make.sh OUT
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

# A client started by this accord: every event has an id.
a start epsilon --name "Epsilon GmbH" --note 'Kick-off: "ids" ✓'
a zone Europe/London
a assign epsilon czar carol
a assign epsilon head-of-sales sam
a assign epsilon sales-manager sean
a complete epsilon stakeholder-map --note $'42 people\nin 3 teams'
a delegate epsilon head-of-sales pat --until 2099-12-31 --reason "on leave" --by sam
a complete epsilon sales-baseline --by sean
a reopen epsilon sales-baseline --reason "numbers were last year's"

cp workspace/epsilon.json workspace/.accord-workspace.json "$OUT/"
"$ACCORD" status epsilon --json --as-of 2027-01-15 > "$OUT/epsilon.status.json"
"$ACCORD" log epsilon --json > "$OUT/epsilon.log.json"
"$ACCORD" next epsilon --json --as-of 2027-01-15 > "$OUT/epsilon.next.json"
"$ACCORD" status epsilon --as-of 2027-01-15 > "$OUT/epsilon.status.txt"
"$ACCORD" next epsilon --as-of 2027-01-15 > "$OUT/epsilon.next.txt"
"$ACCORD" log epsilon > "$OUT/epsilon.log.txt"
"$ACCORD" check > "$OUT/check.txt"
"$ACCORD" --version > "$OUT/accord-version.txt"
# This machine's fingerprint of the history, as the reads above left it.
printf 'epsilon %s\n' "$(grep -ho '"history" *: *"[0-9a-f]*"' "$XDG_STATE_HOME"/accord/seen/*.json | grep -o '[0-9a-f]\{64\}')" \
  > "$OUT/seen-history.txt"
# The reads above must not have changed the file.
cmp workspace/epsilon.json "$OUT/epsilon.json"
echo "make.sh: wrote $OUT"
