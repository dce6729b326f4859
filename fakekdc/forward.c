/* The stock db2 module: loading it, and forwarding every method to it. */
#include "fakekdc.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef FK_DB2_PATH
#error "FK_DB2_PATH must name the db2.so fakekdc wraps"
#endif

static const kdb_vftabl *db2_table;

int
fk_db2_load(char *err, size_t errlen)
{
    const char *path = getenv("FAKEKDC_DB2_MODULE");
    const kdb_vftabl *t;
    void *h;

    if (db2_table != NULL)
        return 0;
    if (path == NULL || *path == '\0')
        path = FK_DB2_PATH;
    /* Kept open for the life of the process, as libkdb5 keeps its own
     * modules (RTLD_NODELETE). */
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(err, errlen, "cannot load the db2 module: %s", dlerror());
        return -1;
    }
    t = dlsym(h, "kdb_function_table");
    if (t == NULL) {
        snprintf(err, errlen, "%s has no kdb_function_table", path);
        return -1;
    }
    if (t->maj_ver != KRB5_KDB_DAL_MAJOR_VERSION) {
        snprintf(err, errlen,
                 "%s speaks KDB DAL version %d, but fakekdc was built for "
                 "version %d: rebuild fakekdc against this MIT krb5",
                 path, t->maj_ver, KRB5_KDB_DAL_MAJOR_VERSION);
        return -1;
    }
    db2_table = t;
    return 0;
}

const kdb_vftabl *
fk_db2(void)
{
    return db2_table;
}

void
fk_forward_all(kdb_vftabl *out)
{
    /* db2's own pointers, NULL where db2 has none, so that libkdb5 applies
     * its defaults (master keys, key encryption, rename, password change)
     * exactly as it does for db2.  Only the minor-version-0 methods this
     * header knows are taken. */
    *out = *db2_table;
    out->min_ver = 0;
}
