/* Unit tests of the lab DNS: zone files and the answer to a query. */
#include <CUnit/CUnit.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "helpers.h"

/* The zone most tests answer from. */
static const char zone_text[] =
    "; the lab zone\n"
    "lab.test. 60 IN SOA ns.lab.test. admin.lab.test. 1 3600 600 86400 "
    "60\n"
    "web.lab.test. 60 IN A 127.9.9.3\n"
    "web.lab.test. 60 IN A 127.9.9.4\n"
    "sv01.lab.test. 60 IN A 127.9.9.3\n"
    "alias.lab.test. 60 IN CNAME web.lab.test.\n"
    "alias2.lab.test. 60 IN CNAME alias.lab.test.\n"
    "dangling.lab.test. 60 IN CNAME gone.lab.test.\n"
    "loop1.lab.test. 60 IN CNAME loop2.lab.test.\n"
    "loop2.lab.test. 60 IN CNAME loop1.lab.test.\n"
    "_kerberos._udp.lab.test. 60 IN SRV 0 0 88 dc01.lab.test.\n"
    "_kerberos._udp.lab.test. 60 IN SRV 10 0 88 dc02.lab.test.\n"
    "txt.lab.test. 60 IN TXT \"hello world\"\n"
    "3.9.9.127.in-addr.arpa. 60 IN PTR sv03.lab.test.\n"
    "other.test. 60 IN A 127.9.9.7\n";

