/* The lab DNS's answer to one query: a pure function of packet and zone. */
#define _GNU_SOURCE
#include "dns.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* The largest UDP reply without EDNS0 (RFC 1035 4.2.1). */
#define PLAIN_UDP_SIZE 512

/* The reply being built: the fixed part (header, question, OPT) and the
 * records of the three sections, which point into the zone. */
struct build {
    ldns_pkt *base;
    const ldns_rr **answer;
    size_t n_answer, cap_answer;
    const ldns_rr *authority[1];
    size_t n_authority;
    bool oom; /* memory ran out while adding records */
};

/* Return the name of an rcode, BADVERS included (extended rcode 1). */
static const char *
rcode_name(int rcode)
{
    switch (rcode) {
    case LDNS_RCODE_NOERROR:
        return "NOERROR";
    case LDNS_RCODE_FORMERR:
        return "FORMERR";
    case LDNS_RCODE_SERVFAIL:
        return "SERVFAIL";
    case LDNS_RCODE_NXDOMAIN:
        return "NXDOMAIN";
    case LDNS_RCODE_NOTIMPL:
        return "NOTIMP";
    case LDNS_RCODE_REFUSED:
        return "REFUSED";
    case 16:
        return "BADVERS";
    default:
        return "RCODE?";
    }
}

/* Add a zone record to the answer section. */
static void
add_answer(struct build *b, const ldns_rr *rr)
{
    const ldns_rr **grown;

    if (b->n_answer == b->cap_answer) {
        b->cap_answer = b->cap_answer ? b->cap_answer * 2 : 8;
        grown = realloc(b->answer, b->cap_answer * sizeof(*grown));
        if (grown == NULL) {
            b->oom = true;
            return;
        }
        b->answer = grown;
    }
    b->answer[b->n_answer++] = rr;
}

/* Return whether a record's owner is name (case-insensitively). */
static bool
owner_is(const ldns_rr *rr, const ldns_rdf *name)
{
    return ldns_dname_compare(ldns_rr_owner(rr), name) == 0;
}

/* Return whether the zone has name: a record of it, or one below it (an
 * empty non-terminal such as _udp.example.test. exists). */
static bool
name_exists(const kf_dns_zone *z, const ldns_rdf *name)
{
    const ldns_rr *rr;
    size_t i;

    for (i = 0; (rr = kf_dns_zone_rr(z, i)) != NULL; i++) {
        if (owner_is(rr, name) ||
            ldns_dname_is_subdomain(ldns_rr_owner(rr), name))
            return true;
    }
    return false;
}

/* Return the SOA of the closest origin at or above name (the first listed
 * among equals), or NULL if no SOA encloses it. */
static const ldns_rr *
closest_soa(const kf_dns_zone *z, const ldns_rdf *name)
{
    const ldns_rr *rr, *best = NULL;
    uint8_t labels, best_labels = 0;
    size_t i;

    for (i = 0; (rr = kf_dns_zone_rr(z, i)) != NULL; i++) {
        if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA)
            continue;
        if (!owner_is(rr, name) &&
            !ldns_dname_is_subdomain(name, ldns_rr_owner(rr)))
            continue;
        labels = ldns_dname_label_count(ldns_rr_owner(rr));
        if (best == NULL || labels > best_labels) {
            best = rr;
            best_labels = labels;
        }
    }
    return best;
}

/* Return whether name is one of the n names already visited. */
static bool
visited(const ldns_rdf *const *names, size_t n, const ldns_rdf *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (ldns_dname_compare(names[i], name) == 0)
            return true;
    }
    return false;
}

/* Find the records answering (qname, qtype), chasing CNAMEs; return the
 * rcode.  Records of the queried type at a name win over a CNAME there;
 * a chain stops at a name seen before or after KF_DNS_MAX_CHAIN links. */
static int
resolve(const kf_dns_zone *z, const ldns_rdf *qname, ldns_rr_type qtype,
        struct build *b)
{
    const ldns_rdf *chain[KF_DNS_MAX_CHAIN + 1];
    const ldns_rdf *name = qname;
    const ldns_rr *rr, *cname;
    size_t i, n_chain = 0, found;
    const ldns_rr *soa;

    chain[n_chain++] = name;
    for (;;) {
        found = 0;
        for (i = 0; (rr = kf_dns_zone_rr(z, i)) != NULL; i++) {
            if (owner_is(rr, name) &&
                (qtype == LDNS_RR_TYPE_ANY || ldns_rr_get_type(rr) == qtype)) {
                add_answer(b, rr);
                found++;
            }
        }
        if (found > 0)
            return LDNS_RCODE_NOERROR;
        cname = NULL;
        if (qtype != LDNS_RR_TYPE_CNAME) {
            for (i = 0; (rr = kf_dns_zone_rr(z, i)) != NULL; i++) {
                if (owner_is(rr, name) &&
                    ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME) {
                    add_answer(b, rr);
                    if (cname == NULL)
                        cname = rr;
                }
            }
        }
        if (cname != NULL) {
            name = ldns_rr_rdf(cname, 0);
            /* A loop or an overlong chain: answer the links so far. */
            if (visited(chain, n_chain, name) ||
                n_chain == KF_DNS_MAX_CHAIN + 1)
                return LDNS_RCODE_NOERROR;
            chain[n_chain++] = name;
            continue;
        }
        /* No data at the name: NODATA if it exists, else NXDOMAIN, with
         * the enclosing origin's SOA (RFC 2308). */
        soa = closest_soa(z, name);
        if (soa != NULL)
            b->authority[b->n_authority++] = soa;
        return name_exists(z, name) ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN;
    }
}

