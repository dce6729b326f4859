/* The lab DNS: a zone of resource records and the answer to one query. */
#ifndef KF_DNS_H
#define KF_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest CNAME chain followed for one query. */
#define KF_DNS_MAX_CHAIN 16

/* The UDP payload size the server advertises in its EDNS0 OPT record. */
#define KF_DNS_EDNS_SIZE 1232

struct ldns_struct_rr;

/* The zone: every resource record of a zone file, in file order. */
typedef struct kf_dns_zone kf_dns_zone;

/* Load a zone file (presentation format, class IN, absolute names or names
 * under a $ORIGIN).  On failure return -1 and set *err to a new message
 * "FILE:LINE: ..." naming the record and what ldns says. */
int kf_dns_zone_load(const char *path, kf_dns_zone **zone_out, char **err);

/* The same from len bytes of text; name stands for the file in messages. */
int kf_dns_zone_parse(const char *text, size_t len, const char *name,
                      kf_dns_zone **zone_out, char **err);

/* Return the number of records in the zone. */
size_t kf_dns_zone_count(const kf_dns_zone *zone);

/* Return the i-th record of the zone, in file order (an ldns_rr). */
const struct ldns_struct_rr *kf_dns_zone_rr(const kf_dns_zone *zone, size_t i);

/* Free a zone (NULL is allowed). */
void kf_dns_zone_free(kf_dns_zone *zone);

/* What one query got, for the server's log and for tests.  Every string
 * is in presentation format; qname and qtype are NULL when the query had
 * no readable question. */
typedef struct kf_dns_reply {
    uint8_t *wire; /* the reply to send; NULL when it is dropped */
    size_t len;
    uint16_t id;       /* the query's id */
    char *qname;       /* "web.example.test." */
    char *qtype;       /* "A", "SRV", "TYPE65280" */
    const char *rcode; /* "NOERROR", "NXDOMAIN", ...; NULL if dropped */
    bool aa, tc;       /* flags of the reply */
    int edns;          /* the query's EDNS0 UDP size, or -1 without OPT */
    char **answer;     /* the answer section as sent */
    size_t n_answer;
    char **authority; /* the authority section as sent */
    size_t n_authority;
    const char *note; /* why a query was dropped or refused, or NULL */
} kf_dns_reply;

/* Answer one query packet (len bytes, as received) from the zone: a pure
 * function of its inputs.  over_tcp selects the size limit (65535 bytes
 * instead of 512 or the EDNS0 size).  Fill *out (wire NULL when the query
 * is to be dropped unanswered) and return 0; return -1 only when memory
 * runs out.  Free *out with kf_dns_reply_free. */
int kf_dns_answer(const kf_dns_zone *zone, const uint8_t *query, size_t len,
                  bool over_tcp, kf_dns_reply *out);

/* Free what kf_dns_answer put in *r. */
void kf_dns_reply_free(kf_dns_reply *r);

#endif /* KF_DNS_H */
