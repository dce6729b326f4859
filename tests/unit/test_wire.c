/* Unit tests of the Kerberos wire decoder, on messages libkrb5 makes. */
#define _DEFAULT_SOURCE
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <krb5/krb5.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>
#include <pcap/pcap.h>
#include <stdio.h>

#include "helpers.h"
#include "krbmsg.h"
#include "wire.h"

/* A lab capture in tests/data/wire. */
#define CAPTURE(name) KF_TEST_DATA "/wire/" name

/* A krb5 context that reads no system configuration. */
static krb5_context
test_context(void)
{
    krb5_context ctx = NULL;

    setenv("KRB5_CONFIG", "/dev/null", 1);
    CU_ASSERT_EQUAL_FATAL(krb5_init_context(&ctx), 0);
    return ctx;
}

/* Encode a KRB-ERROR with krb5_mk_error. */
static krb5_data
make_error(krb5_context ctx, int code, const char *text)
{
    krb5_error err;
    krb5_data out = {0};
    krb5_principal server = NULL;

    memset(&err, 0, sizeof(err));
    CU_ASSERT_EQUAL_FATAL(
        krb5_parse_name(ctx, "HTTP/web.nekomaru.local@NEKOMARU.LOCAL",
                        &server),
        0);
    err.error = (krb5_ui_4)code;
    err.server = server;
    err.stime = 1700000000;
    err.text.data = (char *)text;
    err.text.length = (unsigned int)strlen(text);
    CU_ASSERT_EQUAL_FATAL(krb5_mk_error(ctx, &err, &out), 0);
    krb5_free_principal(ctx, server);
    return out;
}

/* A KRB-ERROR's code, e-text, server and realm are read. */
static void
test_krb_error(void)
{
    krb5_context ctx = test_context();
    krb5_data d = make_error(ctx, 44, "kvno 2 not found in keytab");
    kf_krbmsg m;

    CU_ASSERT_EQUAL_FATAL(
        kf_krbmsg_decode((const uint8_t *)d.data, d.length, &m), 0);
    CU_ASSERT_EQUAL(m.msg_type, KF_MSG_KRB_ERROR);
    CU_ASSERT_EQUAL(m.error_code, 44);
    ASSERT_STR(m.etext, "kvno 2 not found in keytab");
    ASSERT_STR(m.sname, "HTTP/web.nekomaru.local");
    ASSERT_STR(m.srealm, "NEKOMARU.LOCAL");
    ASSERT_STR(kf_krbmsg_type_name(m.msg_type), "KRB-ERROR");
    krb5_free_data_contents(ctx, &d);
    krb5_free_context(ctx);
}

/* The first AS-REQ of a logon is read: client, realm, server, etypes. */
static void
test_as_req(void)
{
    krb5_context ctx = test_context();
    krb5_principal client = NULL;
    krb5_init_creds_context icc = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_data in = {0}, req = {0}, realm = {0};
    krb5_enctype etypes[2] = {ENCTYPE_AES256_CTS_HMAC_SHA1_96,
                              ENCTYPE_ARCFOUR_HMAC};
    unsigned int flags = 0;
    kf_krbmsg m;

    CU_ASSERT_EQUAL_FATAL(
        krb5_parse_name(ctx, "nekoneko@NEKOMARU.LOCAL", &client), 0);
    CU_ASSERT_EQUAL_FATAL(krb5_get_init_creds_opt_alloc(ctx, &opt), 0);
    krb5_get_init_creds_opt_set_etype_list(opt, etypes, 2);
    CU_ASSERT_EQUAL_FATAL(
        krb5_init_creds_init(ctx, client, NULL, NULL, 0, opt, &icc), 0);
    CU_ASSERT_EQUAL_FATAL(
        krb5_init_creds_step(ctx, icc, &in, &req, &realm, &flags), 0);
    CU_ASSERT_EQUAL_FATAL(
        kf_krbmsg_decode((const uint8_t *)req.data, req.length, &m), 0);
    CU_ASSERT_EQUAL(m.msg_type, KF_MSG_AS_REQ);
    ASSERT_STR(m.cname, "nekoneko");
    ASSERT_STR(m.srealm, "NEKOMARU.LOCAL");
    ASSERT_STR(m.sname, "krbtgt/NEKOMARU.LOCAL");
    CU_ASSERT_EQUAL_FATAL(m.n_etypes, 2);
    CU_ASSERT_EQUAL(m.etypes[0], 18);
    CU_ASSERT_EQUAL(m.etypes[1], 23);
    CU_ASSERT_TRUE(m.has_kdc_options);
    CU_ASSERT_EQUAL(m.error_code, -1);
    krb5_free_data_contents(ctx, &req);
    krb5_free_data_contents(ctx, &realm);
    krb5_init_creds_free(ctx, icc);
    krb5_get_init_creds_opt_free(ctx, opt);
    krb5_free_principal(ctx, client);
    krb5_free_context(ctx);
}

/* Every truncation and many corruptions of a message are refused or
 * read without touching memory outside the buffer (ASan checks). */
static void
test_hostile(void)
{
    krb5_context ctx = test_context();
    krb5_data d = make_error(ctx, 24, "Preauthentication failed");
    kf_krbmsg m;
    uint8_t *copy;
    size_t n, i;
    unsigned seed = 1;

    for (n = 0; n < d.length; n++) {
        copy = malloc(n ? n : 1);
        memcpy(copy, d.data, n);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(copy, n, &m), -1);
        free(copy);
    }
    copy = malloc(d.length);
    for (i = 0; i < 20000; i++) {
        memcpy(copy, d.data, d.length);
        copy[rand_r(&seed) % d.length] = (uint8_t)rand_r(&seed);
        copy[rand_r(&seed) % d.length] = (uint8_t)rand_r(&seed);
        (void)kf_krbmsg_decode(copy, d.length, &m);
    }
    free(copy);
    /* Lengths claiming more than the buffer, and long-form lengths. */
    {
        static const uint8_t big[] = {0x7e, 0x84, 0x7f, 0xff, 0xff, 0xff};
        static const uint8_t deep[] = {0x7e, 0x03, 0x30, 0x01, 0xa1};
        static const uint8_t notkrb[] = {0x30, 0x03, 0x02, 0x01, 0x05};

        CU_ASSERT_EQUAL(kf_krbmsg_decode(big, sizeof(big), &m), -1);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(deep, sizeof(deep), &m), -1);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(notkrb, sizeof(notkrb), &m), -1);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(NULL, 0, &m), -1);
    }
    krb5_free_data_contents(ctx, &d);
    krb5_free_context(ctx);
}

/* Names of padata types. */
static void
test_names(void)
{
    ASSERT_STR(kf_padata_name(2), "PA-ENC-TIMESTAMP");
    ASSERT_STR(kf_padata_name(19), "PA-ETYPE-INFO2");
    ASSERT_STR(kf_padata_name(136), "PA-FX-FAST");
    CU_ASSERT_PTR_NULL(kf_padata_name(9999));
    ASSERT_STR(kf_krbmsg_type_name(99), "?");
}

/* --- the packet layer, on captures of lab runs --- */

/* Messages collected by a kf_wire_cb. */
struct seen {
    kf_wire_msg v[256];
    size_t n;
};

static void
keep(const kf_wire_msg *m, void *arg)
{
    struct seen *s = arg;

    if (s->n < 256)
        s->v[s->n++] = *m;
}

