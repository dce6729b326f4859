#!/usr/bin/env bash
# The real curl --negotiate against the fake service, in a lab left
# running by `krbfault up`, driven from the shell as a user would: a page
# served (200, with the service's mutual-authentication token) when the
# SPN's keys are the service's, refused (401, with the error token) when
# the SPN belongs to another account.  Both service personalities.
# Usage: curl-negotiate.sh PATH-TO-KRBFAULT
set -u

KRBFAULT=$1
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/krbfault-curl-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# try SCENARIO PERSONALITY WANT-STATUS WHAT: bring the lab up, log on as
# nekoneko with MIT's kinit, fetch the site with curl, check the service
# decided WHAT, tear the lab down.
try() {
    local id=$1 pers=$2 want=$3 what=$4 line conf="" url="" dir="" status
    local host port addr up_pid lab_banner
    lab_up "$id" --personality "$pers"
    while read -r line; do
        case $line in
        "lab "*" is up in "*) dir=${line##* } ;;
        "host SV01 "*) url=${line#*http://}; url=${url%%/*} ;;
        "export KRB5_CONFIG="*) conf=${line#export KRB5_CONFIG=} ;;
        esac
    done <<<"$lab_banner"
    if [ -z "$conf" ] || [ -z "$url" ]; then
        check 1 "$id ($pers): the lab came up"
        kill -KILL "$up_pid" 2>/dev/null
        wait "$up_pid" 2>/dev/null
        return
    fi
    addr=${url%:*}
    port=${url##*:}
    host=web.nekomaru.local
    # A clean environment with only the lab's Kerberos variables.
    env -i PATH=/usr/bin:/bin KRB5_CONFIG="$conf" \
        KRB5CCNAME="FILE:$work/cc-$pers" KRB5_TRACE="$work/trace-$pers" \
        kinit nekoneko <<<"Neko-Neko-2026" >"$work/kinit-$pers" 2>&1
    check $? "$id ($pers): kinit nekoneko against the lab's KDC"
    status=$(env -i PATH=/usr/bin:/bin KRB5_CONFIG="$conf" \
        KRB5CCNAME="FILE:$work/cc-$pers" KRB5_TRACE="$work/trace-$pers" \
        curl -q --noproxy '*' --negotiate -u : -sS --max-time 20 \
        --resolve "$host:$port:$addr" -D "$work/headers-$pers" \
        -o "$work/body-$pers" -w '%{http_code}' "http://$host:$port/")
    [ "$status" = "$want" ]
    check $? "$id ($pers): curl --negotiate gets HTTP $want (got $status)"
    grep -qi '^WWW-Authenticate: Negotiate [A-Za-z0-9+/=]' \
        "$work/headers-$pers"
    check $? "$id ($pers): the last answer carries a Negotiate token"
    if [ "$want" = 200 ]; then
        grep -q "Hello nekoneko@NEKOMARU.LOCAL" "$work/body-$pers"
        check $? "$id ($pers): the page greets the authenticated client"
    fi
    grep -q "\"personality\":\"$pers\",.*\"transport\":\"http\",.*\"error\":\"$what\"" \
        "$dir/host/SV01/service.log"
    check $? "$id ($pers): the $pers service logged $what for the request"
    kill -INT "$up_pid"
    wait "$up_pid" 2>/dev/null
    [ ! -e "$dir" ]
    check $? "$id ($pers): the lab is gone after Ctrl-C"
}

# The keytab holds the SPN's keys: authenticated.
try ap-modified-broken-secure-channel mit 200 success
try ap-modified-broken-secure-channel ad 200 success
# The SPN holds the user account web's keys; the site runs as SV01$.
try ap-modified-spn-wrong-account mit 401 KRB_AP_ERR_NOT_US
try ap-modified-spn-wrong-account ad 401 KRB_AP_ERR_MODIFIED
finish
