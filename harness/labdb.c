/* Lab databases, built and changed in-process through libkdb5 and kadm5. */
#define _GNU_SOURCE
#include "labdb.h"

#include <errno.h>
#include <fcntl.h>
#include <kadm5/admin.h>
#include <time.h>
#include <kdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An admin connection to one KDC's database. */
struct dbh {
    krb5_context ctx;
    void *handle;
};

/* One cached string-to-key result. */
struct s2k_entry {
    krb5_enctype enctype;
    char *salt;
    char *password;
    krb5_keyblock key;
    struct s2k_entry *next;
};

static struct s2k_entry *s2k_cache;
static unsigned long s2k_computed, s2k_reused;

static const krb5_enctype default_enctypes[] = {
    ENCTYPE_AES256_CTS_HMAC_SHA1_96, ENCTYPE_AES128_CTS_HMAC_SHA1_96};

/* Set *err to a message naming what failed and the library's reason. */
static void
set_err(krb5_context ctx, krb5_error_code code, char **err, const char *what,
        const char *name)
{
    const char *m =
        ctx != NULL ? krb5_get_error_message(ctx, code) : error_message(code);
    size_t len = strlen(what) + strlen(name) + strlen(m) + 8;

    *err = malloc(len);
    if (*err != NULL)
        snprintf(*err, len, "%s %s: %s", what, name, m);
    if (ctx != NULL)
        krb5_free_error_message(ctx, m);
}

/* Make a context that reads the lab's krb5.conf and kdc's kdc.conf. */
static krb5_error_code
kdc_context(kf_lab *lab, kf_kdc *kdc, krb5_context *ctx_out)
{
    krb5_error_code ret;

    setenv("KRB5_KDC_PROFILE", kdc->kdcconf, 1);
    ret = kadm5_init_krb5_context(ctx_out);
    setenv("KRB5_KDC_PROFILE", lab->kdcs[0].kdcconf, 1);
    return ret;
}

/* Open an admin handle on kdc's database. */
static krb5_error_code
open_admin(kf_lab *lab, kf_kdc *kdc, struct dbh *h)
{
    kadm5_config_params params;
    krb5_error_code ret;
    char client[300];

    memset(h, 0, sizeof(*h));
    memset(&params, 0, sizeof(params));
    ret = kdc_context(lab, kdc, &h->ctx);
    if (ret)
        return ret;
    params.mask = KADM5_CONFIG_REALM;
    params.realm = (char *)lab->sc->realm;
    snprintf(client, sizeof(client), "krbfault/admin@%s", lab->sc->realm);
    setenv("KRB5_KDC_PROFILE", kdc->kdcconf, 1);
    ret = kadm5_init(h->ctx, client, NULL, KADM5_ADMIN_SERVICE, &params,
                     KADM5_STRUCT_VERSION, KADM5_API_VERSION_4, NULL,
                     &h->handle);
    setenv("KRB5_KDC_PROFILE", lab->kdcs[0].kdcconf, 1);
    if (ret) {
        krb5_free_context(h->ctx);
        h->ctx = NULL;
    }
    return ret;
}

static void
close_admin(struct dbh *h)
{
    if (h->handle != NULL)
        kadm5_destroy(h->handle);
    if (h->ctx != NULL)
        krb5_free_context(h->ctx);
    memset(h, 0, sizeof(*h));
}