/* Read a capture into s; fail the test if it cannot be read. */
static void
read_capture(const char *path, struct seen *s)
{
    char *err = NULL;

    s->n = 0;
    if (kf_wire_scan_pcap(path, keep, s, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        CU_FAIL_FATAL("the capture cannot be read");
    }
}

/* Count the messages of a type (and error code, unless -1). */
static size_t
count(const struct seen *s, int type, int code)
{
    size_t i, n = 0;

    for (i = 0; i < s->n; i++)
        n += s->v[i].krb.msg_type == type &&
             (code < 0 || s->v[i].krb.error_code == code);
    return n;
}

/* A wrong-password logon over UDP: 25 with its e-data, then 24. */
static void
test_capture_udp(void)
{
    static struct seen s;
    size_t i, at25 = 0, at24 = 0;

    read_capture(CAPTURE("preauth-wrong-password-mit.pcap"), &s);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_KRB_ERROR, 25), 2);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_KRB_ERROR, 24), 1);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_AS_REP, -1), 2); /* probe, logon */
    for (i = 0; i < s.n; i++) {
        const kf_wire_msg *m = &s.v[i];

        CU_ASSERT_EQUAL(m->transport, KF_TR_UDP);
        CU_ASSERT_EQUAL(m->carrier, KF_CAR_RAW);
        CU_ASSERT(m->frame > 0 && m->sec > 1600000000);
        if (m->krb.error_code == 25 && at25 == 0) {
            at25 = i;
            ASSERT_STR(m->krb.cname, "nekoneko");
            ASSERT_STR(m->krb.etext, "NEEDED_PREAUTH");
            CU_ASSERT_EQUAL(m->krb.n_edata_padata, 4);
            CU_ASSERT_EQUAL(m->krb.edata_padata[1], 19);
            CU_ASSERT_EQUAL(m->krb.edata_padata[2], 2);
            CU_ASSERT_EQUAL(m->sport, 88);
            ASSERT_STR(m->dst, "127.0.0.1");
        }
        if (m->krb.error_code == 24)
            at24 = i;
        if (m->krb.msg_type == KF_MSG_AS_REQ) {
            CU_ASSERT_TRUE(m->krb.has_kdc_options);
            /* renewable-ok, bit 27 */
            CU_ASSERT(m->krb.kdc_options & (0x80000000u >> 27));
            CU_ASSERT_EQUAL(m->krb.n_etypes, 8);
        }
        if (m->krb.msg_type == KF_MSG_AS_REP) {
            CU_ASSERT_TRUE(m->krb.has_ticket);
            CU_ASSERT_EQUAL(m->krb.ticket_etype, 18);
            CU_ASSERT_EQUAL(m->krb.ticket_kvno, 1);
            ASSERT_STR(m->krb.tkt_sname, "krbtgt/NEKOMARU.LOCAL");
        }
    }
    CU_ASSERT(at25 > 0 && at24 > at25);
}

/* AP-REQs over TCP with record marks, and a TGS-REQ's TGT. */
static void
test_capture_tcp(void)
{
    static struct seen s;
    size_t i;

    read_capture(CAPTURE("ap-replay-mit.pcap"), &s);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_AP_REQ, -1), 3);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_AP_REP, -1), 2);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_KRB_ERROR, 34), 1);
    for (i = 0; i < s.n; i++) {
        const kf_wire_msg *m = &s.v[i];

        if (m->krb.msg_type == KF_MSG_AP_REQ) {
            CU_ASSERT_EQUAL(m->transport, KF_TR_TCP);
            ASSERT_STR(m->krb.sname, "HTTP/web.nekomaru.local");
            CU_ASSERT_EQUAL(m->krb.ticket_etype, 18);
        }
        if (m->krb.msg_type == KF_MSG_TGS_REQ) {
            /* The TGT of its PA-TGS-REQ. */
            CU_ASSERT_TRUE(m->krb.has_ticket);
            ASSERT_STR(m->krb.tkt_sname, "krbtgt/NEKOMARU.LOCAL");
            ASSERT_STR(m->krb.sname, "HTTP/web.nekomaru.local");
            CU_ASSERT_EQUAL(m->krb.padata[0], 1);
        }
    }
    read_capture(CAPTURE("kdc-response-too-big-mit.pcap"), &s);
    CU_ASSERT_EQUAL(count(&s, KF_MSG_KRB_ERROR, 52), 1);
    for (i = 0; i < s.n && s.v[i].transport != KF_TR_TCP; i++)
        ;
    CU_ASSERT(i < s.n && s.v[i].krb.msg_type == KF_MSG_AS_REQ);
}

/* kpasswd over UDP: its AP-REQ and KRB-PRIV. */
static void
test_capture_kpasswd(void)
{
    static struct seen s;
    size_t i, n = 0;

    read_capture(CAPTURE("rodc-writable-kdc-unreachable-mit.pcap"), &s);
    for (i = 0; i < s.n; i++) {
        if (s.v[i].carrier != KF_CAR_KPASSWD)
            continue;
        n++;
        CU_ASSERT(s.v[i].krb.msg_type == KF_MSG_AP_REQ ||
                  s.v[i].krb.msg_type == KF_MSG_KRB_PRIV);
        if (s.v[i].krb.msg_type == KF_MSG_AP_REQ)
            ASSERT_STR(s.v[i].krb.sname, "kadmin/changepw");
    }
    CU_ASSERT_EQUAL(n, 2);
}

/* The raw packets of a capture (Ethernet framing on lo). */
struct pkts {
    uint8_t *data[512];
    size_t len[512];
    size_t n;
};

static void
load_packets(const char *path, struct pkts *p)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, errbuf);
    struct pcap_pkthdr *h;
    const u_char *d;

    p->n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    CU_ASSERT_EQUAL_FATAL(pcap_datalink(pc), DLT_EN10MB);
    while (p->n < 512 && pcap_next_ex(pc, &h, &d) == 1) {
        p->data[p->n] = malloc(h->caplen);
        memcpy(p->data[p->n], d, h->caplen);
        p->len[p->n++] = h->caplen;
    }
    pcap_close(pc);
}

static void
free_packets(struct pkts *p)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        free(p->data[i]);
}

/* Build a raw IPv4 TCP packet (DLT_RAW) carrying payload at seq. */
static size_t
ip4_tcp(uint8_t *out, const uint8_t *ip, uint32_t seq, uint8_t flags,
        const uint8_t *payload, size_t n)
{
    size_t hl = (size_t)(ip[0] & 0x0f) * 4,
           thl = (size_t)(ip[hl + 12] >> 4) * 4;

    memcpy(out, ip, hl + thl);
    out[2] = (uint8_t)((hl + thl + n) >> 8);
    out[3] = (uint8_t)(hl + thl + n);
    out[hl + 4] = (uint8_t)(seq >> 24);
    out[hl + 5] = (uint8_t)(seq >> 16);
    out[hl + 6] = (uint8_t)(seq >> 8);
    out[hl + 7] = (uint8_t)seq;
    out[hl + 13] = flags;
    if (n > 0)
        memcpy(out + hl + thl, payload, n);
    return hl + thl + n;
}

/* Every TCP segment of a capture cut into small pieces, sent out of
 * order and partly twice, yields the same messages as the capture. */
static void
test_tcp_reassembly(void)
{
    static struct seen want, got;
    static uint8_t buf[70000];
    struct pkts p;
    kf_wire_stream *s;
    unsigned seed = 7;
    size_t i, k;

    read_capture(CAPTURE("ap-replay-mit.pcap"), &want);
    load_packets(CAPTURE("ap-replay-mit.pcap"), &p);
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    for (i = 0; i < p.n; i++) {
        const uint8_t *ip = p.data[i] + 14;
        size_t iplen = p.len[i] - 14, hl, thl, plen, cut, off;
        uint32_t seq;
        uint8_t flags;

        if (ip[9] != 6) {
            kf_wire_stream_packet(s, DLT_EN10MB, 1, 0, p.data[i], p.len[i]);
            continue;
        }
        hl = (size_t)(ip[0] & 0x0f) * 4;
        thl = (size_t)(ip[hl + 12] >> 4) * 4;
        plen = iplen - hl - thl;
        flags = ip[hl + 13];
        seq = ((uint32_t)ip[hl + 4] << 24) | ((uint32_t)ip[hl + 5] << 16) |
              ((uint32_t)ip[hl + 6] << 8) | ip[hl + 7];
        if (plen == 0) {
            kf_wire_stream_packet(s, 12, 1, 0, ip, iplen);
            continue;
        }
        /* Pieces of 1 to 40 bytes; the second half first, then the first,
         * then a retransmission of everything. */
        cut = plen / 2;
        for (k = 0; k < 3; k++) {
            size_t from = k == 0 ? cut : 0, to = k == 0   ? plen
                                                 : k == 1 ? cut
                                                          : plen;

            for (off = from; off < to;) {
                size_t n = 1 + (size_t)rand_r(&seed) % 40, len;

                if (off + n > to)
                    n = to - off;
                len =
                    ip4_tcp(buf, ip, seq + (uint32_t)off,
                            (uint8_t)(flags & ~0x01), ip + hl + thl + off, n);
                kf_wire_stream_packet(s, 12, 1, 0, buf, len);
                off += n;
            }
        }
        if (flags & 0x01) /* FIN last */
            kf_wire_stream_packet(
                s, 12, 1, 0, buf,
                ip4_tcp(buf, ip, seq + (uint32_t)plen, flags, NULL, 0));
    }
    kf_wire_stream_free(s);
    CU_ASSERT_EQUAL(got.n, want.n);
    for (i = 0; i < got.n && i < want.n; i++) {
        CU_ASSERT_EQUAL(got.v[i].krb.msg_type, want.v[i].krb.msg_type);
        CU_ASSERT_EQUAL(got.v[i].krb.error_code, want.v[i].krb.error_code);
        CU_ASSERT_EQUAL(got.v[i].transport, want.v[i].transport);
    }
    free_packets(&p);
}

