/* Kerberos messages on the wire: a bounds-checked RFC 4120 decoder. */
#include "krbmsg.h"

#include <stdio.h>
#include <string.h>

/* A DER span still to be read. */
struct der {
    const uint8_t *p;
    size_t n;
};

#define T_INTEGER 0x02
#define T_BITSTRING 0x03
#define T_OCTETS 0x04
#define T_SEQUENCE 0x30
#define T_GENSTRING 0x1b
#define CTX(n) (0xa0u | (n))

/* Read one TLV (single-byte tag, definite length of at most 4 bytes) from
 * d into *tag and *val; return 0 or -1 if d does not start with one. */
static int
tlv(struct der *d, unsigned *tag, struct der *val)
{
    size_t len, hdr = 2, k, nb;

    if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
        return -1;
    len = d->p[1];
    if (len & 0x80) {
        nb = len & 0x7f;
        if (nb == 0 || nb > 4 || d->n < 2 + nb)
            return -1;
        for (len = 0, k = 0; k < nb; k++)
            len = (len << 8) | d->p[2 + k];
        hdr = 2 + nb;
    }
    if (len > d->n - hdr)
        return -1;
    *tag = d->p[0];
    val->p = d->p + hdr;
    val->n = len;
    d->p += hdr + len;
    d->n -= hdr + len;
    return 0;
}

/* Open a TLV of the wanted tag at the start of d. */
static int
expect(struct der *d, unsigned want, struct der *val)
{
    unsigned tag;

    return (tlv(d, &tag, val) == 0 && tag == want) ? 0 : -1;
}

/* Find the explicitly tagged field [n] in a SEQUENCE's contents and open
 * the TLV inside it, which must carry tag want. */
static int
field(struct der seq, unsigned n, unsigned want, struct der *out)
{
    struct der val;
    unsigned tag;

    while (seq.n > 0) {
        if (tlv(&seq, &tag, &val) != 0)
            return -1;
        if (tag == CTX(n))
            return expect(&val, want, out);
    }
    return -1;
}

/* Read a DER INTEGER's contents (at most 5 bytes) as a long. */
static int
integer(struct der v, long *out)
{
    long x;
    size_t i;

    if (v.n == 0 || v.n > 5)
        return -1;
    x = (v.p[0] & 0x80) ? -1 : 0;
    for (i = 0; i < v.n; i++)
        x = (long)(((unsigned long)x << 8) | v.p[i]);
    *out = x;
    return 0;
}

/* Read field [n] as an INTEGER. */
static int
int_field(struct der seq, unsigned n, long *out)
{
    struct der v;

    return field(seq, n, T_INTEGER, &v) == 0 ? integer(v, out) : -1;
}

/* Copy a string's contents into buf, replacing bytes that are not
 * printable ASCII. */
static void
copy_string(struct der v, char *buf, size_t len)
{
    size_t i, n = v.n < len - 1 ? v.n : len - 1;

    for (i = 0; i < n; i++)
        buf[i] = (v.p[i] >= 0x20 && v.p[i] < 0x7f) ? (char)v.p[i] : '?';
    buf[n] = '\0';
}

/* Read field [n] as a KerberosString. */
static void
string_field(struct der seq, unsigned n, char *buf, size_t len)
{
    struct der v;

    if (field(seq, n, T_GENSTRING, &v) == 0)
        copy_string(v, buf, len);
}

/* Read field [n] as a PrincipalName, components joined by '/'. */
static void
name_field(struct der seq, unsigned n, char *buf, size_t len)
{
    struct der pn, strs, s;
    size_t used = 0;
    unsigned tag;

    if (field(seq, n, T_SEQUENCE, &pn) != 0 ||
        field(pn, 1, T_SEQUENCE, &strs) != 0)
        return;
    buf[0] = '\0';
    while (strs.n > 0 && tlv(&strs, &tag, &s) == 0 && tag == T_GENSTRING) {
        char part[256];

        copy_string(s, part, sizeof(part));
        used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                 used ? "/" : "", part);
        if (used >= len)
            break;
    }
}

