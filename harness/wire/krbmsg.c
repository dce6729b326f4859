/* Kerberos messages on the wire: a bounds-checked RFC 4120 decoder. */
#include "krbmsg.h"

#include "der.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

    return der_field(seq, n, T_INTEGER, &v) == 0 ? integer(v, out) : -1;
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

/* Copy a name or realm within a message (both arrays hold a string that
 * fits: realms 128 bytes, names 256). */
static void
copy_name(char *to, const char *from)
{
    memcpy(to, from, strlen(from) + 1);
}

/* Read field [n] as a KerberosString. */
static void
string_field(struct der seq, unsigned n, char *buf, size_t len)
{
    struct der v;

    if (der_field(seq, n, T_GENSTRING, &v) == 0)
        copy_string(v, buf, len);
}

/* Read field [n] as a PrincipalName, components joined by '/'. */
static void
name_field(struct der seq, unsigned n, char *buf, size_t len)
{
    struct der pn, strs, s;
    size_t used = 0;
    unsigned tag;

    if (der_field(seq, n, T_SEQUENCE, &pn) != 0 ||
        der_field(pn, 1, T_SEQUENCE, &strs) != 0)
        return;
    buf[0] = '\0';
    while (strs.n > 0 && der_tlv(&strs, &tag, &s) == 0 && tag == T_GENSTRING) {
        if (used > 0 && used + 1 < len)
            buf[used++] = '/';
        if (used + 1 >= len)
            break;
        copy_string(s, buf + used, len - used);
        used += strlen(buf + used);
    }
    buf[used] = '\0';
}

