/* A stand-in for a db2.so of another KDB DAL version: fakekdc must refuse
 * it, loudly, instead of forwarding into a vtable it does not know. */
#include <time.h>

#include <kdb.h>

__attribute__((visibility("default")))
kdb_vftabl kdb_function_table = {.maj_ver = KRB5_KDB_DAL_MAJOR_VERSION - 1};
