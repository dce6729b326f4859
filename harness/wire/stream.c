/* Packets to messages: link layers, IP, UDP, and TCP stream reassembly. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "wire_int.h"

/* Link types (DLT_ values as libpcap returns them). */
enum {
    LT_NULL = 0,
    LT_EN10MB = 1,
    LT_RAW = 12,
    LT_RAW_OPENBSD = 14,
    LT_RAW_LINKTYPE = 101,
    LT_LOOP = 108,
    LT_LINUX_SLL = 113,
    LT_IPV4 = 228,
    LT_IPV6 = 229,
    LT_LINUX_SLL2 = 276
};

#define BUCKET_BITS 12
#define N_BUCKETS (1u << BUCKET_BITS)
#define MAX_FLOWS 65536 /* TCP flows followed at once */
#define MAX_OOO 64      /* out-of-order segments kept per flow */
#define MAX_OOO_BYTES (1u << 20)
#define MAX_HEADERS 65536     /* the longest HTTP header block */
#define SCAN_LIMIT (1u << 18) /* unknown bytes scanned before giving up */
#define MAX_SPARE 64          /* ended flows kept for reuse */
#define SPARE_BUF (64u << 10) /* the largest buffer kept with one */

/* What a TCP stream carries, as far as we know. */
enum kind {
    K_UNKNOWN, /* not yet known, or lost track: scanning */
    K_RECORD,  /* Kerberos record marks (RFC 4120 7.2.2) */
    K_HTTP,    /* HTTP/1.x */
    K_NONE     /* nothing Kerberos: ignored */
};

/* An out-of-order segment waiting for the bytes before it. */
struct seg {
    struct seg *next;
    uint32_t seq;
    size_t len;
    uint8_t data[];
};

/* One direction of a TCP connection. */
struct flow {
    struct flow *next;
    uint8_t key[37]; /* family, src, dst, sport, dport */
    uint32_t next_seq;
    int have_seq; /* next_seq is known */
    uint8_t *buf; /* in-order bytes not consumed yet */
    size_t len;
    size_t cap;
    struct seg *ooo; /* sorted by seq */
    size_t n_ooo;
    size_t ooo_bytes;
    enum kind kind;
    size_t scanned; /* bytes passed over while K_UNKNOWN */
    size_t skip;    /* HTTP body bytes still to pass over */
    int chunked;    /* in a chunked HTTP body */
};

kf_wire_stream *
kf_wire_stream_new(kf_wire_cb cb, void *arg)
{
    kf_wire_stream *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return NULL;
    s->buckets = calloc(N_BUCKETS, sizeof(*s->buckets));
    if (s->buckets == NULL) {
        free(s);
        return NULL;
    }
    s->cb = cb;
    s->arg = arg;
    s->src_slot = s->dst_slot = -1;
    return s;
}

/* Free a flow's buffers and itself. */
static void
flow_free(struct flow *f)
{
    struct seg *g, *next;

    for (g = f->ooo; g != NULL; g = next) {
        next = g->next;
        free(g);
    }
    free(f->buf);
    free(f);
}

void
kf_wire_stream_free(kf_wire_stream *s)
{
    size_t i;
    struct flow *f, *next;

    if (s == NULL)
        return;
    for (i = 0; i < N_BUCKETS; i++) {
        for (f = s->buckets[i]; f != NULL; f = next) {
            next = f->next;
            flow_free(f);
        }
    }
    for (f = s->spare; f != NULL; f = next) {
        next = f->next;
        flow_free(f);
    }
    free(s->buckets);
    free(s);
}

/* Done with a flow: keep it (and a buffer that is not large) for the next
 * connection, as connections come and go by the thousand. */
static void
flow_release(kf_wire_stream *s, struct flow *f)
{
    struct seg *g, *next;
    uint8_t *buf = f->buf;
    size_t cap = f->cap;

    if (s->n_spare >= MAX_SPARE) {
        flow_free(f);
        return;
    }
    for (g = f->ooo; g != NULL; g = next) {
        next = g->next;
        free(g);
    }
    if (cap > SPARE_BUF) {
        free(buf);
        buf = NULL;
        cap = 0;
    }
    memset(f, 0, sizeof(*f));
    f->buf = buf;
    f->cap = cap;
    f->next = s->spare;
    s->spare = f;
    s->n_spare++;
}

