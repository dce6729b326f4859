#!/usr/bin/env bash
# Teardown: a lab leaves no process, directory or bound port behind, also
# when krbfault is interrupted (SIGINT), terminated (SIGTERM) or killed
# (SIGKILL).  Usage: teardown.sh PATH-TO-KRBFAULT
set -u

KRBFAULT=$1
SCENARIO=ap-modified-unreplicated-password
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# Print the pids of processes whose environment points into directory $1.
lab_pids() {
    local f pid
    for f in /proc/[0-9]*/environ; do
        pid=${f#/proc/}
        pid=${pid%/environ}
        if { tr '\0' '\n' <"$f"; } 2>/dev/null |
            grep -q "^KRB5_CONFIG=$1/"; then
            echo "$pid"
        fi
    done
}

# Wait up to five seconds for command "$@" to succeed.
wait_for() {
    local i
    for i in $(seq 100); do
        "$@" && return 0
        sleep 0.05
    done
    return 1
}

no_pids() { [ -z "$(lab_pids "$1")" ]; }
dir_gone() { [ ! -e "$1" ]; }
ports_free() {
    [ -z "$(ss -Hlntu 2>/dev/null | grep -F " $1:")" ]
}

# Bring a lab up, kill krbfault with signal $1 (extra args go to krbfault),
# and check what is left.
one() {
    local sig=$1 keep=${2:-} line dir="" addr="" pids up_pid lab_banner
    lab_up "$SCENARIO" $keep
    while read -r line; do
        case $line in
        "lab "*" is up in "*) dir=${line##* } ;;
        "KDC  DC01 "*) addr=${line##* }; addr=${addr%:*} ;;
        esac
    done <<<"$lab_banner"
    if [ -z "$dir" ] || [ -z "$addr" ]; then
        check 1 "$sig: the lab came up"
        kill -KILL "$up_pid" 2>/dev/null
        wait "$up_pid" 2>/dev/null
        return
    fi
    pids=$(lab_pids "$dir" | wc -l)
    [ "$pids" -ge 5 ]
    check $? "$sig: the lab runs 4 KDCs and a service ($pids processes)"
    kill -"$sig" "$up_pid"
    wait "$up_pid" 2>/dev/null
    wait_for no_pids "$dir"
    check $? "$sig: no lab process is left"
    wait_for ports_free "$addr"
    check $? "$sig: no port is left bound on $addr"
    if [ "$keep" = --keep ]; then
        [ -d "$dir" ]
        check $? "$sig --keep: the lab directory is kept"
        rm -rf "$dir"
    else
        wait_for dir_gone "$dir"
        check $? "$sig: the lab directory $dir is removed"
    fi
}

one INT
one TERM
one KILL
one KILL --keep

# A normal run leaves nothing either.  Its labs go to a directory of
# their own: other tests may run the same scenario in /tmp meanwhile.
work=$(mktemp -d /tmp/krbfault-teardown-run.XXXXXX)
TMPDIR=$work "$KRBFAULT" run "$SCENARIO" >/dev/null
check $? "run: the scenario passes"
[ -z "$(ls -A "$work")" ]
check $? "run: no lab directory is left"
rm -rf "$work"

# Nor one run of more labs than are ever open at once (here 40, both
# personalities of 20 targets: more than the guardian's table holds).
work=$(mktemp -d /tmp/krbfault-teardown-many.XXXXXX)
TMPDIR=$work "$KRBFAULT" run $(for _ in $(seq 20); do echo ap-replay; done) \
    >/dev/null
rc=$?
# (Whether each run passed is the e2e-ap-replay test's business.)
{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && [ -z "$(ls -A "$work")" ]
check $? "run of 40 labs: no lab directory is left (exit $rc)"
rm -rf "$work"

finish
