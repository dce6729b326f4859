/* The lab's DNS: the zone a scenario's records make, the server that
 * answers from it, and the resolver configuration that points at it. */
#define _GNU_SOURCE
#include "labdns.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "resolver.h"
#include "util.h"

/* The time to live of every record: clients do not cache across steps. */
#define TTL 0

int
kf_lab_role_port(const kf_lab *lab, const char *role)
{
    bool root = lab->kdc_port == 88;

    if (strcmp(role, "kpasswd") == 0)
        return root ? 464 : 10464;
    if (strcmp(role, "kadmin") == 0)
        return root ? 749 : 10749;
    if (strcmp(role, "http") == 0)
        return lab->http_port;
    return lab->kdc_port;
}

/* Write the reverse name of an IPv4 address ("4.3.2.127.in-addr.arpa"). */
static void
reverse_name(const char *addr, char *out, size_t len)
{
    unsigned a, b, c, d;

    if (sscanf(addr, "%u.%u.%u.%u", &a, &b, &c, &d) == 4)
        snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", d, c, b, a);
    else
        snprintf(out, len, "invalid.in-addr.arpa");
}

/* The address and DNS name of the host or KDC a record names; name is
 * NULL for a host without an fqdn.  The caller frees *name. */
static const char *
record_ref(kf_lab *lab, const kf_dns_record *r, char **name)
{
    kf_host *h = kf_lab_host(lab, r->host);
    kf_kdc *k = kf_lab_kdc(lab, r->kdc);

    *name = NULL;
    if (h != NULL) {
        *name = h->def->fqdn != NULL ? strdup(h->def->fqdn) : NULL;
        return h->addr;
    }
    if (k != NULL) {
        *name = kf_kdc_dns_name(lab->sc, k->def);
        return k->addr;
    }
    return "0.0.0.0";
}

/* Write one declared record. */
static void
put_record(FILE *f, kf_lab *lab, const kf_dns_record *r)
{
    char rev[64], *refname = NULL;
    const char *addr = record_ref(lab, r, &refname);

    switch (r->type) {
    case KF_RR_A:
        fprintf(f, "%s. %d IN A %s\n", r->name, TTL, addr);
        break;
    case KF_RR_CNAME:
        fprintf(f, "%s. %d IN CNAME %s.\n", r->name, TTL, r->target);
        break;
    case KF_RR_PTR:
        reverse_name(addr, rev, sizeof(rev));
        fprintf(f, "%s. %d IN PTR %s.\n", rev, TTL, r->target);
        break;
    case KF_RR_SRV:
        fprintf(f, "%s. %d IN SRV %d %d %d %s.\n", r->name, TTL, r->priority,
                r->weight, kf_lab_role_port(lab, r->role),
                r->target != NULL ? r->target
                : refname != NULL ? refname
                                  : "invalid");
        break;
    case KF_RR_TXT:
        fprintf(f, "%s. %d IN TXT \"%s\"\n", r->name, TTL, r->text);
        break;
    }
    free(refname);
}

/* Write the A and PTR records of one name and address. */
static void
put_pair(FILE *f, const char *name, const char *addr)
{
    char rev[64];

    reverse_name(addr, rev, sizeof(rev));
    fprintf(f, "%s. %d IN A %s\n", name, TTL, addr);
    fprintf(f, "%s. %d IN PTR %s.\n", rev, TTL, name);
}

char *
kf_lab_render_zone(kf_lab *lab)
{
    const kf_dns_def *d = &lab->sc->dns;
    char *buf = NULL, *name;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    fprintf(f,
            "; The zone of lab %s%s%s, written by krbfault: declared "
            "records first, in order.\n",
            lab->sc->id, lab->variant ? " variant " : "",
            lab->variant ? lab->variant : "");
    for (i = 0; i < d->n_records; i++) {
        if (kf_in_variant(&d->records[i].only, lab->variant))
            put_record(f, lab, &d->records[i]);
    }
    for (i = 0; d->auto_records && i < lab->n_hosts; i++) {
        if (lab->hosts[i].def->fqdn != NULL)
            put_pair(f, lab->hosts[i].def->fqdn, lab->hosts[i].addr);
    }
    for (i = 0; d->auto_records && i < lab->n_kdcs; i++) {
        name = kf_kdc_dns_name(lab->sc, lab->kdcs[i].def);
        if (name != NULL)
            put_pair(f, name, lab->kdcs[i].addr);
        free(name);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int
kf_lab_dns_files(kf_lab *lab, char **err)
{
    char *zone = kf_lab_render_zone(lab), *zpath = NULL, *etc = NULL;
    char domain[256];
    size_t i;
    FILE *f = NULL;
    int rc = -1;

    for (i = 0; lab->sc->realm[i] != '\0' && i + 1 < sizeof(domain); i++)
        domain[i] = (char)tolower((unsigned char)lab->sc->realm[i]);
    domain[i] = '\0';
    zpath = kf_path(lab->dns_dir, "zone");
    etc = kf_path(lab->dns_dir, "etc");
    if (zone == NULL || zpath == NULL || etc == NULL) {
        *err = strdup("out of memory");
        goto cleanup;
    }
    if (mkdir(etc, 0755) != 0 && errno != EEXIST) {
        *err = kf_strf("cannot make %s: %s", etc, strerror(errno));
        goto cleanup;
    }
    f = fopen(zpath, "w");
    if (f == NULL || fputs(zone, f) < 0 || fclose(f) != 0) {
        *err = kf_strf("cannot write %s: %s", zpath, strerror(errno));
        if (f != NULL)
            fclose(f);
        goto cleanup;
    }
    rc = kf_resolver_write_etc(etc, lab->dns_addr, domain, err);

cleanup:
    free(zone);
    free(zpath);
    free(etc);
    return rc;
}

int
kf_lab_dns_enter(kf_lab *lab, char **err)
{
    char *etc = kf_path(lab->dns_dir, "etc");
    int rc;

    if (etc == NULL) {
        *err = strdup("out of memory");
        return -1;
    }
    rc = kf_resolver_enter(etc, err);
    free(etc);
    if (rc == 0)
        lab->resolver_entered = true;
    return rc;
}

void
kf_lab_dns_leave(kf_lab *lab)
{
    if (!lab->resolver_entered)
        return;
    kf_resolver_leave();
    lab->resolver_entered = false;
}
