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

/* A line being built: text past its end is dropped, so what is written
 * is always a prefix of the whole line.  Every append checks the room
 * left once; the NUL is written at the end. */
struct line {
    char *p;   /* where the next byte goes */
    char *end; /* the last byte of the buffer, kept for the NUL */
};

/* Start a line in buf (len > 0). */
static struct line
line_start(char *buf, size_t len)
{
    struct line o = {buf, buf + len - 1};

    return o;
}

/* End a line with its NUL; return its length. */
static size_t
line_end(struct line *o, const char *buf)
{
    *o->p = '\0';
    return (size_t)(o->p - buf);
}

/* Append n bytes. */
static inline void
put_mem(struct line *o, const char *s, size_t n)
{
    size_t room = (size_t)(o->end - o->p);

    if (n > room)
        n = room;
    memcpy(o->p, s, n);
    o->p += n;
}

/* Append a string literal (its length known at compile time, so the copy
 * is a few moves). */
#define LIT(o, s) put_lit((o), (s), sizeof(s) - 1)

static inline void
put_lit(struct line *o, const char *s, size_t n)
{
    if ((size_t)(o->end - o->p) >= n) {
        memcpy(o->p, s, n);
        o->p += n;
    } else {
        put_mem(o, s, n);
    }
}

/* Append a string. */
static void
put_str(struct line *o, const char *s)
{
    put_mem(o, s, strlen(s));
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Return the bits marking the bytes of x that are zero; the lowest one
 * is exact (a borrow can only mark bytes above a zero byte). */
static inline uint64_t
zero_bytes(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

/* Append a string held in an array of cap bytes (a message's field; cap a
 * multiple of eight): eight bytes at a time up to its NUL, when the line
 * has room for the whole array (the bytes copied past the NUL are written
 * over or cut off by line_end).  An array with no NUL ends at cap. */
static inline void
put_field(struct line *o, const char *s, size_t cap)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x, zero;
    size_t i;

    if ((size_t)(o->end - o->p) >= cap) {
        for (i = 0; i < cap; i += 8) {
            memcpy(&x, s + i, 8);
            memcpy(o->p + i, &x, 8);
            zero = zero_bytes(x);
            if (zero != 0) {
                o->p += i + (size_t)__builtin_ctzll(zero) / 8;
                return;
            }
        }
        o->p += cap;
        return;
    }
#endif
    put_mem(o, s, strnlen(s, cap));
}

/* Append a message's field (an array). */
#define FIELD(o, a) put_field((o), (a), sizeof(a))

/* Append one character. */
static inline void
put_char(struct line *o, char c)
{
    if (o->p < o->end)
        *o->p++ = c;
}

/* Two digits for each number below 100. */
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

/* Return the number of decimal digits of a 32-bit number: from its bit
 * length (log10(2) is about 1233/4096), less one below that power of
 * ten (0 counted as 1, which has one digit too). */
static inline size_t
n_digits32(uint32_t u)
{
    static const uint32_t pow10[] = {1,         10,        100,     1000,
                                     10000,     100000,    1000000, 10000000,
                                     100000000, 1000000000};
    uint32_t v = u | 1;
    unsigned t = ((32u - (unsigned)__builtin_clz(v)) * 1233u) >> 12;

    return t + 1 - (v < pow10[t]);
}

/* Write the decimal digits of u ending just before q. */
static inline void
digits32_before(char *q, uint32_t u)
{
    while (u >= 100) {
        uint32_t r = u % 100 * 2;

        u /= 100;
        *--q = pairs[r + 1];
        *--q = pairs[r];
    }
    if (u >= 10) {
        *--q = pairs[u * 2 + 1];
        *--q = pairs[u * 2];
    } else {
        *--q = (char)('0' + u);
    }
}

/* Append any number, or the digits of it that fit (the rare case). */
static __attribute__((noinline)) void
num_any(struct line *o, long long v)
{
    char d[24], *q = d + sizeof(d);
    unsigned long long u =
        v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

    while (u > UINT32_MAX) {
        *--q = (char)('0' + u % 10);
        u /= 10;
    }
    digits32_before(q, (uint32_t)u);
    q -= n_digits32((uint32_t)u);
    if (v < 0)
        *--q = '-';
    put_mem(o, q, (size_t)(d + sizeof(d) - q));
}

/* Append a number: in place when it is 32-bit and not negative, as nearly
 * all are. */
static inline void
num(struct line *o, long long v)
{
    size_t n;

    if (v < 0 || v > UINT32_MAX || (size_t)(o->end - o->p) < 10) {
        num_any(o, v);
        return;
    }
    n = n_digits32((uint32_t)v);
    digits32_before(o->p + n, (uint32_t)v);
    o->p += n;
}

/* Append formatted text (for the rare parts). */
static void
put(struct line *o, const char *fmt, ...)
{
    size_t room = (size_t)(o->end - o->p);
    va_list ap;
    int n;

    if (room == 0)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->p, room + 1, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->p += (size_t)n < room ? (size_t)n : room;
}

/* The date and time to the second of a pcap timestamp,
 * "2025-01-02T03:04:05.", kept from the last call: messages come second
 * after second. */
struct day {
    int64_t sec;
    char text[64];
    size_t len;
};

/* Append "2025-01-02T03:04:05.123456Z". */
static void
iso_time(struct line *o, const kf_wire_msg *m)
{
    static _Thread_local struct day day = {.sec = -1, .len = 0};
    int32_t us = m->usec;
    int k;

    if (m->sec != day.sec || day.len == 0) {
        time_t t = (time_t)m->sec;
        struct tm tm;
        int n;

        if (gmtime_r(&t, &tm) == NULL)
            memset(&tm, 0, sizeof(tm));
        n = snprintf(day.text, sizeof(day.text),
                     "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
        day.len = n > 0 ? (size_t)n : 0;
        day.sec = m->sec;
    }
    if (day.len <= 32 && (size_t)(o->end - o->p) >= 32) {
        memcpy(o->p, day.text, 32); /* a constant size: a few moves */
        o->p += day.len;
    } else {
        put_mem(o, day.text, day.len);
    }
    if (us >= 0 && us < 1000000 && (size_t)(o->end - o->p) >= 7) {
        o->p[0] = pairs[us / 10000 * 2];
        o->p[1] = pairs[us / 10000 * 2 + 1];
        o->p[2] = pairs[us / 100 % 100 * 2];
        o->p[3] = pairs[us / 100 % 100 * 2 + 1];
        o->p[4] = pairs[us % 100 * 2];
        o->p[5] = pairs[us % 100 * 2 + 1];
        o->p[6] = 'Z';
        o->p += 7;
        return;
    }
    /* A file's microseconds need not be below a million: the last six
     * digits, as they come. */
    for (k = 100000; k >= 1; k /= 10)
        put_char(o, (char)('0' + (us / k) % 10));
    put_char(o, 'Z');
}

/* Append an address (its text in an array of 48 bytes), in brackets if
 * it is IPv6 (has a ':'): copied eight bytes at a time, looking for the
 * NUL and a ':' in the same pass. */
static inline void
put_address(struct line *o, const char addr[48])
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x, zero, colon = 0;
    size_t i, n = 48;

    if ((size_t)(o->end - o->p) >= 48 + 2) {
        for (i = 0; i < 48; i += 8) {
            memcpy(&x, addr + i, 8);
            memcpy(o->p + i, &x, 8);
            zero = zero_bytes(x);
            if (zero != 0) {
                /* Only the colons before the NUL count. */
                colon |= zero_bytes(x ^ (':' * ONES)) & ((zero & -zero) - 1);
                n = i + (size_t)__builtin_ctzll(zero) / 8;
                break;
            }
            colon |= zero_bytes(x ^ (':' * ONES));
        }
        if (colon != 0) {
            memmove(o->p + 1, o->p, n);
            o->p[0] = '[';
            o->p[n + 1] = ']';
            n += 2;
        }
        o->p += n;
        return;
    }
#endif
    n = strnlen(addr, 48);
    if (memchr(addr, ':', n) != NULL) {
        put_char(o, '[');
        put_mem(o, addr, n);
        put_char(o, ']');
    } else {
        put_mem(o, addr, n);
    }
}

/* Append an endpoint: its name, if known, and address. */
static inline void
endpoint(struct line *o, const char name[64], const char addr[48],
         unsigned port)
{
    if (name[0] != '\0') {
        put_field(o, name, 64);
        put_char(o, '(');
    }
    put_address(o, addr);
    put_char(o, ':');
    num(o, port);
    if (name[0] != '\0')
        put_char(o, ')');
}

/* Append a list of numbers. */
static void
numbers(struct line *o, const char *label, size_t label_len, const int *v,
        size_t n)
{
    size_t i;

    if (n == 0)
        return;
    put_mem(o, label, label_len);
    for (i = 0; i < n; i++) {
        if (i > 0)
            put_char(o, ',');
        num(o, v[i]);
    }
}

/* Append a list of padata types with their names. */
static void
padata(struct line *o, const char *label, size_t label_len, const int *v,
       size_t n)
{
    size_t i;

    if (n == 0)
        return;
    put_mem(o, label, label_len);
    for (i = 0; i < n; i++) {
        size_t len;
        const char *label = kf_padata_label(v[i], &len);

        if (i > 0)
            put_char(o, ',');
        if (label != NULL) {
            put_mem(o, label, len);
            continue;
        }
        LIT(o, "?(");
        num(o, v[i]);
        put_char(o, ')');
    }
}

/* Append a ticket: "label=NAME@REALM,etype=E,kvno=K". */
static void
ticket(struct line *o, const char *label, size_t label_len,
       const char sname[256], const char srealm[128], int etype, int kvno)
{
    put_mem(o, label, label_len);
    put_field(o, sname, 256);
    put_char(o, '@');
    put_field(o, srealm, 128);
    LIT(o, ",etype=");
    num(o, etype);
    LIT(o, ",kvno=");
    num(o, kvno);
}

/* Append KDC options: "0x" and eight hex digits, then the name of each
 * bit set ("?" for a bit with no name). */
static void
options(struct line *o, uint32_t opts)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t rest = opts;
    int bit;

    LIT(o, " options=0x");
    if ((size_t)(o->end - o->p) >= 8) {
        for (bit = 0; bit < 8; bit++)
            o->p[bit] = hex[(opts >> (28 - 4 * bit)) & 15];
        o->p += 8;
    } else {
        for (bit = 28; bit >= 0; bit -= 4)
            put_char(o, hex[(opts >> bit) & 15]);
    }
    while (rest != 0) {
        const char *name;
        size_t len;

        bit = __builtin_clz(rest); /* bit 0 is the MSB */
        rest &= ~(0x80000000u >> bit);
        name = kf_kdc_option_name_len(bit, &len);
        put_char(o, ',');
        if (name != NULL)
            put_mem(o, name, len);
        else
            put_char(o, '?');
    }
}