/* Read a SEQUENCE OF PA-DATA, keeping the types. */
static void
padata_list(struct der seq, int *types, size_t *n)
{
    struct der pa;
    unsigned tag;
    long t;

    *n = 0;
    while (seq.n > 0 && der_tlv(&seq, &tag, &pa) == 0 && tag == T_SEQUENCE) {
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

/* Read a Ticket's contents (the SEQUENCE inside [APPLICATION 1]): its
 * server and enc-part. */
static void
ticket(struct der app, kf_krbmsg *m)
{
    struct der tkt, ed;

    if (der_expect(&app, T_SEQUENCE, &tkt) != 0)
        return;
    m->has_ticket = 1;
    name_field(tkt, 2, m->tkt_sname, sizeof(m->tkt_sname));
    string_field(tkt, 1, m->tkt_srealm, sizeof(m->tkt_srealm));
    if (der_field(tkt, 3, T_SEQUENCE, &ed) == 0)
        enc_data(ed, &m->ticket_etype, &m->ticket_kvno);
}

/* Read the Ticket in field [n] of seq. */
static void
ticket_field(struct der seq, unsigned n, kf_krbmsg *m)
{
    struct der app;

    if (der_field(seq, n, 0x61, &app) == 0)
        ticket(app, m);
}

/* Read the TGT of a TGS-REQ: the ticket of the AP-REQ in its PA-TGS-REQ
 * (padata type 1). */
static void
tgs_req_ticket(struct der pad, kf_krbmsg *m)
{
    struct der pa, val, app, seq;
    unsigned tag;
    long t;

    while (pad.n > 0 && der_tlv(&pad, &tag, &pa) == 0 && tag == T_SEQUENCE) {
        if (int_field(pa, 1, &t) != 0 || t != 1 ||
            der_field(pa, 2, T_OCTETS, &val) != 0)
            continue;
        if (der_expect(&val, 0x6e, &app) == 0 &&
            der_expect(&app, T_SEQUENCE, &seq) == 0)
            ticket_field(seq, 3, m);
        return;
    }
}

/* KDC-REQ: AS-REQ and TGS-REQ. */
static int
kdc_req(struct der seq, kf_krbmsg *m)
{
    struct der pad, body, bits, et;
    unsigned tag;
    size_t i;
    long e;

    if (der_field(seq, 3, T_SEQUENCE, &pad) == 0) {
        padata_list(pad, m->padata, &m->n_padata);
        if (m->msg_type == KF_MSG_TGS_REQ)
            tgs_req_ticket(pad, m);
    }
    if (der_field(seq, 4, T_SEQUENCE, &body) != 0)
        return -1;
    /* A BIT STRING: the count of unused bits, then up to 32 bits. */
    if (der_field(body, 0, T_BITSTRING, &bits) == 0 && bits.n >= 1) {
        for (i = 1; i < 5; i++)
            m->kdc_options =
                (m->kdc_options << 8) | (i < bits.n ? bits.p[i] : 0);
        m->has_kdc_options = 1;
    }
    name_field(body, 1, m->cname, sizeof(m->cname));
    string_field(body, 2, m->srealm, sizeof(m->srealm));
    if (m->msg_type == KF_MSG_AS_REQ)
        copy_name(m->crealm, m->srealm);
    name_field(body, 3, m->sname, sizeof(m->sname));
    if (der_field(body, 11, T_SEQUENCE, &et) == 0) {
        struct der app;
        kf_krbmsg t;

        /* The first additional ticket, read as a ticket of its own. */
        memset(&t, 0, sizeof(t));
        t.ticket_etype = t.ticket_kvno = -1;
        if (der_expect(&et, 0x61, &app) == 0) {
            ticket(app, &t);
            m->has_addl_ticket = t.has_ticket;
            memcpy(m->addl_sname, t.tkt_sname, sizeof(m->addl_sname));
            memcpy(m->addl_srealm, t.tkt_srealm, sizeof(m->addl_srealm));
            m->addl_etype = t.ticket_etype;
            m->addl_kvno = t.ticket_kvno;
        }
    }
    if (der_field(body, 8, T_SEQUENCE, &et) == 0) {
        struct der v;

        while (et.n > 0 && der_tlv(&et, &tag, &v) == 0 && tag == T_INTEGER) {
            if (integer(v, &e) == 0 && m->n_etypes < KF_MSG_MAX_ETYPES)
                m->etypes[m->n_etypes++] = (int)e;
        }
    }
    return 0;
}

/* KDC-REP: AS-REP and TGS-REP. */
static int
kdc_rep(struct der seq, kf_krbmsg *m)
{
    struct der pad, ed;

    if (der_field(seq, 2, T_SEQUENCE, &pad) == 0)
        padata_list(pad, m->padata, &m->n_padata);
    string_field(seq, 3, m->crealm, sizeof(m->crealm));
    name_field(seq, 4, m->cname, sizeof(m->cname));
    ticket_field(seq, 5, m);
    copy_name(m->sname, m->tkt_sname);
    copy_name(m->srealm, m->tkt_srealm);
    if (der_field(seq, 6, T_SEQUENCE, &ed) == 0)
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
    if (der_field(seq, 12, T_OCTETS, &edata) == 0) {
        struct der inner;

        /* METHOD-DATA, a SEQUENCE OF PA-DATA, when there is one. */
        if (der_expect(&edata, T_SEQUENCE, &inner) == 0)
            padata_list(inner, m->edata_padata, &m->n_edata_padata);
    }
    return 0;
}

int
kf_krbmsg_first_byte(uint8_t b)
{
    return (b >= 0x6a && b <= 0x6f) || b == 0x75 || b == 0x7e;
}

/* Empty every field of m (cheaper than clearing all its bytes). */
static void
clear(kf_krbmsg *m)
{
    m->cname[0] = m->crealm[0] = m->sname[0] = m->srealm[0] = '\0';
    m->tkt_sname[0] = m->tkt_srealm[0] = m->etext[0] = '\0';
    m->addl_sname[0] = m->addl_srealm[0] = '\0';
    m->kdc_options = 0;
    m->has_kdc_options = m->has_ticket = m->has_addl_ticket = 0;
    m->n_etypes = m->n_padata = m->n_edata_padata = 0;
    m->ticket_etype = m->ticket_kvno = m->enc_etype = m->error_code = -1;
    m->addl_etype = m->addl_kvno = -1;
}

int
kf_krbmsg_decode(const uint8_t *buf, size_t len, kf_krbmsg *out)
{
    kf_krbmsg m;

    memset(&m, 0, sizeof(m));
    if (kf_krbmsg_decode_into(buf, len, &m) != 0)
        return -1;
    memcpy(out, &m, sizeof(m));
    return 0;
}

int
kf_krbmsg_decode_into(const uint8_t *buf, size_t len, kf_krbmsg *mp)
{
    struct der d = {buf, len}, app, seq, ed;
    unsigned tag;
    int type, ret = -1;
    long v;

    if (len < 2 || !kf_krbmsg_first_byte(buf[0]))
        return -1;
    if (der_tlv(&d, &tag, &app) != 0 || (tag & 0xe0) != 0x60)
        return -1;
    type = (int)(tag & 0x1f);
    if (der_expect(&app, T_SEQUENCE, &seq) != 0)
        return -1;
    clear(mp);
    mp->msg_type = type;
    switch (type) {
    case KF_MSG_AS_REQ:
    case KF_MSG_TGS_REQ:
        if (int_field(seq, 2, &v) != 0 || v != type)
            return -1;
        ret = kdc_req(seq, mp);
        break;
    case KF_MSG_AS_REP:
    case KF_MSG_TGS_REP:
        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        ret = kdc_rep(seq, mp);
        break;
    case KF_MSG_AP_REQ:
        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        ticket_field(seq, 3, mp);
        if (!mp->has_ticket)
            return -1;
        copy_name(mp->sname, mp->tkt_sname);
        copy_name(mp->srealm, mp->tkt_srealm);
        if (der_field(seq, 4, T_SEQUENCE, &ed) == 0)
            enc_data(ed, &mp->enc_etype, NULL);
        ret = 0;
        break;
    case KF_MSG_AP_REP:
    case KF_MSG_KRB_PRIV:
        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        if (der_field(seq, type == KF_MSG_AP_REP ? 2 : 3, T_SEQUENCE, &ed) !=
            0)
            return -1;
        enc_data(ed, &mp->enc_etype, NULL);
        ret = 0;
        break;
    case KF_MSG_KRB_ERROR:
        if (int_field(seq, 1, &v) != 0 || v != type)
            return -1;
        ret = krb_error(seq, mp);
        break;
    default:
        return -1;
    }
    return ret;
}

/* Message type names. */
static const struct {
    int type;
    const char *name;
} msg_names[] = {
    {KF_MSG_AS_REQ, "AS-REQ"},     {KF_MSG_AS_REP, "AS-REP"},
    {KF_MSG_TGS_REQ, "TGS-REQ"},   {KF_MSG_TGS_REP, "TGS-REP"},
    {KF_MSG_AP_REQ, "AP-REQ"},     {KF_MSG_AP_REP, "AP-REP"},
    {KF_MSG_KRB_PRIV, "KRB-PRIV"}, {KF_MSG_KRB_ERROR, "KRB-ERROR"},
};

const char *
kf_krbmsg_type_name(int msg_type)
{
    size_t i;

    for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++) {
        if (msg_names[i].type == msg_type)
            return msg_names[i].name;
    }
    return "?";
}

int
kf_krbmsg_type_parse(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++) {
        if (strcasecmp(msg_names[i].name, name) == 0)
            return msg_names[i].type;
    }
    return -1;
}