/* Load a zone from text, failing the test if it does not load. */
static kf_dns_zone *
load(const char *text)
{
    kf_dns_zone *z = NULL;
    char *err = NULL;

    if (kf_dns_zone_parse(text, strlen(text), "test.zone", &z, &err) != 0) {
        ASSERT_STR(err, NULL);
        free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    return z;
}

/* Return the message a zone fails to load with (a new string). */
static char *
load_error(const char *text)
{
    kf_dns_zone *z = NULL;
    char *err = NULL;

    CU_ASSERT_EQUAL(
        kf_dns_zone_parse(text, strlen(text), "bad.zone", &z, &err), -1);
    CU_ASSERT_PTR_NULL(z);
    kf_dns_zone_free(z);
    return err;
}

/* Encode a query with ldns: id 4242, RD set, optionally with an OPT
 * record of the given UDP size (edns 0 for none). */
static uint8_t *
query(const char *name, ldns_rr_type type, ldns_rr_class cls, int edns,
      size_t *len)
{
    ldns_pkt *q = NULL;
    uint8_t *wire = NULL;

    CU_ASSERT_EQUAL_FATAL(
        ldns_pkt_query_new_frm_str(&q, name, type, cls, LDNS_RD),
        LDNS_STATUS_OK);
    ldns_pkt_set_id(q, 4242);
    if (edns > 0)
        ldns_pkt_set_edns_udp_size(q, (uint16_t)edns);
    CU_ASSERT_EQUAL_FATAL(ldns_pkt2wire(&wire, q, len), LDNS_STATUS_OK);
    ldns_pkt_free(q);
    return wire;
}

/* Ask the zone a question; return the decoded reply and fill r. */
static ldns_pkt *
ask_wire(const kf_dns_zone *z, const uint8_t *wire, size_t len, bool tcp,
         kf_dns_reply *r)
{
    ldns_pkt *p = NULL;

    CU_ASSERT_EQUAL_FATAL(kf_dns_answer(z, wire, len, tcp, r), 0);
    if (r->wire == NULL)
        return NULL;
    CU_ASSERT_EQUAL_FATAL(ldns_wire2pkt(&p, r->wire, r->len), LDNS_STATUS_OK);
    return p;
}

/* Ask (name, type) over UDP without EDNS0. */
static ldns_pkt *
ask(const kf_dns_zone *z, const char *name, ldns_rr_type type, kf_dns_reply *r)
{
    size_t len;
    uint8_t *wire = query(name, type, LDNS_RR_CLASS_IN, 0, &len);
    ldns_pkt *p = ask_wire(z, wire, len, false, r);

    free(wire);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

/* Free a decoded reply and what kf_dns_answer made. */
static void
release(ldns_pkt *p, kf_dns_reply *r)
{
    ldns_pkt_free(p);
    kf_dns_reply_free(r);
}

/* Return the i-th record of a section in presentation format, tabs made
 * spaces, as a new string. */
static char *
section_rr(ldns_pkt *p, ldns_pkt_section sec, size_t i)
{
    ldns_rr_list *l = ldns_pkt_get_section_clone(p, sec);
    char *s = NULL, *c;

    if (l != NULL && i < ldns_rr_list_rr_count(l)) {
        s = ldns_rr2str(ldns_rr_list_rr(l, i));
        for (c = s; *c != '\0'; c++) {
            if (*c == '\t' || *c == '\n')
                *c = *c == '\t' ? ' ' : '\0';
        }
    }
    ldns_rr_list_deep_free(l);
    return s;
}

/* Assert the i-th answer record of a reply. */
#define ASSERT_ANSWER(p, i, text)                                             \
    do {                                                                      \
        char *s_ = section_rr((p), LDNS_SECTION_ANSWER, (i));                 \
        ASSERT_STR(s_, (text));                                               \
        free(s_);                                                             \
    } while (0)

/* Two A records for one name come back both, in file order, marked
 * authoritative and not recursive, and the log strings match the wire. */
static void
test_a_duplicates(void)
{
    kf_dns_zone *z = load(zone_text);
    kf_dns_reply r;
    ldns_pkt *p = ask(z, "web.lab.test.", LDNS_RR_TYPE_A, &r);

    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
    CU_ASSERT_EQUAL(ldns_pkt_id(p), 4242);
    CU_ASSERT_TRUE(ldns_pkt_qr(p));
    CU_ASSERT_TRUE(ldns_pkt_aa(p));
    CU_ASSERT_FALSE(ldns_pkt_ra(p));
    CU_ASSERT_TRUE(ldns_pkt_rd(p));
    CU_ASSERT_FALSE(ldns_pkt_tc(p));
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 2);
    ASSERT_ANSWER(p, 0, "web.lab.test. 60 IN A 127.9.9.3");
    ASSERT_ANSWER(p, 1, "web.lab.test. 60 IN A 127.9.9.4");
    CU_ASSERT_EQUAL(ldns_pkt_nscount(p), 0);
    ASSERT_STR(r.qname, "web.lab.test.");
    ASSERT_STR(r.qtype, "A");
    ASSERT_STR(r.rcode, "NOERROR");
    CU_ASSERT_EQUAL_FATAL(r.n_answer, 2);
    ASSERT_STR(r.answer[0], "web.lab.test. 60 IN A 127.9.9.3");
    ASSERT_STR(r.answer[1], "web.lab.test. 60 IN A 127.9.9.4");
    CU_ASSERT_EQUAL(r.edns, -1);
    release(p, &r);
    kf_dns_zone_free(z);
}

/* Names match whatever their case; the question keeps the asker's. */
static void
test_case_insensitive(void)
{
    kf_dns_zone *z = load(zone_text);
    kf_dns_reply r;
    ldns_pkt *p = ask(z, "WEB.Lab.TEST.", LDNS_RR_TYPE_A, &r);

    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 2);
    ASSERT_STR(r.qname, "WEB.Lab.TEST.");
    release(p, &r);
    kf_dns_zone_free(z);
}

/* A CNAME is followed through the zone, two links deep; a CNAME query
 * gets the CNAME alone; a CNAME to a missing name is NXDOMAIN. */
static void
test_cname_chase(void)
{
    kf_dns_zone *z = load(zone_text);
    kf_dns_reply r;
    ldns_pkt *p = ask(z, "alias2.lab.test.", LDNS_RR_TYPE_A, &r);

    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 4);
    ASSERT_ANSWER(p, 0, "alias2.lab.test. 60 IN CNAME alias.lab.test.");
    ASSERT_ANSWER(p, 1, "alias.lab.test. 60 IN CNAME web.lab.test.");
    ASSERT_ANSWER(p, 2, "web.lab.test. 60 IN A 127.9.9.3");
    ASSERT_ANSWER(p, 3, "web.lab.test. 60 IN A 127.9.9.4");
    release(p, &r);

    p = ask(z, "alias.lab.test.", LDNS_RR_TYPE_CNAME, &r);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 1);
    ASSERT_ANSWER(p, 0, "alias.lab.test. 60 IN CNAME web.lab.test.");
    release(p, &r);

    p = ask(z, "dangling.lab.test.", LDNS_RR_TYPE_A, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 1);
    CU_ASSERT_EQUAL(ldns_pkt_nscount(p), 1);
    release(p, &r);
    kf_dns_zone_free(z);
}