/* Error codes whose names are remembered (a capture repeats a few). */
#define N_ERROR_NAMES 4

/* Return the RFC 4120 name of an error code, or NULL, remembering the
 * last few looked up. */
static const char *
error_name(int code)
{
    static _Thread_local struct {
        int valid;
        int code;
        const char *name;
    } seen[N_ERROR_NAMES];
    static _Thread_local unsigned next;
    unsigned i;

    for (i = 0; i < N_ERROR_NAMES; i++) {
        if (seen[i].valid && seen[i].code == code)
            return seen[i].name;
    }
    i = next++ % N_ERROR_NAMES;
    seen[i].valid = 1;
    seen[i].code = code;
    seen[i].name = kf_proto_name(code);
    return seen[i].name;
}

/* A label and its length, for the list appenders. */
#define LABEL(s) (s), sizeof(s) - 1

size_t
kf_wire_msg_text(const kf_wire_msg *m, char *buf, size_t len)
{
    const kf_krbmsg *k = &m->krb;
    const char *name;
    size_t n;
    struct line o;

    if (len == 0)
        return 0;
    o = line_start(buf, len);
    num(&o, (long long)m->frame);
    put_char(&o, ' ');
    iso_time(&o, m);
    put_char(&o, ' ');
    endpoint(&o, m->from, m->src, m->sport);
    LIT(&o, " -> ");
    endpoint(&o, m->to, m->dst, m->dport);
    if (m->transport == KF_TR_UDP)
        LIT(&o, " udp");
    else if (m->transport == KF_TR_TCP)
        LIT(&o, " tcp");
    else
        LIT(&o, " http");
    if (m->carrier != KF_CAR_RAW) {
        put_char(&o, '/');
        put_str(&o, kf_wire_carrier_name(m->carrier));
    }
    put_char(&o, ' ');
    name = kf_krbmsg_type_name_len(k->msg_type, &n);
    put_mem(&o, name, n);
    if (k->msg_type == KF_MSG_KRB_ERROR) {
        name = error_name(k->error_code);
        put_char(&o, ' ');
        num(&o, k->error_code);
        put_char(&o, ' ');
        put_str(&o, name != NULL ? name : "?");
    }
    if (k->cname[0] != '\0') {
        LIT(&o, " cname=");
        FIELD(&o, k->cname);
        if (k->crealm[0] != '\0') {
            put_char(&o, '@');
            FIELD(&o, k->crealm);
        }
    }
    if (k->sname[0] != '\0' || k->srealm[0] != '\0') {
        LIT(&o, " sname=");
        FIELD(&o, k->sname);
        put_char(&o, '@');
        FIELD(&o, k->srealm);
    }
    if (k->has_kdc_options)
        options(&o, k->kdc_options);
    numbers(&o, LABEL(" etypes="), k->etypes, k->n_etypes);
    padata(&o, LABEL(" padata="), k->padata, k->n_padata);
    if (k->has_ticket)
        ticket(&o, LABEL(" ticket="), k->tkt_sname, k->tkt_srealm,
               k->ticket_etype, k->ticket_kvno);
    if (k->has_addl_ticket)
        ticket(&o, LABEL(" additional-ticket="), k->addl_sname, k->addl_srealm,
               k->addl_etype, k->addl_kvno);
    if (k->enc_etype >= 0) {
        LIT(&o, " enc-part=");
        num(&o, k->enc_etype);
    }
    if (k->etext[0] != '\0') {
        LIT(&o, " etext=\"");
        FIELD(&o, k->etext);
        put_char(&o, '"');
    }
    padata(&o, LABEL(" edata="), k->edata_padata, k->n_edata_padata);
    return line_end(&o, buf);
}

void
kf_wire_msg_brief(const kf_wire_msg *m, char *buf, size_t len)
{
    const kf_krbmsg *k = &m->krb;
    struct line o;

    if (len == 0)
        return;
    o = line_start(buf, len);
    put(&o, "%s", kf_krbmsg_type_name(k->msg_type));
    if (k->msg_type == KF_MSG_KRB_ERROR)
        put(&o, " %d", k->error_code);
    put(&o, " %s->%s %s", m->from[0] ? m->from : m->src,
        m->to[0] ? m->to : m->dst, kf_wire_transport_name(m->transport));
    if (k->has_ticket && k->ticket_etype >= 0)
        put(&o, " tkt %d/%d", k->ticket_etype, k->ticket_kvno);
    line_end(&o, buf);
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
    struct line o = line_start(when, sizeof(when));
    size_t i;
    int bit;

    iso_time(&o, m);
    line_end(&o, when);
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
