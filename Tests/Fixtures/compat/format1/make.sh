#!/usr/bin/env bash
# How the format-1 compatibility fixtures in this folder were made, once, with the
# accord built from main at f7a46f8 (before the record format was declared once).
# They stand for client files users already have: NEVER regenerate them with a newer
# accord. This script is kept as the record of the commands; it writes into OUT (a new
# folder), never over the checked-in files.
#
#   ACCORD=/work/before/accord ./make.sh OUT
set -euo pipefail

ACCORD=${ACCORD:-/work/before/accord}
OUT=${1:?usage: ACCORD=/path/to/old/accord make.sh OUT-FOLDER}
[ -e "$OUT" ] && { echo "make.sh: $OUT exists; give a new folder" >&2; exit 1; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export ACCORD_WORKSPACE="$WORK/workspace"
export XDG_STATE_HOME="$WORK/state"   # never this machine's own seen-revisions memory
export ACCORD_USER=alice
export NO_COLOR=1
export LC_ALL=C TZ=UTC
a() { "$ACCORD" "$@" >/dev/null; }

# Answers for one survey round: the template's header, then one row per respondent.
# Scores are a fixed function of respondent, statement, team and round (no randomness),
# centred on a team's mood, with each team's own view of some dimensions (sales on
# content and hand-off, marketing on feedback), a weak statement in the first round, and
# communication, hand-off and feedback better in the later round. A few cells are left
# blank (not answered).
survey() {  # survey ROUND-NUMBER FILE
  "$ACCORD" survey template acme --out "$2" >/dev/null
  awk -v round="$1" 'BEGIN {
    n = split("s01 sales individual|s02 sales individual|s03 sales individual|s04 sales individual|s05 sales manager|s06 sales manager|s07 sales manager|s08 sales executive|m01 marketing individual|m02 marketing individual|m03 marketing individual|m04 marketing manager|m05 marketing manager|m06 marketing manager|l01 leadership executive|l02 leadership executive|l03 leadership executive", people, "|")
    base["sales"] = 3; base["marketing"] = 3; base["leadership"] = 4
    bias["sales/content"] = -1; bias["sales/handoff"] = -1; bias["marketing/feedback"] = -1
    bias["leadership/leaders"] = 1; bias["marketing/content"] = 1; bias["sales/trust"] = 1
    for (i = 1; i <= n; i++) {
      split(people[i], p, " ")
      row = p[1] "," p[2] "," p[3]
      for (s = 1; s <= 26; s++) {
        d = (s <= 4) ? "goals" : (s <= 8) ? "comms" : (s <= 12) ? "content" : (s <= 16) ? "handoff" : (s <= 19) ? "feedback" : (s <= 23) ? "trust" : "leaders"
        score = base[p[2]] + ((i * 7 + s * 5 + i * s + round * 3) % 3) - 1 + bias[p[2] "/" d]
        if (round > 1 && (d == "handoff" || d == "feedback" || d == "comms")) score++
        if (round == 1 && s == 20) score -= 2   # trust-credit: the quick win
        if (score < 1) score = 1; if (score > 5) score = 5
        if ((i * 11 + s * 13 + round) % 37 == 0) score = ""
        row = row "," score
      }
      printf "%s\r\n", row
    }
  }' >> "$2"
}

# --- acme: a whole programme into the implementation stage -------------------------
a start acme --name "Acme Ltd" --note 'Kick-off: the "alignment" programme ✓'
a assign acme czar carol
a assign acme head-of-sales sam
a assign acme head-of-marketing mia
a assign acme sponsor sid --note "Sponsor: Sid (CFO) — confirmed by e-mail"
a assign acme sales-manager sean
a assign acme marketing-manager meg
a complete acme stakeholder-map --note $'42 people in 3 teams\nsee "map v1.pdf"'
survey 1 "$OUT/round-1.csv"
a survey import acme "$OUT/round-1.csv" --note "Kick-off survey, 17 of 20 answered"
a complete acme collaboration-survey
a complete acme sales-baseline --by sean --note 'Conversion 12% → 14%; back\slash and /slash'
a complete acme marketing-baseline --by meg
a complete acme benchmark-findings
a complete acme findings-presented --note "Board deck v2"
a opportunity acme --currency GBP --marketing-staff 10 --cost-per-head 60000 \
  --content-share 50 --unused-share 50 --ancillary 20000 --sales-staff 20 --sales-cost-per-head 70000
a opportunity acme --unused-share 60 --recovered-share 40 --note "Revised after the workshop"
a complete acme sales-team-coaching
a complete acme marketing-team-coaching
a complete acme success-defined
a complete acme processes-drafted
a complete acme metrics-drafted
a reopen acme metrics-drafted --by carol --reason $'Targets "too soft"\ttabbed; redo with Zoë 🤝'
a complete acme metrics-drafted --note "Targets raised by 5 points"
a sign acme collaboration-charter --by sam
a sign acme collaboration-charter --by mia
a sign acme collaboration-charter --by sid
a sign acme metrics-agreement --by sam
a sign acme metrics-agreement --by mia
a sign acme metrics-agreement --by sid
a revoke acme metrics-agreement --by sid --reason "Targets need another look"
a sign acme metrics-agreement --by sid --note "Re-signed after the review"
a assign acme marketing-manager "Zoë O’Brien" --note "Meg handed over"
a complete acme agreements-announced --by sid
a complete acme tooling-shortlist
survey 2 "$OUT/round-2.csv"
a survey import acme "$OUT/round-2.csv" --round after-coaching --by carol

# --- beta: only just started ---------------------------------------------------------
a start beta --name "Beta & Söhne" --by bob
a assign beta czar dana --by bob

# --- what the old accord printed -----------------------------------------------------
cp "$ACCORD_WORKSPACE/acme.json" "$ACCORD_WORKSPACE/beta.json" "$OUT/"
for client in acme beta; do
  "$ACCORD" status "$client" --json > "$OUT/$client.status.json"
  "$ACCORD" log "$client" --json > "$OUT/$client.log.json"
  "$ACCORD" next "$client" --json > "$OUT/$client.next.json"
  "$ACCORD" status "$client" > "$OUT/$client.status.txt"
  "$ACCORD" log "$client" > "$OUT/$client.log.txt"
done
"$ACCORD" benchmark acme --json > "$OUT/acme.benchmark.json"
"$ACCORD" check > "$OUT/check.txt"
"$ACCORD" --version > "$OUT/accord-version.txt"
# The reads above must not have changed the files.
cmp "$ACCORD_WORKSPACE/acme.json" "$OUT/acme.json"
cmp "$ACCORD_WORKSPACE/beta.json" "$OUT/beta.json"
echo "make.sh: wrote $OUT"