/* Return a key for password with salt, computing it once per run. */
static krb5_error_code
cached_s2k(krb5_context ctx, krb5_enctype enctype, const krb5_data *salt,
           const char *password, krb5_keyblock *out)
{
    struct s2k_entry *e;
    krb5_data pw;
    krb5_error_code ret;

    for (e = s2k_cache; e != NULL; e = e->next) {
        if (e->enctype == enctype && strlen(e->salt) == salt->length &&
            memcmp(e->salt, salt->data, salt->length) == 0 &&
            strcmp(e->password, password) == 0) {
            s2k_reused++;
            return krb5_copy_keyblock_contents(ctx, &e->key, out);
        }
    }
    e = calloc(1, sizeof(*e));
    if (e == NULL)
        return ENOMEM;
    pw.magic = KV5M_DATA;
    pw.data = (char *)password;
    pw.length = (unsigned int)strlen(password);
    ret = krb5_c_string_to_key(ctx, enctype, &pw, salt, &e->key);
    if (ret) {
        free(e);
        return ret;
    }
    e->enctype = enctype;
    e->salt = strndup(salt->data, salt->length);
    e->password = strdup(password);
    e->next = s2k_cache;
    s2k_cache = e;
    s2k_computed++;
    return krb5_copy_keyblock_contents(ctx, &e->key, out);
}

void
kf_db_cache_free(void)
{
    struct s2k_entry *e, *next;

    for (e = s2k_cache; e != NULL; e = next) {
        next = e->next;
        free(e->key.contents);
        free(e->salt);
        free(e->password);
        free(e);
    }
    s2k_cache = NULL;
}

void
kf_db_cache_stats(unsigned long *computed, unsigned long *reused)
{
    *computed = s2k_computed;
    *reused = s2k_reused;
}

/* Fill enctypes from a principal's list or the realm's default. */
static krb5_error_code
principal_enctypes(const kf_principal_def *pd, krb5_enctype *out,
                   size_t *n_out)
{
    size_t i;

    if (pd == NULL || pd->enctypes.n == 0) {
        memcpy(out, default_enctypes, sizeof(default_enctypes));
        *n_out = 2;
        return 0;
    }
    for (i = 0; i < pd->enctypes.n && i < 8; i++) {
        if (krb5_string_to_enctype(pd->enctypes.v[i], &out[i]))
            return KRB5_BAD_ENCTYPE;
    }
    *n_out = i;
    return 0;
}

krb5_kvno
kf_kvno_after(krb5_kvno cur, const char *spec)
{
    if (spec == NULL || strcmp(spec, "next") == 0)
        return cur + 1;
    if (strcmp(spec, "keep") == 0)
        return cur > 0 ? cur : 1;
    return (krb5_kvno)atoi(spec);
}

/* Set princ's keys from password (or random keys if password is NULL). */
static krb5_error_code
set_keys(struct dbh *h, krb5_principal princ, const kf_principal_def *pd,
         const char *password, krb5_kvno kvno)
{
    krb5_enctype etypes[8];
    kadm5_key_data kd[8];
    krb5_data salt = {0};
    size_t n = 0, i;
    krb5_error_code ret;

    memset(kd, 0, sizeof(kd));
    ret = principal_enctypes(pd, etypes, &n);
    if (ret)
        return ret;
    ret = krb5_principal2salt(h->ctx, princ, &salt);
    if (ret)
        return ret;
    for (i = 0; i < n; i++) {
        kd[i].kvno = kvno;
        kd[i].salt.type = KRB5_KDB_SALTTYPE_NORMAL;
        if (password != NULL)
            ret = cached_s2k(h->ctx, etypes[i], &salt, password, &kd[i].key);
        else
            ret = krb5_c_make_random_key(h->ctx, etypes[i], &kd[i].key);
        if (ret)
            goto cleanup;
    }
    ret = kadm5_setkey_principal_4(h->handle, princ, FALSE, kd, (int)n);

cleanup:
    for (i = 0; i < n; i++)
        krb5_free_keyblock_contents(h->ctx, &kd[i].key);
    krb5_free_data_contents(h->ctx, &salt);
    return ret;
}

/* Create the database files with K/M and krbtgt, and the stash, as
 * kdb5_util create -s does. */