/* Write an address as text (IPv4 without printf: decode is hot). */
static void
addr_text(int family, const uint8_t *a, char *out, size_t len)
{
    size_t o = 0;
    int i;

    if (family != AF_INET) {
        inet_ntop(family, a, out, (socklen_t)len);
        return;
    }
    for (i = 0; i < 4; i++) {
        unsigned v = a[i];

        if (i > 0)
            out[o++] = '.';
        if (v >= 100)
            out[o++] = (char)('0' + v / 100);
        if (v >= 10)
            out[o++] = (char)('0' + (v / 10) % 10);
        out[o++] = (char)('0' + v % 10);
    }
    out[o] = '\0';
}

/* Return the slot holding an address of the current packet as text,
 * writing it there if none does (requests and replies take turns between
 * a few addresses). */
static unsigned
name_slot(kf_wire_stream *s, const uint8_t *a)
{
    unsigned i;

    for (i = 0; i < KF_WIRE_NAMES; i++) {
        if (s->names[i].family == s->family &&
            memcmp(s->names[i].addr, a, 16) == 0)
            return i;
    }
    i = s->next_name++ % KF_WIRE_NAMES;
    s->names[i].family = s->family;
    memcpy(s->names[i].addr, a, 16);
    addr_text(s->family, a, s->names[i].text, 48);
    /* The scratch message no longer holds this slot's text. */
    if (s->src_slot == (int)i)
        s->src_slot = -1;
    if (s->dst_slot == (int)i)
        s->dst_slot = -1;
    return i;
}

/* Put a slot's text in the scratch message's address out, unless it is
 * there already (*held names the slot out holds). */
static void
put_name(kf_wire_stream *s, unsigned i, char out[48], int *held)
{
    if (*held != (int)i) {
        memcpy(out, s->names[i].text, 48);
        *held = (int)i;
    }
}

int
kf_wire_emit(kf_wire_stream *s, const uint8_t *p, size_t n,
             kf_wire_transport tr, kf_wire_carrier car)
{
    kf_wire_msg *m = &s->scratch;
    unsigned src, dst;

    if (kf_krbmsg_decode_into(p, n, &m->krb) != 0)
        return 0;
    m->sec = s->sec;
    m->usec = s->usec;
    m->frame = s->frame;
    /* Each text is copied before the next lookup may reuse its slot. */
    src = name_slot(s, s->src);
    put_name(s, src, m->src, &s->src_slot);
    dst = name_slot(s, s->dst);
    put_name(s, dst, m->dst, &s->dst_slot);
    m->sport = s->sport;
    m->dport = s->dport;
    m->transport = tr;
    m->carrier = car;
    m->from[0] = m->to[0] = '\0';
    s->cb(m, s->arg);
    return 1;
}

/* --- TCP flows --- */

/* Build the key of the current packet's direction (or the reverse). */
static void
make_key(const kf_wire_stream *s, int reverse, uint8_t key[37])
{
    key[0] = (uint8_t)s->family;
    memcpy(key + 1, reverse ? s->dst : s->src, 16);
    memcpy(key + 17, reverse ? s->src : s->dst, 16);
    key[33] = (uint8_t)((reverse ? s->dport : s->sport) >> 8);
    key[34] = (uint8_t)(reverse ? s->dport : s->sport);
    key[35] = (uint8_t)((reverse ? s->sport : s->dport) >> 8);
    key[36] = (uint8_t)(reverse ? s->sport : s->dport);
}

/* Hash a key to a bucket: the first and last four bytes of each address
 * (all of an IPv4 one) and the ports are what tell flows apart. */
