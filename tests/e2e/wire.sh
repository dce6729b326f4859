#!/usr/bin/env bash
# The wire view end to end: capture, wire expectations that pass and fail,
# the skip without CAP_NET_RAW, decode (text, JSON, bad input) and decode
# of captures made by tshark (-i any, a KDC on a high port).
# Usage: wire.sh PATH-TO-KRBFAULT SCENARIO-DIR
set -u
KRBFAULT=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/krbfault-wire.XXXXXX)
tshark_pid=
cleanup() {
    [ -n "$tshark_pid" ] && kill "$tshark_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# 1. A run captures its lab; the wire view passes and says who sent what.
"$KRBFAULT" run preauth-wrong-password --personality mit --json --pcap-dir "$work/p" \
    >"$work/run.json" 2>"$work/run.err"
check $? "preauth-wrong-password passes with its wire expectations"
jq -e '[.expectations[].views[] | select(.view == "wire")] | length == 2
       and all(.verdict == "pass")' "$work/run.json" >/dev/null
check $? "both wire views were judged and passed"
jq -r '.expectations[0].views[] | select(.view == "wire") | .observation' \
    "$work/run.json" >"$work/obs"
grep -q "\[KRB-ERROR 25 DC01->client udp\].*\[KRB-ERROR 24 DC01->client udp\]" \
    "$work/obs"
check $? "the observation names the KDC that sent 25 and then 24"
jq -e '.steps[0].wire | map(select(.type == "KRB-ERROR") | .error_code)
       == [25, 24]' "$work/run.json" >/dev/null
check $? "run --json lists the step's messages with integer error_code"
pcap=$work/p/preauth-wrong-password-mit.pcap
[ -s "$pcap" ] && jq -e --arg p "$pcap" '.pcap == $p' "$work/run.json" \
    >/dev/null
check $? "--pcap-dir holds the run's capture as ID-PERSONALITY.pcap"

# 2. A wire expectation that the capture contradicts fails, alone.
sed -e '0,/error: KDC_ERR_PREAUTH_REQUIRED, from: DC01, to: client/s//error: KDC_ERR_PREAUTH_FAILED, from: DC01, to: client/' \
    "$SRC/preauth-wrong-password.yaml" >"$work/wrong-order.yaml"
"$KRBFAULT" run "$work/wrong-order.yaml" --personality mit --json >"$work/wrong.json" 2>&1
rc=$?
[ "$rc" = 1 ] && jq -e '.expectations[0].views | map({(.view): .verdict})
       | add == {"library": "pass", "kdc_log": "pass", "wire": "fail"}' \
    "$work/wrong.json" >/dev/null
check $? "a wrong wire expectation fails the run (exit $rc) while the library view passes"

# 3. decode: text and JSON of that capture.
"$KRBFAULT" decode "$pcap" >"$work/decode.txt"
check $? "decode reads the capture"
grep -q " udp KRB-ERROR 25 KDC_ERR_PREAUTH_REQUIRED .*edata=.*PA-ETYPE-INFO2(19)" \
    "$work/decode.txt" &&
    grep -q " udp KRB-ERROR 24 KDC_ERR_PREAUTH_FAILED " "$work/decode.txt"
check $? "decode prints 25 and 24 with their names and e-data"
"$KRBFAULT" decode "$pcap" --json >"$work/decode.json"
jq -e '(.messages | map(select(.type == "KRB-ERROR") | .error_code
        | type) | unique == ["number"]) and (.messages | map(select(.ticket)
        | .ticket.etype) | unique == [18]) and .count == (.messages | length)' \
    "$work/decode.json" >/dev/null
check $? "decode --json: error_code and ticket etype are integers"

# 4. decode refuses what is not a capture, naming the file.
printf 'hello\n' >"$work/text.pcap"
head -c 3000 "$pcap" >"$work/cut.pcap"
"$KRBFAULT" decode "$work/text.pcap" 2>"$work/e1"
rc1=$?
"$KRBFAULT" decode "$work/cut.pcap" 2>"$work/e2" >/dev/null
rc2=$?
"$KRBFAULT" decode "$work/none.pcap" 2>"$work/e3"
rc3=$?
"$KRBFAULT" decode 2>/dev/null
rc4=$?
[ "$rc1" = 2 ] && grep -q "text.pcap: not a pcap" "$work/e1" &&
    [ "$rc2" = 2 ] && grep -q "cut.pcap: truncated or malformed record at offset" "$work/e2" &&
    [ "$rc3" = 2 ] && grep -q "none.pcap: cannot open" "$work/e3" &&
    [ "$rc4" = 2 ]