/* A CNAME loop ends with each link once; an overlong chain stops at
 * KF_DNS_MAX_CHAIN links. */
static void
test_cname_loop(void)
{
    kf_dns_zone *z = load(zone_text), *chain;
    kf_dns_reply r;
    ldns_pkt *p = ask(z, "loop1.lab.test.", LDNS_RR_TYPE_A, &r);
    char text[8192], *end = text;
    int i;

    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 2);
    ASSERT_ANSWER(p, 0, "loop1.lab.test. 60 IN CNAME loop2.lab.test.");
    ASSERT_ANSWER(p, 1, "loop2.lab.test. 60 IN CNAME loop1.lab.test.");
    release(p, &r);
    kf_dns_zone_free(z);

    for (i = 0; i < 40; i++)
        end += snprintf(end, sizeof(text) - (size_t)(end - text),
                        "c%d.lab.test. CNAME c%d.lab.test.\n", i, i + 1);
    snprintf(end, sizeof(text) - (size_t)(end - text),
             "c40.lab.test. A 127.9.9.40\n");
    chain = load(text);
    p = ask(chain, "c0.lab.test.", LDNS_RR_TYPE_A, &r);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), KF_DNS_MAX_CHAIN + 1);
    release(p, &r);
    kf_dns_zone_free(chain);
}

/* PTR and SRV records are answered like any other, SRV in file order. */
static void
test_ptr_srv_txt(void)
{
    kf_dns_zone *z = load(zone_text);
    kf_dns_reply r;
    ldns_pkt *p = ask(z, "3.9.9.127.in-addr.arpa.", LDNS_RR_TYPE_PTR, &r);

    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 1);
    ASSERT_ANSWER(p, 0, "3.9.9.127.in-addr.arpa. 60 IN PTR sv03.lab.test.");
    release(p, &r);

    p = ask(z, "_kerberos._udp.lab.test.", LDNS_RR_TYPE_SRV, &r);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 2);
    ASSERT_ANSWER(p, 0,
                  "_kerberos._udp.lab.test. 60 IN SRV 0 0 88 "
                  "dc01.lab.test.");
    ASSERT_ANSWER(p, 1,
                  "_kerberos._udp.lab.test. 60 IN SRV 10 0 88 "
                  "dc02.lab.test.");
    release(p, &r);

    p = ask(z, "txt.lab.test.", LDNS_RR_TYPE_TXT, &r);
    ASSERT_ANSWER(p, 0, "txt.lab.test. 60 IN TXT \"hello world\"");
    release(p, &r);

    p = ask(z, "lab.test.", LDNS_RR_TYPE_SOA, &r);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 1);
    release(p, &r);
    kf_dns_zone_free(z);
}

/* A missing name is NXDOMAIN, a name with other types (or only names
 * below it) NOERROR with no answer; both carry the closest SOA. */