static size_t
bucket(const uint8_t key[37])
{
    uint32_t h = native_u32(key + 1) ^
                 ((native_u32(key + 13) << 7) | (native_u32(key + 13) >> 25));

    h ^= (native_u32(key + 17) << 13) | (native_u32(key + 17) >> 19);
    h ^= (native_u32(key + 29) << 19) | (native_u32(key + 29) >> 13);
    h ^= native_u32(key + 33);
    h *= 0x9e3779b1u; /* Fibonacci hashing: the top bits are well mixed */
    return h >> (32 - BUCKET_BITS);
}

/* Find a flow; with create, make it if absent.  Return NULL if absent
 * (or too many flows are followed). */
static struct flow *
flow_get(kf_wire_stream *s, const uint8_t key[37], int create)
{
    size_t b = bucket(key);
    struct flow *f;

    for (f = s->buckets[b]; f != NULL; f = f->next) {
        if (memcmp(f->key, key, 37) == 0)
            return f;
    }
    if (!create || s->n_flows >= MAX_FLOWS)
        return NULL;
    if (s->spare != NULL) {
        f = s->spare;
        s->spare = f->next;
        s->n_spare--;
    } else {
        f = calloc(1, sizeof(*f));
        if (f == NULL)
            return NULL;
    }
    memcpy(f->key, key, 37);
    f->next = s->buckets[b];
    s->buckets[b] = f;
    s->n_flows++;
    return f;
}

/* Forget a flow. */
static void
flow_drop(kf_wire_stream *s, const uint8_t key[37])
{
    size_t b = bucket(key);
    struct flow **pp, *f;

    for (pp = &s->buckets[b]; (f = *pp) != NULL; pp = &f->next) {
        if (memcmp(f->key, key, 37) == 0) {
            *pp = f->next;
            flow_release(s, f);
            s->n_flows--;
            return;
        }
    }
}

/* Return the big-endian 32-bit number at p. */
static uint32_t
be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | p[3];
}

/* Return true if a record mark at p (n bytes available, at least 6)
 * plausibly starts a Kerberos or kpasswd record. */
static int
record_start(const uint8_t *p, size_t n)
{
    uint32_t len = be32(p);

    if (len < 2 || len > KF_WIRE_MAX_MSG)
        return 0;
    if (kf_krbmsg_first_byte(p[4]))
        return (p[5] & 0x80) == 0 || (p[5] & 0x7f) <= 4;
    /* kpasswd: its own length equals the record's. */
    return n >= 8 && (((unsigned)p[4] << 8) | p[5]) == len &&
           ((p[6] == 0x00 && p[7] == 0x01) || (p[6] == 0xff && p[7] == 0x80));
}

/* Return true if p starts an HTTP/1.x request or response. */
static int
http_start(const uint8_t *p, size_t n)
{
    static const char *const starts[] = {
        "HTTP/1.", "GET ",   "POST ",    "PUT ",   "HEAD ", "OPTIONS ",
        "DELETE ", "PATCH ", "CONNECT ", "TRACE ", NULL};
    size_t i, len;

    for (i = 0; starts[i] != NULL; i++) {
        len = strlen(starts[i]);
        if (n >= len && memcmp(p, starts[i], len) == 0)
            return 1;
    }
    return 0;
}

/* Find where a known kind of stream starts in an unknown one; return its
 * offset and set *kind, or return n if nowhere yet. */
static size_t
scan(const uint8_t *p, size_t n, enum kind *kind)
{
    size_t i;

    for (i = 0; i + 8 <= n; i++) {
        if ((i == 0 || p[i - 1] == '\n') && http_start(p + i, n - i)) {
            *kind = K_HTTP;
            return i;
        }
        if (p[i] == 0 && record_start(p + i, n - i)) {
            *kind = K_RECORD;
            return i;
        }
    }
    return n;
}

/* Find the end of an HTTP header block (after "\r\n\r\n" or "\n\n");
 * return its length, or 0 if it is not all there. */
static size_t
headers_end(const uint8_t *p, size_t n)
{
    const uint8_t *q = p, *end = p + n;

    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        q++;
        if (q < end && *q == '\n')
            return (size_t)(q + 1 - p);
        if (q + 1 < end && q[0] == '\r' && q[1] == '\n')
            return (size_t)(q + 2 - p);
    }
    return 0;
}