static krb5_error_code
create_db(kf_lab *lab, kf_kdc *kdc, char **err)
{
    krb5_context ctx = NULL;
    krb5_principal mprinc = NULL, tgs = NULL;
    krb5_keyblock mkey = {0};
    krb5_db_entry *ent[2] = {NULL, NULL};
    krb5_actkvno_node actkvno;
    krb5_timestamp now;
    krb5_error_code ret;
    char *mname = NULL;
    int i, created = 0;
    const char *what = "while creating the database of";

    ret = kdc_context(lab, kdc, &ctx);
    if (ret)
        goto cleanup;
    setenv("KRB5_KDC_PROFILE", kdc->kdcconf, 1);
    ret = krb5_db_setup_mkey_name(ctx, NULL, lab->sc->realm, &mname, &mprinc);
    if (ret)
        goto cleanup;
    ret = krb5_build_principal(ctx, &tgs, (unsigned int)strlen(lab->sc->realm),
                               lab->sc->realm, "krbtgt", lab->sc->realm,
                               (char *)NULL);
    if (ret)
        goto cleanup;
    ret = krb5_c_make_random_key(ctx, ENCTYPE_AES256_CTS_HMAC_SHA1_96, &mkey);
    if (ret)
        goto cleanup;
    ret = krb5_db_create(ctx, NULL);
    if (ret)
        goto cleanup;
    created = 1;
    now = (krb5_timestamp)lab->start;
    for (i = 0; i < 2; i++) {
        krb5_db_entry *e = krb5_db_alloc(ctx, NULL, sizeof(*e));

        if (e == NULL) {
            ret = ENOMEM;
            goto cleanup;
        }
        memset(e, 0, sizeof(*e));
        ent[i] = e;
        e->len = KRB5_KDB_V1_BASE_LENGTH;
        e->max_life = 36000;
        e->max_renewable_life = 7 * 86400;
        e->mask = KADM5_KEY_DATA | KADM5_PRINCIPAL | KADM5_ATTRIBUTES |
                  KADM5_MAX_LIFE | KADM5_MAX_RLIFE | KADM5_TL_DATA |
                  KADM5_PRINC_EXPIRE_TIME;
        ret = krb5_copy_principal(ctx, i == 0 ? mprinc : tgs, &e->princ);
        if (ret)
            goto cleanup;
        ret = krb5_dbe_update_mod_princ_data(ctx, e, now, mprinc);
        if (ret)
            goto cleanup;
    }
    /* K/M: the master key encrypted in itself, active since the epoch. */
    ent[0]->attributes = KRB5_KDB_DISALLOW_ALL_TIX;
    ret = krb5_dbe_create_key_data(ctx, ent[0]);
    if (ret)
        goto cleanup;
    ret = krb5_dbe_encrypt_key_data(ctx, &mkey, &mkey, NULL, 1,
                                    &ent[0]->key_data[0]);
    if (ret)
        goto cleanup;
    actkvno.next = NULL;
    actkvno.act_kvno = 1;
    actkvno.act_time = 0;
    ret = krb5_dbe_update_actkvno(ctx, ent[0], &actkvno);
    if (ret)
        goto cleanup;
    ret = krb5_dbe_update_mkvno(ctx, ent[0], 1);
    if (ret)
        goto cleanup;
    /* krbtgt: random keys of the realm's enctypes. */
    for (i = 0; i < 2; i++) {
        krb5_keyblock key;

        ret = krb5_dbe_create_key_data(ctx, ent[1]);
        if (ret)
            goto cleanup;
        ret = krb5_c_make_random_key(ctx, default_enctypes[i], &key);
        if (ret)
            goto cleanup;
        ret = krb5_dbe_encrypt_key_data(ctx, &mkey, &key, NULL, 1,
                                        &ent[1]->key_data[i]);
        krb5_free_keyblock_contents(ctx, &key);
        if (ret)
            goto cleanup;
    }
    for (i = 0; i < 2; i++) {
        ret = krb5_db_put_principal(ctx, ent[i]);
        if (ret)
            goto cleanup;
    }
    what = "while stashing the master key of";
    ret = krb5_db_store_master_key(ctx, kdc->stash, mprinc, 1, &mkey, NULL);

cleanup:
    setenv("KRB5_KDC_PROFILE", lab->kdcs[0].kdcconf, 1);
    if (ret)
        set_err(ctx, ret, err, what, kdc->def->name);
    if (ctx != NULL) {
        for (i = 0; i < 2; i++) {
            if (ent[i] != NULL)
                krb5_db_free_principal(ctx, ent[i]);
        }
        if (created)
            krb5_db_fini(ctx);
        krb5_free_keyblock_contents(ctx, &mkey);
        krb5_free_principal(ctx, mprinc);
        krb5_free_principal(ctx, tgs);
        free(mname);
        krb5_free_context(ctx);
    }
    return ret;
}

