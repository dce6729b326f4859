#!/usr/bin/env bash
# Two labs never share an address block: a lab asked to use a block that
# another lab holds refuses to start, says why, and leaves nothing.
# Usage: collision.sh PATH-TO-KRBFAULT
set -u

KRBFAULT=$1
BLOCK=127.201.$((RANDOM % 200 + 20))
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

KRBFAULT_NET=$BLOCK lab_up preauth-wrong-password
check $? "a lab holds $BLOCK.0/24"

out=$(KRBFAULT_NET=$BLOCK "$KRBFAULT" run preauth-wrong-password 2>&1)
rc=$?
[ "$rc" = 3 ]
check $? "a second lab on $BLOCK refuses to start (exit $rc)"
grep -q "in use by another lab" <<<"$out"
check $? "and says the block is in use"

out=$(KRBFAULT_NET=10.0.0 "$KRBFAULT" run preauth-wrong-password 2>&1)
rc=$?
[ "$rc" = 3 ] && grep -q "KRBFAULT_NET must look like 127.A.B" <<<"$out"
check $? "a block outside 127.0.0.0/8 is refused"

kill -TERM "$up_pid"
wait "$up_pid" 2>/dev/null
out=$(KRBFAULT_NET=$BLOCK "$KRBFAULT" run preauth-wrong-password 2>&1)
check $? "once the first lab is down, the block is free again"

finish
