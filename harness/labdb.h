/* Lab databases, built and changed in-process through libkdb5 and kadm5. */
#ifndef KF_LABDB_H
#define KF_LABDB_H

#include "lab.h"

/* Create the primary KDC's database with only the realm's own principals
 * and the lab's probe principal, and copy it to every replica: enough for
 * the KDCs to start. */
int kf_db_create_skeleton(kf_lab *lab, char **err);

/* Add the scenario's policies and principals to the primary, write each
 * host's initial keytab, and copy the database to every replica.  Running
 * KDCs see the new database at their next request. */
int kf_db_populate(kf_lab *lab, char **err);

/* Set principal's keys on kdc from password (kvno "next", "keep" or a
 * number; NULL means next), as a password change made on that KDC; the
 * principals that hold its keys (keys_of) get them too. */
int kf_db_change_password(kf_lab *lab, kf_kdc *kdc, const char *principal,
                          const char *password, const char *kvno, char **err);

/* Give principal new random keys on kdc. */
int kf_db_randomize_key(kf_lab *lab, kf_kdc *kdc, const char *principal,
                        const char *kvno, char **err);

/* Write the keys kdc holds for principal into keytab (replacing the file's
 * contents if replace), as ktadd -norandkey would; under the name as
 * (NULL: the principal's own) with kvno (0: each key's own). */
int kf_db_export_keytab(kf_lab *lab, kf_kdc *kdc, const char *principal,
                        const char *as, int kvno, const char *keytab,
                        bool replace, char **err);

/* Copy from's database over to's, as a full propagation does. */
int kf_db_replicate(kf_lab *lab, kf_kdc *from, kf_kdc *to, char **err);

/* Return the kvno kdc holds for principal, or -1. */
int kf_db_kvno(kf_lab *lab, kf_kdc *kdc, const char *principal);

/* Return the kvno a key change gives a principal whose kvno is cur: spec
 * is "next" (or NULL), "keep", or a number. */
krb5_kvno kf_kvno_after(krb5_kvno cur, const char *spec);

/* Forget the string-to-key results cached for this run. */
void kf_db_cache_free(void);

/* Return how many string-to-key results were computed and reused. */
void kf_db_cache_stats(unsigned long *computed, unsigned long *reused);

#endif /* KF_LABDB_H */