/* Parse a realm-less principal name in the lab's realm. */
static krb5_error_code
lab_principal(struct dbh *h, kf_lab *lab, const char *name,
              krb5_principal *out)
{
    char full[512];

    if (strchr(name, '@') != NULL)
        return krb5_parse_name(h->ctx, name, out);
    snprintf(full, sizeof(full), "%s@%s", name, lab->sc->realm);
    return krb5_parse_name(h->ctx, full, out);
}

/* Create one principal as the scenario declares it. */
static krb5_error_code
add_principal(struct dbh *h, kf_lab *lab, const kf_principal_def *pd,
              const char *name, int attributes)
{
    kadm5_principal_ent_rec ent;
    krb5_principal princ = NULL;
    krb5_error_code ret;
    long mask = KADM5_PRINCIPAL | KADM5_ATTRIBUTES;
    krb5_kvno kvno = (pd != NULL && pd->kvno > 0) ? (krb5_kvno)pd->kvno : 1;
    bool own_keys = pd != NULL &&
                    (pd->password != NULL || kvno != 1 || pd->enctypes.n > 0);
    size_t i;

    memset(&ent, 0, sizeof(ent));
    ret = lab_principal(h, lab, name, &princ);
    if (ret)
        return ret;
    ent.principal = princ;
    ent.attributes = attributes;
    if (pd != NULL && pd->policy != NULL) {
        ent.policy = pd->policy;
        mask |= KADM5_POLICY;
    }
    if (pd != NULL && pd->pw_expires.set) {
        ent.pw_expiration =
            pd->pw_expires.never
                ? 0
                : (krb5_timestamp)(lab->start + pd->pw_expires.offset);
        mask |= KADM5_PW_EXPIRATION;
    }
    if (pd != NULL && pd->expires.set) {
        ent.princ_expire_time =
            pd->expires.never
                ? 0
                : (krb5_timestamp)(lab->start + pd->expires.offset);
        mask |= KADM5_PRINC_EXPIRE_TIME;
    }
    /* With no password kadm5 gives the principal random keys of the
     * realm's enctypes, kvno 1. */
    ret = kadm5_create_principal_3(h->handle, &ent, mask, 0, NULL, NULL);
    for (i = 0; ret == 0 && pd != NULL && i < pd->string_keys.n; i++)
        ret = kadm5_set_string(h->handle, princ, pd->string_keys.v[i],
                               pd->string_values.v[i]);
    if (ret || !own_keys)
        goto cleanup;
    ret = set_keys(h, princ, pd, pd->password, kvno);
    if (ret)
        goto cleanup;
    /* Setting keys counts as a password change: it clears needchange and
     * may move the password's expiry, so restate what the scenario says. */
    mask &= ~(long)(KADM5_PRINCIPAL | KADM5_POLICY | KADM5_PRINC_EXPIRE_TIME);
    if ((mask & KADM5_PW_EXPIRATION) ||
        (attributes & KRB5_KDB_REQUIRES_PWCHANGE))
        ret = kadm5_modify_principal(h->handle, &ent, mask);

cleanup:
    krb5_free_principal(h->ctx, princ);
    return ret;
}

