/* HTTP Negotiate: headers, GSS-API token framing, SPNEGO, the AP-REQ's
 * ticket. */
#include "negotiate.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The mechanism OIDs, DER-encoded with their tag and length. */
static const uint8_t oid_krb5[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                   0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_mskrb5[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x82,
                                     0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_spnego[] = {0x06, 0x06, 0x2b, 0x06,
                                     0x01, 0x05, 0x05, 0x02};

/* One DER element. */
struct der {
    uint8_t tag;
    const uint8_t *start; /* its first byte (the tag) */
    const uint8_t *body;
    size_t len;         /* of the body */
    const uint8_t *end; /* just past the element */
};

/* Read the element at p (before end) into d; return 0, or -1. */
static int
der_read(const uint8_t *p, const uint8_t *end, struct der *d)
{
    size_t len = 0, n, i;

    if (p == NULL || end - p < 2 || (p[0] & 0x1f) == 0x1f)
        return -1;
    d->start = p;
    d->tag = *p++;
    if (*p < 0x80) {
        len = *p++;
    } else {
        n = *p++ & 0x7f;
        if (n == 0 || n > 4 || (size_t)(end - p) < n)
            return -1;
        for (i = 0; i < n; i++)
            len = (len << 8) | *p++;
    }
    if ((size_t)(end - p) < len)
        return -1;
    d->body = p;
    d->len = len;
    d->end = p + len;
    return 0;
}

/* Find the element tagged tag among the elements of a SEQUENCE body. */
static int
der_field(const struct der *seq, uint8_t tag, struct der *out)
{
    const uint8_t *p = seq->body;

    while (p < seq->end) {
        if (der_read(p, seq->end, out) != 0)
            return -1;
        if (out->tag == tag)
            return 0;
        p = out->end;
    }
    return -1;
}

/* Read a context tag holding one SEQUENCE: [n] { SEQUENCE {...} }. */
static int
der_tagged_seq(const uint8_t *p, const uint8_t *end, uint8_t tag,
               struct der *seq)
{
    struct der outer;

    if (der_read(p, end, &outer) != 0 || outer.tag != tag)
        return -1;
    if (der_read(outer.body, outer.end, seq) != 0 || seq->tag != 0x30)
        return -1;
    return 0;
}

/* Return true if an element is the OID whose encoding is oid. */
static int
is_oid(const struct der *d, const uint8_t *oid, size_t len)
{
    return (size_t)(d->end - d->start) == len &&
           memcmp(d->start, oid, len) == 0;
}

/* Unwrap a krb5 mechanism token: [APPLICATION 0] { OID, tok_id, msg }. */
static int
krb5_token_msg(const uint8_t *tok, size_t len, int *tok_id,
               const uint8_t **msg, size_t *msg_len)
{
    struct der app, oid;

    if (der_read(tok, tok + len, &app) != 0 || app.tag != 0x60 ||
        der_read(app.body, app.end, &oid) != 0)
        return -1;
    if (!is_oid(&oid, oid_krb5, sizeof(oid_krb5)) &&
        !is_oid(&oid, oid_mskrb5, sizeof(oid_mskrb5)))
        return -1;
    if (app.end - oid.end < 2)
        return -1;
    *tok_id = (oid.end[0] << 8) | oid.end[1];
    *msg = oid.end + 2;
    *msg_len = (size_t)(app.end - oid.end - 2);
    return 0;
}

/* Read an OCTET STRING inside a context tag of seq as a krb5 token. */
static int
inner_krb5(const struct der *seq, uint8_t tag, int *tok_id,
           const uint8_t **msg, size_t *msg_len)
{
    struct der f, os;

    if (der_field(seq, tag, &f) != 0 || der_read(f.body, f.end, &os) != 0 ||
        os.tag != 0x04)
        return -1;
    return krb5_token_msg(os.body, os.len, tok_id, msg, msg_len);
}

int
kf_negotiate_neg_state(const uint8_t *tok, size_t len)
{
    struct der seq, f, e;

    if (der_tagged_seq(tok, tok + len, 0xa1, &seq) != 0 ||
        der_field(&seq, 0xa0, &f) != 0 || der_read(f.body, f.end, &e) != 0 ||
        e.tag != 0x0a || e.len != 1)
        return -1;
    return e.body[0];
}

int
kf_negotiate_krb5_msg(const uint8_t *tok, size_t len, int *tok_id,
                      const uint8_t **msg, size_t *msg_len, int *neg_state)
{
    struct der app, oid, seq;

    *neg_state = -1;
    if (len == 0)
        return -1;
    if (tok[0] == 0x60) {
        if (krb5_token_msg(tok, len, tok_id, msg, msg_len) == 0)
            return 0;
        /* SPNEGO's initial token: [APPLICATION 0] { OID, NegTokenInit }. */
        if (der_read(tok, tok + len, &app) != 0 ||
            der_read(app.body, app.end, &oid) != 0 ||
            !is_oid(&oid, oid_spnego, sizeof(oid_spnego)))
            return -1;
        tok = oid.end;
        len = (size_t)(app.end - oid.end);
    }
    if (der_tagged_seq(tok, tok + len, 0xa0, &seq) == 0)
        return inner_krb5(&seq, 0xa2, tok_id, msg, msg_len);
    if (der_tagged_seq(tok, tok + len, 0xa1, &seq) == 0) {
        *neg_state = kf_negotiate_neg_state(tok, len);
        return inner_krb5(&seq, 0xa2, tok_id, msg, msg_len);
    }
    return -1;
}

/* Return the size of a DER length field for len. */
static size_t
len_size(size_t len)
{
    size_t n = 1;

    if (len < 0x80)
        return 1;
    while (len > 0) {
        n++;
        len >>= 8;
    }
    return n;
}

/* Write a tag and length at p; return the byte after them. */
static uint8_t *
put_header(uint8_t *p, uint8_t tag, size_t len)
{
    size_t n = len_size(len), i;

    *p++ = tag;
    if (n == 1) {
        *p++ = (uint8_t)len;
        return p;
    }
    *p++ = (uint8_t)(0x80 | (n - 1));
    for (i = n - 1; i > 0; i--)
        *p++ = (uint8_t)(len >> (8 * (i - 1)));
    return p;
}

/* Return the whole size of an element whose body is len bytes. */
static size_t
tlv_size(size_t len)
{
    return 1 + len_size(len) + len;
}

int
kf_krb5_token(int tok_id, const uint8_t *msg, size_t len, kf_bytes *out)
{
    size_t body = sizeof(oid_krb5) + 2 + len;
    uint8_t *p;

    out->len = tlv_size(body);
    out->data = malloc(out->len);
    if (out->data == NULL)
        return -1;
    p = put_header(out->data, 0x60, body);
    memcpy(p, oid_krb5, sizeof(oid_krb5));
    p += sizeof(oid_krb5);
    *p++ = (uint8_t)(tok_id >> 8);
    *p++ = (uint8_t)tok_id;
    memcpy(p, msg, len);
    return 0;
}

int
kf_spnego_resp(int neg_state, const uint8_t *inner, size_t len, kf_bytes *out)
{
    size_t state = tlv_size(tlv_size(1));
    size_t mech = tlv_size(sizeof(oid_krb5));
    size_t resp = inner != NULL ? tlv_size(tlv_size(len)) : 0;
    size_t seq = state + mech + resp;
    uint8_t *p;

    out->len = tlv_size(tlv_size(seq));
    out->data = malloc(out->len);
    if (out->data == NULL)
        return -1;
    p = put_header(out->data, 0xa1, tlv_size(seq));
    p = put_header(p, 0x30, seq);
    p = put_header(p, 0xa0, tlv_size(1));
    p = put_header(p, 0x0a, 1);
    *p++ = (uint8_t)neg_state;
    p = put_header(p, 0xa1, sizeof(oid_krb5));
    memcpy(p, oid_krb5, sizeof(oid_krb5));
    p += sizeof(oid_krb5);
    if (inner != NULL) {
        p = put_header(p, 0xa2, tlv_size(len));
        p = put_header(p, 0x04, len);
        memcpy(p, inner, len);
    }
    return 0;
}

int
kf_ap_req_ticket(const uint8_t *apreq, size_t len, const uint8_t **tkt,
                 size_t *tkt_len)
{
    struct der seq, f, t;

    if (der_tagged_seq(apreq, apreq + len, 0x6e, &seq) != 0 ||
        der_field(&seq, 0xa3, &f) != 0 || der_read(f.body, f.end, &t) != 0 ||
        t.tag != 0x61)
        return -1;
    *tkt = t.start;
    *tkt_len = (size_t)(t.end - t.start);
    return 0;
}

int
kf_base64_encode(const uint8_t *data, size_t len, char **out)
{
    size_t n = 4 * ((len + 2) / 3) + 1;

    *out = malloc(n);
    if (*out == NULL || len > 0x3fffffff)
        return -1;
    EVP_EncodeBlock((unsigned char *)*out, data, (int)len);
    return 0;
}

int
kf_base64_decode(const char *text, size_t len, kf_bytes *out)
{
    size_t pad = 0;
    int n;

    out->data = NULL;
    out->len = 0;
    if (len == 0 || len % 4 != 0 || len > 0x3fffffff)
        return -1;
    while (pad < 2 && text[len - 1 - pad] == '=')
        pad++;
    out->data = malloc(len / 4 * 3 + 1);
    if (out->data == NULL)
        return -1;
    n = EVP_DecodeBlock(out->data, (const unsigned char *)text, (int)len);
    if (n < 0 || (size_t)n < pad) {
        free(out->data);
        out->data = NULL;
        return -1;
    }
    out->len = (size_t)n - pad;
    return 0;
}

char *
kf_http_header(char *head, const char *name)
{
    size_t nlen = strlen(name);
    char *line = strstr(head, "\r\n"), *end, *v;

    while (line != NULL) {
        line += 2;
        end = strstr(line, "\r\n");
        if (end == NULL || end == line)
            return NULL;
        if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            v = line + nlen + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            *end = '\0';
            while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
                *--end = '\0';
            return v;
        }
        line = end;
    }
    return NULL;
}
