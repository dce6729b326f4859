/* Messages as text lines and JSON objects, for decode and for run. */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <krb5/krb5.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "errcodes.h"
#include "wire.h"

const char *
kf_wire_transport_name(kf_wire_transport t)
{
    return t == KF_TR_UDP ? "udp" : t == KF_TR_TCP ? "tcp" : "http";
}

const char *
kf_wire_carrier_name(kf_wire_carrier c)
{
    switch (c) {
    case KF_CAR_GSS:
        return "gss";
    case KF_CAR_SPNEGO:
        return "spnego";
    case KF_CAR_KPASSWD:
        return "kpasswd";
    default:
        return "raw";
    }
}

/* A text buffer being filled; text past its end is dropped. */
struct out {
    char *p;
    size_t len;
    size_t used;
};

/* Append a string (decode prints a line per message: no printf here). */
static void
str(struct out *o, const char *s)
{
    size_t n = strlen(s);

    if (n > o->len - o->used - 1)
        n = o->len - o->used - 1;
    memcpy(o->p + o->used, s, n);
    o->used += n;
    o->p[o->used] = '\0';
}

/* Append a string literal (its length known at compile time). */
#define LIT(o, s) lit((o), (s), sizeof(s) - 1)

static void
lit(struct out *o, const char *s, size_t n)
{
    if (n > o->len - o->used - 1)
        n = o->len - o->used - 1;
    memcpy(o->p + o->used, s, n);
    o->used += n;
    o->p[o->used] = '\0';
}

/* Append a number. */
static void
num(struct out *o, long long v)
{
    static const char pairs[] = "00010203040506070809"
                                "10111213141516171819"
                                "20212223242526272829"
                                "30313233343536373839"
                                "40414243444546474849"
                                "50515253545556575859"
                                "60616263646566676869"
                                "70717273747576777879"
                                "80818283848586878889"
                                "90919293949596979899";
    char d[24];
    int n = (int)sizeof(d);
    unsigned long long u =
        v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

    while (u >= 100) {
        unsigned r = (unsigned)(u % 100) * 2;

        u /= 100;
        d[--n] = pairs[r + 1];
        d[--n] = pairs[r];
    }
    if (u >= 10) {
        d[--n] = pairs[u * 2 + 1];
        d[--n] = pairs[u * 2];
    } else {
        d[--n] = (char)('0' + u);
    }
    if (v < 0)
        d[--n] = '-';
    lit(o, d + n, sizeof(d) - (size_t)n);
}

/* Append formatted text (for the rare parts). */
static void
put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->used + 1 >= o->len)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->p + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->used += (size_t)n;
    if (o->used >= o->len)
        o->used = o->len - 1;
}

/* Write "2025-01-02T03:04:05.123456Z"; the date part is kept from the
 * last call, as messages come second after second. */