static krb5_error_code
add_policy(struct dbh *h, const kf_policy_def *pd)
{
    kadm5_policy_ent_rec pol;
    long mask = KADM5_POLICY;

    memset(&pol, 0, sizeof(pol));
    pol.policy = pd->name;
    if (pd->max_failures > 0) {
        pol.pw_max_fail = (krb5_kvno)pd->max_failures;
        pol.pw_failcnt_interval = (krb5_deltat)pd->failure_interval;
        pol.pw_lockout_duration = (krb5_deltat)pd->lockout_duration;
        mask |= KADM5_PW_MAX_FAILURE | KADM5_PW_FAILURE_COUNT_INTERVAL |
                KADM5_PW_LOCKOUT_DURATION;
    }
    if (pd->min_length > 0) {
        pol.pw_min_length = pd->min_length;
        mask |= KADM5_PW_MIN_LENGTH;
    }
    return kadm5_create_policy(h->handle, &pol, mask);
}

/* Write princ's keys from an open handle into a keytab file, under the
 * name as (NULL: princ) and kvno (0: each key's own). */
static krb5_error_code
write_keytab(struct dbh *h, krb5_principal princ, krb5_principal as,
             krb5_kvno kvno, const char *path, bool replace)
{
    kadm5_key_data *kd = NULL;
    krb5_keytab kt = NULL;
    krb5_error_code ret;
    int n = 0, i;
    char name[1100];

    ret = kadm5_get_principal_keys(h->handle, princ, 0, &kd, &n);
    if (ret)
        return ret;
    if (replace && unlink(path) != 0 && errno != ENOENT) {
        ret = errno;
        goto cleanup;
    }
    snprintf(name, sizeof(name), "FILE:%s", path);
    ret = krb5_kt_resolve(h->ctx, name, &kt);
    if (ret)
        goto cleanup;
    for (i = 0; i < n; i++) {
        krb5_keytab_entry e;

        memset(&e, 0, sizeof(e));
        e.principal = as != NULL ? as : princ;
        e.vno = kvno != 0 ? kvno : kd[i].kvno;
        e.key = kd[i].key;
        ret = krb5_kt_add_entry(h->ctx, kt, &e);
        if (ret)
            goto cleanup;
    }

cleanup:
    if (kt != NULL)
        krb5_kt_close(h->ctx, kt);
    kadm5_free_kadm5_key_data(h->ctx, n, kd);
    return ret;
}

/* Export name's keys through an open handle, under the name as (NULL:
 * its own) and kvno (0: the keys' own). */
static krb5_error_code
export_by_name(struct dbh *h, kf_lab *lab, const char *name, const char *as,
               krb5_kvno kvno, const char *path, bool replace)
{
    krb5_principal princ = NULL, asp = NULL;
    krb5_error_code ret;

    ret = lab_principal(h, lab, name, &princ);
    if (ret == 0 && as != NULL)
        ret = lab_principal(h, lab, as, &asp);
    if (ret == 0)
        ret = write_keytab(h, princ, asp, kvno, path, replace);
    krb5_free_principal(h->ctx, princ);
    krb5_free_principal(h->ctx, asp);
    return ret;
}

/* Give copy exactly the keys owner holds (enctypes, kvno) with owner's
 * salt, as an SPN registered on an account shares the account's keys:
 * MIT's database has no aliases, so the keys are copied, the salt stored
 * as a special salt. */