/* Padata types (IANA "Kerberos Pre-authentication and Typed Data"). */
static const struct {
    int type;
    const char *name;
} pa_names[] = {
    {1, "PA-TGS-REQ"},
    {2, "PA-ENC-TIMESTAMP"},
    {3, "PA-PW-SALT"},
    {11, "PA-ETYPE-INFO"},
    {14, "PA-PK-AS-REQ-OLD"},
    {15, "PA-PK-AS-REP-OLD"},
    {16, "PA-PK-AS-REQ"},
    {17, "PA-PK-AS-REP"},
    {19, "PA-ETYPE-INFO2"},
    {20, "PA-SVR-REFERRAL-INFO"},
    {128, "PA-PAC-REQUEST"},
    {129, "PA-FOR-USER"},
    {130, "PA-FOR-X509-USER"},
    {133, "PA-FX-COOKIE"},
    {136, "PA-FX-FAST"},
    {137, "PA-FX-ERROR"},
    {138, "PA-ENCRYPTED-CHALLENGE"},
    {141, "PA-OTP-CHALLENGE"},
    {142, "PA-OTP-REQUEST"},
    {147, "PA-PKINIT-KX"},
    {149, "PA-REQ-ENC-PA-REP"},
    {150, "PA-AS-FRESHNESS"},
    {151, "PA-SPAKE"},
    {165, "PA-SUPPORTED-ENCTYPES"},
    {167, "PA-PAC-OPTIONS"},
};

const char *
kf_padata_name(int type)
{
    size_t i;

    for (i = 0; i < sizeof(pa_names) / sizeof(pa_names[0]); i++) {
        if (pa_names[i].type == type)
            return pa_names[i].name;
    }
    return NULL;
}

int
kf_padata_parse(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(pa_names) / sizeof(pa_names[0]); i++) {
        if (strcasecmp(pa_names[i].name, name) == 0 ||
            strcasecmp(pa_names[i].name + 3, name) == 0)
            return pa_names[i].type;
    }
    return -1;
}

/* KDCOptions bits, as RFC 4120, RFC 6112 and Microsoft name them. */
static const char *const kdc_options[32] = {
    [1] = "forwardable",
    [2] = "forwarded",
    [3] = "proxiable",
    [4] = "proxy",
    [5] = "allow-postdate",
    [6] = "postdated",
    [8] = "renewable",
    [11] = "opt-hardware-auth",
    [14] = "constrained-delegation",
    [15] = "canonicalize",
    [16] = "request-anonymous",
    [26] = "disable-transited-check",
    [27] = "renewable-ok",
    [28] = "enc-tkt-in-skey",
    [30] = "renew",
    [31] = "validate",
};

const char *
kf_kdc_option_name(int bit)
{
    return (bit >= 0 && bit < 32) ? kdc_options[bit] : NULL;
}
