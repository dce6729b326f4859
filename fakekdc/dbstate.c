/* fakekdc's state for each open database, found by its krb5 context. */
#include "fakekdc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* db2 keeps its own state in the context's one database slot, so
 * fakekdc's lives here, one entry per open database. */
static fk_db *open_dbs;
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

/* Free one database's state. */
static void
free_db(fk_db *db)
{
    if (db == NULL)
        return;
    fk_alias_table_free(&db->aliases);
    free(db->realm);
    free(db);
}

krb5_error_code
fk_db_open(krb5_context ctx, const char *conf_section)
{
    krb5_error_code ret;
    fk_db *db;
    char *realm = NULL;

    db = calloc(1, sizeof(*db));
    if (db == NULL)
        return ENOMEM;
    db->ctx = ctx;
    ret = krb5_get_default_realm(ctx, &realm);
    if (ret) {
        krb5_set_error_message(ctx, ret,
                               FK_NAME ": the database has no realm");
        goto cleanup;
    }
    db->realm = strdup(realm);
    if (db->realm == NULL) {
        ret = ENOMEM;
        goto cleanup;
    }
    ret = fk_config_read(ctx, conf_section, db);
    if (ret)
        goto cleanup;
    /* A context holds one database at a time: replace any leftover. */
    fk_db_close(ctx);
    pthread_mutex_lock(&open_lock);
    db->next = open_dbs;
    open_dbs = db;
    pthread_mutex_unlock(&open_lock);
    db = NULL;

cleanup:
    krb5_free_default_realm(ctx, realm);
    free_db(db);
    return ret;
}

fk_db *
fk_db_get(krb5_context ctx)
{
    fk_db *db;

    pthread_mutex_lock(&open_lock);
    for (db = open_dbs; db != NULL && db->ctx != ctx; db = db->next)
        ;
    pthread_mutex_unlock(&open_lock);
    return db;
}

void
fk_db_close(krb5_context ctx)
{
    fk_db **pp, *db = NULL;

    pthread_mutex_lock(&open_lock);
    for (pp = &open_dbs; *pp != NULL; pp = &(*pp)->next) {
        if ((*pp)->ctx == ctx) {
            db = *pp;
            *pp = db->next;
            break;
        }
    }
    pthread_mutex_unlock(&open_lock);
    free_db(db);
}
