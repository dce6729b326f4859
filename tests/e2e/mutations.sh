#!/usr/bin/env bash
# Honesty check: remove the fault from catalog scenarios and show that
# their expectations then fail (exit 1), so a passing run means the fault
# was really observed.  Usage: mutations.sh PATH-TO-KRBFAULT SCENARIO-DIR
set -u

KRBFAULT=$1
SRC=$2
work=$(mktemp -d /tmp/krbfault-mutations.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# mutate ID SED-EXPRESSION WHAT: run ID with the fault removed.
mutate() {
    local id=$1 expr=$2 what=$3 out rc
    sed -e "$expr" "$SRC/$id.yaml" >"$work/$id.yaml"
    if cmp -s "$SRC/$id.yaml" "$work/$id.yaml"; then
        echo "FAIL: $id: the mutation '$expr' changed nothing"
        failed=$((failed + 1))
        return
    fi
    out=$("$KRBFAULT" run "$work/$id.yaml" 2>&1)
    rc=$?
    if [ "$rc" = 1 ] && grep -q "FAIL" <<<"$out"; then
        echo "ok:   $id without $what: its expectations fail"
        passed=$((passed + 1))
    else
        echo "FAIL: $id without $what: exit $rc, expected 1"
        echo "$out" | sed 's/^/      /'
        failed=$((failed + 1))
    fi
}

mutate ap-clock-skew '/^    clock: +10m$/d' "the server's clock skew"
mutate as-clock-skew '/^    kdc_timesync: false$/d' "kdc_timesync = 0"
mutate preauth-password-expired '/password_expires: -1d/d' \
    "the expired password"
mutate preauth-wrong-password 's/Neko-Nkeo-2026/Neko-Neko-2026/' \
    "the typo"
mutate ap-modified-unreplicated-password \
    's/action: break_replication/action: repair_replication/' \
    "the broken replication"
mutate as-account-disabled '/allow_tix: false/d' "the disabled flag"
mutate as-account-expired '/expires: -1d/d' "the account's end date"
mutate as-no-preauth-roastable '/requires_preauth: false/d' \
    "the missing pre-authentication"
mutate tgs-unknown-spn 's|service: HTTP/portal.nekomaru.local|service: HTTP/web.nekomaru.local|' \
    "the unregistered SPN"
mutate as-etype-unsupported '/^    enctypes: \[rc4-hmac\]$/d' \
    "the RC4-only client"
mutate ap-replay '/^    repeat: 2$/d' "the replayed request"
mutate tgs-not-renewable '0,/^    lifetime: 1h$/{/^    lifetime: 1h$/d}' \
    "the short, non-renewable logon"
mutate as-postdate-not-allowed '/allow_postdated: false/d' \
    "the account's no-postdating flag"
mutate as-policy-rejected 's/require_auth: otp/session_enctypes: aes256-cts/' \
    "the require_auth policy"
mutate tgs-rc4-service-ticket 's/enctypes: \[rc4-hmac, aes256-cts-hmac-sha1-96\]/enctypes: [aes256-cts-hmac-sha1-96, rc4-hmac]/' \
    "the RC4 key listed first"
mutate preauth-lockout '/^    policy: lockout3$/d' "the lockout policy"
mutate kdc-response-too-big 's/reply_size: 1465/reply_size: 65536/' \
    "the 1465-byte UDP limit"
mutate tgs-no-suitable-key 's/enctypes: \[rc4-hmac\]/enctypes: [rc4-hmac, aes256-cts-hmac-sha1-96]/' \
    "the RC4-only service account"
mutate ap-ticket-expired '/^    by: 20m$/d; s/action: advance_clock/action: advance_clock\n    by: 1m/' \
    "the twenty idle minutes"
mutate ap-ticket-not-yet-valid 's/clock: +1h/clock: +1m/' \
    "the DC's clock an hour ahead"
mutate rodc-writable-kdc-unreachable 's/action: stop_kdc/action: start_kdc/' \
    "the unreachable writable DC"
mutate tgs-delegation-not-allowed '/^    forwardable: true$/d' \
    "the forwardable service ticket (the refusal then has another cause)"
mutate tgs-expired-tgt 's/^    by: 20m$/    by: 1m/' "the twenty idle minutes"
mutate ap-bad-address '/^    addressful: true$/d' "the address-bound tickets"
mutate preauth-smartcard-no-kdc-certificate '/^    smartcard: true$/d' \
    "the smart card"
mutate ap-modified-spn-wrong-account 's/^    keys_of: web$/    keys_of: SV01$/' \
    "the SPN on the wrong account (it then holds the machine's keys)"
mutate ap-modified-broken-secure-channel \
    's/^    action: randomize_key$/    action: randomize_key\n    only: repaired/' \
    "the machine password reset (in the broken variant)"
mutate ap-modified-dns-duplicate-a '0,/^      host: SV03$/s//      host: WEB/' \
    "the stale A record (it then names WEB's address)"
mutate ap-modified-dns-duplicate-a \
    's/^  canonicalize: false$/  canonicalize: true/; s/^  rdns: false$/  rdns: true/' \
    "canonicalization off (with MIT's defaults SV03's PTR names the service)"

mutate as-wrong-realm '/^aliases:$/d; s/^    target: nekoneko@ASIA.NEKOMARU.LOCAL$/    password: Neko-Neko-2026/' \
    "the account's move to ASIA.NEKOMARU.LOCAL (its out-of-realm alias)"
mutate as-wrong-realm '0,/^    canonicalize: true$/{//d}' \
    "the canonicalize option of the referred logon"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