static krb5_error_code
copy_keys(struct dbh *h, kf_lab *lab, const char *owner, const char *copy)
{
    krb5_principal op = NULL, cp = NULL;
    kadm5_key_data *kd = NULL;
    krb5_data salt = {0};
    krb5_error_code ret;
    int n = 0, i;

    ret = lab_principal(h, lab, owner, &op);
    if (ret == 0)
        ret = lab_principal(h, lab, copy, &cp);
    if (ret == 0)
        ret = kadm5_get_principal_keys(h->handle, op, 0, &kd, &n);
    if (ret == 0)
        ret = krb5_principal2salt(h->ctx, op, &salt);
    for (i = 0; ret == 0 && i < n; i++) {
        krb5_data *d = &kd[i].salt.data;

        if (kd[i].salt.type != KRB5_KDB_SALTTYPE_NORMAL)
            continue;
        free(d->data);
        d->data = malloc(salt.length ? salt.length : 1);
        if (d->data == NULL) {
            ret = ENOMEM;
            break;
        }
        memcpy(d->data, salt.data, salt.length);
        d->length = salt.length;
        kd[i].salt.type = KRB5_KDB_SALTTYPE_SPECIAL;
    }
    if (ret == 0)
        ret = kadm5_setkey_principal_4(h->handle, cp, FALSE, kd, n);
    kadm5_free_kadm5_key_data(h->ctx, n, kd);
    krb5_free_data_contents(h->ctx, &salt);
    krb5_free_principal(h->ctx, op);
    krb5_free_principal(h->ctx, cp);
    return ret;
}

/* Give every principal that holds owner's keys (keys_of) owner's current
 * keys. */
static krb5_error_code
copy_keys_to_holders(struct dbh *h, kf_lab *lab, const char *owner,
                     const char **failed)
{
    const kf_scenario *sc = lab->sc;
    krb5_error_code ret = 0;
    size_t i;

    for (i = 0; ret == 0 && i < sc->n_principals; i++) {
        const kf_principal_def *pd = &sc->principals[i];

        if (pd->keys_of == NULL || strcmp(pd->keys_of, owner) != 0)
            continue;
        *failed = pd->name;
        ret = copy_keys(h, lab, owner, pd->name);
    }
    return ret;
}

/* Copy one file to a temporary name beside dst, then rename it over dst,
 * so a KDC reading dst sees the old or the new file whole. */
static int
copy_over(const char *src, const char *dst)
{
    char tmp[1100], buf[65536];
    int in, out, ret = -1;
    ssize_t n;

    snprintf(tmp, sizeof(tmp), "%s.krbfault-new", dst);
    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return -1;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        if (write(out, buf, (size_t)n) != n)
            goto cleanup;
    }
    if (n == 0)
        ret = 0;

cleanup:
    close(in);
    if (close(out) != 0)
        ret = -1;
    if (ret == 0)
        ret = rename(tmp, dst);
    else
        unlink(tmp);
    return ret;
}

int
kf_db_replicate(kf_lab *lab, kf_kdc *from, kf_kdc *to, char **err)
{
    static const char *const exts[] = {"", ".kadm5", NULL};
    static const char *const locks[] = {".ok", ".kadm5.lock", NULL};
    krb5_context ctx = NULL;
    krb5_error_code ret;
    const char *const *e;
    char src[1024], dst[1024];
    int locked = 0, opened = 0, rc = -1;

    ret = kdc_context(lab, from, &ctx);
    if (ret == 0) {
        setenv("KRB5_KDC_PROFILE", from->kdcconf, 1);
        ret = krb5_db_open(ctx, NULL,
                           KRB5_KDB_OPEN_RO | KRB5_KDB_SRV_TYPE_OTHER);
        setenv("KRB5_KDC_PROFILE", lab->kdcs[0].kdcconf, 1);
        opened = (ret == 0);
    }
    if (ret == 0) {
        ret = krb5_db_lock(ctx, KRB5_DB_LOCKMODE_SHARED);
        locked = (ret == 0);
    }
    if (ret) {
        set_err(ctx, ret, err, "while reading the database of",
                from->def->name);
        goto cleanup;
    }
    for (e = exts; *e != NULL; e++) {
        snprintf(src, sizeof(src), "%s%s", from->dbname, *e);
        snprintf(dst, sizeof(dst), "%s%s", to->dbname, *e);
        if (copy_over(src, dst) != 0) {
            size_t len = strlen(src) + strlen(dst) + 64;

            *err = malloc(len);
            if (*err != NULL)
                snprintf(*err, len, "cannot copy %s to %s: %s", src, dst,
                         strerror(errno));
            goto cleanup;
        }
    }
    /* The lock files stay the replica's own, so a running KDC and this
     * process keep locking the same files. */
    for (e = locks; *e != NULL; e++) {
        int fd;

        snprintf(dst, sizeof(dst), "%s%s", to->dbname, *e);
        fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            *err = strdup("cannot create a database lock file");
            goto cleanup;
        }
        close(fd);
    }
    /* Replicas share the primary's master key, as after kprop. */
    if (copy_over(from->stash, to->stash) != 0) {
        *err = strdup("cannot copy the master key stash");
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (ctx != NULL) {
        if (locked)
            krb5_db_unlock(ctx);
        if (opened)
            krb5_db_fini(ctx);
        krb5_free_context(ctx);
    }
    return rc;
}