/* Read a number in base (10 or 16) from [p, end), stopping at the first
 * other character after optional blanks; return it, or -1 if none. */
static long long
number(const char *p, const char *end, int base)
{
    long long v = -1;
    int d;

    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    for (; p < end; p++) {
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
            d = (*p | 0x20) - 'a' + 10;
        else
            break;
        v = (v < 0 ? 0 : v) * base + d;
        if (v > (1LL << 40))
            return -1;
    }
    return v;
}

/* Learn the body that follows a header block: Content-Length bytes, or
 * chunks. */
static void
http_body(struct flow *f, const char *h, size_t n)
{
    size_t i = 0, eol;

    f->skip = 0;
    f->chunked = 0;
    while (i < n) {
        const char *nl = memchr(h + i, '\n', n - i);

        eol = nl != NULL ? (size_t)(nl - h) : n;
        if (eol - i > 15 && strncasecmp(h + i, "Content-Length:", 15) == 0) {
            long long v = number(h + i + 15, h + eol, 10);

            f->skip = v > 0 ? (size_t)v : 0;
        } else if (eol - i > 18 &&
                   strncasecmp(h + i, "Transfer-Encoding:", 18) == 0 &&
                   memmem(h + i, eol - i, "chunked", 7) != NULL)
            f->chunked = 1;
        i = eol + 1;
    }
    if (f->chunked)
        f->skip = 0;
}

/* Pass over one piece of a chunked body; return the bytes used, 0 if more
 * are needed, or (size_t)-1 if the chunks make no sense. */
static size_t
http_chunk(struct flow *f, const uint8_t *p, size_t n)
{
    const uint8_t *nl = memchr(p, '\n', n < 64 ? n : 64);
    long long size;

    if (nl == NULL)
        return n >= 64 ? (size_t)-1 : 0;
    size = number((const char *)p, (const char *)nl, 16);
    if (size < 0)
        return (size_t)-1;
    if (size == 0) {
        /* The last chunk: trailers end at a blank line. */
        size_t line = (size_t)(nl + 1 - p), h;

        if (line < n && p[line] == '\n') {
            f->chunked = 0;
            return line + 1;
        }
        if (line + 1 < n && p[line] == '\r' && p[line + 1] == '\n') {
            f->chunked = 0;
            return line + 2;
        }
        if (line + 1 >= n)
            return 0;
        h = headers_end(p, n);
        if (h == 0)
            return n > MAX_HEADERS ? (size_t)-1 : 0;
        f->chunked = 0;
        return h;
    }
    f->skip = (size_t)size + 2;
    return (size_t)(nl + 1 - p);
}

/* The stream no longer makes sense as what it seemed: look for a message
 * start again, one byte further on (so every loss of track makes
 * progress). */
static void
lose_track(struct flow *f, size_t *used)
{
    f->kind = K_UNKNOWN;
    f->skip = 0;
    f->chunked = 0;
    (*used)++;
}

/* Consume what can be read from the start of p (n bytes of one flow);
 * return the number of bytes used.  0 means more bytes are needed. */
