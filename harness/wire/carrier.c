/* Where Kerberos hides in a payload: bare, kpasswd, GSS-API, SPNEGO, HTTP. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "der.h"
#include "wire_int.h"

/* Tokens nest (SPNEGO in GSS in SPNEGO ...) at most this deep. */
#define MAX_DEPTH 4

/* The krb5 mechanism's OIDs: RFC 1964's and Microsoft's variant. */
static const uint8_t oid_krb5[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                   0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_mskrb5[] = {0x2a, 0x86, 0x48, 0x82, 0xf7,
                                     0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_spnego[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};

/* Return the big-endian 16-bit number at p. */
static unsigned
be16(const uint8_t *p)
{
    return ((unsigned)p[0] << 8) | p[1];
}

/* Read a kpasswd message (RFC 3244): length, version, AP-REQ or AP-REP
 * length, that message, then a KRB-PRIV or KRB-ERROR. */
static int
kpasswd(kf_wire_stream *s, const uint8_t *p, size_t n, kf_wire_transport tr)
{
    unsigned ver, aplen;
    int found = 0;

    if (n < 8 || be16(p) != n)
        return 0;
    ver = be16(p + 2);
    aplen = be16(p + 4);
    if ((ver != 0x0001 && ver != 0xff80) || 6 + (size_t)aplen > n)
        return 0;
    if (aplen > 0)
        found += kf_wire_emit(s, p + 6, aplen, tr, KF_CAR_KPASSWD);
    if (n > 6 + (size_t)aplen)
        found +=
            kf_wire_emit(s, p + 6 + aplen, n - 6 - aplen, tr, KF_CAR_KPASSWD);
    return found;
}

int
kf_wire_payload(kf_wire_stream *s, const uint8_t *p, size_t n,
                kf_wire_transport tr)
{
    if (n < 2)
        return 0;
    if (kf_krbmsg_first_byte(p[0]))
        return kf_wire_emit(s, p, n, tr, KF_CAR_RAW);
    return kpasswd(s, p, n, tr);
}

/* Return true if an OID's contents equal want. */
static int
oid_is(struct der oid, const uint8_t *want, size_t len)
{
    return oid.n == len && memcmp(oid.p, want, len) == 0;
}

static int gss_token(kf_wire_stream *s, struct der tok, kf_wire_transport tr,
                     kf_wire_carrier car, int depth);

/* A krb5 mechanism token: a two-byte token id, then the message. */
static int
krb5_token(kf_wire_stream *s, struct der t, kf_wire_transport tr,
           kf_wire_carrier car)
{
    if (t.n < 3 || t.p[1] != 0x00 || t.p[0] < 0x01 || t.p[0] > 0x03)
        return 0;
    return kf_wire_emit(s, t.p + 2, t.n - 2, tr, car);
}

/* A SPNEGO NegTokenInit ([0]) or NegTokenResp ([1]): its mechToken or
 * responseToken (field [2]) holds the mechanism's token. */
static int
spnego(kf_wire_stream *s, struct der tok, kf_wire_transport tr, int depth)
{
    struct der wrap, seq, inner;
    unsigned tag;

    if (der_tlv(&tok, &tag, &wrap) != 0 || (tag != CTX(0) && tag != CTX(1)))
        return 0;
    if (der_expect(&wrap, T_SEQUENCE, &seq) != 0 ||
        der_field(seq, 2, T_OCTETS, &inner) != 0)
        return 0;
    return gss_token(s, inner, tr, KF_CAR_SPNEGO, depth + 1);
}

/* Any token of context establishment: the framed InitialContextToken
 * ([APPLICATION 0] with the mechanism's OID), a bare SPNEGO token, a bare
 * krb5 token, or a bare message. */
static int
gss_token(kf_wire_stream *s, struct der tok, kf_wire_transport tr,
          kf_wire_carrier car, int depth)
{
    struct der app, oid;

    if (depth > MAX_DEPTH || tok.n < 2)
        return 0;
    if (tok.p[0] == 0x60) {
        if (der_expect(&tok, 0x60, &app) != 0 ||
            der_expect(&app, T_OID, &oid) != 0)
            return 0;
        if (oid_is(oid, oid_krb5, sizeof(oid_krb5)) ||
            oid_is(oid, oid_mskrb5, sizeof(oid_mskrb5)))
            return krb5_token(s, app, tr, car);
        if (oid_is(oid, oid_spnego, sizeof(oid_spnego)))
            return spnego(s, app, tr, depth);
        return 0;
    }
    if (tok.p[0] == CTX(0) || tok.p[0] == CTX(1))
        return spnego(s, tok, tr, depth);
    if (kf_krbmsg_first_byte(tok.p[0]))
        return kf_wire_emit(s, tok.p, tok.n, tr, car);
    return krb5_token(s, tok, tr, car);
}

int
kf_wire_gss_token(kf_wire_stream *s, const uint8_t *p, size_t n,
                  kf_wire_transport tr, kf_wire_carrier car)
{
    struct der tok = {p, n};

    return gss_token(s, tok, tr, car, 0);
}

/* Each base64 digit's value plus one (0 for a byte that is not one), in
 * both alphabets: "+/" and the URL-safe "-_". */
#define DIGITS2(c, v) [(c)] = (v) + 1, [(c) + 1] = (v) + 2
#define DIGITS4(c, v) DIGITS2((c), (v)), DIGITS2((c) + 2, (v) + 2)
#define DIGITS8(c, v) DIGITS4((c), (v)), DIGITS4((c) + 4, (v) + 4)

static const uint8_t b64_digit[256] = {
    DIGITS8('A', 0),  DIGITS8('I', 8),  DIGITS8('Q', 16), DIGITS2('Y', 24),
    DIGITS8('a', 26), DIGITS8('i', 34), DIGITS8('q', 42), DIGITS2('y', 50),
    DIGITS8('0', 52), DIGITS2('8', 60), ['+'] = 63,       ['-'] = 63,
    ['/'] = 64,       ['_'] = 64,
};

/* Decode the base64 digits at the start of p (n bytes, stopping at the
 * first other byte) into out, which has room for n / 4 * 3 + 3 bytes
 * (three for every four digits, at most).  Return the bytes written and
 * set *used to the digits read. */
static size_t
base64_decode(const char *p, size_t n, uint8_t *out, size_t *used)
{
    const uint8_t *d = (const uint8_t *)p;
    size_t i = 0, o = 0;
    unsigned acc = 0, a, b, c, e;
    int bits = 0;

    /* Four digits at a time make three bytes. */
    for (; i + 4 <= n; i += 4, o += 3) {
        a = b64_digit[d[i]];
        b = b64_digit[d[i + 1]];
        c = b64_digit[d[i + 2]];
        e = b64_digit[d[i + 3]];
        if (a == 0 || b == 0 || c == 0 || e == 0)
            break;
        acc = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (e - 1);
        out[o] = (uint8_t)(acc >> 16);
        out[o + 1] = (uint8_t)(acc >> 8);
        out[o + 2] = (uint8_t)acc;
    }
    /* The rest one by one: a byte for every eight bits. */
    for (acc = 0; i < n && (a = b64_digit[d[i]]) != 0; i++) {
        acc = (acc << 6) | (a - 1);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    *used = i;
    return o;
}

/* Return true if the header line [p, p+n) is named name (any case). */
static int
header_is(const char *p, size_t n, const char *name)
{
    size_t len = strlen(name);

    return n > len && p[len] == ':' && strncasecmp(p, name, len) == 0;
}

/* Read the Negotiate (or Kerberos) tokens of one header value. */
static int
auth_value(kf_wire_stream *s, const char *p, size_t n)
{
    uint8_t *tok;
    size_t i = 0, start, len, used;
    int found = 0;

    while (i < n) {
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ','))
            i++;
        start = i;
        while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != ',')
            i++;
        len = i - start;
        if (!((len == 9 && strncasecmp(p + start, "Negotiate", 9) == 0) ||
              (len == 8 && strncasecmp(p + start, "Kerberos", 8) == 0)))
            continue;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        /* Room for the longest token the rest of the value can hold. */
        tok = malloc((n - i) / 4 * 3 + 3);
        if (tok == NULL)
            break;
        len = base64_decode(p + i, n - i, tok, &used);
        i += used;
        found += kf_wire_gss_token(s, tok, len, KF_TR_HTTP, KF_CAR_GSS);
        free(tok);
    }
    return found;
}

int
kf_wire_http_headers(kf_wire_stream *s, const char *p, size_t n)
{
    size_t i = 0, eol;
    int found = 0;

    while (i < n) {
        const char *line = p + i, *nl = memchr(line, '\n', n - i);
        size_t len;

        eol = nl != NULL ? (size_t)(nl - p) : n;
        len = eol - i;
        if (len > 0 && line[len - 1] == '\r')
            len--;
        if (header_is(line, len, "Authorization") ||
            header_is(line, len, "Proxy-Authorization") ||
            header_is(line, len, "WWW-Authenticate") ||
            header_is(line, len, "Proxy-Authenticate")) {
            const char *v = memchr(line, ':', len) + 1;

            found += auth_value(s, v, len - (size_t)(v - line));
        }
        i = eol + 1;
    }
    return found;
}
