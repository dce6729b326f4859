/* The lab DNS zone: a zone file read with ldns, records kept in order. */
#define _GNU_SOURCE
#include "dns.h"
#include "util.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The origin relative names get when the file sets none: any name that
 * ends in it was written relative, which the lab's zone files must not. */
#define NO_ORIGIN "krbfault-no-origin.invalid."

struct kf_dns_zone {
    ldns_rr **rrs;
    size_t n, cap;
};

/* Make the message "NAME:LINE: `RECORD': WHAT" for a bad record that
 * ldns read from f[start, end): the record begins at its first character
 * that is not blank or in a comment. */
static char *
record_error(FILE *f, const char *name, long start, long end, const char *what)
{
    char text[73];
    long pos, i;
    size_t n = 0;
    bool comment = false;
    int c = EOF, line = 1;

    if (fseek(f, start, SEEK_SET) != 0)
        return kf_strf("%s: %s", name, what);
    for (pos = start; pos < end && (c = getc(f)) != EOF; pos++) {
        if (comment)
            comment = c != '\n';
        else if (c == ';')
            comment = true;
        else if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
    }
    if (pos >= end || c == EOF)
        pos = start;
    else
        text[n++] = (char)c;
    while (n < sizeof(text) - 1 && (c = getc(f)) != EOF && c != '\n')
        text[n++] = (char)c;
    while (n > 0 &&
           (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r'))
        n--;
    text[n] = '\0';
    rewind(f);
    for (i = 0; i < pos && (c = getc(f)) != EOF; i++) {
        if (c == '\n')
            line++;
    }
    if (n == 0)
        return kf_strf("%s:%d: %s", name, line, what);
    return kf_strf("%s:%d: `%s': %s", name, line, text, what);
}

/* Return a message if a name of the record was written relative with no
 * $ORIGIN in force (it then ends in NO_ORIGIN), else NULL. */
static char *
relative_name(const ldns_rr *rr, const ldns_rdf *no_origin)
{
    const ldns_rdf *d;
    char *s, *msg;
    size_t i, n = ldns_rr_rd_count(rr);

    for (i = 0; i <= n; i++) {
        d = i == 0 ? ldns_rr_owner(rr) : ldns_rr_rdf(rr, i - 1);
        if (d == NULL || ldns_rdf_get_type(d) != LDNS_RDF_TYPE_DNAME)
            continue;
        if (ldns_dname_compare(d, no_origin) != 0 &&
            !ldns_dname_is_subdomain(d, no_origin))
            continue;
        s = ldns_rdf2str(d);
        if (s == NULL)
            return kf_strf("relative name");
        if (strlen(s) > strlen(NO_ORIGIN))
            s[strlen(s) - strlen(NO_ORIGIN) - 1] = '\0';
        else
            s[0] = '\0';
        msg = kf_strf("the name `%s' is relative and no $ORIGIN is set: "
                      "write absolute names (ending in '.')",
                      s[0] != '\0' ? s : "@");
        free(s);
        return msg;
    }
    return NULL;
}

/* Append a record to the zone, taking it over. */
static int
zone_push(kf_dns_zone *z, ldns_rr *rr)
{
    ldns_rr **grown;

    if (z->n == z->cap) {
        z->cap = z->cap ? z->cap * 2 : 16;
        grown = realloc(z->rrs, z->cap * sizeof(*grown));
        if (grown == NULL)
            return -1;
        z->rrs = grown;
    }
    z->rrs[z->n++] = rr;
    return 0;
}

/* Read the records of a zone from f; name stands for it in messages. */
static int
parse_stream(FILE *f, const char *name, kf_dns_zone **zone_out, char **err)
{
    kf_dns_zone *z = calloc(1, sizeof(*z));
    ldns_rdf *origin = ldns_dname_new_frm_str(NO_ORIGIN), *prev = NULL;
    ldns_rdf *no_origin = ldns_dname_new_frm_str(NO_ORIGIN);
    uint32_t ttl = 3600;
    ldns_rr *rr;
    ldns_status st;
    long start, end;
    char *msg = NULL;
    int ret = -1;

    if (z == NULL || origin == NULL || no_origin == NULL) {
        msg = kf_strf("%s: out of memory", name);
        goto cleanup;
    }
    while (!feof(f)) {
        rr = NULL;
        start = ftell(f);
        st = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &origin, &prev, NULL);
        end = ftell(f);
        if (start < 0 || end < start || ferror(f)) {
            msg = kf_strf("%s: cannot read: %s", name, strerror(errno));
            goto cleanup;
        }
        if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
            st == LDNS_STATUS_SYNTAX_ORIGIN) {
            if (end == start && !feof(f)) {
                msg = kf_strf("%s: the parser made no progress", name);
                goto cleanup;
            }
            continue;
        }
        if (st == LDNS_STATUS_SYNTAX_INCLUDE) {
            msg =
                record_error(f, name, start, end, "$INCLUDE is not supported");
            goto cleanup;
        }
        if (st != LDNS_STATUS_OK) {
            msg =
                record_error(f, name, start, end, ldns_get_errorstr_by_id(st));
            goto cleanup;
        }
        if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
            ldns_rr_free(rr);
            msg = record_error(f, name, start, end, "only class IN is served");
            goto cleanup;
        }
        msg = relative_name(rr, no_origin);
        if (msg != NULL) {
            char *what = msg;

            ldns_rr_free(rr);
            msg = record_error(f, name, start, end, what);
            free(what);
            goto cleanup;
        }
        if (zone_push(z, rr) != 0) {
            ldns_rr_free(rr);
            msg = kf_strf("%s: out of memory", name);
            goto cleanup;
        }
    }
    *zone_out = z;
    z = NULL;
    ret = 0;

cleanup:
    ldns_rdf_deep_free(origin);
    ldns_rdf_deep_free(prev);
    ldns_rdf_deep_free(no_origin);
    kf_dns_zone_free(z);
    if (ret != 0)
        *err = msg != NULL ? msg : strdup("out of memory");
    return ret;
}

int
kf_dns_zone_parse(const char *text, size_t len, const char *name,
                  kf_dns_zone **zone_out, char **err)
{
    FILE *f;
    int ret;

    if (len == 0) {
        /* fmemopen refuses an empty buffer: an empty zone. */
        *zone_out = calloc(1, sizeof(**zone_out));
        if (*zone_out == NULL) {
            *err = strdup("out of memory");
            return -1;
        }
        return 0;
    }
    f = fmemopen((void *)text, len, "r");
    if (f == NULL) {
        *err = kf_strf("%s: cannot read: %s", name, strerror(errno));
        return -1;
    }
    ret = parse_stream(f, name, zone_out, err);
    fclose(f);
    return ret;
}

int
kf_dns_zone_load(const char *path, kf_dns_zone **zone_out, char **err)
{
    FILE *f = fopen(path, "re");
    int ret;

    if (f == NULL) {
        *err = kf_strf("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    ret = parse_stream(f, path, zone_out, err);
    fclose(f);
    return ret;
}

size_t
kf_dns_zone_count(const kf_dns_zone *zone)
{
    return zone->n;
}

const struct ldns_struct_rr *
kf_dns_zone_rr(const kf_dns_zone *zone, size_t i)
{
    return i < zone->n ? zone->rrs[i] : NULL;
}

void
kf_dns_zone_free(kf_dns_zone *zone)
{
    size_t i;

    if (zone == NULL)
        return;
    for (i = 0; i < zone->n; i++)
        ldns_rr_free(zone->rrs[i]);
    free(zone->rrs);
    free(zone);
}