static void
iso_time(const kf_wire_msg *m, char *buf, size_t len)
{
    static _Thread_local int64_t last = -1;
    static _Thread_local char day[64];
    struct out o = {buf, len, 0};
    int k;

    if (m->sec != last) {
        time_t t = (time_t)m->sec;
        struct tm tm;

        gmtime_r(&t, &tm);
        snprintf(day, sizeof(day), "%04d-%02d-%02dT%02d:%02d:%02d.",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
        last = m->sec;
    }
    buf[0] = '\0';
    str(&o, day);
    for (k = 100000; k >= 1 && o.used + 1 < o.len; k /= 10)
        o.p[o.used++] = (char)('0' + (m->usec / k) % 10);
    o.p[o.used] = '\0';
    LIT(&o, "Z");
}

/* Append an endpoint: its name, if known, and address. */
static void
endpoint(struct out *o, const char *name, const char *addr, unsigned port)
{
    int v6 = strchr(addr, ':') != NULL;

    if (name[0] != '\0') {
        str(o, name);
        LIT(o, "(");
    }
    str(o, v6 ? "[" : "");
    str(o, addr);
    str(o, v6 ? "]:" : ":");
    num(o, port);
    if (name[0] != '\0')
        LIT(o, ")");
}

/* Append a list of numbers. */
static void
numbers(struct out *o, const char *label, const int *v, size_t n)
{
    size_t i;

    if (n == 0)
        return;
    str(o, label);
    for (i = 0; i < n; i++) {
        if (i > 0)
            LIT(o, ",");
        num(o, v[i]);
    }
}

/* Append a list of padata types with their names. */
static void
padata(struct out *o, const char *label, const int *v, size_t n)
{
    size_t i;

    if (n == 0)
        return;
    str(o, label);
    for (i = 0; i < n; i++) {
        const char *name = kf_padata_name(v[i]);

        str(o, i ? "," : "");
        str(o, name ? name : "?");
        LIT(o, "(");
        num(o, v[i]);
        LIT(o, ")");
    }
}

/* Append a ticket: "label=NAME@REALM,etype=E,kvno=K". */
static void
ticket(struct out *o, const char *label, const char *sname, const char *srealm,
       int etype, int kvno)
{
    str(o, label);
    str(o, sname);
    LIT(o, "@");
    str(o, srealm);
    LIT(o, ",etype=");
    num(o, etype);
    LIT(o, ",kvno=");
    num(o, kvno);
}

size_t
kf_wire_msg_text(const kf_wire_msg *m, char *buf, size_t len)
{
    const kf_krbmsg *k = &m->krb;
    struct out o = {buf, len, 0};
    char when[64];
    int bit;

    buf[0] = '\0';
    iso_time(m, when, sizeof(when));
    num(&o, (long long)m->frame);
    LIT(&o, " ");
    str(&o, when);
    LIT(&o, " ");
    endpoint(&o, m->from, m->src, m->sport);
    LIT(&o, " -> ");
    endpoint(&o, m->to, m->dst, m->dport);
    LIT(&o, " ");
    str(&o, kf_wire_transport_name(m->transport));
    if (m->carrier != KF_CAR_RAW) {
        LIT(&o, "/");
        str(&o, kf_wire_carrier_name(m->carrier));
    }
    LIT(&o, " ");
    str(&o, kf_krbmsg_type_name(k->msg_type));
    if (k->msg_type == KF_MSG_KRB_ERROR) {
        const char *name = kf_proto_name(k->error_code);

        LIT(&o, " ");
        num(&o, k->error_code);
        LIT(&o, " ");
        str(&o, name ? name : "?");
    }
    if (k->cname[0] != '\0') {
        LIT(&o, " cname=");
        str(&o, k->cname);
        str(&o, k->crealm[0] ? "@" : "");
        str(&o, k->crealm);
    }
    if (k->sname[0] != '\0' || k->srealm[0] != '\0') {
        LIT(&o, " sname=");
        str(&o, k->sname);
        LIT(&o, "@");
        str(&o, k->srealm);
    }
    if (k->has_kdc_options) {
        LIT(&o, " options=0x");
        for (bit = 28; bit >= 0; bit -= 4)
            str(&o,
                (const char[2]){
                    "0123456789abcdef"[(k->kdc_options >> bit) & 15], '\0'});
        for (bit = 0; bit < 32; bit++) {
            if (k->kdc_options & (0x80000000u >> bit)) {
                const char *name = kf_kdc_option_name(bit);

                LIT(&o, ",");
                str(&o, name ? name : "?");
            }
        }
    }
    numbers(&o, " etypes=", k->etypes, k->n_etypes);
    padata(&o, " padata=", k->padata, k->n_padata);
    if (k->has_ticket)
        ticket(&o, " ticket=", k->tkt_sname, k->tkt_srealm, k->ticket_etype,
               k->ticket_kvno);
    if (k->has_addl_ticket)
        ticket(&o, " additional-ticket=", k->addl_sname, k->addl_srealm,
               k->addl_etype, k->addl_kvno);
    if (k->enc_etype >= 0) {
        LIT(&o, " enc-part=");
        num(&o, k->enc_etype);
    }
    if (k->etext[0] != '\0') {
        LIT(&o, " etext=\"");
        str(&o, k->etext);
        LIT(&o, "\"");
    }
    padata(&o, " edata=", k->edata_padata, k->n_edata_padata);
    return o.used;
}

void
kf_wire_msg_brief(const kf_wire_msg *m, char *buf, size_t len)
{
    const kf_krbmsg *k = &m->krb;
    struct out o = {buf, len, 0};

    buf[0] = '\0';
    put(&o, "%s", kf_krbmsg_type_name(k->msg_type));
    if (k->msg_type == KF_MSG_KRB_ERROR)
        put(&o, " %d", k->error_code);
    put(&o, " %s->%s %s", m->from[0] ? m->from : m->src,
        m->to[0] ? m->to : m->dst, kf_wire_transport_name(m->transport));
    if (k->has_ticket && k->ticket_etype >= 0)
        put(&o, " tkt %d/%d", k->ticket_etype, k->ticket_kvno);
}

/* Add a string member unless it is empty. */
static void
add_str(json_object *j, const char *key, const char *v)
{
    if (v[0] != '\0')
        json_object_object_add(j, key, json_object_new_string(v));
}

/* A JSON array of padata types, each {type, name}. */
static json_object *
padata_json(const int *v, size_t n)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < n; i++) {
        json_object *e = json_object_new_object();
        const char *name = kf_padata_name(v[i]);

        json_object_object_add(e, "type", json_object_new_int(v[i]));
        if (name != NULL)
            json_object_object_add(e, "name", json_object_new_string(name));
        json_object_array_add(a, e);
    }
    return a;
}

