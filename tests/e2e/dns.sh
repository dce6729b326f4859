#!/usr/bin/env bash
# The lab DNS end to end: krbfault-dns answers drill over UDP and TCP, and
# glibc (in-process and in children: getent) resolves through it inside a
# private mount namespace (harness/resolver.c, driven by kf_resolver_probe)
# while the host's /etc and the network beyond loopback stay untouched.
# Usage: dns.sh PATH-TO-KRBFAULT-DNS PATH-TO-KF_RESOLVER_PROBE
set -u

DNS=$1
PROBE=$2
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
    echo "dns.sh: needs root (port 53, mount namespaces)" >&2
    exit 77
fi
for tool in drill strace nsenter getent curl kinit; do
    if ! command -v "$tool" >/dev/null; then
        echo "dns.sh: $tool is missing (scripts/install-deps)" >&2
        exit 1
    fi
done

D=$(mktemp -d /tmp/krbfault-dnstest-XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$D"
}
trap cleanup EXIT

# start_dns NAME ZONE-TEMPLATE: start a server on a free 127.B.C.53, with B
# in 2..15 (labs take 16..254), the zone's NET replaced by 127.B.C; set
# NAME_addr, NAME_net, NAME_pid, NAME_log, NAME_fd (its output; NET_REV is 127.B.C reversed, for
# PTR owners).  Waits for the ready line, never sleeps.
start_dns() {
    local name=$1 template=$2 try b c net addr pid fd line
    for try in $(seq 1 30); do
        b=$((2 + RANDOM % 14)) c=$((RANDOM % 256))
        net=127.$b.$c addr=127.$b.$c.53
        sed -e "s/NET_REV/$c.$b.127/g" -e "s/NET/$net/g" "$template" \
            >"$D/$name.zone"
        rm -f "$D/$name.fifo" "$D/$name.log"
        mkfifo "$D/$name.fifo"
        "$DNS" --listen "$addr" --zone "$D/$name.zone" --log "$D/$name.log" \
            >"$D/$name.fifo" 2>&1 &
        pid=$!
        exec {fd}<"$D/$name.fifo"
        line=
        read -r -t 10 -u "$fd" line
        if [ "$line" = "krbfault-dns: ready on $addr:53" ]; then
            PIDS+=("$pid")
            # The descriptor stays open: the server may still write.
            eval "${name}_addr=$addr ${name}_net=$net ${name}_pid=$pid"
            eval "${name}_log=$D/$name.log ${name}_fd=$fd"
            return 0
        fi
        wait "$pid" 2>/dev/null
        exec {fd}<&-
        case $line in
        *"Address already in use"*) continue ;; # taken: try another
        esac
        echo "krbfault-dns did not start: $line" >&2
        return 1
    done
    return 1
}

# expect_line LINE WHAT: check that $out has LINE as one of its lines.
expect_line() {
    grep -qx "$1" <<<"$out"
    check $? "$2"
}

# answers ARGS...: drill's answer section as "TYPE RDATA" lines.
answers() {
    drill "$@" 2>&1 |
        sed -n '/^;; ANSWER SECTION:/,/^;; AUTHORITY SECTION:/p' |
        grep -v '^;;' | grep -v '^$' |
        awk '{ s = $4; for (i = 5; i <= NF; i++) s = s " " $i; print s }'
}

cat >"$D/lab1.tmpl" <<'EOF'
; the first lab: web has two A records, the second one stale (sv03)
lab.test.              60 IN SOA  ns.lab.test. admin.lab.test. 1 3600 600 86400 60
web.lab.test.          60 IN A    NET.3
web.lab.test.          60 IN A    NET.4
sv03.lab.test.         60 IN A    NET.4
alias.lab.test.        60 IN CNAME web.lab.test.
_kerberos._udp.lab.test. 60 IN SRV 0 0 88 dc01.lab.test.
dc01.lab.test.         60 IN A    NET.1
txt.lab.test.          60 IN TXT  "hello lab"
3.NET_REV.in-addr.arpa. 60 IN PTR sv03.lab.test.
EOF
cat >"$D/lab2.tmpl" <<'EOF'
; the second lab: web is somewhere else
lab.test.              60 IN SOA  ns.lab.test. admin.lab.test. 1 3600 600 86400 60
web.lab.test.          60 IN A    NET.9
EOF
# Sixty A records do not fit in 512 bytes.
for i in $(seq 1 60); do
    echo "many.lab.test. 60 IN A NET.$((100 + i))"