/* Copy the primary's database to every replica. */
static int
replicate_all(kf_lab *lab, char **err)
{
    size_t i;

    for (i = 1; i < lab->n_kdcs; i++) {
        if (kf_db_replicate(lab, &lab->kdcs[0], &lab->kdcs[i], err))
            return -1;
    }
    return 0;
}

int
kf_db_create_skeleton(kf_lab *lab, char **err)
{
    kf_kdc *primary = &lab->kdcs[0];
    struct dbh h = {0};
    krb5_error_code ret;
    const char *name = lab->probe_name;
    int rc = -1;

    if (create_db(lab, primary, err))
        return -1;
    ret = open_admin(lab, primary, &h);
    if (ret) {
        set_err(NULL, ret, err, "while opening the database of",
                primary->def->name);
        return -1;
    }
    ret = add_principal(&h, lab, NULL, lab->probe_name, 0);
    if (ret)
        goto cleanup;
    name = "kadmin/admin";
    ret = add_principal(&h, lab, NULL, name, KRB5_KDB_REQUIRES_PRE_AUTH);
    if (ret)
        goto cleanup;
    name = "kadmin/changepw";
    ret =
        add_principal(&h, lab, NULL, name,
                      KRB5_KDB_DISALLOW_TGT_BASED | KRB5_KDB_PWCHANGE_SERVICE);
    if (ret)
        goto cleanup;
    close_admin(&h);
    rc = replicate_all(lab, err);

cleanup:
    if (rc != 0 && *err == NULL)
        set_err(h.ctx, ret, err, "while creating principal", name);
    close_admin(&h);
    return rc;
}

int
kf_db_populate(kf_lab *lab, char **err)
{
    const kf_scenario *sc = lab->sc;
    kf_kdc *primary = &lab->kdcs[0];
    struct dbh h = {0};
    krb5_error_code ret;
    size_t i, j;
    const char *what = "while opening the database of";
    const char *name = primary->def->name;
    int rc = -1;

    ret = open_admin(lab, primary, &h);
    if (ret)
        goto cleanup;
    what = "while creating a policy in";
    for (i = 0; i < sc->n_policies; i++) {
        ret = add_policy(&h, &sc->policies[i]);
        if (ret)
            goto cleanup;
    }
    what = "while creating principal";
    for (i = 0; i < sc->n_principals; i++) {
        const kf_principal_def *pd = &sc->principals[i];

        name = pd->name;
        ret = add_principal(&h, lab, pd, pd->name,
                            pd->attr_set & ~pd->attr_clear);
        if (ret)
            goto cleanup;
    }
    what = "while copying keys to principal";
    for (i = 0; i < sc->n_principals; i++) {
        if (sc->principals[i].keys_of != NULL) {
            name = sc->principals[i].name;
            ret = copy_keys(&h, lab, sc->principals[i].keys_of, name);
            if (ret)
                goto cleanup;
        }
    }
    what = "while writing a keytab of";
    for (i = 0; i < lab->n_hosts; i++) {
        kf_host *host = &lab->hosts[i];

        for (j = 0; j < host->def->keytab.n; j++) {
            name = host->def->keytab.v[j];
            ret = export_by_name(&h, lab, name, NULL, 0, host->keytab, j == 0);
            if (ret)
                goto cleanup;
        }
    }
    kf_lab_phase(lab, "principals and keytabs written");
    close_admin(&h);
    rc = replicate_all(lab, err);

cleanup:
    if (rc != 0 && *err == NULL)
        set_err(h.ctx, ret, err, what, name);
    close_admin(&h);
    return rc;
}