/* Add an enctype's name as key, when libkrb5 knows it. */
static void
add_etype_name(json_object *j, const char *key, int etype)
{
    char name[64];

    if (etype >= 0 &&
        krb5_enctype_to_name(etype, FALSE, name, sizeof(name)) == 0)
        json_object_object_add(j, key, json_object_new_string(name));
}

json_object *
kf_wire_msg_json(const kf_wire_msg *m)
{
    const kf_krbmsg *k = &m->krb;
    json_object *j = json_object_new_object(), *a;
    char when[64];
    size_t i;
    int bit;

    iso_time(m, when, sizeof(when));
    json_object_object_add(j, "frame",
                           json_object_new_int64((int64_t)m->frame));
    json_object_object_add(j, "time", json_object_new_string(when));
    json_object_object_add(
        j, "timestamp",
        json_object_new_double((double)m->sec + m->usec / 1e6));
    json_object_object_add(j, "src", json_object_new_string(m->src));
    json_object_object_add(j, "sport", json_object_new_int(m->sport));
    json_object_object_add(j, "dst", json_object_new_string(m->dst));
    json_object_object_add(j, "dport", json_object_new_int(m->dport));
    add_str(j, "from", m->from);
    add_str(j, "to", m->to);
    json_object_object_add(
        j, "transport",
        json_object_new_string(kf_wire_transport_name(m->transport)));
    json_object_object_add(
        j, "carrier",
        json_object_new_string(kf_wire_carrier_name(m->carrier)));
    json_object_object_add(
        j, "type", json_object_new_string(kf_krbmsg_type_name(k->msg_type)));
    json_object_object_add(j, "msg_type", json_object_new_int(k->msg_type));
    if (k->msg_type == KF_MSG_KRB_ERROR) {
        const char *name = kf_proto_name(k->error_code);

        json_object_object_add(j, "error_code",
                               json_object_new_int(k->error_code));
        if (name != NULL)
            json_object_object_add(j, "error_name",
                                   json_object_new_string(name));
    }
    add_str(j, "cname", k->cname);
    add_str(j, "crealm", k->crealm);
    add_str(j, "sname", k->sname);
    add_str(j, "srealm", k->srealm);
    if (k->has_kdc_options) {
        char hex[16];

        snprintf(hex, sizeof(hex), "0x%08x", k->kdc_options);
        json_object_object_add(j, "kdc_options_hex",
                               json_object_new_string(hex));
        a = json_object_new_array();
        for (bit = 0; bit < 32; bit++) {
            const char *name = kf_kdc_option_name(bit);

            if ((k->kdc_options & (0x80000000u >> bit)) && name != NULL)
                json_object_array_add(a, json_object_new_string(name));
        }
        json_object_object_add(j, "kdc_options", a);
    }
    if (k->msg_type == KF_MSG_AS_REQ || k->msg_type == KF_MSG_TGS_REQ) {
        a = json_object_new_array();
        for (i = 0; i < k->n_etypes; i++)
            json_object_array_add(a, json_object_new_int(k->etypes[i]));
        json_object_object_add(j, "etypes", a);
    }
    if (k->n_padata > 0)
        json_object_object_add(j, "padata",
                               padata_json(k->padata, k->n_padata));
    if (k->has_ticket) {
        json_object *t = json_object_new_object();

        add_str(t, "sname", k->tkt_sname);
        add_str(t, "srealm", k->tkt_srealm);
        json_object_object_add(t, "etype",
                               json_object_new_int(k->ticket_etype));
        add_etype_name(t, "etype_name", k->ticket_etype);
        json_object_object_add(t, "kvno", json_object_new_int(k->ticket_kvno));
        json_object_object_add(j, "ticket", t);
    }
    if (k->has_addl_ticket) {
        json_object *t = json_object_new_object();

        add_str(t, "sname", k->addl_sname);
        add_str(t, "srealm", k->addl_srealm);
        json_object_object_add(t, "etype", json_object_new_int(k->addl_etype));
        json_object_object_add(t, "kvno", json_object_new_int(k->addl_kvno));
        json_object_object_add(j, "additional_ticket", t);
    }
    if (k->enc_etype >= 0)
        json_object_object_add(j, "enc_part_etype",
                               json_object_new_int(k->enc_etype));
    if (k->msg_type == KF_MSG_KRB_ERROR) {
        add_str(j, "etext", k->etext);
        json_object_object_add(
            j, "edata_padata",
            padata_json(k->edata_padata, k->n_edata_padata));
    }
    return j;
}
