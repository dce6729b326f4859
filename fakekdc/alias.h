/* Principal aliases: names a database answers for on behalf of others. */
#ifndef FK_ALIAS_H
#define FK_ALIAS_H

#include <stddef.h>

/* One alias.  Names are written in full, as krb5_unparse_name spells
 * them. */
typedef struct fk_alias {
    char *alias;       /* a name in the database's realm */
    char *canon;       /* the name of the entry it stands for */
    char *canon_realm; /* canon's realm: the database's, or another */
} fk_alias;

typedef struct fk_alias_table {
    fk_alias *v;
    size_t n;
} fk_alias_table;

/* One "ALIAS CANONICAL" line of an alias file. */
typedef struct fk_alias_line {
    int line; /* 1-based */
    char *alias;
    char *canon;
} fk_alias_line;

/* What a lookup of a name in the database does. */
typedef enum {
    FK_LOOKUP_FORWARD,         /* not an alias: db2 looks the name up */
    FK_LOOKUP_CANONICAL,       /* an in-realm alias: db2 looks canon up */
    FK_LOOKUP_CLIENT_REFERRAL, /* answer an entry holding only canon */
    FK_LOOKUP_SERVER_REFERRAL, /* answer krbtgt/CANON_REALM@REALM */
    FK_LOOKUP_NOENTRY          /* an out-of-realm alias, no referral */
} fk_lookup;

/* Split the text of an alias file into its lines: blank lines and lines
 * starting with '#' are skipped, every other line holds two names.  On
 * failure return EINVAL, set *bad_line and *why, and leave the outputs
 * untouched. */
int fk_alias_split(const char *text, fk_alias_line **lines_out, size_t *n_out,
                   int *bad_line, const char **why);

void fk_alias_lines_free(fk_alias_line *lines, size_t n);

/* Add alias (in alias_realm) standing for canon (in canon_realm) to t, for
 * a database of realm.  On failure return EINVAL or ENOMEM and set *why;
 * t is unchanged. */
int fk_alias_add(fk_alias_table *t, const char *realm, const char *alias,
                 const char *alias_realm, const char *canon,
                 const char *canon_realm, const char **why);

/* Decide what a lookup of name (in full) with the KDB lookup flags does in
 * a database of realm; set *hit to the alias used, if any. */
fk_lookup fk_alias_lookup(const fk_alias_table *t, const char *realm,
                          const char *name, unsigned int flags,
                          const fk_alias **hit);

void fk_alias_table_free(fk_alias_table *t);

#endif /* FK_ALIAS_H */
