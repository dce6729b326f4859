#!/bin/bash
# Checks that krbfault refuses bad input with status 2 and starts no lab.
#
# usage: bad-input.sh KRBFAULT DATADIR
#
# Each malformed fixture of DATADIR must fail `check` and `run` with exit
# status 2 and FILE:LINE:COL: on stderr, and `run` must leave no lab
# behind: no new /tmp/krbfault-* directory and no new krb5kdc process.
# The fixtures' ids all start with "badinput-", so a lab made for one of
# them is named /tmp/krbfault-badinput-*; labs of other scenarios that a
# parallel test run starts meanwhile are reported but not counted.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 KRBFAULT DATADIR" >&2
    exit 2
fi
KRBFAULT=$1
DATADIR=$2

# The malformed fixtures: file, line, column, and a phrase of the message.
FIXTURES=(
    "bad-syntax.yaml|6|8|mapping values are not allowed"
    "bad-action.yaml|23|13|unknown action 'kinnit'"
    "bad-ref.yaml|25|10|no kdc named 'DC03'"
    "bad-expect.yaml|34|11|no step with id 'tickets'"
    "bad-realm.yaml|6|8|must be upper case"
    "bad-alias.yaml|12|13|alias target 'nekonkeo' is not a declared principal"
    "bad-keys-of.yaml|15|14|takes the keys of 'webb', which is not declared"
    "bad-hostname.yaml|27|15|a name to resolve needs the lab's dns block"
)

passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/kf-bad-input.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
# run resolves ids against a catalog; an empty one keeps these checks
# independent of the state of scenarios/.
mkdir "$work/catalog"
# TMPDIR for krbfault: a directory that does not exist, so a lab that
# wrongly starts fails at once instead of running.
trap_dir="$work/no-lab-here"

# Record a passing check.
pass() {
    echo "PASS: $*"
    passed=$((passed + 1))
}

# Record a failing check, with what was seen.
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

# Run krbfault with ARGS; set $status and fill $work/out and $work/err.
cli() {
    KRBFAULT_SCENARIOS="$work/catalog" TMPDIR="$trap_dir" \
        "$KRBFAULT" "$@" >"$work/out" 2>"$work/err" </dev/null
    status=$?
}

# Print the lab directories in /tmp, one a line.
lab_dirs() {
    local dir

    for dir in /tmp/krbfault-*; do
        [ -e "$dir" ] && echo "$dir"
    done | sort
}

# Print the ids of the running krb5kdc processes, one a line.
kdc_pids() {
    pgrep -x krb5kdc 2>/dev/null | sort
}

# Print the first lines of the last command's stderr, indented.
show_err() {
    head -n 3 "$work/err" | sed 's/^/        /'
}

# Check that the last command exited with status 2.
expect_status_2() {
    local what=$1

    if [ "$status" -eq 2 ]; then
        pass "$what: exit status 2"
    else
        fail "$what: exit status $status, expected 2"
        show_err
    fi
}

# Check that the last command's stderr holds a fixed string.
expect_stderr() {
    local what=$1 text=$2

    if grep -qF -- "$text" "$work/err"; then
        pass "$what: stderr names '$text'"
    else
        fail "$what: stderr lacks '$text'"
        show_err
    fi
}

# Check that run left no lab of ours: nothing in the trap directory, no
# new /tmp/krbfault-badinput-* directory, no new krb5kdc of ours.
expect_no_lab() {
    local what=$1 before_dirs=$2 before_pids=$3
    local dir pid bad=""

    if [ -e "$trap_dir" ]; then
        bad="$bad $trap_dir exists;"
    fi
    if grep -qF "cannot make a lab directory" "$work/err"; then
        bad="$bad it tried to make a lab directory;"
    fi
    for dir in $(comm -13 <(echo "$before_dirs") <(lab_dirs)); do
        case ${dir#/tmp/} in
        krbfault-badinput-*) bad="$bad new lab directory $dir;" ;;
        *) echo "note: $what: a concurrent lab appeared: $dir" ;;
        esac
    done
    for pid in $(comm -13 <(echo "$before_pids") <(kdc_pids)); do
        if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
            grep -qF -e "krbfault-badinput-" -e "$work"; then
            bad="$bad new krb5kdc $pid;"
        else
            echo "note: $what: a concurrent krb5kdc appeared: $pid"
        fi
    done
    if [ -z "$bad" ]; then
        pass "$what: started no lab"
    else
        fail "$what: started a lab:$bad"
    fi
}

for entry in "${FIXTURES[@]}"; do
    IFS='|' read -r name line col phrase <<<"$entry"
    file="$DATADIR/$name"
    if [ ! -f "$file" ]; then
        fail "$name: fixture is missing"
        continue
    fi

    cli check "$file"
    expect_status_2 "check $name"
    expect_stderr "check $name" "$file:$line:$col: "
    expect_stderr "check $name" "$phrase"

    before_dirs=$(lab_dirs)
    before_pids=$(kdc_pids)
    cli run "$file"
    expect_status_2 "run $name"
    expect_stderr "run $name" "$file:$line:$col: "
    expect_no_lab "run $name" "$before_dirs" "$before_pids"
done

before_dirs=$(lab_dirs)
before_pids=$(kdc_pids)
cli run no-such-id
expect_status_2 "run no-such-id"
expect_stderr "run no-such-id" "no-such-id"
expect_no_lab "run no-such-id" "$before_dirs" "$before_pids"

cli run --bogus-option x
expect_status_2 "run --bogus-option"
expect_stderr "run --bogus-option" "--bogus-option"

before_dirs=$(lab_dirs)
before_pids=$(kdc_pids)
cli run "$DATADIR/good.yaml" --personality windows
expect_status_2 "run --personality windows"
expect_stderr "run --personality windows" "--personality takes mit, ad or both"
cli up "$DATADIR/good.yaml" --personality both
expect_status_2 "up --personality both"
expect_stderr "up --personality both" "up brings one lab up"
expect_no_lab "a bad --personality" "$before_dirs" "$before_pids"

cli check "$DATADIR/good.yaml"
if [ "$status" -eq 0 ]; then
    pass "check good.yaml: exit status 0"
else
    fail "check good.yaml: exit status $status, expected 0"
    show_err
fi

# One good file does not hide a bad one after it.
cli check "$DATADIR/good.yaml" "$DATADIR/bad-action.yaml"
expect_status_2 "check good.yaml bad-action.yaml"
expect_stderr "check good.yaml bad-action.yaml" \
    "$DATADIR/bad-action.yaml:23:13: "

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