/* Read a SEQUENCE OF PA-DATA, keeping the types. */
static void
padata_list(struct der seq, int *types, size_t *n)
{
    struct der pa;
    unsigned tag;
    long t;

    *n = 0;
    while (seq.n > 0 && tlv(&seq, &tag, &pa) == 0 && tag == T_SEQUENCE) {
        if (int_field(pa, 1, &t) == 0 && *n < KF_MSG_MAX_PADATA)
            types[(*n)++] = (int)t;
    }
}

/* Read an EncryptedData's etype and kvno. */
static void
enc_data(struct der ed, int *etype, int *kvno)
{
    long v;

    if (etype != NULL && int_field(ed, 0, &v) == 0)
        *etype = (int)v;
    if (kvno != NULL && int_field(ed, 1, &v) == 0)
        *kvno = (int)v;
}

/* Read a Ticket (field [n] of seq): its server and enc-part. */
static void
ticket_field(struct der seq, unsigned n, kf_krbmsg *m)
{
    struct der wrap, app, tkt, ed;
    unsigned tag;

    if (field(seq, n, 0x61, &app) != 0)
        return;
    wrap = app;
    if (tlv(&wrap, &tag, &tkt) != 0 || tag != T_SEQUENCE)
        return;
    if (m->sname[0] == '\0') {
        name_field(tkt, 2, m->sname, sizeof(m->sname));
        string_field(tkt, 1, m->srealm, sizeof(m->srealm));
    }
    if (field(tkt, 3, T_SEQUENCE, &ed) == 0)
        enc_data(ed, &m->ticket_etype, &m->ticket_kvno);
}

/* KDC-REQ: AS-REQ and TGS-REQ. */
static int
kdc_req(struct der seq, kf_krbmsg *m)
{
    struct der pad, body, bits, et;
    unsigned tag;
    long e;

    if (field(seq, 3, T_SEQUENCE, &pad) == 0)
        padata_list(pad, m->padata, &m->n_padata);
    if (field(seq, 4, T_SEQUENCE, &body) != 0)
        return -1;
    if (field(body, 0, T_BITSTRING, &bits) == 0 && bits.n >= 5) {
        m->kdc_options = ((uint32_t)bits.p[1] << 24) |
                         ((uint32_t)bits.p[2] << 16) |
                         ((uint32_t)bits.p[3] << 8) | bits.p[4];
        m->has_kdc_options = 1;
    }
    name_field(body, 1, m->cname, sizeof(m->cname));
    string_field(body, 2, m->srealm, sizeof(m->srealm));
    name_field(body, 3, m->sname, sizeof(m->sname));
    if (field(body, 8, T_SEQUENCE, &et) == 0) {
        struct der v;

        while (et.n > 0 && tlv(&et, &tag, &v) == 0 && tag == T_INTEGER) {
            if (integer(v, &e) == 0 && m->n_etypes < KF_MSG_MAX_ETYPES)
                m->etypes[m->n_etypes++] = (int)e;
        }
    }
    /* A TGS-REQ's client is inside its encrypted TGT; its PA-TGS-REQ
     * carries an AP-REQ whose ticket names the TGT's server. */
    return 0;
}

/* KDC-REP: AS-REP and TGS-REP. */
static int
kdc_rep(struct der seq, kf_krbmsg *m)
{
    struct der pad, ed;

    if (field(seq, 2, T_SEQUENCE, &pad) == 0)
        padata_list(pad, m->padata, &m->n_padata);
    string_field(seq, 3, m->crealm, sizeof(m->crealm));
    name_field(seq, 4, m->cname, sizeof(m->cname));
    ticket_field(seq, 5, m);
    if (field(seq, 6, T_SEQUENCE, &ed) == 0)
        enc_data(ed, &m->enc_etype, NULL);
    return 0;
}

