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

/* Return the 1-based line of the first character of a record or directive
 * in text[start, end): the first one that is not blank or a comment. */
static int
record_line(const char *text, size_t start, size_t end, size_t *pos_out)
{
    size_t i, pos = start;
    int line = 1;
    bool comment = false;

    for (i = start; i < end; i++) {
        if (comment) {
            comment = text[i] != '\n';
            continue;
        }
        if (text[i] == ';') {
            comment = true;
        } else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
                   text[i] != '\r') {
            break;
        }
    }
    pos = i < end ? i : start;
    for (i = 0; i < pos; i++) {
        if (text[i] == '\n')
            line++;
    }
    *pos_out = pos;
    return line;
}

/* Make the message "NAME:LINE: `RECORD': WHAT" for a bad record. */
static char *
record_error(const char *name, const char *text, size_t len, size_t start,
             size_t end, const char *what)
{
    size_t pos, n;
    int line = record_line(text, start, end, &pos);

    for (n = 0; pos + n < len && text[pos + n] != '\n' && n < 72; n++)
        ;
    while (n > 0 && (text[pos + n - 1] == ' ' || text[pos + n - 1] == '\t' ||
                     text[pos + n - 1] == '\r'))
        n--;
    if (n == 0)
        return kf_strf("%s:%d: %s", name, line, what);
    return kf_strf("%s:%d: `%.*s': %s", name, line, (int)n, text + pos, what);
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

int
kf_dns_zone_parse(const char *text, size_t len, const char *name,
                  kf_dns_zone **zone_out, char **err)
{
    kf_dns_zone *z = calloc(1, sizeof(*z));
    ldns_rdf *origin = ldns_dname_new_frm_str(NO_ORIGIN), *prev = NULL;
    ldns_rdf *no_origin = ldns_dname_new_frm_str(NO_ORIGIN);
    uint32_t ttl = 3600;
    FILE *f = NULL;
    ldns_rr *rr;
    ldns_status st;
    long start, end;
    char *msg = NULL;
    int ret = -1;

    if (z == NULL || origin == NULL || no_origin == NULL) {
        msg = kf_strf("%s: out of memory", name);
        goto cleanup;
    }
    if (len > 0) {
        f = fmemopen((void *)text, len, "r");
        if (f == NULL) {
            msg = kf_strf("%s: cannot read: %s", name, strerror(errno));
            goto cleanup;
        }
    }
    while (f != NULL && !feof(f)) {
        rr = NULL;
        start = ftell(f);
        st = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &origin, &prev, NULL);
        end = ftell(f);
        if (start < 0 || end < start || (size_t)end > len) {
            msg = kf_strf("%s: cannot read", name);
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
            msg = record_error(name, text, len, (size_t)start, (size_t)end,
                               "$INCLUDE is not supported");
            goto cleanup;
        }
        if (st != LDNS_STATUS_OK) {
            msg = record_error(name, text, len, (size_t)start, (size_t)end,
                               ldns_get_errorstr_by_id(st));
            goto cleanup;
        }
        if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
            ldns_rr_free(rr);
            msg = record_error(name, text, len, (size_t)start, (size_t)end,
                               "only class IN is served");
            goto cleanup;
        }
        msg = relative_name(rr, no_origin);
        if (msg != NULL) {
            char *what = msg;

            ldns_rr_free(rr);
            msg = record_error(name, text, len, (size_t)start, (size_t)end,
                               what);
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
    if (f != NULL)
        fclose(f);
    ldns_rdf_deep_free(origin);
    ldns_rdf_deep_free(prev);
    ldns_rdf_deep_free(no_origin);
    kf_dns_zone_free(z);
    if (ret != 0)
        *err = msg != NULL ? msg : strdup("out of memory");
    return ret;
}

int
kf_dns_zone_load(const char *path, kf_dns_zone **zone_out, char **err)
{
    FILE *f = fopen(path, "r");
    char *text = NULL, *grown;
    size_t len = 0, cap = 0, got;
    int ret = -1;

    if (f == NULL) {
        *err = kf_strf("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            grown = realloc(text, cap);
            if (grown == NULL) {
                *err = kf_strf("%s: out of memory", path);
                goto cleanup;
            }
            text = grown;
        }
        got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        *err = kf_strf("cannot read %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (memchr(text, '\0', len) != NULL) {
        *err = kf_strf("%s: not a text file (it holds a NUL byte)", path);
        goto cleanup;
    }
    ret = kf_dns_zone_parse(text, len, path, zone_out, err);

cleanup:
    fclose(f);
    free(text);
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