static void
test_nxdomain_nodata(void)
{
    kf_dns_zone *z = load(zone_text);
    kf_dns_reply r;
    ldns_pkt *p = ask(z, "nope.lab.test.", LDNS_RR_TYPE_A, &r);
    char *soa;

    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
    CU_ASSERT_TRUE(ldns_pkt_aa(p));
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    CU_ASSERT_EQUAL(ldns_pkt_nscount(p), 1);
    soa = section_rr(p, LDNS_SECTION_AUTHORITY, 0);
    CU_ASSERT_PTR_NOT_NULL(soa);
    CU_ASSERT_PTR_NOT_NULL(soa ? strstr(soa, "lab.test. 60 IN SOA") : NULL);
    free(soa);
    ASSERT_STR(r.rcode, "NXDOMAIN");
    CU_ASSERT_EQUAL(r.n_authority, 1);
    release(p, &r);

    p = ask(z, "web.lab.test.", LDNS_RR_TYPE_AAAA, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    CU_ASSERT_EQUAL(ldns_pkt_nscount(p), 1);
    release(p, &r);

    /* An empty non-terminal exists. */
    p = ask(z, "_udp.lab.test.", LDNS_RR_TYPE_A, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    release(p, &r);

    /* Outside every origin with an SOA: NXDOMAIN with no authority. */
    p = ask(z, "example.com.", LDNS_RR_TYPE_A, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
    CU_ASSERT_EQUAL(ldns_pkt_nscount(p), 0);
    release(p, &r);

    /* A name of a second origin in the same file. */
    p = ask(z, "other.test.", LDNS_RR_TYPE_A, &r);
    ASSERT_ANSWER(p, 0, "other.test. 60 IN A 127.9.9.7");
    release(p, &r);
    kf_dns_zone_free(z);
}

/* An answer too big for 512 bytes is truncated over UDP (TC, no records),
 * fits in a larger EDNS0 size, and goes whole over TCP. */
static void
test_truncation(void)
{
    char text[8192], *end = text;
    kf_dns_zone *z;
    kf_dns_reply r;
    ldns_pkt *p;
    uint8_t *wire;
    size_t len;
    int i;

    for (i = 1; i <= 60; i++)
        end += snprintf(end, sizeof(text) - (size_t)(end - text),
                        "many.lab.test. 60 IN A 127.9.8.%d\n", i);
    z = load(text);

    p = ask(z, "many.lab.test.", LDNS_RR_TYPE_A, &r);
    CU_ASSERT_TRUE(ldns_pkt_tc(p));
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    CU_ASSERT_EQUAL(ldns_pkt_qdcount(p), 1);
    CU_ASSERT_TRUE(r.len <= 512);
    CU_ASSERT_TRUE(r.tc);
    CU_ASSERT_EQUAL(r.n_answer, 0);
    release(p, &r);

    wire = query("many.lab.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0, &len);
    p = ask_wire(z, wire, len, true, &r);
    CU_ASSERT_FALSE(ldns_pkt_tc(p));
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 60);
    ASSERT_ANSWER(p, 59, "many.lab.test. 60 IN A 127.9.8.60");
    release(p, &r);
    free(wire);

    wire =
        query("many.lab.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 4096, &len);
    p = ask_wire(z, wire, len, false, &r);
    CU_ASSERT_FALSE(ldns_pkt_tc(p));
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 60);
    CU_ASSERT_EQUAL(r.edns, 4096);
    CU_ASSERT_TRUE(ldns_pkt_edns(p));
    CU_ASSERT_EQUAL(ldns_pkt_edns_udp_size(p), KF_DNS_EDNS_SIZE);
    release(p, &r);
    free(wire);

    /* An EDNS0 size below 512 counts as 512. */
    wire =
        query("many.lab.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 100, &len);
    p = ask_wire(z, wire, len, false, &r);
    CU_ASSERT_TRUE(ldns_pkt_tc(p));
    CU_ASSERT_TRUE(ldns_pkt_edns(p));
    release(p, &r);
    free(wire);
    kf_dns_zone_free(z);
}

/* EDNS0: the reply carries an OPT, copies DO, and answers BADVERS to a
 * version it does not speak. */
static void
test_edns(void)
{
    kf_dns_zone *z = load(zone_text);
    kf_dns_reply r;
    ldns_pkt *q = NULL, *p;
    uint8_t *wire = NULL;
    size_t len;

    CU_ASSERT_EQUAL_FATAL(ldns_pkt_query_new_frm_str(&q, "web.lab.test.",
                                                     LDNS_RR_TYPE_A,
                                                     LDNS_RR_CLASS_IN, 0),
                          LDNS_STATUS_OK);
    ldns_pkt_set_edns_udp_size(q, 1400);
    ldns_pkt_set_edns_do(q, true);
    CU_ASSERT_EQUAL_FATAL(ldns_pkt2wire(&wire, q, &len), LDNS_STATUS_OK);
    p = ask_wire(z, wire, len, false, &r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_TRUE(ldns_pkt_edns(p));
    CU_ASSERT_TRUE(ldns_pkt_edns_do(p));
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 2);
    CU_ASSERT_EQUAL(r.edns, 1400);
    release(p, &r);
    free(wire);

    ldns_pkt_set_edns_version(q, 1);
    CU_ASSERT_EQUAL_FATAL(ldns_pkt2wire(&wire, q, &len), LDNS_STATUS_OK);
    p = ask_wire(z, wire, len, false, &r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(ldns_pkt_edns_extended_rcode(p), 1);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), 0);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    ASSERT_STR(r.rcode, "BADVERS");
    release(p, &r);
    free(wire);
    ldns_pkt_free(q);
    kf_dns_zone_free(z);
}

/* Malformed or unanswerable queries: dropped when too short or a
 * response, FORMERR when unreadable or with two questions, NOTIMP for
 * other opcodes and transfers, REFUSED for other classes. */
static void
test_malformed(void)
{
    kf_dns_zone *z = load(zone_text);
    static const uint8_t shortq[] = {0x12, 0x34, 0x01, 0x00, 0x00};
    /* Header: id 0x1234, RD, one question; then a label running off the
     * end of the packet. */
    static const uint8_t badq[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01,
                                   0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x3f, 'w',  'e',  'b'};
    kf_dns_reply r;
    ldns_pkt *p, *q = NULL;
    uint8_t *wire, *w2 = NULL;
    size_t len, len2;

    CU_ASSERT_EQUAL(kf_dns_answer(z, shortq, sizeof(shortq), false, &r), 0);
    CU_ASSERT_PTR_NULL(r.wire);
    CU_ASSERT_PTR_NULL(r.rcode);
    kf_dns_reply_free(&r);

    p = ask_wire(z, badq, sizeof(badq), false, &r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_FORMERR);
    CU_ASSERT_EQUAL(ldns_pkt_id(p), 0x1234);
    CU_ASSERT_EQUAL(ldns_pkt_qdcount(p), 0);
    CU_ASSERT_FALSE(ldns_pkt_aa(p));
    ASSERT_STR(r.rcode, "FORMERR");
    CU_ASSERT_PTR_NULL(r.qname);
    release(p, &r);

    /* A response is never answered (no reflection loops). */
    wire = query("web.lab.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0, &len);
    wire[2] |= 0x80;
    CU_ASSERT_EQUAL(kf_dns_answer(z, wire, len, false, &r), 0);
    CU_ASSERT_PTR_NULL(r.wire);
    kf_dns_reply_free(&r);
    wire[2] &= 0x7f;

    /* Opcode STATUS. */
    wire[2] = (uint8_t)((wire[2] & 0x87) | (LDNS_PACKET_STATUS << 3));
    p = ask_wire(z, wire, len, false, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOTIMPL);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    release(p, &r);
    free(wire);

    /* Two questions. */
    CU_ASSERT_EQUAL_FATAL(ldns_pkt_query_new_frm_str(&q, "web.lab.test.",
                                                     LDNS_RR_TYPE_A,
                                                     LDNS_RR_CLASS_IN, 0),
                          LDNS_STATUS_OK);
    ldns_pkt_push_rr(q, LDNS_SECTION_QUESTION,
                     ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
    CU_ASSERT_EQUAL_FATAL(ldns_pkt2wire(&w2, q, &len2), LDNS_STATUS_OK);
    p = ask_wire(z, w2, len2, false, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_FORMERR);
    CU_ASSERT_EQUAL(ldns_pkt_ancount(p), 0);
    release(p, &r);
    free(w2);
    ldns_pkt_free(q);

    wire = query("web.lab.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_CH, 0, &len);
    p = ask_wire(z, wire, len, false, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
    release(p, &r);
    free(wire);

    wire = query("lab.test.", LDNS_RR_TYPE_AXFR, LDNS_RR_CLASS_IN, 0, &len);
    p = ask_wire(z, wire, len, true, &r);
    CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOTIMPL);
    release(p, &r);
    free(wire);
    kf_dns_zone_free(z);
}

/* Every prefix of a query and random packets get an answer or are
 * dropped, never a crash (the sanitizer build checks the memory). */
static void
test_hostile_packets(void)
{
    kf_dns_zone *z = load(zone_text);
    uint8_t pkt[600];
    kf_dns_reply r;
    uint8_t *wire;
    size_t len, i, j;
    unsigned int seed = 12345;

    wire = query("_kerberos._udp.lab.test.", LDNS_RR_TYPE_SRV,
                 LDNS_RR_CLASS_IN, 1232, &len);
    for (i = 0; i <= len; i++) {
        CU_ASSERT_EQUAL(kf_dns_answer(z, wire, i, false, &r), 0);
        CU_ASSERT_TRUE(r.wire == NULL || r.len >= 12);
        kf_dns_reply_free(&r);
    }
    free(wire);
    for (i = 0; i < 2000; i++) {
        size_t n = (size_t)(rand_r(&seed) % sizeof(pkt));

        for (j = 0; j < n; j++)
            pkt[j] = (uint8_t)rand_r(&seed);
        if (n > 2)
            pkt[2] &= 0x7f; /* a query, so it gets past the first check */
        CU_ASSERT_EQUAL(kf_dns_answer(z, pkt, n, i % 2 == 0, &r), 0);
        kf_dns_reply_free(&r);
    }
    kf_dns_zone_free(z);
}

/* Zone files: $ORIGIN, $TTL, blank owners and comments are read; records
 * keep file order; errors name the file, the record's first line and
 * what ldns says. */
static void
test_zone_file(void)
{
    kf_dns_zone *z;
    kf_dns_reply r;
    ldns_pkt *p;
    char *err;

    z = load("$TTL 120\n"
             "$ORIGIN lab.test.\n"
             "; a comment\n"
             "web A 127.9.9.3 ; trailing comment\n"
             "    A 127.9.9.4\n"
             "@ SOA ns admin ( 1 ; serial\n"
             "        3600 600 86400 60 )\n"
             "alias CNAME web\n");
    CU_ASSERT_EQUAL(kf_dns_zone_count(z), 4);
    p = ask(z, "alias.lab.test.", LDNS_RR_TYPE_A, &r);
    ASSERT_ANSWER(p, 0, "alias.lab.test. 120 IN CNAME web.lab.test.");
    ASSERT_ANSWER(p, 1, "web.lab.test. 120 IN A 127.9.9.3");
    ASSERT_ANSWER(p, 2, "web.lab.test. 120 IN A 127.9.9.4");
    release(p, &r);
    kf_dns_zone_free(z);

    z = load("");
    CU_ASSERT_EQUAL(kf_dns_zone_count(z), 0);
    kf_dns_zone_free(z);

    err = load_error("web.lab.test. A 127.9.9.3\n"
                     "lab.test. SOA ns.lab.test. admin.lab.test. ( 1\n"
                     "    3600 600 86400 60 )\n"
                     "\n"
                     "; comment\n"
                     "bad.lab.test. A 999.1.1.1\n");
    ASSERT_STR(err, "bad.zone:6: `bad.lab.test. A 999.1.1.1': Syntax "
                    "error, could not parse the RR's rdata");
    free(err);

    err = load_error("web A 127.9.9.3\n");
    ASSERT_STR(err, "bad.zone:1: `web A 127.9.9.3': the name `web' is "
                    "relative and no $ORIGIN is set: write absolute names "
                    "(ending in '.')");
    free(err);

    err = load_error("alias.lab.test. CNAME web\n");
    CU_ASSERT_PTR_NOT_NULL(err ? strstr(err, "the name `web' is relative")
                               : NULL);
    free(err);

    err = load_error("web.lab.test. CH A 127.9.9.3\n");
    ASSERT_STR(err, "bad.zone:1: `web.lab.test. CH A 127.9.9.3': only "
                    "class IN is served");
    free(err);

    err = load_error("web.lab.test. A 127.9.9.3\n$INCLUDE /etc/passwd\n");
    ASSERT_STR(err, "bad.zone:2: `$INCLUDE /etc/passwd': $INCLUDE is not "
                    "supported");
    free(err);

    err = load_error("web.lab.test. BOGUS 1\n");
    CU_ASSERT_PTR_NOT_NULL(err ? strstr(err, "bad.zone:1: ") : NULL);
    free(err);

    err = NULL;
    CU_ASSERT_EQUAL(kf_dns_zone_load("/nonexistent/zone", &z, &err), -1);
    ASSERT_STR(err, "cannot open /nonexistent/zone: No such file or "
                    "directory");
    free(err);
}

int
kf_add_dns_suite(void)
{
    CU_pSuite s = CU_add_suite("dns", NULL, NULL);

    if (s == NULL)
        return -1;
    if (!CU_add_test(s, "A duplicates in file order", test_a_duplicates) ||
        !CU_add_test(s, "names match case-insensitively",
                     test_case_insensitive) ||
        !CU_add_test(s, "CNAME chase", test_cname_chase) ||
        !CU_add_test(s, "CNAME loop and long chain", test_cname_loop) ||
        !CU_add_test(s, "PTR, SRV, TXT, SOA", test_ptr_srv_txt) ||
        !CU_add_test(s, "NXDOMAIN and NODATA", test_nxdomain_nodata) ||
        !CU_add_test(s, "truncation over UDP", test_truncation) ||
        !CU_add_test(s, "EDNS0", test_edns) ||
        !CU_add_test(s, "malformed queries", test_malformed) ||
        !CU_add_test(s, "hostile packets", test_hostile_packets) ||
        !CU_add_test(s, "zone files", test_zone_file))
        return -1;
    return 0;
}
