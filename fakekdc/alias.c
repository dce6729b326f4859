/* Principal aliases: the table, its file format, and lookup decisions. */
#include "alias.h"

#include <errno.h>
#include <time.h>

#include <kdb.h>
#include <stdlib.h>
#include <string.h>

/* Return a copy of the n bytes at s, or NULL. */
static char *
copy_span(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Return true for the blanks that separate names on a line. */
static int
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Split one line (of length len) into its words, at most three; return
 * how many there were. */
static size_t
split_words(const char *s, size_t len, const char **w, size_t *wl)
{
    size_t i = 0, n = 0;

    while (i < len) {
        while (i < len && is_blank(s[i]))
            i++;
        if (i == len)
            break;
        if (n == 3)
            return 4;
        w[n] = s + i;
        while (i < len && !is_blank(s[i]))
            i++;
        wl[n] = (size_t)(s + i - w[n]);
        n++;
    }
    return n;
}

void
fk_alias_lines_free(fk_alias_line *lines, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(lines[i].alias);
        free(lines[i].canon);
    }
    free(lines);
}

int
fk_alias_split(const char *text, fk_alias_line **lines_out, size_t *n_out,
               int *bad_line, const char **why)
{
    fk_alias_line *lines = NULL, *nl;
    const char *p = text, *end, *w[3];
    size_t n = 0, len, wl[3], nw;
    int line = 0, ret = EINVAL;

    for (; *p != '\0'; p = *end == '\0' ? end : end + 1) {
        end = strchr(p, '\n');
        if (end == NULL)
            end = p + strlen(p);
        len = (size_t)(end - p);
        line++;
        nw = split_words(p, len, w, wl);
        if (nw == 0 || w[0][0] == '#')
            continue;
        if (nw != 2) {
            *why = "expected two names, ALIAS CANONICAL";
            goto cleanup;
        }
        nl = realloc(lines, (n + 1) * sizeof(*lines));
        if (nl == NULL) {
            ret = ENOMEM;
            *why = "out of memory";
            goto cleanup;
        }
        lines = nl;
        lines[n].line = line;
        lines[n].alias = copy_span(w[0], wl[0]);
        lines[n].canon = copy_span(w[1], wl[1]);
        n++;
        if (lines[n - 1].alias == NULL || lines[n - 1].canon == NULL) {
            ret = ENOMEM;
            *why = "out of memory";
            goto cleanup;
        }
    }
    *lines_out = lines;
    *n_out = n;
    lines = NULL;
    n = 0;
    ret = 0;

cleanup:
    if (ret)
        *bad_line = line;
    fk_alias_lines_free(lines, n);
    return ret;
}

/* Return the alias of t named name, or NULL. */
static const fk_alias *
find_alias(const fk_alias_table *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].alias, name) == 0)
            return &t->v[i];
    }
    return NULL;
}

/* Return true if some alias of t stands for name. */
static int
is_canon(const fk_alias_table *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].canon, name) == 0)
            return 1;
    }
    return 0;
}

int
fk_alias_add(fk_alias_table *t, const char *realm, const char *alias,
             const char *alias_realm, const char *canon,
             const char *canon_realm, const char **why)
{
    fk_alias *nv, a;

    if (strcmp(alias_realm, realm) != 0) {
        *why = "an alias must be a name in the database's own realm";
        return EINVAL;
    }
    if (strcmp(alias, canon) == 0) {
        *why = "an alias cannot stand for itself";
        return EINVAL;
    }
    if (find_alias(t, alias) != NULL) {
        *why = "this alias is given twice";
        return EINVAL;
    }
    /* A lookup resolves one alias and asks db2 for the result, so an alias
     * of an alias would never be followed. */
    if (find_alias(t, canon) != NULL || is_canon(t, alias)) {
        *why = "an alias cannot stand for another alias";
        return EINVAL;
    }
    a.alias = strdup(alias);
    a.canon = strdup(canon);
    a.canon_realm = strdup(canon_realm);
    nv = realloc(t->v, (t->n + 1) * sizeof(*t->v));
    if (a.alias == NULL || a.canon == NULL || a.canon_realm == NULL ||
        nv == NULL) {
        free(a.alias);
        free(a.canon);
        free(a.canon_realm);
        if (nv != NULL)
            t->v = nv;
        *why = "out of memory";
        return ENOMEM;
    }
    t->v = nv;
    t->v[t->n++] = a;
    return 0;
}

fk_lookup
fk_alias_lookup(const fk_alias_table *t, const char *realm, const char *name,
                unsigned int flags, const fk_alias **hit)
{
    const fk_alias *a = find_alias(t, name);

    *hit = a;
    if (a == NULL)
        return FK_LOOKUP_FORWARD;
    /* DAL 8 and later: always canonicalize within the realm; the KDC
     * decides which name goes into the ticket. */
    if (strcmp(a->canon_realm, realm) == 0)
        return FK_LOOKUP_CANONICAL;
    /* Another realm: a referral, only where the KDC allows one (an AS
     * client or TGS server asking for canonicalization, or an enterprise
     * name), as MIT's own test module does. */
    if (!(flags & KRB5_KDB_FLAG_REFERRAL_OK))
        return FK_LOOKUP_NOENTRY;
    return (flags & KRB5_KDB_FLAG_CLIENT) ? FK_LOOKUP_CLIENT_REFERRAL
                                          : FK_LOOKUP_SERVER_REFERRAL;
}

void
fk_alias_table_free(fk_alias_table *t)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        free(t->v[i].alias);
        free(t->v[i].canon);
        free(t->v[i].canon_realm);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}
