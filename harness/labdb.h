/* Lab databases, built and changed in-process through libkdb5 and kadm5. */
#ifndef KF_LABDB_H
#define KF_LABDB_H

#include "lab.h"

/* A principal only this lab's database holds; it proves which KDC
 * answers at a lab address. */
#define KF_PROBE_PRINCIPAL "krbfault/probe"

/* Build the primary KDC's database with the scenario's policies and
 * principals, copy it to every replica, and write the probe keytab and
 * each host's initial keytab. */
int kf_db_build(kf_lab *lab, char **err);

/* Set principal's keys on kdc from password (kvno "next", "keep" or a
 * number; NULL means next), as a password change made on that KDC. */
int kf_db_change_password(kf_lab *lab, kf_kdc *kdc, const char *principal,
                          const char *password, const char *kvno,
                          char **err);

/* Give principal new random keys on kdc. */
int kf_db_randomize_key(kf_lab *lab, kf_kdc *kdc, const char *principal,
                        const char *kvno, char **err);

/* Write the keys kdc holds for principal into keytab (replacing the file's
 * contents if replace), as ktadd -norandkey would. */
int kf_db_export_keytab(kf_lab *lab, kf_kdc *kdc, const char *principal,
                        const char *keytab, bool replace, char **err);

/* Copy from's database over to's, as a full propagation does. */
int kf_db_replicate(kf_lab *lab, kf_kdc *from, kf_kdc *to, char **err);

/* Return the kvno kdc holds for principal, or -1. */
int kf_db_kvno(kf_lab *lab, kf_kdc *kdc, const char *principal);

/* Forget the string-to-key results cached for this run. */
void kf_db_cache_free(void);

/* Return how many string-to-key results were computed and reused. */
void kf_db_cache_stats(unsigned long *computed, unsigned long *reused);

#endif /* KF_LABDB_H */
