#!/usr/bin/env bash
# Compare krbfault decode with tshark on the capture of every catalog run:
# per frame, the message types, error codes, requested etypes, kvnos,
# name components, realms, padata types and e-texts must agree.
# Usage: wire-vs-tshark.sh PATH-TO-KRBFAULT [PCAP...]
# (without PCAPs, the catalog is run with --pcap-dir first)
set -u
KRBFAULT=$1
shift
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/krbfault-vs-tshark.XXXXXX)
trap 'rm -rf "$work"' EXIT

if ! command -v tshark >/dev/null; then
    echo "FAIL: tshark is not installed (scripts/install-deps installs it)"
    exit 1
fi
if [ $# -eq 0 ]; then
    "$KRBFAULT" run all --pcap-dir "$work/pcaps" >"$work/run.out" 2>&1
    check $? "the catalog runs with --pcap-dir"
    set -- "$work"/pcaps/*.pcap
    [ -s "$1" ]
    check $? "the catalog left captures ($# files)"
fi

# normalize SIDE: read "frame<TAB>types<TAB>errors<TAB>etypes<TAB>kvnos<TAB>
# names<TAB>realms<TAB>padata<TAB>etext" (lists comma-separated) and print
# one line per frame with sets sorted; on the tshark side, the AP-REQ
# nested in a TGS-REQ's PA-TGS-REQ is not a message of its own.  Two
# things tshark does differently are left out: it shows the datagram an
# ICMP error quotes (not a message that crossed), and it reads a
# KRB-ERROR's e-data as padata only for codes 14, 24 and 25.
normalize() {
    awk -F'\t' -v side="$1" '
    function set(s,   a, n, i, j, t, out) {
        n = split(s, a, ",")
        for (i = 1; i <= n; i++)
            for (j = i + 1; j <= n; j++)
                if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        out = ""
        for (i = 1; i <= n; i++)
            if (a[i] != "" && (i == 1 || a[i] != a[i - 1]))
                out = out (out == "" ? "" : ",") a[i]
        return out
    }
    function types(s,   a, n, i, out) {
        n = split(s, a, ",")
        out = ""
        for (i = 1; i <= n; i++) {
            if (side == "tshark" && a[i] == 14 && i > 1 && a[i - 1] == 12)
                continue
            out = out (out == "" ? "" : ",") a[i]
        }
        return out
    }
    {
        printf "frame %s: types %s errors %s etypes %s kvnos %s names %s " \
               "realms %s padata %s etext \"%s\"\n", $1, types($2), $3, $4,
               set($5), set($6), set($7), set($8), $9
    }'
}

total=0
for pcap in "$@"; do
    name=$(basename "$pcap")
    if ! "$KRBFAULT" decode "$pcap" --json >"$work/ours.json" 2>"$work/err"; then
        check 1 "$name: krbfault decode failed: $(cat "$work/err")"
        continue
    fi
    # Tell tshark about every server port krbfault found Kerberos on.
    decode_as=()
    for spec in $(jq -r '.messages[] | (if .transport == "udp" then "udp"
                          else "tcp" end) + ":" + ([.sport, .dport] | min
                          | tostring)' "$work/ours.json" | sort -u); do
        proto=${spec%%:*}
        port=${spec#*:}
        case "$proto:$port" in
        udp:88 | tcp:88 | udp:464 | tcp:464 | tcp:80) ;;
        *) decode_as+=(-d "$proto.port==$port,kerberos") ;;
        esac
    done
    jq -r '.messages | group_by(.frame)[] | [
        (.[0].frame | tostring),
        (map(.msg_type | tostring) | join(",")),
        (map(.error_code // empty | tostring) | join(",")),
        (map(.etypes // [] | .[] | tostring) | join(",")),
        (map(.ticket.kvno // empty, .additional_ticket.kvno // empty
         | select(. >= 0) | tostring) | join(",")),
        (map((.cname // ""), (.sname // ""), (.ticket.sname // ""),
             (.additional_ticket.sname // ""))
         | map(split("/")[]) | join(",")),
        (map(.crealm // "", .srealm // "", .ticket.srealm // "",
             .additional_ticket.srealm // "") | join(",")),
        (map((.padata // [] | .[].type),
             (select(.error_code == 14 or .error_code == 24 or
                     .error_code == 25) | .edata_padata // [] | .[].type)
         | tostring) | join(",")),
        (map(.etext // empty) | join(","))] | @tsv' "$work/ours.json" |
        normalize ours >"$work/ours.txt"
    tshark -r "$pcap" "${decode_as[@]}" -Y 'kerberos && !icmp' -T fields \
        -E separator=/t -E occurrence=a -E aggregator=, \
        -e frame.number -e kerberos.msg_type -e kerberos.error_code \
        -e kerberos.ENCTYPE -e kerberos.kvno -e kerberos.CNameString \
        -e kerberos.SNameString -e kerberos.realm -e kerberos.crealm \
        -e kerberos.padata_type -e kerberos.e_text 2>/dev/null |
        awk -F'\t' -v OFS='\t' '{
            r = $8; if ($9 != "") r = r (r == "" ? "" : ",") $9
            print $1, $2, $3, $4, $5, $6 ($6 != "" && $7 != "" ? "," : "") $7,
                  r, $10, $11 }' |
        normalize tshark >"$work/tshark.txt"
    n=$(wc -l <"$work/ours.txt")
    total=$((total + n))
    if diff "$work/tshark.txt" "$work/ours.txt" >"$work/diff"; then
        check 0 "$name: $n frames agree (${decode_as[*]:-no Decode As})"
    else
        check 1 "$name: krbfault decode and tshark disagree (< tshark, > krbfault)"
        sed 's/^/      /' "$work/diff" | head -20
    fi
done
echo "$total frames compared"
finish
