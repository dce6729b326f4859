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

    if (v.n == 1) { /* most are: versions, types, etypes, kvnos */
        *out = (int8_t)v.p[0];
        return 0;
    }
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
int_field(const struct der_fields *fs, unsigned n, long *out)
{
    struct der v;

    return der_get(fs, n, T_INTEGER, &v) == 0 ? integer(v, out) : -1;
}

/* Read field [n] of a small SEQUENCE (looked at once) as an INTEGER. */
static int
int_field_of(struct der seq, unsigned n, long *out)
{
    struct der v;

    return der_field(seq, n, T_INTEGER, &v) == 0 ? integer(v, out) : -1;
}

/* Return a byte as it is shown: itself if printable ASCII, else '?'. */
static inline char
shown(uint8_t c)
{
    return (uint8_t)(c - 0x20) < 0x5f ? (char)c : '?';
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Return true if the eight bytes of x are all printable ASCII (0x20 to
 * 0x7e): no high bit, no byte below 0x20, no 0x7f. */
static inline int
all_printable(uint64_t x)
{
    uint64_t del = x ^ (0x7f * ONES);

    return ((x | ((x - 0x20 * ONES) & ~x) | ((del - ONES) & ~del)) & HIGHS) ==
           0;
}

/* Copy the n bytes at p to q, replacing bytes that are not printable
 * ASCII, one by one. */
static void
copy_shown(const uint8_t *p, char *q, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        q[i] = shown(p[i]);
}

/* Copy eight bytes from p to q, as shown. */
static inline void
copy8(const uint8_t *p, char *q)
{
    uint64_t x;

    memcpy(&x, p, 8);
    if (all_printable(x))
        memcpy(q, &x, 8);
    else
        copy_shown(p, q, 8);
}

/* Copy four bytes from p to q, as shown. */
static inline void
copy4(const uint8_t *p, char *q)
{
    uint32_t x;

    memcpy(&x, p, 4);
    /* Four more printable bytes make eight to test. */
    if (all_printable(x | (0x20202020ull << 32)))
        memcpy(q, &x, 4);
    else
        copy_shown(p, q, 4);
}

/* Copy a string's contents into buf (len > 0), replacing bytes that are
 * not printable ASCII; return the number of bytes copied.  Eight (or
 * four) bytes at a time, the last ones overlapping those before. */
static size_t
copy_string(struct der v, char *buf, size_t len)
{
    size_t i, n = v.n < len - 1 ? v.n : len - 1;

    if (n >= 8) {
        for (i = 0; i + 8 < n; i += 8)
            copy8(v.p + i, buf + i);
        copy8(v.p + n - 8, buf + n - 8);
    } else if (n >= 4) {
        copy4(v.p, buf);
        copy4(v.p + n - 4, buf + n - 4);
    } else {
        copy_shown(v.p, buf, n);
    }
    buf[n] = '\0';
    return n;
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
string_field(const struct der_fields *fs, unsigned n, char *buf, size_t len)
{
    struct der v;

    if (der_get(fs, n, T_GENSTRING, &v) == 0)
        copy_string(v, buf, len);
}

/* Read field [n] as a PrincipalName, components joined by '/'. */
static void
name_field(const struct der_fields *fs, unsigned n, char *buf, size_t len)
{
    struct der pn, strs, s;
    size_t used = 0;
    unsigned tag;

    if (der_get(fs, n, T_SEQUENCE, &pn) != 0 ||
        der_field(pn, 1, T_SEQUENCE, &strs) != 0)
        return;
    while (strs.n > 0 && der_tlv(&strs, &tag, &s) == 0 && tag == T_GENSTRING) {
        if (used > 0 && used + 1 < len)
            buf[used++] = '/';
        if (used + 1 >= len)
            break;
        used += copy_string(s, buf + used, len - used);
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
        if (int_field_of(pa, 1, &t) == 0 && *n < KF_MSG_MAX_PADATA)
            types[(*n)++] = (int)t;
    }
}

/* Read an EncryptedData's etype and kvno. */
static void
enc_data(struct der ed, int *etype, int *kvno)
{
    long v;

    if (etype != NULL && int_field_of(ed, 0, &v) == 0)
        *etype = (int)v;
    if (kvno != NULL && int_field_of(ed, 1, &v) == 0)
        *kvno = (int)v;
}

/* Where a ticket read goes: a message's ticket or its additional one. */
struct tkt_out {
    int *has;
    char *sname;  /* 256 bytes */
    char *srealm; /* 128 bytes */
    int *etype;
    int *kvno;
};

/* Read a Ticket's contents (the SEQUENCE inside [APPLICATION 1]): its
 * server and enc-part. */
static void
ticket(struct der app, const struct tkt_out *t)
{
    struct der_fields fs;
    struct der tkt, ed;

    if (der_expect(&app, T_SEQUENCE, &tkt) != 0)
        return;
    der_index(tkt, &fs);
    *t->has = 1;
    name_field(&fs, 2, t->sname, 256);
    string_field(&fs, 1, t->srealm, 128);
    if (der_get(&fs, 3, T_SEQUENCE, &ed) == 0)
        enc_data(ed, t->etype, t->kvno);
}

/* Read the Ticket in field [n] as the message's ticket. */
static void
ticket_field(const struct der_fields *fs, unsigned n, kf_krbmsg *m)
{
    const struct tkt_out t = {&m->has_ticket, m->tkt_sname, m->tkt_srealm,
                              &m->ticket_etype, &m->ticket_kvno};
    struct der app;

    if (der_get(fs, n, 0x61, &app) == 0)
        ticket(app, &t);
}

/* Read the TGT of a TGS-REQ: the ticket of the AP-REQ in its PA-TGS-REQ
 * (padata type 1). */
static void
tgs_req_ticket(struct der pad, kf_krbmsg *m)
{
    struct der pa, val, app, seq;
    struct der_fields fs;
    unsigned tag;
    long t;

    while (pad.n > 0 && der_tlv(&pad, &tag, &pa) == 0 && tag == T_SEQUENCE) {
        if (int_field_of(pa, 1, &t) != 0 || t != 1 ||
            der_field(pa, 2, T_OCTETS, &val) != 0)
            continue;
        if (der_expect(&val, 0x6e, &app) == 0 &&
            der_expect(&app, T_SEQUENCE, &seq) == 0) {
            der_index(seq, &fs);
            ticket_field(&fs, 3, m);
        }
        return;
    }
}

/* KDC-REQ: AS-REQ and TGS-REQ. */
static int
kdc_req(const struct der_fields *req, kf_krbmsg *m)
{
    struct der pad, body, bits, et;
    struct der_fields fs;
    unsigned tag;
    size_t i;
    long e;

    if (der_get(req, 3, T_SEQUENCE, &pad) == 0) {
        padata_list(pad, m->padata, &m->n_padata);
        if (m->msg_type == KF_MSG_TGS_REQ)
            tgs_req_ticket(pad, m);
    }
    if (der_get(req, 4, T_SEQUENCE, &body) != 0)
        return -1;
    der_index(body, &fs);
    /* A BIT STRING: the count of unused bits, then up to 32 bits. */
    if (der_get(&fs, 0, T_BITSTRING, &bits) == 0 && bits.n >= 1) {
        for (i = 1; i < 5; i++)
            m->kdc_options =
                (m->kdc_options << 8) | (i < bits.n ? bits.p[i] : 0);
        m->has_kdc_options = 1;
    }
    name_field(&fs, 1, m->cname, sizeof(m->cname));
    string_field(&fs, 2, m->srealm, sizeof(m->srealm));
    if (m->msg_type == KF_MSG_AS_REQ)
        copy_name(m->crealm, m->srealm);
    name_field(&fs, 3, m->sname, sizeof(m->sname));
    if (der_get(&fs, 11, T_SEQUENCE, &et) == 0) {
        /* The first additional ticket, read as a ticket of its own. */
        const struct tkt_out t = {&m->has_addl_ticket, m->addl_sname,
                                  m->addl_srealm, &m->addl_etype,
                                  &m->addl_kvno};
        struct der app;

        if (der_expect(&et, 0x61, &app) == 0)
            ticket(app, &t);
    }
    if (der_get(&fs, 8, T_SEQUENCE, &et) == 0) {
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
kdc_rep(const struct der_fields *fs, kf_krbmsg *m)
{
    struct der pad, ed;

    if (der_get(fs, 2, T_SEQUENCE, &pad) == 0)
        padata_list(pad, m->padata, &m->n_padata);
    string_field(fs, 3, m->crealm, sizeof(m->crealm));
    name_field(fs, 4, m->cname, sizeof(m->cname));
    ticket_field(fs, 5, m);
    copy_name(m->sname, m->tkt_sname);
    copy_name(m->srealm, m->tkt_srealm);
    if (der_get(fs, 6, T_SEQUENCE, &ed) == 0)
        enc_data(ed, &m->enc_etype, NULL);
    return 0;
}

/* KRB-ERROR. */
static int
krb_error(const struct der_fields *fs, kf_krbmsg *m)
{
    struct der edata;
    long code;

    if (int_field(fs, 6, &code) != 0)
        return -1;
    m->error_code = (int)code;
    string_field(fs, 7, m->crealm, sizeof(m->crealm));
    name_field(fs, 8, m->cname, sizeof(m->cname));
    string_field(fs, 9, m->srealm, sizeof(m->srealm));
    name_field(fs, 10, m->sname, sizeof(m->sname));
    string_field(fs, 11, m->etext, sizeof(m->etext));
    if (der_get(fs, 12, T_OCTETS, &edata) == 0) {
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
    struct der_fields fs;
    unsigned tag;
    int type;
    long v;

    if (len < 2 || !kf_krbmsg_first_byte(buf[0]))
        return -1;
    if (der_tlv(&d, &tag, &app) != 0 || (tag & 0xe0) != 0x60)
        return -1;
    type = (int)(tag & 0x1f);
    if (der_expect(&app, T_SEQUENCE, &seq) != 0)
        return -1;
    der_index(seq, &fs);
    /* Every message but a KDC-REQ has its msg-type in field [1]. */
    if (int_field(&fs, type == KF_MSG_AS_REQ || type == KF_MSG_TGS_REQ ? 2 : 1,
                  &v) != 0 ||
        v != type)
        return -1;
    clear(mp);
    mp->msg_type = type;
    switch (type) {
    case KF_MSG_AS_REQ:
    case KF_MSG_TGS_REQ:
        return kdc_req(&fs, mp);
    case KF_MSG_AS_REP:
    case KF_MSG_TGS_REP:
        return kdc_rep(&fs, mp);
    case KF_MSG_AP_REQ:
        ticket_field(&fs, 3, mp);
        if (!mp->has_ticket)
            return -1;
        copy_name(mp->sname, mp->tkt_sname);
        copy_name(mp->srealm, mp->tkt_srealm);
        if (der_get(&fs, 4, T_SEQUENCE, &ed) == 0)
            enc_data(ed, &mp->enc_etype, NULL);
        return 0;
    case KF_MSG_AP_REP:
    case KF_MSG_KRB_PRIV:
        if (der_get(&fs, type == KF_MSG_AP_REP ? 2 : 3, T_SEQUENCE, &ed) != 0)
            return -1;
        enc_data(ed, &mp->enc_etype, NULL);
        return 0;
    case KF_MSG_KRB_ERROR:
        return krb_error(&fs, mp);
    default:
        return -1;
    }
}

/* A name and its length. */
struct name {
    const char *s;
    size_t len;
};

#define NAME(str)                                                             \
    {                                                                         \
        (str), sizeof(str) - 1                                                \
    }

/* Message type names, indexed by type. */
static const struct name msg_names[] = {
    [KF_MSG_AS_REQ] = NAME("AS-REQ"),
    [KF_MSG_AS_REP] = NAME("AS-REP"),
    [KF_MSG_TGS_REQ] = NAME("TGS-REQ"),
    [KF_MSG_TGS_REP] = NAME("TGS-REP"),
    [KF_MSG_AP_REQ] = NAME("AP-REQ"),
    [KF_MSG_AP_REP] = NAME("AP-REP"),
    [KF_MSG_KRB_PRIV] = NAME("KRB-PRIV"),
    [KF_MSG_KRB_ERROR] = NAME("KRB-ERROR"),
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Return entry i of a table of n names, or NULL if it has none. */
static const char *
lookup(const struct name *t, size_t n, int i, size_t *len)
{
    if (i < 0 || (size_t)i >= n || t[i].s == NULL)
        return NULL;
    *len = t[i].len;
    return t[i].s;
}

/* Return the index of the entry named name (any case), or -1. */
static int
find(const struct name *t, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (t[i].s != NULL && strcasecmp(t[i].s, name) == 0)
            return (int)i;
    }
    return -1;
}

const char *
kf_krbmsg_type_name_len(int msg_type, size_t *len)
{
    const char *s = lookup(msg_names, N_ELEMS(msg_names), msg_type, len);

    if (s == NULL) {
        *len = 1;
        s = "?";
    }
    return s;
}

const char *
kf_krbmsg_type_name(int msg_type)
{
    size_t len;

    return kf_krbmsg_type_name_len(msg_type, &len);
}

int
kf_krbmsg_type_parse(const char *name)
{
    return find(msg_names, N_ELEMS(msg_names), name);
}

/* A padata type's name and its label for text, "NAME(TYPE)". */
struct pa_name {
    struct name name;
    struct name label;
};

#define PA(n, str) [n] = {NAME(str), NAME(str "(" #n ")")}

/* Padata types (IANA "Kerberos Pre-authentication and Typed Data"),
 * indexed by type. */
static const struct pa_name pa_names[] = {
    PA(1, "PA-TGS-REQ"),
    PA(2, "PA-ENC-TIMESTAMP"),
    PA(3, "PA-PW-SALT"),
    PA(11, "PA-ETYPE-INFO"),
    PA(14, "PA-PK-AS-REQ-OLD"),
    PA(15, "PA-PK-AS-REP-OLD"),
    PA(16, "PA-PK-AS-REQ"),
    PA(17, "PA-PK-AS-REP"),
    PA(19, "PA-ETYPE-INFO2"),
    PA(20, "PA-SVR-REFERRAL-INFO"),
    PA(128, "PA-PAC-REQUEST"),
    PA(129, "PA-FOR-USER"),
    PA(130, "PA-FOR-X509-USER"),
    PA(133, "PA-FX-COOKIE"),
    PA(136, "PA-FX-FAST"),
    PA(137, "PA-FX-ERROR"),
    PA(138, "PA-ENCRYPTED-CHALLENGE"),
    PA(141, "PA-OTP-CHALLENGE"),
    PA(142, "PA-OTP-REQUEST"),
    PA(147, "PA-PKINIT-KX"),
    PA(149, "PA-REQ-ENC-PA-REP"),
    PA(150, "PA-AS-FRESHNESS"),
    PA(151, "PA-SPAKE"),
    PA(165, "PA-SUPPORTED-ENCTYPES"),
    PA(167, "PA-PAC-OPTIONS"),
};

/* Return padata type's entry, or NULL if it has no name. */
static const struct pa_name *
pa_entry(int type)
{
    if (type < 0 || (size_t)type >= N_ELEMS(pa_names) ||
        pa_names[type].name.s == NULL)
        return NULL;
    return &pa_names[type];
}

const char *
kf_padata_name(int type)
{
    const struct pa_name *e = pa_entry(type);

    return e != NULL ? e->name.s : NULL;
}

const char *
kf_padata_label(int type, size_t *len)
{
    const struct pa_name *e = pa_entry(type);

    if (e == NULL)
        return NULL;
    *len = e->label.len;
    return e->label.s;
}

int
kf_padata_parse(const char *name)
{
    size_t i;

    /* "PA-" may be left out. */
    for (i = 0; i < N_ELEMS(pa_names); i++) {
        const char *s = pa_names[i].name.s;

        if (s != NULL &&
            (strcasecmp(s, name) == 0 || strcasecmp(s + 3, name) == 0))
            return (int)i;
    }
    return -1;
}

/* KDCOptions bits, as RFC 4120, RFC 6112 and Microsoft name them. */
static const struct name kdc_options[32] = {
    [1] = NAME("forwardable"),
    [2] = NAME("forwarded"),
    [3] = NAME("proxiable"),
    [4] = NAME("proxy"),
    [5] = NAME("allow-postdate"),
    [6] = NAME("postdated"),
    [8] = NAME("renewable"),
    [11] = NAME("opt-hardware-auth"),
    [14] = NAME("constrained-delegation"),
    [15] = NAME("canonicalize"),
    [16] = NAME("request-anonymous"),
    [26] = NAME("disable-transited-check"),
    [27] = NAME("renewable-ok"),
    [28] = NAME("enc-tkt-in-skey"),
    [30] = NAME("renew"),
    [31] = NAME("validate"),
};

const char *
kf_kdc_option_name_len(int bit, size_t *len)
{
    return lookup(kdc_options, N_ELEMS(kdc_options), bit, len);
}

const char *
kf_kdc_option_name(int bit)
{
    size_t len;

    return kf_kdc_option_name_len(bit, &len);
}
