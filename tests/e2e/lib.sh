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