/* Run one key change on kdc's database. */
static int
change_keys(kf_lab *lab, kf_kdc *kdc, const char *principal,
            const char *password, const char *kvno, char **err)
{
    struct dbh h;
    kadm5_principal_ent_rec ent;
    krb5_principal princ = NULL;
    krb5_error_code ret;
    bool have_ent = false;

    memset(&ent, 0, sizeof(ent));
    ret = open_admin(lab, kdc, &h);
    if (ret) {
        set_err(NULL, ret, err, "while opening the database of",
                kdc->def->name);
        return -1;
    }
    ret = lab_principal(&h, lab, principal, &princ);
    if (ret == 0)
        ret = kadm5_get_principal(h.handle, princ, &ent,
                                  KADM5_PRINCIPAL | KADM5_KVNO);
    have_ent = (ret == 0);
    if (ret == 0)
        ret = set_keys(&h, princ, kf_find_principal(lab->sc, principal),
                       password, kf_kvno_after(ent.kvno, kvno));
    if (ret) {
        set_err(h.ctx, ret, err, "while changing the keys of", principal);
    } else {
        const char *holder = NULL;

        /* The account's SPNs share its new keys. */
        ret = copy_keys_to_holders(&h, lab, principal, &holder);
        if (ret)
            set_err(h.ctx, ret, err, "while copying keys to", holder);
    }
    if (have_ent)
        kadm5_free_principal_ent(h.handle, &ent);
    krb5_free_principal(h.ctx, princ);
    close_admin(&h);
    return ret ? -1 : 0;
}

int
kf_db_change_password(kf_lab *lab, kf_kdc *kdc, const char *principal,
                      const char *password, const char *kvno, char **err)
{
    return change_keys(lab, kdc, principal, password, kvno, err);
}

int
kf_db_randomize_key(kf_lab *lab, kf_kdc *kdc, const char *principal,
                    const char *kvno, char **err)
{
    return change_keys(lab, kdc, principal, NULL, kvno, err);
}

int
kf_db_export_keytab(kf_lab *lab, kf_kdc *kdc, const char *principal,
                    const char *as, int kvno, const char *keytab, bool replace,
                    char **err)
{
    struct dbh h;
    krb5_error_code ret;

    ret = open_admin(lab, kdc, &h);
    if (ret) {
        set_err(NULL, ret, err, "while opening the database of",
                kdc->def->name);
        return -1;
    }
    ret = export_by_name(&h, lab, principal, as, (krb5_kvno)kvno, keytab,
                         replace);
    if (ret)
        set_err(h.ctx, ret, err, "while exporting the keys of", principal);
    close_admin(&h);
    return ret ? -1 : 0;
}

int
kf_db_kvno(kf_lab *lab, kf_kdc *kdc, const char *principal)
{
    struct dbh h;
    kadm5_principal_ent_rec ent;
    krb5_principal princ = NULL;
    int kvno = -1;

    if (open_admin(lab, kdc, &h))
        return -1;
    if (lab_principal(&h, lab, principal, &princ) == 0 &&
        kadm5_get_principal(h.handle, princ, &ent,
                            KADM5_PRINCIPAL | KADM5_KVNO) == 0) {
        kvno = (int)ent.kvno;
        kadm5_free_principal_ent(h.handle, &ent);
    }
    krb5_free_principal(h.ctx, princ);
    close_admin(&h);
    return kvno;
}