/* Return a record in presentation format on one line, or NULL. */
static char *
rr_text(const ldns_rr *rr)
{
    char *s = ldns_rr2str(rr), *p;
    size_t n;

    if (s == NULL)
        return NULL;
    for (p = s; *p != '\0'; p++) {
        if (*p == '\t')
            *p = ' ';
    }
    n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
    return s;
}

/* Copy a section of a reply into a list of presentation strings. */
static int
section_texts(const ldns_rr_list *list, char ***out, size_t *n_out)
{
    size_t i, n = ldns_rr_list_rr_count(list);
    char **v;

    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return 0;
    v = calloc(n, sizeof(*v));
    if (v == NULL)
        return -1;
    *out = v;
    for (i = 0; i < n; i++) {
        v[i] = rr_text(ldns_rr_list_rr(list, i));
        if (v[i] == NULL)
            return -1;
        (*n_out)++;
    }
    return 0;
}

/* Push clones of n zone records into a section of pkt. */
static int
push_clones(ldns_pkt *pkt, ldns_pkt_section sec, const ldns_rr *const *rrs,
            size_t n)
{
    ldns_rr *c;
    size_t i;

    for (i = 0; i < n; i++) {
        c = ldns_rr_clone(rrs[i]);
        if (c == NULL || !ldns_pkt_push_rr(pkt, sec, c)) {
            ldns_rr_free(c);
            return -1;
        }
    }
    return 0;
}

/* Encode the reply: the full one if it fits limit bytes, else the fixed
 * part alone with TC set.  Fill out's wire, flags and sections. */
static int
encode(struct build *b, size_t limit, kf_dns_reply *out)
{
    ldns_pkt *full = ldns_pkt_clone(b->base), *sent = full;
    uint8_t *wire = NULL;
    size_t len = 0;
    int ret = -1;

    if (full == NULL ||
        push_clones(full, LDNS_SECTION_ANSWER, b->answer, b->n_answer) ||
        push_clones(full, LDNS_SECTION_AUTHORITY, b->authority,
                    b->n_authority))
        goto cleanup;
    if (ldns_pkt2wire(&wire, full, &len) != LDNS_STATUS_OK)
        goto cleanup;
    if (len > limit) {
        free(wire);
        wire = NULL;
        sent = b->base;
        ldns_pkt_set_tc(sent, true);
        if (ldns_pkt2wire(&wire, sent, &len) != LDNS_STATUS_OK)
            goto cleanup;
    }
    if (section_texts(ldns_pkt_answer(sent), &out->answer, &out->n_answer) ||
        section_texts(ldns_pkt_authority(sent), &out->authority,
                      &out->n_authority))
        goto cleanup;
    out->wire = wire;
    out->len = len;
    wire = NULL;
    out->aa = ldns_pkt_aa(sent);
    out->tc = ldns_pkt_tc(sent);
    ret = 0;

cleanup:
    free(wire);
    ldns_pkt_free(full);
    return ret;
}

/* Return whether a query type asks for a transfer or other meta query the
 * lab DNS does not implement. */
static bool
meta_type(ldns_rr_type t)
{
    return t == LDNS_RR_TYPE_AXFR || t == LDNS_RR_TYPE_IXFR ||
           t == LDNS_RR_TYPE_MAILA || t == LDNS_RR_TYPE_MAILB;
}

/* Set the header of the reply from the query's and fill in its question,
 * EDNS0 and rcode, and the sections from the zone.  Return the rcode, or
 * -1 when memory runs out. */
