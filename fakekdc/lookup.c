/* Principal lookups: aliases and referrals, else db2's own lookup. */
#include "fakekdc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Look name up in db2, as if it had been asked for. */
static krb5_error_code
db2_lookup(krb5_context ctx, const char *name, unsigned int flags,
           krb5_db_entry **entry)
{
    krb5_principal princ = NULL;
    krb5_error_code ret;

    ret = krb5_parse_name(ctx, name, &princ);
    if (ret)
        return ret;
    ret = fk_db2()->get_principal(ctx, princ, flags, entry);
    krb5_free_principal(ctx, princ);
    return ret;
}

/* A client referral: an entry holding only the out-of-realm name, which
 * makes the KDC answer KDC_ERR_WRONG_REALM naming that realm. */
static krb5_error_code
client_referral(krb5_context ctx, const char *canon, krb5_db_entry **entry)
{
    krb5_db_entry *e;
    krb5_error_code ret;

    /* libkdb5 frees entries with free(), so allocate with malloc. */
    e = calloc(1, sizeof(*e));
    if (e == NULL)
        return ENOMEM;
    ret = krb5_parse_name(ctx, canon, &e->princ);
    if (ret) {
        free(e);
        return ret;
    }
    *entry = e;
    return 0;
}

/* A server referral: the cross-realm TGS entry krbtgt/CANON_REALM@REALM,
 * if the database holds one. */
static krb5_error_code
server_referral(krb5_context ctx, const fk_db *db, const fk_alias *a,
                unsigned int flags, krb5_db_entry **entry)
{
    krb5_principal tgs = NULL;
    krb5_error_code ret;

    ret = krb5_build_principal(ctx, &tgs, (unsigned int)strlen(db->realm),
                               db->realm, KRB5_TGS_NAME, a->canon_realm,
                               (char *)NULL);
    if (ret)
        return ret;
    ret = fk_db2()->get_principal(ctx, tgs, flags, entry);
    krb5_free_principal(ctx, tgs);
    return ret;
}

krb5_error_code
fk_get_principal(krb5_context ctx, krb5_const_principal search_for,
                 unsigned int flags, krb5_db_entry **entry)
{
    fk_db *db = fk_db_get(ctx);
    const fk_alias *a = NULL;
    krb5_error_code ret;
    char *name = NULL;
    fk_lookup what;

    *entry = NULL;
    if (db == NULL || db->aliases.n == 0)
        return fk_db2()->get_principal(ctx, search_for, flags, entry);
    ret = krb5_unparse_name(ctx, search_for, &name);
    if (ret)
        return ret;
    what = fk_alias_lookup(&db->aliases, db->realm, name, flags, &a);
    switch (what) {
    case FK_LOOKUP_CANONICAL:
        ret = db2_lookup(ctx, a->canon, flags, entry);
        break;
    case FK_LOOKUP_CLIENT_REFERRAL:
        ret = client_referral(ctx, a->canon, entry);
        break;
    case FK_LOOKUP_SERVER_REFERRAL:
        ret = server_referral(ctx, db, a, flags, entry);
        break;
    case FK_LOOKUP_NOENTRY:
        ret = KRB5_KDB_NOENTRY;
        break;
    default:
        ret = fk_db2()->get_principal(ctx, search_for, flags, entry);
        break;
    }
    krb5_free_unparsed_name(ctx, name);
    return ret;
}