/* The first message of a type in a capture's TCP segments (after its
 * 4-byte record mark). */
static size_t
tcp_message(const struct pkts *p, uint8_t tag, const uint8_t **out)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        const uint8_t *ip = p->data[i] + 14;
        size_t hl = (size_t)(ip[0] & 0x0f) * 4, thl, len;

        if (ip[9] != 6)
            continue;
        thl = (size_t)(ip[hl + 12] >> 4) * 4;
        len = p->len[i] - 14 - hl - thl;
        /* The record mark may come in a segment of its own. */
        if (len > 5 && ip[hl + thl + 4] == tag) {
            *out = ip + hl + thl + 4;
            return len - 4;
        }
        if (len > 5 && ip[hl + thl] == tag) {
            *out = ip + hl + thl;
            return len;
        }
    }
    return 0;
}

/* Append a DER TLV (definite length) to out; return its length. */
static size_t
der(uint8_t *out, uint8_t tag, const uint8_t *val, size_t n)
{
    size_t h = 2;

    out[0] = tag;
    if (n < 128) {
        out[1] = (uint8_t)n;
    } else {
        out[1] = 0x82;
        out[2] = (uint8_t)(n >> 8);
        out[3] = (uint8_t)n;
        h = 4;
    }
    memmove(out + h, val, n);
    return h + n;
}

/* A GSS-API InitialContextToken with the krb5 OID around a message. */
static size_t
gss_wrap(uint8_t *out, uint8_t tok_id, const uint8_t *msg, size_t n)
{
    static const uint8_t oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                  0xf7, 0x12, 0x01, 0x02, 0x02};
    uint8_t inner[8192];

    memcpy(inner, oid, sizeof(oid));
    inner[sizeof(oid)] = tok_id;
    inner[sizeof(oid) + 1] = 0;
    memcpy(inner + sizeof(oid) + 2, msg, n);
    return der(out, 0x60, inner, sizeof(oid) + 2 + n);
}

/* SPNEGO: NegTokenInit (framed) or NegTokenResp around a mech token. */
static size_t
spnego_wrap(uint8_t *out, int init, const uint8_t *tok, size_t n)
{
    static const uint8_t spnego_oid[] = {0x06, 0x06, 0x2b, 0x06,
                                         0x01, 0x05, 0x05, 0x02};
    uint8_t a[8192], b[8192];
    size_t k;

    k = der(a, 0x04, tok, n); /* OCTET STRING */
    k = der(b, 0xa2, a, k);   /* [2] mechToken / responseToken */
    k = der(a, 0x30, b, k);   /* SEQUENCE */
    k = der(b, init ? 0xa0 : 0xa1, a, k);
    if (!init) {
        memcpy(out, b, k);
        return k;
    }
    memcpy(a, spnego_oid, sizeof(spnego_oid));
    memcpy(a + sizeof(spnego_oid), b, k);
    return der(out, 0x60, a, sizeof(spnego_oid) + k);
}