static int
judge(const kf_dns_zone *z, const uint8_t *q, size_t len, struct build *b,
      kf_dns_reply *out)
{
    ldns_pkt *query = NULL;
    const ldns_rr *question;
    unsigned int n_opt;
    ldns_rr_type qtype;
    ldns_rr_class qclass;
    ldns_status st;
    int rcode;

    st = ldns_wire2pkt(&query, q, len);
    if (st != LDNS_STATUS_OK) {
        out->note = ldns_get_errorstr_by_id(st);
        rcode = LDNS_RCODE_FORMERR;
        goto done;
    }
    /* ldns takes OPT records out of the additional count: what is missing
     * from it is their number. */
    n_opt = (unsigned int)((q[10] << 8) | q[11]) - ldns_pkt_arcount(query) -
            (ldns_pkt_tsig(query) != NULL ? 1 : 0);
    if (n_opt > 0) {
        out->edns = ldns_pkt_edns_udp_size(query);
        ldns_pkt_set_edns_udp_size(b->base, KF_DNS_EDNS_SIZE);
        ldns_pkt_set_edns_do(b->base, ldns_pkt_edns_do(query));
    }
    if (ldns_pkt_qdcount(query) == 1) {
        question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
        out->qname = ldns_rdf2str(ldns_rr_owner(question));
        out->qtype = ldns_rr_type2str(ldns_rr_get_type(question));
        if (out->qname == NULL || out->qtype == NULL ||
            !ldns_pkt_push_rr(b->base, LDNS_SECTION_QUESTION,
                              ldns_rr_clone(question))) {
            ldns_pkt_free(query);
            return -1;
        }
    }
    if (ldns_pkt_get_opcode(query) != LDNS_PACKET_QUERY) {
        out->note = "only standard queries are answered";
        rcode = LDNS_RCODE_NOTIMPL;
    } else if (ldns_pkt_qdcount(query) != 1) {
        out->note = "a query must hold exactly one question";
        rcode = LDNS_RCODE_FORMERR;
    } else if (n_opt > 1) {
        out->note = "more than one OPT record";
        rcode = LDNS_RCODE_FORMERR;
    } else if (n_opt == 1 && ldns_pkt_edns_version(query) > 0) {
        out->note = "only EDNS version 0 is spoken";
        ldns_pkt_set_edns_extended_rcode(b->base, 1);
        rcode = 16;
    } else {
        question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
        qtype = ldns_rr_get_type(question);
        qclass = ldns_rr_get_class(question);
        if (qclass != LDNS_RR_CLASS_IN && qclass != LDNS_RR_CLASS_ANY) {
            out->note = "only class IN is served";
            rcode = LDNS_RCODE_REFUSED;
        } else if (qtype == LDNS_RR_TYPE_OPT) {
            out->note = "OPT is not a query type";
            rcode = LDNS_RCODE_FORMERR;
        } else if (meta_type(qtype)) {
            out->note = "zone transfers are not implemented";
            rcode = LDNS_RCODE_NOTIMPL;
        } else {
            ldns_pkt_set_aa(b->base, true);
            rcode = resolve(z, ldns_rr_owner(question), qtype, b);
            if (b->oom)
                rcode = -1;
        }
    }
    /* The records stay valid: they are the zone's, not the query's. */
    ldns_pkt_free(query);

done:
    ldns_pkt_set_rcode(b->base, (uint8_t)(rcode & 0x0f));
    return rcode;
}

int
kf_dns_answer(const kf_dns_zone *zone, const uint8_t *query, size_t len,
              bool over_tcp, kf_dns_reply *out)
{
    struct build b;
    size_t limit;
    int rcode, ret = -1;

    memset(out, 0, sizeof(*out));
    memset(&b, 0, sizeof(b));
    out->edns = -1;
    if (len < LDNS_HEADER_SIZE) {
        out->note = "shorter than a DNS header";
        return 0;
    }
    out->id = (uint16_t)((query[0] << 8) | query[1]);
    if (LDNS_QR_WIRE(query)) {
        out->note = "a response, not a query";
        return 0;
    }
    b.base = ldns_pkt_new();
    if (b.base == NULL)
        return -1;
    ldns_pkt_set_id(b.base, out->id);
    ldns_pkt_set_qr(b.base, true);
    ldns_pkt_set_opcode(b.base, (ldns_pkt_opcode)LDNS_OPCODE_WIRE(query));
    ldns_pkt_set_rd(b.base, LDNS_RD_WIRE(query));
    ldns_pkt_set_cd(b.base, LDNS_CD_WIRE(query));
    rcode = judge(zone, query, len, &b, out);
    if (rcode < 0)
        goto cleanup;
    out->rcode = rcode_name(rcode);
    if (over_tcp)
        limit = 65535;
    else if (out->edns > PLAIN_UDP_SIZE)
        limit = (size_t)out->edns;
    else
        limit = PLAIN_UDP_SIZE;
    if (encode(&b, limit, out) != 0)
        goto cleanup;
    ret = 0;

cleanup:
    ldns_pkt_free(b.base);
    free(b.answer);
    if (ret != 0)
        kf_dns_reply_free(out);
    return ret;
}

void
kf_dns_reply_free(kf_dns_reply *r)
{
    size_t i;

    free(r->wire);
    free(r->qname);
    free(r->qtype);
    for (i = 0; i < r->n_answer; i++)
        free(r->answer[i]);
    free(r->answer);
    for (i = 0; i < r->n_authority; i++)
        free(r->authority[i]);
    free(r->authority);
    memset(r, 0, sizeof(*r));
    r->edns = -1;
}