static size_t
consume(kf_wire_stream *s, struct flow *f, const uint8_t *p, size_t n)
{
    size_t used = 0, k;

    while (used < n && f->kind != K_NONE) {
        const uint8_t *q = p + used;
        size_t left = n - used;

        if (f->kind == K_UNKNOWN) {
            enum kind kind = K_UNKNOWN;

            k = scan(q, left, &kind);
            if (kind == K_UNKNOWN) {
                /* Keep the last bytes: a start may straddle segments. */
                k = left > 8 ? left - 8 : 0;
                f->scanned += k;
                if (f->scanned > SCAN_LIMIT)
                    f->kind = K_NONE;
                return used + k;
            }
            f->kind = kind;
            used += k;
            continue;
        }
        if (f->kind == K_HTTP) {
            if (f->skip > 0) {
                k = f->skip < left ? f->skip : left;
                f->skip -= k;
                used += k;
                continue;
            }
            if (f->chunked) {
                k = http_chunk(f, q, left);
                if (k == (size_t)-1) {
                    lose_track(f, &used);
                    continue;
                }
                if (k == 0)
                    return used;
                used += k;
                continue;
            }
            if (!http_start(q, left)) {
                if (left < 8)
                    return used;
                lose_track(f, &used);
                continue;
            }
            k = headers_end(q, left);
            if (k == 0) {
                if (left <= MAX_HEADERS)
                    return used;
                lose_track(f, &used);
                continue;
            }
            kf_wire_http_headers(s, (const char *)q, k);
            http_body(f, (const char *)q, k);
            used += k;
            continue;
        }
        /* K_RECORD */
        if (left < 8)
            return used;
        if (!record_start(q, left)) {
            lose_track(f, &used);
            continue;
        }
        k = be32(q);
        if (left - 4 < k)
            return used;
        kf_wire_payload(s, q + 4, k, KF_TR_TCP);
        used += 4 + k;
    }
    return (f->kind == K_NONE || used > n) ? n : used;
}

/* Append bytes to a flow's buffer. */
static int
buf_add(struct flow *f, const uint8_t *p, size_t n)
{
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        uint8_t *nb;

        while (cap < f->len + n)
            cap *= 2;
        nb = realloc(f->buf, cap);
        if (nb == NULL)
            return -1;
        f->buf = nb;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, p, n);
    f->len += n;
    return 0;
}

/* Take in-order bytes: read them straight from the packet when nothing is
 * buffered, keeping only what is left over. */
static void
in_order(kf_wire_stream *s, struct flow *f, const uint8_t *p, size_t n)
{
    size_t used;

    f->next_seq += (uint32_t)n;
    if (f->kind == K_NONE)
        return;
    if (f->len == 0) {
        used = consume(s, f, p, n);
        if (used < n && buf_add(f, p + used, n - used) != 0)
            f->kind = K_NONE;
        return;
    }
    if (buf_add(f, p, n) != 0) {
        f->kind = K_NONE;
        return;
    }
    used = consume(s, f, f->buf, f->len);
    memmove(f->buf, f->buf + used, f->len - used);
    f->len -= used;
    /* A message can never be longer than this: the stream lost track. */
    if (f->len > KF_WIRE_MAX_MSG + MAX_HEADERS) {
        f->len = 0;
        f->kind = K_UNKNOWN;
    }
}

/* Take a segment's bytes from the next expected sequence number on,
 * dropping what was seen already (retransmissions, overlaps). */
static void
take(kf_wire_stream *s, struct flow *f, uint32_t seq, const uint8_t *p,
     size_t n)
{
    uint32_t behind = f->next_seq - seq;

    if (behind >= n)
        return;
    in_order(s, f, p + behind, n - behind);
}

/* Move the out-of-order segments that now fit into the stream. */
static void
drain_ooo(kf_wire_stream *s, struct flow *f)
{
    struct seg *g;

    while ((g = f->ooo) != NULL && (int32_t)(g->seq - f->next_seq) <= 0) {
        f->ooo = g->next;
        f->n_ooo--;
        f->ooo_bytes -= g->len;
        take(s, f, g->seq, g->data, g->len);
        free(g);
    }
}

/* Keep a segment that arrived before the bytes preceding it.  When too
 * much waits, the missing bytes are taken as lost: the stream skips to
 * the first waiting segment and looks for a message start again. */
static void
hold(kf_wire_stream *s, struct flow *f, uint32_t seq, const uint8_t *p,
     size_t n)
{
    struct seg *g = malloc(sizeof(*g) + n), **pp;

    if (g == NULL)
        return;
    g->seq = seq;
    g->len = n;
    memcpy(g->data, p, n);
    for (pp = &f->ooo; *pp != NULL && (int32_t)((*pp)->seq - seq) <= 0;
         pp = &(*pp)->next)
        ;
    g->next = *pp;
    *pp = g;
    f->n_ooo++;
    f->ooo_bytes += n;
    if (f->n_ooo > MAX_OOO || f->ooo_bytes > MAX_OOO_BYTES) {
        f->next_seq = f->ooo->seq;
        f->len = 0;
        f->skip = 0;
        f->chunked = 0;
        if (f->kind != K_NONE)
            f->kind = K_UNKNOWN;
        f->scanned = 0;
        drain_ooo(s, f);
    }
}