/* Base64 for the HTTP test. */
static void
b64(const uint8_t *p, size_t n, char *out)
{
    static const char d[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;

    for (i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 |
                     (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);

        out[o++] = d[v >> 18];
        out[o++] = d[(v >> 12) & 63];
        out[o++] = i + 1 < n ? d[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? d[v & 63] : '=';
    }
    out[o] = '\0';
}

/* HTTP Negotiate headers: SPNEGO around the lab's AP-REQ and AP-REP,
 * over a TCP stream split in the middle of the header. */
static void
test_http_negotiate(void)
{
    static struct seen got;
    static uint8_t tok[8192], tok2[8192], pkt[70000];
    static char text[40000], b[16000];
    static const uint8_t ip[40] = {
        0x45, 0,   0,   0, 0,    0,    0x40, 0,    64,   6,    0, 0, 127, 1,
        2,    200, 127, 1, 2,    3,    0xc0, 0x00, 0x00, 0x50, 0, 0, 0,   0,
        0,    0,   0,   0, 0x50, 0x18, 0xff, 0xff, 0,    0,    0, 0};
    uint8_t rip[40];
    const uint8_t *apreq, *aprep;
    size_t nreq, nrep, n, len, cut;
    struct pkts p;
    kf_wire_stream *s;

    load_packets(CAPTURE("ap-replay-mit.pcap"), &p);
    nreq = tcp_message(&p, 0x6e, &apreq);
    nrep = tcp_message(&p, 0x6f, &aprep);
    CU_ASSERT_FATAL(nreq > 0 && nrep > 0);
    n = gss_wrap(tok2, 0x01, apreq, nreq);
    n = spnego_wrap(tok, 1, tok2, n);
    b64(tok, n, b);
    len = (size_t)snprintf(text, sizeof(text),
                           "GET /secret HTTP/1.1\r\nHost: web\r\n"
                           "Authorization: Negotiate %s\r\n\r\n",
                           b);
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    /* SYN, then the request in two segments. */
    kf_wire_stream_packet(s, 12, 1, 0, pkt,
                          ip4_tcp(pkt, ip, 99, 0x02, NULL, 0));
    cut = len / 3;
    kf_wire_stream_packet(s, 12, 1, 0, pkt,
                          ip4_tcp(pkt, ip, 100, 0x18, (uint8_t *)text, cut));
    CU_ASSERT_EQUAL(got.n, 0);
    kf_wire_stream_packet(s, 12, 2, 0, pkt,
                          ip4_tcp(pkt, ip, 100 + (uint32_t)cut, 0x18,
                                  (uint8_t *)text + cut, len - cut));
    CU_ASSERT_EQUAL_FATAL(got.n, 1);
    CU_ASSERT_EQUAL(got.v[0].krb.msg_type, KF_MSG_AP_REQ);
    CU_ASSERT_EQUAL(got.v[0].transport, KF_TR_HTTP);
    CU_ASSERT_EQUAL(got.v[0].carrier, KF_CAR_SPNEGO);
    CU_ASSERT_EQUAL(got.v[0].dport, 80);
    CU_ASSERT_EQUAL(got.v[0].sec, 2);
    /* The reply: NegTokenResp with the AP-REP, then a body and a second
     * response with a bare krb5 GSS token. */
    n = gss_wrap(tok2, 0x02, aprep, nrep);
    n = spnego_wrap(tok, 0, tok2, n);
    b64(tok, n, b);
    len = (size_t)snprintf(text, sizeof(text),
                           "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                           "WWW-Authenticate: Negotiate %s\r\n\r\nhello",
                           b);
    n = gss_wrap(tok2, 0x02, aprep, nrep);
    b64(tok2, n, b);
    len += (size_t)snprintf(text + len, sizeof(text) - len,
                            "HTTP/1.1 401 No\r\nTransfer-Encoding: chunked\r\n"
                            "WWW-Authenticate: Basic realm=x, Negotiate %s"
                            "\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                            b);
    memcpy(rip, ip, sizeof(rip));
    memcpy(rip + 12, ip + 16, 4);
    memcpy(rip + 16, ip + 12, 4);
    rip[20] = ip[22], rip[21] = ip[23], rip[22] = ip[20], rip[23] = ip[21];
    kf_wire_stream_packet(s, 12, 3, 0, pkt,
                          ip4_tcp(pkt, rip, 5000, 0x18, (uint8_t *)text, len));
    CU_ASSERT_EQUAL_FATAL(got.n, 3);
    CU_ASSERT_EQUAL(got.v[1].krb.msg_type, KF_MSG_AP_REP);
    CU_ASSERT_EQUAL(got.v[1].carrier, KF_CAR_SPNEGO);
    CU_ASSERT_EQUAL(got.v[2].krb.msg_type, KF_MSG_AP_REP);
    CU_ASSERT_EQUAL(got.v[2].carrier, KF_CAR_GSS);
    CU_ASSERT_EQUAL(got.v[2].sport, 80);
    kf_wire_stream_free(s);
    free_packets(&p);
}

/* Negotiate tokens in either base64 alphabet ("+/" or "-_"), padded or
 * not, of every length modulo four: the same AP-REQ comes out. */
static void
test_http_base64(void)
{
    static struct seen got;
    static uint8_t tok[8192], tok2[8192];
    static char b[16000], text[20000];
    const uint8_t *apreq;
    size_t nreq, n, extra, i, len;
    struct pkts p;
    kf_wire_stream *s;
    int urlsafe;

    load_packets(CAPTURE("ap-replay-mit.pcap"), &p);
    nreq = tcp_message(&p, 0x6e, &apreq);
    CU_ASSERT_FATAL(nreq > 0);
    n = gss_wrap(tok2, 0x01, apreq, nreq);
    n = spnego_wrap(tok, 1, tok2, n);
    for (extra = 0; extra < 6; extra++) {
        /* Bytes after the token's DER are not read. */
        memset(tok + n, 0xa5, extra);
        for (urlsafe = 0; urlsafe < 2; urlsafe++) {
            b64(tok, n + extra, b);
            for (i = 0; urlsafe && b[i] != '\0'; i++) {
                if (b[i] == '+')
                    b[i] = '-';
                else if (b[i] == '/')
                    b[i] = '_';
                else if (b[i] == '=')
                    b[i] = '\0';
            }
            len = (size_t)snprintf(
                text, sizeof(text),
                "GET / HTTP/1.1\r\nAuthorization: Basic eA==, Negotiate "
                "%s\r\n\r\n",
                b);
            got.n = 0;
            s = kf_wire_stream_new(keep, &got);
            CU_ASSERT_EQUAL(kf_wire_http_headers(s, text, len), 1);
            kf_wire_stream_free(s);
            CU_ASSERT_EQUAL_FATAL(got.n, 1);
            CU_ASSERT_EQUAL(got.v[0].krb.msg_type, KF_MSG_AP_REQ);
            CU_ASSERT_EQUAL(got.v[0].carrier, KF_CAR_SPNEGO);
            ASSERT_STR(got.v[0].krb.sname, "HTTP/web.nekomaru.local");
        }
    }
    free_packets(&p);
}

/* The same UDP datagram under every supported link layer, and IPv6. */
static void
test_link_layers(void)
{
    static struct seen got;
    static uint8_t pkt[70000], v6[70000];
    struct pkts p;
    kf_wire_stream *s;
    const uint8_t *ip = NULL;
    size_t i, iplen = 0, udplen;

    load_packets(CAPTURE("preauth-wrong-password-mit.pcap"), &p);
    for (i = 0; i < p.n && ip == NULL; i++) {
        if (p.data[i][14 + 9] == 17) {
            ip = p.data[i] + 14;
            iplen = p.len[i] - 14;
        }
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(ip);
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    /* SLL: 16 bytes, protocol at 14. */
    memset(pkt, 0, 20);
    pkt[14] = 0x08;
    memcpy(pkt + 16, ip, iplen);
    kf_wire_stream_packet(s, 113, 1, 0, pkt, iplen + 16);
    /* SLL2: 20 bytes, protocol first. */
    memset(pkt, 0, 20);
    pkt[0] = 0x08;
    memcpy(pkt + 20, ip, iplen);
    kf_wire_stream_packet(s, 276, 1, 0, pkt, iplen + 20);
    /* BSD loopback (NULL): 4 bytes of family. */
    memset(pkt, 0, 4);
    pkt[0] = 2;
    memcpy(pkt + 4, ip, iplen);
    kf_wire_stream_packet(s, 0, 1, 0, pkt, iplen + 4);
    /* Ethernet with a VLAN tag. */
    memset(pkt, 0, 18);
    pkt[12] = 0x81;
    pkt[16] = 0x08;
    memcpy(pkt + 18, ip, iplen);
    kf_wire_stream_packet(s, 1, 1, 0, pkt, iplen + 18);
    /* Raw IPv6 with a hop-by-hop header, ::1 to ::1. */
    udplen = iplen - 20;
    memset(v6, 0, 48);
    v6[0] = 0x60;
    v6[4] = (uint8_t)((udplen + 8) >> 8);
    v6[5] = (uint8_t)(udplen + 8);
    v6[6] = 0; /* hop-by-hop */
    v6[23] = 1;
    v6[39] = 1;
    v6[40] = 17;
    memcpy(v6 + 48, ip + 20, udplen);
    kf_wire_stream_packet(s, 101, 1, 0, v6, 48 + udplen);
    /* Not supported: 802.11. */
    CU_ASSERT_EQUAL(kf_wire_stream_packet(s, 105, 1, 0, v6, 10), -1);
    kf_wire_stream_free(s);
    CU_ASSERT_EQUAL_FATAL(got.n, 5);
    for (i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(got.v[i].krb.msg_type, got.v[0].krb.msg_type);
    ASSERT_STR(got.v[4].src, "::1");
    free_packets(&p);
}

/* Hostile packets: every truncation of every packet, random bytes in
 * real packets, random record marks and HTTP in a TCP stream.  Nothing
 * may crash or read out of bounds (ASan checks); garbage is not taken
 * for Kerberos. */
static void
test_hostile_packets(void)
{
    static struct seen got;
    static uint8_t pkt[70000];
    static const int lts[] = {0, 1, 12, 101, 108, 113, 228, 229, 276};
    struct pkts p;
    kf_wire_stream *s;
    unsigned seed = 3;
    size_t i, n, k;

    load_packets(CAPTURE("ap-replay-mit.pcap"), &p);
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    for (i = 0; i < p.n; i++) {
        for (n = 0; n <= p.len[i]; n++) {
            uint8_t *copy = malloc(n ? n : 1);

            memcpy(copy, p.data[i], n);
            for (k = 0; k < sizeof(lts) / sizeof(lts[0]); k++)
                kf_wire_stream_packet(s, lts[k], 1, 0, copy, n);
            free(copy);
        }
    }
    for (k = 0; k < 20000; k++) {
        i = (size_t)rand_r(&seed) % p.n;
        memcpy(pkt, p.data[i], p.len[i]);
        for (n = 0; n < 4; n++)
            pkt[(size_t)rand_r(&seed) % p.len[i]] = (uint8_t)rand_r(&seed);
        kf_wire_stream_packet(s, 1, 1, 0, pkt, p.len[i]);
    }
    kf_wire_stream_free(s);
    /* Pure noise on UDP and TCP decodes to nothing. */
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    for (k = 0; k < 2000; k++) {
        static const uint8_t hdr[40] = {
            0x45, 0, 0,  0, 0,    0,    0x40, 0,    64,   6,  0, 0, 10, 0,
            0,    1, 10, 0, 0,    2,    0x12, 0x34, 0x00, 88, 0, 0, 0,  0,
            0,    0, 0,  0, 0x50, 0x18, 0xff, 0xff, 0,    0,  0, 0};
        uint8_t noise[1500];

        for (n = 0; n < sizeof(noise); n++)
            noise[n] = (uint8_t)rand_r(&seed);
        /* Record marks that promise much, HTTP starts that end early. */
        if (k % 3 == 0)
            memcpy(noise, "\0\0\x05\0\x6a\x82", 6);
        if (k % 5 == 0)
            memcpy(noise, "HTTP/1.1 200\r\nContent-Length: 99999999\r\n", 40);
        n = ip4_tcp(pkt, hdr, (uint32_t)rand_r(&seed) % 4000, 0x18, noise,
                    1 + (size_t)rand_r(&seed) % sizeof(noise));
        kf_wire_stream_packet(s, 12, 1, 0, pkt, n);
        pkt[9] = 17;
        kf_wire_stream_packet(s, 12, 1, 0, pkt, n);
    }
    /* A chunked body whose chunk line is an HTTP start, and a header block
     * that never ends: the stream loses track and moves on (these once
     * looped forever). */
    {
        static const uint8_t hdr[40] = {
            0x45, 0, 0,  0, 0,    0,    0x40, 0,    64,   6,    0, 0, 10, 0,
            0,    1, 10, 0, 0,    3,    0x12, 0x34, 0x00, 0x50, 0, 0, 0,  0,
            0,    0, 0,  0, 0x50, 0x18, 0xff, 0xff, 0,    0,    0, 0};
        static char big[70000];
        const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                              "chunked\r\n\r\nHTTP/1.1 200 OK\r\n";

        n = ip4_tcp(pkt, hdr, 1, 0x18, (const uint8_t *)chunked,
                    strlen(chunked));
        kf_wire_stream_packet(s, 12, 1, 0, pkt, n);
        memset(big, 'a', sizeof(big));
        memcpy(big, "GET / HTTP/1.1\r\n", 16);
        n = ip4_tcp(pkt, hdr, 1 + (uint32_t)strlen(chunked), 0x18,
                    (const uint8_t *)big, 65000);
        kf_wire_stream_packet(s, 12, 1, 0, pkt, n);
    }
    kf_wire_stream_free(s);
    CU_ASSERT_EQUAL(got.n, 0);
    free_packets(&p);
}

/* Text and JSON of a message: error_code and a ticket's etype are
 * integers. */
static void
test_render(void)
{
    static struct seen s;
    char line[2048];
    json_object *j, *v, *t;
    size_t i;

    read_capture(CAPTURE("preauth-wrong-password-mit.pcap"), &s);
    for (i = 0; i < s.n && s.v[i].krb.error_code != 25; i++)
        ;
    CU_ASSERT_FATAL(i < s.n);
    snprintf(s.v[i].from, sizeof(s.v[i].from), "DC01");
    kf_wire_msg_text(&s.v[i], line, sizeof(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " udp KRB-ERROR 25 "
                                        "KDC_ERR_PREAUTH_REQUIRED "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "DC01(127."));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "edata=PA-FX-FAST(136),"));
    kf_wire_msg_brief(&s.v[i], line, sizeof(line));
    CU_ASSERT_EQUAL(strncmp(line, "KRB-ERROR 25 DC01->127.0.0.1 udp", 32), 0);
    j = kf_wire_msg_json(&s.v[i]);
    CU_ASSERT_TRUE(json_object_object_get_ex(j, "error_code", &v) &&
                   json_object_is_type(v, json_type_int) &&
                   json_object_get_int(v) == 25);
    json_object_put(j);
    for (i = 0; i < s.n && s.v[i].krb.msg_type != KF_MSG_AS_REP; i++)
        ;
    CU_ASSERT_FATAL(i < s.n);
    j = kf_wire_msg_json(&s.v[i]);
    CU_ASSERT_TRUE(json_object_object_get_ex(j, "ticket", &t) &&
                   json_object_object_get_ex(t, "etype", &v) &&
                   json_object_is_type(v, json_type_int) &&
                   json_object_get_int(v) == 18);
    json_object_put(j);
}

/* Files that are not pcaps, or are cut short, are refused by name. */
static void
test_bad_files(void)
{
    char path[] = "/tmp/kf-unit-pcap-XXXXXX", *err = NULL;
    kf_wire_msg *msgs = NULL;
    size_t n = 0;
    FILE *in, *out;
    char buf[20000];
    size_t len;
    int fd = mkstemp(path);

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(write(fd, "not a capture at all\n", 21) == 21);
    close(fd);
    CU_ASSERT_EQUAL(kf_wire_read_pcap(path, &msgs, &n, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(err != NULL ? strstr(err, path) : NULL);
    CU_ASSERT_PTR_NOT_NULL(err != NULL ? strstr(err, "not a pcap") : NULL);
    free(err);
    err = NULL;
    in = fopen(CAPTURE("ap-replay-mit.pcap"), "rb");
    len = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    out = fopen(path, "wb");
    fwrite(buf, 1, len / 2 + 7, out);
    fclose(out);
    CU_ASSERT_EQUAL(kf_wire_read_pcap(path, &msgs, &n, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(err != NULL ? strstr(err, "at offset") : NULL);
    free(err);
    err = NULL;
    unlink(path);
    CU_ASSERT_EQUAL(kf_wire_read_pcap(path, &msgs, &n, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(err != NULL ? strstr(err, "cannot open") : NULL);
    free(err);
}

/* Names and spellings the scenario format accepts. */
static void
test_spellings(void)
{
    CU_ASSERT_EQUAL(kf_krbmsg_type_parse("krb-error"), 30);
    CU_ASSERT_EQUAL(kf_krbmsg_type_parse("TGS-REP"), 13);
    CU_ASSERT_EQUAL(kf_krbmsg_type_parse("TGS_REP"), -1);
    CU_ASSERT_EQUAL(kf_padata_parse("PA-ENC-TIMESTAMP"), 2);
    CU_ASSERT_EQUAL(kf_padata_parse("etype-info2"), 19);
    CU_ASSERT_EQUAL(kf_padata_parse("nothing"), -1);
    ASSERT_STR(kf_kdc_option_name(1), "forwardable");
    ASSERT_STR(kf_kdc_option_name(27), "renewable-ok");
    CU_ASSERT_PTR_NULL(kf_kdc_option_name(7));
    CU_ASSERT_PTR_NULL(kf_kdc_option_name(40));
}

/* --- what the fast paths must keep: text as before, on any input --- */

/* Assert that rendering m into every buffer length gives a prefix of the
 * whole line, and return the whole line's length. */
static size_t
assert_prefixes(const kf_wire_msg *m)
{
    static char full[4096], cut[4096];
    size_t n = kf_wire_msg_text(m, full, sizeof(full)), len, want, got;

    CU_ASSERT_EQUAL(n, strlen(full));
    for (len = 1; len <= n + 2 && len < sizeof(cut); len++) {
        memset(cut, 'x', sizeof(cut));
        got = kf_wire_msg_text(m, cut, len);
        want = n < len - 1 ? n : len - 1;
        CU_ASSERT_EQUAL(got, want);
        CU_ASSERT_EQUAL(cut[want], '\0');
        CU_ASSERT_EQUAL(memcmp(cut, full, want), 0);
    }
    return n;
}

/* Text cut short by the buffer is always a prefix of the whole line: for
 * the committed captures' messages, under every carrier, with names and
 * IPv6 endpoints, and with fields as long as they can be. */
static void
test_render_prefixes(void)
{
    static const char *const files[] = {
        CAPTURE("preauth-wrong-password-mit.pcap"),
        CAPTURE("ap-replay-mit.pcap"),
        CAPTURE("kdc-response-too-big-mit.pcap"),
        CAPTURE("rodc-writable-kdc-unreachable-mit.pcap")};
    static struct seen s;
    static kf_wire_msg m;
    char line[4096];
    size_t f, i;

    for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        read_capture(files[f], &s);
        for (i = 0; i < s.n; i++)
            assert_prefixes(&s.v[i]);
    }
    m = s.v[0];
    snprintf(m.src, sizeof(m.src), "fe80::1:2:3:4:5");
    snprintf(m.dst, sizeof(m.dst), "::1");
    snprintf(m.from, sizeof(m.from), "DC01");
    snprintf(m.to, sizeof(m.to), "client");
    m.transport = KF_TR_HTTP;
    m.carrier = KF_CAR_SPNEGO;
    kf_wire_msg_text(&m, line, sizeof(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " DC01([fe80::1:2:3:4:5]:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, " -> client([::1]:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "]:88) http/spnego "));
    assert_prefixes(&m);
    /* Every string field full, every list full, every option set. */
    memset(m.krb.cname, 'c', sizeof(m.krb.cname) - 1);
    memset(m.krb.crealm, 'R', sizeof(m.krb.crealm) - 1);
    memset(m.krb.sname, 's', sizeof(m.krb.sname) - 1);
    memset(m.krb.srealm, 'S', sizeof(m.krb.srealm) - 1);
    memset(m.krb.tkt_sname, 't', sizeof(m.krb.tkt_sname) - 1);
    memset(m.krb.etext, 'e', sizeof(m.krb.etext) - 1);
    memset(m.from, 'f', sizeof(m.from) - 1);
    m.from[63] = m.krb.cname[255] = m.krb.crealm[127] = '\0';
    m.krb.sname[255] = m.krb.srealm[127] = m.krb.tkt_sname[255] = '\0';
    m.krb.etext[255] = '\0';
    m.krb.msg_type = KF_MSG_KRB_ERROR;
    m.krb.error_code = 24;
    m.krb.has_kdc_options = m.krb.has_ticket = 1;
    m.krb.kdc_options = 0xffffffffu;
    m.krb.n_etypes = KF_MSG_MAX_ETYPES;
    m.krb.n_padata = m.krb.n_edata_padata = KF_MSG_MAX_PADATA;
    for (i = 0; i < KF_MSG_MAX_PADATA; i++)
        m.krb.padata[i] = m.krb.edata_padata[i] = (int)i * 11 - 3;
    for (i = 0; i < KF_MSG_MAX_ETYPES; i++)
        m.krb.etypes[i] = INT_MIN + (int)i;
    CU_ASSERT(assert_prefixes(&m) > 2000);
    kf_wire_msg_text(&m, line, sizeof(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, ",validate etypes=-2147483648,"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(line, " padata=?(-3),?(8),PA-ETYPE-INFO2(19),"));
}

/* Numbers as printf writes them, at every size. */
static void
test_render_numbers(void)
{
    static const int ints[] = {0,     9,     10,      99,       100,
                               999,   1000,  65535,   99999,    100000,
                               -1,    -10,   -100000, INT_MAX,  INT_MIN,
                               12345, 54321, 1000000, 99999999, 100000000};
    static const uint64_t frames[] = {0,          1,          9,
                                      10,         123456,     4294967295u,
                                      4294967296, UINT64_MAX, 1000000000000};
    static const int32_t usecs[] = {0, 5, 99, 100, 123456, 999999};
    static kf_wire_msg m;
    char line[4096], want[512];
    size_t i, n;

    memset(&m, 0, sizeof(m));
    snprintf(m.src, sizeof(m.src), "10.0.0.1");
    snprintf(m.dst, sizeof(m.dst), "10.0.0.2");
    m.sec = 1700000000;
    m.krb.msg_type = KF_MSG_AS_REQ;
    m.krb.enc_etype = m.krb.error_code = -1;
    for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
        m.frame = frames[i];
        m.sport = (uint16_t)(i * 7919);
        m.dport = 65535;
        kf_wire_msg_text(&m, line, sizeof(line));
        snprintf(want, sizeof(want),
                 "%lld 2023-11-14T22:13:20.000000Z 10.0.0.1:%u -> "
                 "10.0.0.2:65535 udp AS-REQ",
                 (long long)frames[i], (unsigned)m.sport);
        ASSERT_STR(line, want);
    }
    for (i = 0; i < sizeof(usecs) / sizeof(usecs[0]); i++) {
        m.usec = usecs[i];
        kf_wire_msg_text(&m, line, sizeof(line));
        snprintf(want, sizeof(want), "T22:13:20.%06dZ ", (int)usecs[i]);
        CU_ASSERT_PTR_NOT_NULL(strstr(line, want));
    }
    /* A file's microseconds above a million: the last six digits. */
    m.usec = 1234567;
    kf_wire_msg_text(&m, line, sizeof(line));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "T22:13:20.234567Z "));
    for (i = 0; i < KF_MSG_MAX_ETYPES; i++)
        m.krb.etypes[i] = ints[i];
    m.krb.n_etypes = KF_MSG_MAX_ETYPES;
    kf_wire_msg_text(&m, line, sizeof(line));
    n = (size_t)snprintf(want, sizeof(want), " etypes=%d", ints[0]);
    for (i = 1; i < KF_MSG_MAX_ETYPES; i++)
        n += (size_t)snprintf(want + n, sizeof(want) - n, ",%d", ints[i]);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, want));
    m.krb.has_ticket = 1;
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        m.krb.ticket_etype = ints[i];
        m.krb.ticket_kvno = ints[sizeof(ints) / sizeof(ints[0]) - 1 - i];
        kf_wire_msg_text(&m, line, sizeof(line));
        snprintf(want, sizeof(want), " ticket=@,etype=%d,kvno=%d",
                 m.krb.ticket_etype, m.krb.ticket_kvno);
        CU_ASSERT_PTR_NOT_NULL(strstr(line, want));
    }
}

/* Every named padata type's label is its name and number; names come
 * with their lengths. */
static void
test_name_tables(void)
{
    char want[64];
    const char *name, *label;
    size_t len;
    int t, named = 0;

    for (t = -5; t < 400; t++) {
        name = kf_padata_name(t);
        len = 0;
        label = kf_padata_label(t, &len);
        if (name == NULL) {
            CU_ASSERT_PTR_NULL(label);
            continue;
        }
        named++;
        snprintf(want, sizeof(want), "%s(%d)", name, t);
        ASSERT_STR(label, want);
        CU_ASSERT_EQUAL(len, strlen(want));
        CU_ASSERT_EQUAL(kf_padata_parse(name), t);
        CU_ASSERT_EQUAL(kf_padata_parse(name + 3), t);
    }
    CU_ASSERT_EQUAL(named, 25);
    for (t = -1; t < 40; t++) {
        name = kf_kdc_option_name_len(t, &len);
        CU_ASSERT_PTR_EQUAL(name, kf_kdc_option_name(t));
        if (name != NULL)
            CU_ASSERT_EQUAL(len, strlen(name));
        name = kf_krbmsg_type_name_len(t, &len);
        ASSERT_STR(name, kf_krbmsg_type_name(t));
        CU_ASSERT_EQUAL(len, strlen(name));
        if (strcmp(name, "?") != 0)
            CU_ASSERT_EQUAL(kf_krbmsg_type_parse(name), t);
    }
}

/* What a byte of a string is shown as. */
static char
shown_as(uint8_t c)
{
    return c >= 0x20 && c < 0x7f ? (char)c : '?';
}

/* Strings and names of every length up to and past their fields, with a
 * byte that is not printable at every place: each such byte shows as '?',
 * all others as they are. */
static void
test_strings(void)
{
    krb5_context ctx = test_context();
    static char text[400], want[400], comp[3][40];
    krb5_data comps[3], d;
    krb5_principal_data server;
    krb5_error err;
    kf_krbmsg m;
    size_t n, bad, i, k;

    memset(&server, 0, sizeof(server));
    server.magic = KV5M_PRINCIPAL;
    server.realm.data = (char *)"NEKOMARU.LOCAL";
    server.realm.length = 14;
    server.data = comps;
    server.type = KRB5_NT_SRV_INST;
    for (n = 0; n <= 300; n += n < 40 ? 1 : 37) {
        for (bad = 0; bad <= n; bad += n < 20 ? 1 : 7) {
            /* Printable bytes, and at bad one that is not (cycling
             * through all the kinds: low, DEL, high). */
            for (i = 0; i < n; i++)
                text[i] = (char)(0x21 + (i * 7) % 0x5e);
            if (bad < n)
                text[bad] = (char)(bad % 3 == 0   ? 0x01 + bad % 0x1f
                                   : bad % 3 == 1 ? 0x7f
                                                  : 0x80 + bad % 0x80);
            /* The service name: three components cut from the text. */
            for (k = 0; k < 3; k++) {
                size_t len = (n + k) % 20;

                memcpy(comp[k], text + k, len < n ? len : n);
                comps[k].data = comp[k];
                comps[k].length = (unsigned)(len < n ? len : n);
            }
            server.length = n % 3 + 1;
            memset(&err, 0, sizeof(err));
            err.error = 24;
            err.server = &server;
            err.text.data = text;
            err.text.length = (unsigned)n;
            CU_ASSERT_EQUAL_FATAL(krb5_mk_error(ctx, &err, &d), 0);
            CU_ASSERT_EQUAL_FATAL(
                kf_krbmsg_decode((const uint8_t *)d.data, d.length, &m), 0);
            for (i = 0; i < n && i < 255; i++)
                want[i] = shown_as((uint8_t)text[i]);
            want[i] = '\0';
            ASSERT_STR(m.etext, want);
            /* Components joined by '/' once the name is not empty. */
            for (i = 0, k = 0; k < (size_t)server.length; k++) {
                size_t j;

                if (i > 0)
                    want[i++] = '/';
                for (j = 0; j < comps[k].length; j++)
                    want[i++] = shown_as((uint8_t)comp[k][j]);
            }
            want[i] = '\0';
            ASSERT_STR(m.sname, want);
            krb5_free_data_contents(ctx, &d);
        }
    }
    krb5_free_context(ctx);
}

/* A UDP datagram (raw IPv4 or IPv6) from a to b carrying payload. */
static size_t
udp_packet(uint8_t *out, int family, const uint8_t *a, const uint8_t *b,
           uint16_t sport, const uint8_t *payload, size_t n)
{
    size_t h = family == AF_INET ? 20 : 40;

    memset(out, 0, h + 8);
    if (family == AF_INET) {
        out[0] = 0x45;
        out[2] = (uint8_t)((h + 8 + n) >> 8);
        out[3] = (uint8_t)(h + 8 + n);
        out[9] = 17;
        memcpy(out + 12, a, 4);
        memcpy(out + 16, b, 4);
    } else {
        out[0] = 0x60;
        out[4] = (uint8_t)((8 + n) >> 8);
        out[5] = (uint8_t)(8 + n);
        out[6] = 17;
        memcpy(out + 8, a, 16);
        memcpy(out + 24, b, 16);
    }
    out[h] = (uint8_t)(sport >> 8);
    out[h + 1] = (uint8_t)sport;
    out[h + 3] = 88;
    out[h + 4] = (uint8_t)((8 + n) >> 8);
    out[h + 5] = (uint8_t)(8 + n);
    memcpy(out + h + 8, payload, n);
    return h + 8 + n;
}

/* Messages between more addresses than are kept written as text, in
 * both families, in an order that reuses every slot: each message's
 * addresses are its own packet's. */
static void
test_address_texts(void)
{
    static const char *const addrs[] = {
        "127.0.0.1", "127.1.2.1", "10.20.30.40", "::1",
        "fe80::1",   "127.1.2.3", "2001:db8::7", "192.168.0.1"};
    enum { N_ADDRS = sizeof(addrs) / sizeof(addrs[0]) };
    krb5_context ctx = test_context();
    krb5_data d = make_error(ctx, 25, "NEEDED_PREAUTH");
    static struct seen got;
    static uint8_t pkt[4096];
    uint8_t bin[N_ADDRS][16];
    int fam[N_ADDRS];
    unsigned seed = 11;
    size_t i, k, a, b, sent[256][2];
    kf_wire_stream *s;

    for (i = 0; i < N_ADDRS; i++) {
        fam[i] = strchr(addrs[i], ':') ? AF_INET6 : AF_INET;
        CU_ASSERT_EQUAL_FATAL(inet_pton(fam[i], addrs[i], bin[i]), 1);
    }
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    for (k = 0; k < 256; k++) {
        /* Mostly replies to the message before, sometimes anyone. */
        if (k > 0 && k % 3 != 0) {
            a = sent[k - 1][1];
            b = sent[k - 1][0];
        } else {
            a = (size_t)rand_r(&seed) % N_ADDRS;
            b = (size_t)rand_r(&seed) % N_ADDRS;
        }
        while (fam[b] != fam[a])
            b = (b + 1) % N_ADDRS;
        sent[k][0] = a;
        sent[k][1] = b;
        kf_wire_stream_packet(s, 12, 1, 0, pkt,
                              udp_packet(pkt, fam[a], bin[a], bin[b],
                                         (uint16_t)(1000 + k),
                                         (const uint8_t *)d.data, d.length));
    }
    kf_wire_stream_free(s);
    CU_ASSERT_EQUAL_FATAL(got.n, 256);
    for (k = 0; k < 256; k++) {
        ASSERT_STR(got.v[k].src, addrs[sent[k][0]]);
        ASSERT_STR(got.v[k].dst, addrs[sent[k][1]]);
        CU_ASSERT_EQUAL(got.v[k].sport, 1000 + k);
    }
    krb5_free_data_contents(ctx, &d);
    krb5_free_context(ctx);
}

/* Many TCP connections one after the other (their flows are reused), and
 * connections reset in the middle of a message: the next one on a reused
 * flow starts clean. */
static void
test_tcp_connections(void)
{
    krb5_context ctx = test_context();
    krb5_data d = make_error(ctx, 41, "integrity check on decrypted field");
    static struct seen got;
    static uint8_t rec[4096], pkt[8192];
    uint8_t ip[40] = {0x45, 0, 0,    0,    0,    0,    0x40, 0, 64, 6,
                      0,    0, 10,   0,    0,    1,    10,   0, 0,  2,
                      0,    0, 0,    88,   0,    0,    0,    0, 0,  0,
                      0,    0, 0x50, 0x18, 0xff, 0xff, 0,    0, 0,  0};
    kf_wire_stream *s;
    size_t n = d.length + 4, k, cut;

    rec[0] = rec[1] = 0;
    rec[2] = (uint8_t)(d.length >> 8);
    rec[3] = (uint8_t)d.length;
    memcpy(rec + 4, d.data, d.length);
    got.n = 0;
    s = kf_wire_stream_new(keep, &got);
    for (k = 0; k < 250; k++) {
        ip[20] = (uint8_t)((2000 + k) >> 8);
        ip[21] = (uint8_t)(2000 + k);
        cut = 1 + k % (n - 1);
        kf_wire_stream_packet(s, 12, 1, 0, pkt,
                              ip4_tcp(pkt, ip, 99, 0x02, NULL, 0));
        kf_wire_stream_packet(s, 12, 1, 0, pkt,
                              ip4_tcp(pkt, ip, 100, 0x18, rec, cut));
        if (k % 10 == 9) {
            /* Reset in the middle of the message: it is dropped. */
            kf_wire_stream_packet(s, 12, 1, 0, pkt,
                                  ip4_tcp(pkt, ip, 100, 0x04, NULL, 0));
            continue;
        }
        kf_wire_stream_packet(
            s, 12, 1, 0, pkt,
            ip4_tcp(pkt, ip, 100 + (uint32_t)cut, 0x19, rec + cut, n - cut));
    }
    kf_wire_stream_free(s);
    CU_ASSERT_EQUAL_FATAL(got.n, 225);
    for (k = 0; k < got.n; k++) {
        CU_ASSERT_EQUAL(got.v[k].krb.error_code, 41);
        CU_ASSERT_EQUAL(got.v[k].transport, KF_TR_TCP);
        CU_ASSERT_EQUAL(got.v[k].sport, 2000 + k + k / 9);
    }
    krb5_free_data_contents(ctx, &d);
    krb5_free_context(ctx);
}

/* What a scan of a capture yielded: its lines, status and error. */
struct scan_out {
    char text[200000];
    size_t len;
    int rc;
    char err[512];
};

static void
scan_line(const kf_wire_msg *m, void *arg)
{
    struct scan_out *o = arg;

    if (sizeof(o->text) - o->len > 4096) {
        o->len += kf_wire_msg_text(m, o->text + o->len, 4096);
        o->text[o->len++] = '\n';
    }
}

/* Keep the outcome of a scan in o. */
static void
scan_done(struct scan_out *o, int rc, char *err)
{
    o->rc = rc;
    snprintf(o->err, sizeof(o->err), "%s", err != NULL ? err : "");
    free(err);
}

/* A classic pcap's bytes, changed: a little-endian file made big-endian,
 * nanosecond, version 2.3, with another snaplen, or with one record's
 * caplen changed. */
static size_t
pcap_variant(const uint8_t *in, size_t n, uint8_t *out, int kind)
{
    size_t off = 24, rec = 0;
    uint32_t v;

    memcpy(out, in, n);
    if (kind == 1) /* nanoseconds */
        memcpy(out, "\x4d\x3c\xb2\xa1", 4);
    if (kind == 2) { /* version 2.3 */
        out[6] = 3;
    }
    if (kind == 3) /* snaplen 200: longer records are cut by libpcap */
        memcpy(out + 16, "\xc8\0\0\0", 4);
    for (; off + 16 <= n; rec++) {
        uint32_t caplen;

        memcpy(&caplen, in + off + 8, 4);
        if (kind == 1) { /* microseconds to nanoseconds */
            memcpy(&v, in + off + 4, 4);
            v = v * 1000 + 999;
            memcpy(out + off + 4, &v, 4);
        }
        if (kind == 4 && rec == 5) { /* bigger than libpcap allows */
            v = 300000;
            memcpy(out + off + 8, &v, 4);
        }
        if (kind == 5 && rec == 7) { /* more than the file holds */
            v = caplen + 100000;
            memcpy(out + off + 8, &v, 4);
        }
        if (kind == 6) { /* every field big-endian */
            size_t i;

            for (i = 0; i < 16; i += 4) {
                uint8_t t[4];

                memcpy(t, in + off + i, 4);
                out[off + i] = t[3];
                out[off + i + 1] = t[2];
                out[off + i + 2] = t[1];
                out[off + i + 3] = t[0];
            }
        }
        off += 16 + caplen;
    }
    if (kind == 6) {
        size_t i;
        static const uint8_t sizes[] = {4, 2, 2, 4, 4, 4, 4};

        for (i = 0, off = 0; i < sizeof(sizes); off += sizes[i++]) {
            uint8_t t[4];

            memcpy(t, in + off, sizes[i]);
            for (v = 0; v < sizes[i]; v++)
                out[off + v] = t[sizes[i] - 1 - v];
        }
    }
    return n;
}

/* Read a capture's bytes as libpcap alone reads them, packet by packet
 * into a stream, into o: the reference for records read in place.  An
 * error is reported as kf_wire_scan_file reports it. */
static void
scan_libpcap(const uint8_t *data, size_t n, const char *path,
             struct scan_out *o)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *d;
    kf_wire_stream *s;
    FILE *f = fmemopen((void *)data, n, "rb");
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
        f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    long long pos = 24;
    int rc;

    o->len = 0;
    o->rc = 0;
    o->err[0] = '\0';
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    s = kf_wire_stream_new(scan_line, o);
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        kf_wire_stream_packet(s, pcap_datalink(p), h->ts.tv_sec,
                              (int32_t)h->ts.tv_usec, d, h->caplen);
        pos += 16 + (long long)h->caplen;
    }
    if (rc != PCAP_ERROR_BREAK) {
        o->rc = -1;
        snprintf(o->err, sizeof(o->err),
                 "%s: truncated or malformed record at offset %lld: %s", path,
                 pos, pcap_geterr(p));
    }
    kf_wire_stream_free(s);
    pcap_close(p);
}

/* Records read in place (from a file, or a stream in memory) give what
 * libpcap reads, message for message and error for error: for the files
 * it reads unchanged and for those it changes or refuses (swapped,
 * nanosecond, version 2.3, a smaller snaplen, records too big, a file cut
 * short anywhere). */
static void
test_pcap_in_place(void)
{
    static const char *const files[] = {
        CAPTURE("preauth-wrong-password-mit.pcap"),
        CAPTURE("ap-replay-mit.pcap")};
    static uint8_t in[300000], var[300000];
    static struct scan_out a, b, c;
    char path[] = "/tmp/kf-unit-inplace-XXXXXX";
    size_t f, n, len, cuts;
    int kind, rc, fd = mkstemp(path);
    FILE *fp;

    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        fp = fopen(files[f], "rb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
        n = fread(in, 1, sizeof(in), fp);
        fclose(fp);
        CU_ASSERT_FATAL(n > 1000 && n < sizeof(in));
        for (kind = 0; kind <= 6; kind++) {
            pcap_variant(in, n, var, kind);
            for (cuts = 0; cuts < 6; cuts++) {
                char *err = NULL;

                /* The whole file, then cut at a few places. */
                len = cuts == 0 ? n : 24 + (n - 24) * cuts / 6 + cuts;
                scan_libpcap(var, len, path, &a);
                fp = fopen(path, "wb");
                fwrite(var, 1, len, fp);
                fclose(fp);
                b.len = c.len = 0;
                rc = kf_wire_scan_pcap(path, scan_line, &b, &err);
                scan_done(&b, rc, err);
                err = NULL;
                fp = fmemopen(var, len, "rb");
                rc = kf_wire_scan_file(fp, path, scan_line, &c, &err);
                scan_done(&c, rc, err);
                CU_ASSERT_EQUAL(b.rc, a.rc);
                CU_ASSERT_EQUAL(c.rc, a.rc);
                ASSERT_STR(b.err, a.err);
                ASSERT_STR(c.err, a.err);
                CU_ASSERT(a.len == b.len &&
                          memcmp(a.text, b.text, a.len) == 0);
                CU_ASSERT(a.len == c.len &&
                          memcmp(a.text, c.text, a.len) == 0);
                /* Nothing is lost reading the good ones. */
                if (cuts == 0 && kind != 3 && kind != 4 && kind != 5)
                    CU_ASSERT(a.rc == 0 && a.len > 2000);
            }
        }
    }
    unlink(path);
}

int
kf_add_wire_suite(void)
{
    CU_pSuite s = CU_add_suite("wire decoder", NULL, NULL);

    if (s == NULL || CU_add_test(s, "KRB-ERROR", test_krb_error) == NULL ||
        CU_add_test(s, "AS-REQ", test_as_req) == NULL ||
        CU_add_test(s, "hostile input", test_hostile) == NULL ||
        CU_add_test(s, "names", test_names) == NULL ||
        CU_add_test(s, "spellings", test_spellings) == NULL ||
        CU_add_test(s, "capture: UDP", test_capture_udp) == NULL ||
        CU_add_test(s, "capture: TCP", test_capture_tcp) == NULL ||
        CU_add_test(s, "capture: kpasswd", test_capture_kpasswd) == NULL ||
        CU_add_test(s, "TCP reassembly", test_tcp_reassembly) == NULL ||
        CU_add_test(s, "HTTP Negotiate", test_http_negotiate) == NULL ||
        CU_add_test(s, "HTTP base64", test_http_base64) == NULL ||
        CU_add_test(s, "link layers", test_link_layers) == NULL ||
        CU_add_test(s, "hostile packets", test_hostile_packets) == NULL ||
        CU_add_test(s, "render", test_render) == NULL ||
        CU_add_test(s, "bad files", test_bad_files) == NULL ||
        CU_add_test(s, "render: prefixes", test_render_prefixes) == NULL ||
        CU_add_test(s, "render: numbers", test_render_numbers) == NULL ||
        CU_add_test(s, "name tables", test_name_tables) == NULL ||
        CU_add_test(s, "strings", test_strings) == NULL ||
        CU_add_test(s, "address texts", test_address_texts) == NULL ||
        CU_add_test(s, "TCP connections", test_tcp_connections) == NULL ||
        CU_add_test(s, "pcap read in place", test_pcap_in_place) == NULL)
        return -1;
    return 0;
}