done >>"$D/lab1.tmpl"

# -- the server -------------------------------------------------------------

# Without a server, a query could reach the host's resolver: stop there.
start_dns lab1 "$D/lab1.tmpl"
rc=$?
check $rc "krbfault-dns starts and prints its ready line"
[ "$rc" = 0 ] || exit 1
# shellcheck disable=SC2154
A=$lab1_addr N=$lab1_net LOG1=$lab1_log

out=$(answers @"$A" web.lab.test A)
[ "$out" = "A $N.3
A $N.4" ]
check $? "two A records for web, in file order: $(echo $out)"

out=$(answers @"$A" -t web.lab.test A)
[ "$out" = "A $N.3
A $N.4" ]
check $? "the same over TCP"

out=$(answers @"$A" alias.lab.test A)
[ "$out" = "CNAME web.lab.test.
A $N.3
A $N.4" ]
check $? "a CNAME is chased to its target's records"

out=$(answers @"$A" -x "$N.3")
[ "$out" = "PTR sv03.lab.test." ]
check $? "PTR for $N.3 names sv03 ($out)"

out=$(answers @"$A" _kerberos._udp.lab.test SRV)
[ "$out" = "SRV 0 0 88 dc01.lab.test." ]
check $? "SRV for _kerberos._udp ($out)"

out=$(answers @"$A" txt.lab.test TXT)
[ "$out" = 'TXT "hello lab"' ]
check $? "TXT ($out)"

out=$(drill @"$A" nope.lab.test A 2>&1)
grep -q "rcode: NXDOMAIN" <<<"$out" && grep -q "flags: qr aa" <<<"$out" &&
    grep -q "lab.test.*SOA" <<<"$out"
check $? "an unknown name is an authoritative NXDOMAIN with the SOA"

out=$(drill @"$A" web.lab.test AAAA 2>&1)
grep -q "rcode: NOERROR" <<<"$out" && grep -q "ANSWER: 0" <<<"$out"
check $? "a name with no AAAA is NODATA (NOERROR, no answer)"

out=$(drill @"$A" many.lab.test A 2>&1)
grep -q "flags: qr aa tc" <<<"$out" && grep -q "ANSWER: 0" <<<"$out"
check $? "sixty A records over UDP without EDNS0: truncated (TC)"
[ "$(answers @"$A" -t many.lab.test A | wc -l)" = 60 ]
check $? "all sixty over TCP"
[ "$(answers @"$A" -b 4096 many.lab.test A | wc -l)" = 60 ]
check $? "all sixty over UDP with an EDNS0 size of 4096"

# A query whose name runs off the end, sent from bash's own UDP socket.
printf '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x3fweb' \
    >/dev/udp/"$A"/53
printf '\x12' >/dev/udp/"$A"/53
out=$(answers @"$A" web.lab.test A)
[ "$out" = "A $N.3
A $N.4" ] && kill -0 "$lab1_pid"
check $? "malformed packets do not stop the server"
grep -q '"id":4660,"qname":null,"qtype":null,"rcode":"FORMERR"' "$LOG1"
check $? "the malformed query got FORMERR, logged"
grep -q '"rcode":"dropped".*"note":"shorter than a DNS header"' "$LOG1"
check $? "the one-byte packet was dropped, logged"

line='"transport":"udp","id":[0-9]*,"qname":"web.lab.test.","qtype":"A",'
line+='"rcode":"NOERROR","aa":true,"tc":false,"edns":null,"answers":'
line+="\\[\"web.lab.test. 60 IN A $N.3\",\"web.lab.test. 60 IN A $N.4\"\\]"
grep -q "$line" "$LOG1"
check $? "the log has one JSON line per query with the answers"
grep -q '"transport":"tcp"' "$LOG1" && grep -q '"tc":true' "$LOG1" &&
    grep -q '"edns":4096' "$LOG1"
check $? "the log shows TCP, truncation and the EDNS0 size"

printf 'web.lab.test. A 127.0.0.1\nbad.lab.test. A 999.1.1.1\n' \
    >"$D/bad.zone"
out=$("$DNS" --listen "$N.54" --zone "$D/bad.zone" --log "$D/bad.log" 2>&1)
rc=$?
[ "$rc" = 2 ] && grep -q "^krbfault-dns: $D/bad.zone:2: " <<<"$out" &&
    ! grep -q ready <<<"$out" && [ ! -e "$D/bad.log" ]
check $? "a malformed zone: exit 2, file:line, nothing opened ($out)"

# SIGHUP reloads the zone; a bad file keeps the old one.
sed -i "s/$N.3/$N.5/" "$D/lab1.zone"
kill -HUP "$lab1_pid"
# shellcheck disable=SC2154
read -r -t 10 -u "$lab1_fd" line
out=$(answers @"$A" web.lab.test A)
[ "$line" = "krbfault-dns: reloaded $D/lab1.zone: 69 records" ] &&
    [ "$out" = "A $N.5
A $N.4" ]
check $? "SIGHUP reloads the zone ($line)"
echo "web.lab.test. A 300.1.1.1" >>"$D/lab1.zone"
kill -HUP "$lab1_pid"
read -r -t 10 -u "$lab1_fd" line
out=$(answers @"$A" web.lab.test A)
grep -q "^krbfault-dns: reload failed, zone kept: $D/lab1.zone:71: " \
    <<<"$line" && [ "$out" = "A $N.5
A $N.4" ]
check $? "a bad zone on reload is refused and the old one kept ($line)"
sed -i -e '$d' -e "s/$N.5/$N.3/" "$D/lab1.zone"
kill -HUP "$lab1_pid"
read -r -t 10 -u "$lab1_fd" line

out=$("$DNS" --listen 10.1.2.3 --zone "$D/lab1.zone" --log "$D/x.log" 2>&1)
[ $? = 2 ] && grep -q "not a loopback address" <<<"$out" && [ ! -e "$D/x.log" ]
check $? "a listening address outside loopback is refused"

# -- glibc through the lab's resolver files ---------------------------------

start_dns lab2 "$D/lab2.tmpl"
rc=$?
check $rc "a second lab's server starts"
[ "$rc" = 0 ] || exit 1
# shellcheck disable=SC2154
A2=$lab2_addr N2=$lab2_net LOG2=$lab2_log
mkdir -p "$D/etc1" "$D/etc2"

before=$(sha256sum /etc/resolv.conf /etc/hosts /etc/nsswitch.conf)

out=$("$PROBE" enter "$D/etc1" 10.255.255.53 lab.test 2>&1)
[ $? = 1 ] && grep -q "is not a numeric loopback address" <<<"$out"
check $? "the resolver refuses a nameserver outside loopback"

out=$("$PROBE" thread-check)
[ "$out" = "thread-check caller moved, other thread stayed" ]
check $? "isolation moves the calling thread only ($out)"

out=$("$PROBE" enter "$D/etc1" "$A" lab.test \
    ai web.lab.test ai alias.lab.test ai web ptr "$N.3" \
    hbn web.lab.test srv _kerberos._udp.lab.test ai nope.lab.test \
    run sh -c "getent ahosts web.lab.test | grep STREAM
        getent hosts $N.3
        getent ahosts alias.lab.test | grep STREAM
        getent hosts nope.lab.test; echo nope \$?" 2>&1)
expect_line "ai web.lab.test canon web.lab.test $N.3 $N.4" \
    "getaddrinfo: both A records in order"
expect_line "ai alias.lab.test canon web.lab.test $N.3 $N.4" \
    "getaddrinfo AI_CANONNAME: the CNAME canonicalizes to web"
expect_line "ai web canon web.lab.test $N.3 $N.4" \
    "the search domain completes a short name"
expect_line "ptr $N.3 sv03.lab.test" "getnameinfo: the PTR name"
expect_line "hbn web.lab.test web.lab.test $N.3 $N.4" "gethostbyname"
expect_line "srv _kerberos._udp.lab.test 0 0 88 dc01.lab.test" \
    "res_nsearch SRV, as libkrb5 asks"
expect_line "ai nope.lab.test fail Name or service not known" \
    "an unknown name fails"
[ "$(grep -c "STREAM" <<<"$out")" = 4 ] &&
    grep -q "^$N.3 *STREAM web.lab.test" <<<"$out" &&
    grep -A1 "^$N.3 *STREAM web.lab.test" <<<"$out" | grep -q "^$N.4 "
check $? "getent ahosts in a child: both A records in order"
grep -q "^$N.3 *sv03.lab.test" <<<"$out"
check $? "getent hosts ADDR in a child: the PTR name"
grep -q "^$N.3 *STREAM web.lab.test" <<<"$(grep -A3 "^$N.3 *sv03" <<<"$out")"
check $? "getent ahosts alias: canonical name web.lab.test"
expect_line "nope 2" "getent for an unknown name fails (exit 2)"
tcp_many='"transport":"tcp","id":[0-9]*,"qname":"many.lab.test."'
n=$(grep -c "$tcp_many" "$LOG1")
out=$("$PROBE" enter "$D/etc1" "$A" lab.test ai many.lab.test 2>&1)
[ "$(grep "^ai many" <<<"$out" | wc -w)" = 64 ] &&
    [ "$(grep -c "$tcp_many" "$LOG1")" -gt "$n" ]
check $? "glibc takes a truncated answer again over TCP: sixty addresses"
grep -q '"qname":"nope.lab.test.","qtype":"A","rcode":"NXDOMAIN"' "$LOG1"
check $? "the lab DNS answered the unknown name"

# MIT's own client: kinit finds the realm's KDC through the SRV record
# (res_nsearch) and the KDC's address through getaddrinfo.  Nothing
# listens there, so it fails: the trace shows where it sent the request.
cat >"$D/krb5.conf" <<EOF
[libdefaults]
    default_realm = LAB.TEST
    dns_lookup_kdc = true
    dns_lookup_realm = false
[realms]
    LAB.TEST = {
    }
EOF
KRB5_CONFIG=$D/krb5.conf KRB5CCNAME=FILE:$D/ccache KRB5_TRACE=$D/kinit.trace \
    KRB5_KDC_PROFILE=/dev/null KRB5_KTNAME=FILE:/dev/null \
    KRB5RCACHEDIR=$D "$PROBE" enter "$D/etc1" "$A" lab.test \
    run kinit alice@LAB.TEST </dev/null >/dev/null 2>&1
grep -q "to dgram $N.1:88" "$D/kinit.trace"
check $? "kinit locates the KDC through the lab's SRV record ($N.1:88)"
grep -q '"qname":"_kerberos._udp.LAB.TEST.","qtype":"SRV","rcode":"NOERROR"' \
    "$LOG1"
check $? "the lab DNS log shows libkrb5's SRV query"

# curl resolves in a thread of its own, started after the namespace was
# made: it connects to web's first address (nothing listens: refused).
out=$("$PROBE" enter "$D/etc1" "$A" lab.test \
    run curl -sv --max-time 5 http://web.lab.test:9/ 2>&1)
grep -q "Trying $N.3:9" <<<"$out"
check $? "curl resolves web.lab.test through the lab"

out=$("$PROBE" enter "$D/etc1" "$A" lab.test ai web.lab.test leave \
    enter "$D/etc2" "$A2" lab.test ai web.lab.test \
    run getent ahosts web.lab.test 2>&1)
grep -qx "ai web.lab.test canon web.lab.test $N.3 $N.4" <<<"$out" &&
    grep -qx "ai web.lab.test canon web.lab.test $N2.9" <<<"$out" &&
    grep -q "^$N2.9 *STREAM web.lab.test" <<<"$out"
check $? "one process: lab 1, leave, lab 2: glibc reads the new files"
grep -q '"qname":"web.lab.test."' "$LOG2"
check $? "the second lab's server was asked"

# Every address the resolver talks to is on loopback, the lab's server
# among them; the host's nameserver is never contacted.  (LeakSanitizer
# cannot run under ptrace: a sanitizer build skips it here.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -o "$D/strace" \
    "$PROBE" enter "$D/etc1" "$A" lab.test ai nope.lab.test \
    ai nope.example.com run getent ahosts nope.lab.test >/dev/null 2>&1
grep -o 'inet_addr("[^"]*")\|inet_pton(AF_INET6, "[^"]*"' "$D/strace" |
    sed 's/.*"\(.*\)".*/\1/' | sort -u >"$D/peers"
grep -qx "$A" "$D/peers" && ! grep -qv '^127\.' "$D/peers"
check $? "unknown names: only loopback is asked ($(tr '\n' ' ' <"$D/peers"))"

# A host whose /etc/resolv.conf is a symlink (systemd-resolved's stub, say):
# the lab's file goes over the file it names.  The fake /etc exists in a
# namespace of this test's own, around the probe's.
# Its nsswitch.conf does not use DNS at all, so the probe's first lookup,
# made before it enters the lab, fails without a query; the second shows
# that glibc reloaded nsswitch.conf and resolv.conf in the same process.
mkdir -p "$D/fakeetc" "$D/run"
cp /etc/hosts /etc/passwd /etc/group "$D/fakeetc/"
cp /etc/ld.so.cache "$D/fakeetc/" 2>/dev/null
printf 'passwd: files\ngroup: files\nhosts: files\n' \
    >"$D/fakeetc/nsswitch.conf"
# Should the lab file not cover it, the stub names a loopback address
# where nothing answers (never one beyond loopback).
printf 'nameserver 127.1.255.254\noptions timeout:1 attempts:1\n' \
    >"$D/run/stub-resolv.conf"
stub=$(cat "$D/run/stub-resolv.conf")
ln -s "$D/run/stub-resolv.conf" "$D/fakeetc/resolv.conf"
out=$(unshare -m sh -c "mount --make-rprivate / &&
    mount --bind '$D/fakeetc' /etc &&
    '$PROBE' ai web.lab.test enter '$D/etc1' '$A' lab.test \
        ai web.lab.test" 2>&1)
grep -qx "ai web.lab.test canon web.lab.test $N.3 $N.4" <<<"$out" &&
    [ "$(cat "$D/run/stub-resolv.conf")" = "$stub" ]
check $? "a symlinked /etc/resolv.conf: its target is covered, not written"
[ "$(head -1 <<<"$out")" = "ai web.lab.test fail Name or service not known" ]
check $? "one process read the host's nsswitch.conf, then the lab's"
ln -sf "$D/run/missing.conf" "$D/fakeetc/resolv.conf"
out=$(unshare -m sh -c "mount --make-rprivate / &&
    mount --bind '$D/fakeetc' /etc &&
    '$PROBE' enter '$D/etc1' '$A' lab.test ai web.lab.test" 2>&1)
rc=$?
[ "$rc" = 1 ] &&
    grep -q "/etc/resolv.conf is a symlink to a file that does not exist" \
        <<<"$out"
check $? "a dangling symlink: a clear error, nothing resolved ($out)"

# While a process is inside, the host's files are unchanged.
mkfifo "$D/pause.in" "$D/pause.out"
"$PROBE" enter "$D/etc1" "$A" lab.test pause <"$D/pause.in" \
    >"$D/pause.out" 2>&1 &
probe_pid=$!
exec {pin}>"$D/pause.in"
exec {pout}<"$D/pause.out"
line=
read -r -t 10 -u "$pout" line
read -r -t 10 -u "$pout" line
[ "$line" = "paused $probe_pid" ]
check $? "a probe waits inside its lab ($line)"
[ "$(sha256sum /etc/resolv.conf /etc/hosts /etc/nsswitch.conf)" = "$before" ]
check $? "outside, /etc/resolv.conf, hosts and nsswitch.conf are the host's"
nsenter --mount --target "$probe_pid" cat /etc/resolv.conf |
    grep -qx "nameserver $A"
check $? "nsenter --mount --target PID sees the lab's resolv.conf"
! grep -q "$D" /proc/self/mountinfo && grep -q "$D/etc1" \
    "/proc/$probe_pid/mountinfo"
check $? "the bind mounts exist in the probe's namespace only"
echo >&"$pin"
wait "$probe_pid"
check $? "the probe leaves and exits"
exec {pin}>&- {pout}<&-

[ "$(sha256sum /etc/resolv.conf /etc/hosts /etc/nsswitch.conf)" = "$before" ]
check $? "the host's /etc files were never written"

# shellcheck disable=SC2154
kill -TERM "$lab1_pid" "$lab2_pid"
wait "$lab1_pid" && wait "$lab2_pid"
check $? "SIGTERM stops the servers with exit status 0"
PIDS=()

finish
