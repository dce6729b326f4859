/* fakekdc: a KDB module that wraps MIT's db2 and adds what it lacks. */
#include "fakekdc.h"

#include <stdio.h>
#include <string.h>

/* The vtable libkdb5 reads.  libkdb5 copies it as soon as it has loaded
 * the module, before calling anything, so it is filled in when the module
 * is loaded (below).  If db2 cannot be used it stays zero: version 0, which
 * libkdb5 refuses to open. */
__attribute__((visibility("default"))) kdb_vftabl kdb_function_table;

/* Initialize the library: db2's, which fakekdc uses as its own. */
static krb5_error_code
fk_init_library(void)
{
    return fk_db2()->init_library();
}

static krb5_error_code
fk_fini_library(void)
{
    return fk_db2()->fini_library();
}

/* Open a database: fakekdc's configuration first, then db2's database. */
static krb5_error_code
fk_init_module(krb5_context ctx, char *conf_section, char **db_args, int mode)
{
    krb5_error_code ret;

    ret = fk_db_open(ctx, conf_section);
    if (ret)
        return ret;
    ret = fk_db2()->init_module(ctx, conf_section, db_args, mode);
    if (ret)
        fk_db_close(ctx);
    return ret;
}

/* Create a database (kdb5_util create), which also opens it. */
static krb5_error_code
fk_create(krb5_context ctx, char *conf_section, char **db_args)
{
    krb5_error_code ret;

    ret = fk_db_open(ctx, conf_section);
    if (ret)
        return ret;
    ret = fk_db2()->create(ctx, conf_section, db_args);
    if (ret)
        fk_db_close(ctx);
    return ret;
}

/* Close a database. */
static krb5_error_code
fk_fini_module(krb5_context ctx)
{
    krb5_error_code ret = fk_db2()->fini_module(ctx);

    fk_db_close(ctx);
    return ret;
}

/* Build the vtable when the module is loaded: every method of db2, with
 * fakekdc's own where it adds something. */
__attribute__((constructor)) static void
fk_load(void)
{
    char err[600];

    if (fk_db2_load(err, sizeof(err)) != 0) {
        /* libkdb5 will report a version mismatch; say why. */
        fprintf(stderr, FK_NAME ": %s\n", err);
        return;
    }
    fk_forward_all(&kdb_function_table);
    kdb_function_table.init_library = fk_init_library;
    kdb_function_table.fini_library = fk_fini_library;
    kdb_function_table.init_module = fk_init_module;
    kdb_function_table.create = fk_create;
    kdb_function_table.fini_module = fk_fini_module;
    kdb_function_table.get_principal = fk_get_principal;
}
