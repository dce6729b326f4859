# Shared by the shell tests: count checks and print the closing line.
passed=0
failed=0

# check STATUS WHAT: record one check (STATUS 0 passes) and print it.
check() {
    if [ "$1" = 0 ]; then
        passed=$((passed + 1))
        echo "ok:   $2"
    else
        failed=$((failed + 1))
        echo "FAIL: $2"
    fi
}

# finish: print "N passed, M failed" and exit non-zero if any failed.
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
}

# lab_up ARG...: start `$KRBFAULT up ARG...` in the background and read
# what it prints until it says the lab is up (20 s at most per line).
# Set up_pid (kill it to tear the lab down) and lab_banner (the lines
# read, leading blanks stripped).  Return 0 if the lab came up.
lab_up() {
    local line
    lab_banner=""
    coproc UP { exec "$KRBFAULT" up "$@" 2>&1; }
    up_pid=$UP_PID
    while read -r -t 20 -u "${UP[0]}" line; do
        lab_banner+="$line"$'\n'
        case $line in
        "Press Ctrl-C"*) return 0 ;;
        esac
    done
    return 1
}