/* KRB-ERROR. */
static int
krb_error(struct der seq, kf_krbmsg *m)
{
    struct der edata;
    long code;

    if (int_field(seq, 6, &code) != 0)
        return -1;
    m->error_code = (int)code;
    string_field(seq, 7, m->crealm, sizeof(m->crealm));
    name_field(seq, 8, m->cname, sizeof(m->cname));
    string_field(seq, 9, m->srealm, sizeof(m->srealm));
    name_field(seq, 10, m->sname, sizeof(m->sname));
    string_field(seq, 11, m->etext, sizeof(m->etext));
    if (field(seq, 12, T_OCTETS, &edata) == 0) {
        struct der inner;

        /* METHOD-DATA, a SEQUENCE OF PA-DATA, when there is one. */
        if (expect(&edata, T_SEQUENCE, &inner) == 0)
            padata_list(inner, m->edata_padata, &m->n_edata_padata);
    }
    return 0;
}

int
kf_krbmsg_decode(const uint8_t *buf, size_t len, kf_krbmsg *out)
{
    struct der d = {buf, len}, app, seq;
    kf_krbmsg m;
    unsigned tag;
    int type, ret = -1;
    long v;

    memset(&m, 0, sizeof(m));
    m.ticket_etype = m.ticket_kvno = m.enc_etype = m.error_code = -1;
    if (tlv(&d, &tag, &app) != 0 || (tag & 0xe0) != 0x60)
        return -1;
    type = (int)(tag & 0x1f);
    if (expect(&app, T_SEQUENCE, &seq) != 0)
        return -1;
    m.msg_type = type;
    switch (type) {
    case KF_MSG_AS_REQ:
    case KF_MSG_TGS_REQ:
        if (int_field(seq, 2, &v) != 0 || v != type)
            return -1;
        ret = kdc_req(seq, &m);
        break;
    case KF_MSG_AS_REP:
    case KF_MSG_TGS_REP:
        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        ret = kdc_rep(seq, &m);
        break;
    case KF_MSG_AP_REQ: {
        struct der ed;

        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        ticket_field(seq, 3, &m);
        if (field(seq, 4, T_SEQUENCE, &ed) == 0)
            enc_data(ed, &m.enc_etype, NULL);
        ret = 0;
        break;
    }
    case KF_MSG_AP_REP: {
        struct der ed;

        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        if (field(seq, 2, T_SEQUENCE, &ed) == 0)
            enc_data(ed, &m.enc_etype, NULL);
        ret = 0;
        break;
    }
    case KF_MSG_KRB_ERROR:
        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        ret = krb_error(seq, &m);
        break;
    default:
        return -1;
    }
    if (ret == 0)
        *out = m;
    return ret;
}

const char *
kf_krbmsg_type_name(int msg_type)
{
    switch (msg_type) {
    case KF_MSG_AS_REQ:
        return "AS-REQ";
    case KF_MSG_AS_REP:
        return "AS-REP";
    case KF_MSG_TGS_REQ:
        return "TGS-REQ";
    case KF_MSG_TGS_REP:
        return "TGS-REP";
    case KF_MSG_AP_REQ:
        return "AP-REQ";
    case KF_MSG_AP_REP:
        return "AP-REP";
    case KF_MSG_KRB_ERROR:
        return "KRB-ERROR";
    default:
        return "?";
    }
}

const char *
kf_padata_name(int type)
{
    switch (type) {
    case 1:
        return "PA-TGS-REQ";
    case 2:
        return "PA-ENC-TIMESTAMP";
    case 3:
        return "PA-PW-SALT";
    case 11:
        return "PA-ETYPE-INFO";
    case 16:
        return "PA-PK-AS-REQ";
    case 17:
        return "PA-PK-AS-REP";
    case 19:
        return "PA-ETYPE-INFO2";
    case 128:
        return "PA-PAC-REQUEST";
    case 129:
        return "PA-FOR-USER";
    case 133:
        return "PA-FX-COOKIE";
    case 136:
        return "PA-FX-FAST";
    case 137:
        return "PA-FX-ERROR";
    case 138:
        return "PA-ENCRYPTED-CHALLENGE";
    case 149:
        return "PA-REQ-ENC-PA-REP";
    case 150:
        return "PA-AS-FRESHNESS";
    case 151:
        return "PA-SPAKE";
    default:
        return NULL;
    }
}
