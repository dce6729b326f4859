/* fakekdc's relations in the [dbmodules] section of kdc.conf. */
#include "fakekdc.h"

#include <errno.h>
#include <profile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An alias file larger than this is refused. */
#define MAX_ALIAS_FILE (1 << 20)

/* Set ctx's message for ret to "fakekdc: WHERE: WHY" and return ret. */
static krb5_error_code
config_error(krb5_context ctx, krb5_error_code ret, const char *where,
             const char *why)
{
    krb5_set_error_message(ctx, ret, FK_NAME ": %s: %s", where, why);
    return ret;
}

/* Parse name (realm-less names are in the database's realm) and return it
 * written in full, with its realm; caller frees both. */
static krb5_error_code
full_name(krb5_context ctx, const char *name, char **full_out,
          char **realm_out)
{
    krb5_principal princ = NULL;
    krb5_error_code ret;

    *full_out = *realm_out = NULL;
    ret = krb5_parse_name(ctx, name, &princ);
    if (ret)
        return ret;
    ret = krb5_unparse_name(ctx, princ, full_out);
    if (ret == 0) {
        *realm_out = strndup(princ->realm.data, princ->realm.length);
        if (*realm_out == NULL) {
            krb5_free_unparsed_name(ctx, *full_out);
            *full_out = NULL;
            ret = ENOMEM;
        }
    }
    krb5_free_principal(ctx, princ);
    return ret;
}

/* Add the alias alias -> canon to db, naming where in messages. */
static krb5_error_code
add_alias(krb5_context ctx, fk_db *db, const char *alias, const char *canon,
          const char *where)
{
    char *a = NULL, *ar = NULL, *c = NULL, *cr = NULL;
    const char *why = NULL;
    krb5_error_code ret;

    ret = full_name(ctx, alias, &a, &ar);
    if (ret) {
        why = "the alias is not a principal name";
        goto cleanup;
    }
    ret = full_name(ctx, canon, &c, &cr);
    if (ret) {
        why = "the canonical name is not a principal name";
        goto cleanup;
    }
    ret = fk_alias_add(&db->aliases, db->realm, a, ar, c, cr, &why);

cleanup:
    if (ret)
        config_error(ctx, ret, where, why != NULL ? why : "out of memory");
    krb5_free_unparsed_name(ctx, a);
    krb5_free_unparsed_name(ctx, c);
    free(ar);
    free(cr);
    return ret;
}

/* Read the aliases listed in the section's alias subsection:
 * alias = { ALIAS = CANONICAL ... }. */
static krb5_error_code
read_inline(krb5_context ctx, profile_t profile, const char *section,
            fk_db *db)
{
    const char *names[] = {KDB_MODULE_SECTION, section, "alias", NULL, NULL};
    char **aliases = NULL, **values = NULL, where[300];
    krb5_error_code ret;
    long pret;
    size_t i;

    pret = profile_get_relation_names(profile, names, &aliases);
    if (pret == PROF_NO_RELATION || pret == PROF_NO_SECTION)
        return 0;
    if (pret)
        return (krb5_error_code)pret;
    for (ret = 0, i = 0; ret == 0 && aliases[i] != NULL; i++) {
        snprintf(where, sizeof(where), "[%s] %s alias %s", KDB_MODULE_SECTION,
                 section, aliases[i]);
        names[3] = aliases[i];
        ret = (krb5_error_code)profile_get_values(profile, names, &values);
        if (ret)
            break;
        if (values[1] != NULL)
            ret =
                config_error(ctx, EINVAL, where, "this alias is given twice");
        else
            ret = add_alias(ctx, db, aliases[i], values[0], where);
        profile_free_list(values);
        values = NULL;
    }
    profile_free_list(aliases);
    return ret;
}

/* Return the contents of path, at most MAX_ALIAS_FILE bytes, or NULL with
 * errno set. */
static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t n;

    if (f == NULL)
        return NULL;
    buf = malloc(MAX_ALIAS_FILE + 1);
    if (buf != NULL) {
        n = fread(buf, 1, MAX_ALIAS_FILE + 1, f);
        if (ferror(f) || n > MAX_ALIAS_FILE || memchr(buf, '\0', n)) {
            free(buf);
            buf = NULL;
            errno = EFBIG;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* Read the aliases of the file the section's alias_file names. */
static krb5_error_code
read_file(krb5_context ctx, profile_t profile, const char *section, fk_db *db)
{
    fk_alias_line *lines = NULL;
    char *path = NULL, *text = NULL, where[1200];
    const char *why = NULL;
    krb5_error_code ret;
    size_t i, n = 0;
    int bad = 0;

    ret = (krb5_error_code)profile_get_string(
        profile, KDB_MODULE_SECTION, section, "alias_file", NULL, &path);
    if (ret || path == NULL)
        return ret;
    text = read_text(path);
    if (text == NULL) {
        ret = errno;
        snprintf(where, sizeof(where), "alias_file %s", path);
        config_error(ctx, ret, where, strerror(ret));
        goto cleanup;
    }
    ret = fk_alias_split(text, &lines, &n, &bad, &why);
    if (ret) {
        snprintf(where, sizeof(where), "%s:%d", path, bad);
        config_error(ctx, ret, where, why);
        goto cleanup;
    }
    for (i = 0; ret == 0 && i < n; i++) {
        snprintf(where, sizeof(where), "%s:%d", path, lines[i].line);
        ret = add_alias(ctx, db, lines[i].alias, lines[i].canon, where);
    }

cleanup:
    fk_alias_lines_free(lines, n);
    free(text);
    profile_release_string(path);
    return ret;
}

krb5_error_code
fk_config_read(krb5_context ctx, const char *conf_section, fk_db *db)
{
    profile_t profile = NULL;
    krb5_error_code ret;

    ret = krb5_get_profile(ctx, &profile);
    if (ret)
        return ret;
    ret = read_inline(ctx, profile, conf_section, db);
    if (ret == 0)
        ret = read_file(ctx, profile, conf_section, db);
    profile_release(profile);
    return ret;
}
