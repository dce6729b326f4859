#!/usr/bin/env bash
# fakekdc, the KDB module labs with aliases use: the whole catalog passes
# when every lab's KDCs and database code go through it (so it forwards
# what db2 does), and a db2 of another DAL version or a missing module
# stops a run with a clear message and no lab left behind.
# Usage: fakekdc.sh PATH-TO-KRBFAULT PATH-TO-FAKE-DB2
set -u

KRBFAULT=$1
FAKE_DB2=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/krbfault-fakekdc-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1. The catalog through fakekdc, every lab kept in $work/keep to show
#    that its KDCs really were configured with the module.
mkdir "$work/keep"
out=$(TMPDIR="$work/keep" KRBFAULT_FAKEKDC=always "$KRBFAULT" run all \
    --keep 2>&1)
rc=$?
check $rc "the whole catalog passes with every lab on fakekdc"
[ $rc = 0 ] || echo "$out" | grep -v '^PASS' | sed 's/^/      /'
labs=0
plain=0
for conf in "$work"/keep/krbfault-*/kdc/*/kdc.conf; do
    [ -e "$conf" ] || continue
    labs=$((labs + 1))
    grep -q '^ *db_library = fakekdc$' "$conf" &&
        grep -q '^ *database_module = fakekdc$' "$conf" ||
        plain=$((plain + 1))
done
[ "$labs" -gt 30 ] && [ "$plain" = 0 ]
check $? "every KDC of those labs names fakekdc ($labs kdc.conf, $plain without)"
# A run that could judge nothing (a SKIP under ad) may build no lab, so
# count the labs the runs said they kept.
runs=$(grep -c '^    lab kept at ' <<<"$out")
kept=$(ls -d "$work"/keep/krbfault-* | wc -l)
[ "$runs" -gt 0 ] && [ "$runs" = "$kept" ]
check $? "one kept lab per run that reported keeping one ($runs runs, $kept labs)"

# 2. A db2 of another DAL version: refused loudly, before any KDC starts.
mkdir "$work/tmp"
out=$(TMPDIR="$work/tmp" FAKEKDC_DB2_MODULE="$FAKE_DB2" "$KRBFAULT" run \
    as-wrong-realm 2>&1)
rc=$?
[ $rc = 3 ]
check $? "a db2 of another DAL version breaks the run (exit $rc, want 3)"
grep -q "fakekdc: .*speaks KDB DAL version [0-9]*, but fakekdc was built for version [0-9]*" <<<"$out"
check $? "and fakekdc says which versions differ"
[ -z "$(ls -A "$work/tmp")" ]
check $? "and leaves no lab directory"

# 3. No module where krbfault looks: refused before the lab exists.
out=$(TMPDIR="$work/tmp" KRBFAULT_KDB_MODULE_DIR="$work/nowhere" \
    "$KRBFAULT" run as-wrong-realm 2>&1)
rc=$?
[ $rc = 3 ] && grep -q "needs fakekdc's KDB module, but $work/nowhere/fakekdc.so is missing" <<<"$out"
check $? "a missing module is named (exit $rc)"
[ -z "$(ls -A "$work/tmp")" ]
check $? "and no lab directory is made"

finish