/* One TCP segment of the current packet. */
static void
tcp(kf_wire_stream *s, const uint8_t *p, size_t n)
{
    uint8_t key[37];
    struct flow *f;
    size_t off;
    uint32_t seq;
    uint8_t flags;
    int32_t ahead;

    if (n < 20 || (off = (size_t)(p[12] >> 4) * 4) < 20 || off > n)
        return;
    s->sport = (uint16_t)((p[0] << 8) | p[1]);
    s->dport = (uint16_t)((p[2] << 8) | p[3]);
    seq = be32(p + 4);
    flags = p[13];
    /* A bare acknowledgement changes nothing. */
    if (off == n && (flags & 0x07) == 0)
        return;
    make_key(s, 0, key);
    if (flags & 0x04) { /* RST: both directions are over */
        flow_drop(s, key);
        make_key(s, 1, key);
        flow_drop(s, key);
        return;
    }
    if (flags & 0x02) { /* SYN: a new connection */
        flow_drop(s, key);
        f = flow_get(s, key, 1);
        if (f != NULL) {
            f->next_seq = seq + 1;
            f->have_seq = 1;
        }
        return;
    }
    p += off;
    n -= off;
    f = flow_get(s, key, n > 0);
    if (f == NULL)
        return;
    if (n > 0 && !f->have_seq) {
        f->next_seq = seq; /* picked up in the middle */
        f->have_seq = 1;
    }
    if (n > 0) {
        ahead = (int32_t)(seq - f->next_seq);
        if (ahead > (int32_t)(16u << 20) || ahead < -(int32_t)(16u << 20)) {
            /* Far from anything seen: start over from here. */
            f->next_seq = seq;
            f->len = 0;
            if (f->kind != K_NONE)
                f->kind = K_UNKNOWN;
            ahead = 0;
        }
        if (ahead <= 0)
            take(s, f, seq, p, n);
        else
            hold(s, f, seq, p, n);
        drain_ooo(s, f);
    }
    if (flags & 0x01) /* FIN */
        flow_drop(s, key);
}

/* --- IP and below --- */

/* One UDP datagram of the current packet. */
static void
udp(kf_wire_stream *s, const uint8_t *p, size_t n)
{
    size_t len;

    if (n < 8)
        return;
    s->sport = (uint16_t)((p[0] << 8) | p[1]);
    s->dport = (uint16_t)((p[2] << 8) | p[3]);
    len = ((size_t)p[4] << 8) | p[5];
    if (len < 8 || len > n)
        return; /* truncated by the snapshot length */
    kf_wire_payload(s, p + 8, len - 8, KF_TR_UDP);
}

/* Hand a transport payload to UDP or TCP. */
static void
transport(kf_wire_stream *s, int proto, const uint8_t *p, size_t n)
{
    if (proto == 17)
        udp(s, p, n);
    else if (proto == 6)
        tcp(s, p, n);
}

/* An IPv4 packet.  Fragments are passed over. */
static void
ipv4(kf_wire_stream *s, const uint8_t *p, size_t n)
{
    size_t hl, tot;

    if (n < 20 || (p[0] >> 4) != 4 || (hl = (size_t)(p[0] & 0x0f) * 4) < 20)
        return;
    tot = ((size_t)p[2] << 8) | p[3];
    if (tot < hl || hl > n)
        return;
    if (tot > n)
        tot = n;
    if ((p[6] & 0x20) || ((p[6] & 0x1f) | p[7]) != 0)
        return;
    s->family = AF_INET;
    memset(s->src, 0, sizeof(s->src));
    memset(s->dst, 0, sizeof(s->dst));
    memcpy(s->src, p + 12, 4);
    memcpy(s->dst, p + 16, 4);
    transport(s, p[9], p + hl, tot - hl);
}

