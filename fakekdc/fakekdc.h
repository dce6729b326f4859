/* fakekdc's KDB module: what its files share. */
#ifndef FK_FAKEKDC_H
#define FK_FAKEKDC_H

#include <krb5/krb5.h>
#include <time.h>

#include <kdb.h>

#include "alias.h"

/* fakekdc forwards the DAL's vtable as version 9 (MIT krb5 1.20 and 1.21)
 * defines it; another version needs its forwarding checked by hand. */
#if KRB5_KDB_DAL_MAJOR_VERSION != 9
#error "fakekdc is written for KDB DAL major version 9 (MIT krb5 1.20/1.21)"
#endif

/* The name of the module and of its relations' section. */
#define FK_NAME "fakekdc"

/* What fakekdc holds for one open database (one krb5 context), beside
 * db2's own state in the context's database slot. */
typedef struct fk_db {
    krb5_context ctx;
    char *realm; /* the realm the database serves */
    fk_alias_table aliases;
    struct fk_db *next;
} fk_db;

/* --- forward.c: the stock db2 module --- */

/* Load db2.so (FAKEKDC_DB2_MODULE, else the path fakekdc was built with)
 * and check its DAL version.  On failure return non-zero with a message
 * in err. */
int fk_db2_load(char *err, size_t errlen);

/* Return db2's vtable; fk_db2_load must have succeeded. */
const kdb_vftabl *fk_db2(void);

/* Fill out with db2's vtable, every method forwarded to db2 as it is. */
void fk_forward_all(kdb_vftabl *out);

/* --- dbstate.c: fakekdc's state per open database --- */

/* Read fakekdc's relations for the database of ctx from [dbmodules]
 * conf_section and remember them for ctx. */
krb5_error_code fk_db_open(krb5_context ctx, const char *conf_section);

/* Return the state of ctx's database, or NULL if it has none. */
fk_db *fk_db_get(krb5_context ctx);

/* Forget the state of ctx's database. */
void fk_db_close(krb5_context ctx);

/* --- config.c: the [dbmodules] section --- */

/* Fill db's configuration from [dbmodules] conf_section of ctx's profile;
 * on failure set ctx's error message and return an error. */
krb5_error_code fk_config_read(krb5_context ctx, const char *conf_section,
                               fk_db *db);

/* --- lookup.c: principal lookups --- */

/* get_principal: aliases and referrals, else db2's own lookup. */
krb5_error_code fk_get_principal(krb5_context ctx,
                                 krb5_const_principal search_for,
                                 unsigned int flags, krb5_db_entry **entry);

#endif /* FK_FAKEKDC_H */
