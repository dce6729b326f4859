#!/usr/bin/env bash
# A lab with a dns block, left up by `krbfault up` and used from the shell
# as a user would: inside the lab's mount namespace (nsenter) the stale A
# record sends getent and curl --negotiate to SV03, MIT's kvno asks for the
# name it was given; the host's /etc files are untouched; Ctrl-C leaves no
# process, directory or mount behind.  Needs root (the lab DNS does).
# Usage: dns-lab.sh PATH-TO-KRBFAULT
set -u

KRBFAULT=$1
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ] || ! command -v nsenter >/dev/null; then
    echo "skip: the lab DNS needs root (and nsenter)"
    exit 77
fi
work=$(mktemp -d /tmp/krbfault-dnslab-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
before=$(md5sum /etc/resolv.conf /etc/hosts /etc/nsswitch.conf)

# up VARIANT PERSONALITY: bring the lab up; set dir, conf, web, sv03, dns,
# up_pid.
up() {
    local line
    dir="" conf="" web="" sv03="" dns=""
    lab_up "ap-modified-dns-duplicate-a:$1" --personality "$2"
    while read -r line; do
        case $line in
        "lab "*" is up in "*) dir=${line##* } ;;
        "host WEB "*) web=${line#host WEB }; web=${web%%:*}; web=${web// /} ;;
        "host SV03 "*) sv03=${line#host SV03 }; sv03=${sv03%%:*}; sv03=${sv03// /} ;;
        "DNS  "*) dns=${line#DNS  }; dns=${dns%%:*} ;;
        "export KRB5_CONFIG="*) conf=${line#export KRB5_CONFIG=} ;;
        esac
    done <<<"$lab_banner"
}

# inside CMD...: run CMD in the lab's mount namespace with a clean
# environment holding the lab's Kerberos variables.
inside() {
    nsenter --mount --target "$up_pid" -- env -i PATH=/usr/bin:/bin \
        KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$work/cc" \
        KRB5_TRACE="$work/trace" "$@"
}

# down: Ctrl-C, then check what is left.
down() {
    local pid=$up_pid
    kill -INT "$pid"
    wait "$pid" 2>/dev/null
    [ ! -e "$dir" ] && ! kill -0 "$pid" 2>/dev/null
    check $? "$1: Ctrl-C removes the lab and ends krbfault"
    [ -z "$(ss -Hlntu 2>/dev/null | grep -F " $dns:53 ")" ]
    check $? "$1: nothing listens on the lab DNS's address any more"
}

up stale-a ad
if [ -z "$conf" ] || [ -z "$dns" ] || [ -z "$sv03" ]; then
    check 1 "the DNS lab came up (DNS '$dns', SV03 '$sv03')"
    kill -KILL "$up_pid" 2>/dev/null
    finish
    exit
fi
check 0 "the DNS lab came up, its DNS server at $dns"
first=$(inside getent ahostsv4 web.nekomaru.local | awk 'NR == 1 {print $1}')
[ "$first" = "$sv03" ]
check $? "getent in the lab: web.nekomaru.local's first address is SV03's ($first)"
grep -q "^nameserver $dns$" "$dir/dns/etc/resolv.conf" &&
    inside cat /etc/resolv.conf | grep -q "^nameserver $dns$" &&
    ! grep -q "$dns" /etc/resolv.conf
check $? "the lab's resolv.conf names the lab DNS, in its namespace only"
inside kinit nekoneko <<<"Neko-Neko-2026" >"$work/kinit" 2>&1
check $? "kinit nekoneko in the lab"
inside kvno HTTP/web.nekomaru.local >"$work/kvno" 2>&1 &&
    grep -q "HTTP/web.nekomaru.local@NEKOMARU.LOCAL: kvno = 1" "$work/kvno"
check $? "kvno gets the ticket for the name it was given"
status=$(inside curl -q --noproxy '*' --negotiate -u : -sS --max-time 20 \
    -o /dev/null -w '%{http_code}' http://web.nekomaru.local/)
[ "$status" = 401 ] &&
    grep -q '"host":"SV03","personality":"ad",.*"transport":"http",.*"error":"KRB_AP_ERR_MODIFIED"' \
        "$dir/host/SV03/service.log"
check $? "curl --negotiate reaches SV03, which answers 401 with KRB_AP_ERR_MODIFIED (got $status)"
grep -q '"qname":"web.nekomaru.local.*"qtype":"A".*"answers":\["web.nekomaru.local. 0 IN A '"$sv03"'"' \
    "$dir/dns/queries.log"
check $? "the lab DNS logged the A query and answered SV03's address first"
down stale-a

up mit-defaults mit
# A client machine with MIT's defaults: canonicalization and rdns on.
sed -e 's/dns_canonicalize_hostname = false/dns_canonicalize_hostname = true/' \
    -e 's/rdns = false/rdns = true/' "$conf" >"$work/krb5-mit.conf"
conf=$work/krb5-mit.conf
rm -f "$work/trace"
inside kinit nekoneko <<<"Neko-Neko-2026" >"$work/kinit" 2>&1
check $? "kinit nekoneko in the second lab"
status=$(inside curl -q --noproxy '*' --negotiate -u : -sS --max-time 20 \
    -o /dev/null -w '%{http_code}' http://web.nekomaru.local/)
[ "$status" = 200 ] && grep -q "HTTP/sv03.nekomaru.local" "$work/trace"
check $? "with MIT's defaults curl is served by SV03 as HTTP/sv03 (got $status)"
grep -q '"qtype":"PTR"' "$dir/dns/queries.log"
check $? "the reverse lookup (rdns) shows in the lab DNS's log"
down mit-defaults

# Killed outright: the guardian and PR_SET_PDEATHSIG clean up, and the
# mount namespace ends with its last process.
up fixed mit
kill -KILL "$up_pid"
wait "$up_pid" 2>/dev/null
for _ in $(seq 100); do
    [ ! -e "$dir" ] && [ -z "$(ss -Hlntu 2>/dev/null | grep -F " $dns:53 ")" ] &&
        break
    sleep 0.05
done
[ ! -e "$dir" ] && [ -z "$(ss -Hlntu 2>/dev/null | grep -F " $dns:53 ")" ]
check $? "SIGKILL: the lab directory and the DNS server are gone"

after=$(md5sum /etc/resolv.conf /etc/hosts /etc/nsswitch.conf)
[ "$before" = "$after" ]
check $? "the host's resolv.conf, hosts and nsswitch.conf are unchanged"
finish