/* An IPv6 packet, past its extension headers.  Fragments are passed
 * over. */
static void
ipv6(kf_wire_stream *s, const uint8_t *p, size_t n)
{
    size_t len, off = 40;
    int next, hops;

    if (n < 40 || (p[0] >> 4) != 6)
        return;
    len = ((size_t)p[4] << 8) | p[5];
    if (40 + len < n)
        n = 40 + len;
    next = p[6];
    for (hops = 0; hops < 8; hops++) {
        if (next == 0 || next == 43 || next == 60) {
            if (off + 8 > n)
                return;
            next = p[off];
            off += ((size_t)p[off + 1] + 1) * 8;
        } else if (next == 51) {
            if (off + 8 > n)
                return;
            next = p[off];
            off += ((size_t)p[off + 1] + 2) * 4;
        } else if (next == 44) {
            if (off + 8 > n || (p[off + 2] | (p[off + 3] & 0xf9)) != 0)
                return; /* a real fragment */
            next = p[off];
            off += 8;
        } else {
            break;
        }
    }
    if (off > n)
        return;
    s->family = AF_INET6;
    memcpy(s->src, p + 8, 16);
    memcpy(s->dst, p + 24, 16);
    transport(s, next, p + off, n - off);
}

/* Hand an IP packet to v4 or v6 by its version. */
static void
ip(kf_wire_stream *s, const uint8_t *p, size_t n)
{
    if (n > 0 && (p[0] >> 4) == 4)
        ipv4(s, p, n);
    else if (n > 0 && (p[0] >> 4) == 6)
        ipv6(s, p, n);
}

/* Hand a payload to IP by its EtherType. */
static void
ethertype(kf_wire_stream *s, unsigned type, const uint8_t *p, size_t n)
{
    if (type == 0x0800 || type == 0x86dd)
        ip(s, p, n);
}

int
kf_wire_linktype_ok(int lt)
{
    return lt == LT_NULL || lt == LT_EN10MB || lt == LT_RAW ||
           lt == LT_RAW_OPENBSD || lt == LT_RAW_LINKTYPE || lt == LT_LOOP ||
           lt == LT_LINUX_SLL || lt == LT_IPV4 || lt == LT_IPV6 ||
           lt == LT_LINUX_SLL2;
}

int
kf_wire_stream_packet(kf_wire_stream *s, int lt, int64_t sec, int32_t usec,
                      const uint8_t *p, size_t n)
{
    unsigned type;
    size_t off;
    int vlans;

    s->frame++;
    s->sec = sec;
    s->usec = usec;
    switch (lt) {
    case LT_EN10MB:
        if (n < 14)
            return 0;
        type = ((unsigned)p[12] << 8) | p[13];
        off = 14;
        for (vlans = 0; vlans < 2 && (type == 0x8100 || type == 0x88a8);
             vlans++) {
            if (n < off + 4)
                return 0;
            type = ((unsigned)p[off + 2] << 8) | p[off + 3];
            off += 4;
        }
        ethertype(s, type, p + off, n - off);
        return 0;
    case LT_LINUX_SLL:
        if (n >= 16)
            ethertype(s, ((unsigned)p[14] << 8) | p[15], p + 16, n - 16);
        return 0;
    case LT_LINUX_SLL2:
        if (n >= 20)
            ethertype(s, ((unsigned)p[0] << 8) | p[1], p + 20, n - 20);
        return 0;
    case LT_NULL:
    case LT_LOOP:
        /* An address family in either byte order; IP's version says. */
        if (n >= 4)
            ip(s, p + 4, n - 4);
        return 0;
    case LT_RAW:
    case LT_RAW_OPENBSD:
    case LT_RAW_LINKTYPE:
    case LT_IPV4:
    case LT_IPV6:
        ip(s, p, n);
        return 0;
    default:
        return -1;
    }
}