check $? "decode: not a pcap, cut short, missing, no file: exit 2 naming the file"

# 5. Without CAP_NET_RAW: said once, wire views skipped, never passed.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    cat >"$work/wire-only.yaml" <<'EOF'
id: wire-only
title: "only a wire expectation"
source: {document: none.txt}
story: |
  A logon whose only expectation is on the wire.
realm: WIRE.TEST
kdcs: [KDC1]
principals:
  - {name: alice, password: Alice-Pass-1}
actors:
  - {name: alice, principal: alice, password: Alice-Pass-1}
steps:
  - {id: logon, action: kinit, actor: alice}
expect:
  - step: logon
    mit:
      wire: [{type: AS-REP, from: KDC1}]
    ad:
      wire: [{type: AS-REP, from: KDC1}]
EOF
    setpriv --bounding-set -net_raw,-net_admin -- \
        "$KRBFAULT" run preauth-wrong-password "$work/wire-only.yaml" \
        >"$work/nocap.out" 2>"$work/nocap.err"
    rc=$?
    n=$(grep -c "cannot capture on lo" "$work/nocap.err")
    [ "$rc" = 0 ] && [ "$n" = 1 ] &&
        grep -q "the wire view is skipped" "$work/nocap.err" &&
        grep -q "^PASS  preauth-wrong-password (mit).*2 of 5 views skipped" \
            "$work/nocap.out" &&
        grep -q "^SKIP  wire-only (mit)" "$work/nocap.out" &&
        grep -q "^    skipped 2 views: cannot capture on lo" "$work/nocap.out"
    check $? "no CAP_NET_RAW: said once (exit $rc, $n times), wire views skipped, a wire-only run is a SKIP"
    setpriv --bounding-set -net_raw,-net_admin -- \
        "$KRBFAULT" run "$work/wire-only.yaml" --personality mit --json 2>/dev/null |
        jq -e '.verdict == "skip" and .passed == false and .pcap == null and
               (.wire_skipped | test("cannot capture on lo"))' >/dev/null
    check $? "no CAP_NET_RAW: --json says skip and why"
else
    echo "skip: not root, the no-capture test needs setpriv as root"
fi

# 6. Captures made by tshark: -i any (Linux cooked), pcapng, and a lab
# run as an unprivileged user, whose KDC listens on 10088.
if [ "$(id -u)" = 0 ] && command -v tshark >/dev/null; then
    net=127.$((100 + RANDOM % 100)).$((RANDOM % 250))
    tshark -i any -f "net $net.0/24" -w "$work/any.pcapng" -q \
        2>"$work/tshark.err" &
    tshark_pid=$!
    for _ in $(seq 100); do
        grep -q "Capturing on" "$work/tshark.err" && break
        sleep 0.1
    done
    chmod 755 "$work"
    KRBFAULT_NET=$net setpriv --reuid nobody --regid nogroup --clear-groups \
        -- env TMPDIR=/tmp "$KRBFAULT" run "$SRC/preauth-wrong-password.yaml" \
        >"$work/nobody.out" 2>&1
    rc=$?
    sleep 0.5
    kill -INT "$tshark_pid"
    wait "$tshark_pid" 2>/dev/null
    tshark_pid=
    "$KRBFAULT" decode "$work/any.pcapng" >"$work/any.txt"
    rc2=$?
    [ "$rc" = 0 ] && [ "$rc2" = 0 ] &&
        grep -q "$net.1:10088 -> 127.0.0.1:[0-9]* udp KRB-ERROR 24 " \
            "$work/any.txt" &&
        grep -q "$net.1:10088 -> 127.0.0.1:[0-9]* udp AS-REP " "$work/any.txt"
    check $? "a tshark -i any capture of a KDC on port 10088 decodes (run $rc, decode $rc2)"
else
    echo "skip: not root or no tshark"
fi

finish
