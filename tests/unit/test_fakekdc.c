/* Unit tests of fakekdc's pure parts: the alias table, its file format,
 * lookup decisions, and the reading of its [dbmodules] relations. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakekdc.h"
#include "helpers.h"

#define R "NEKOMARU.LOCAL"
#define OTHER "ASIA.NEKOMARU.LOCAL"

/* Every KDB lookup flag combination that matters to aliases. */
#define AS_CANON (KRB5_KDB_FLAG_CLIENT | KRB5_KDB_FLAG_REFERRAL_OK)
#define AS_PLAIN KRB5_KDB_FLAG_CLIENT
#define TGS_CANON KRB5_KDB_FLAG_REFERRAL_OK

/* An alias file: comments, blank lines, tabs and CRLF line ends. */
static void
test_split_good(void)
{
    const char text[] = "# aliases\n"
                        "\n"
                        "neko@" R "   nekoneko@" R "\n"
                        "  \t# indented comment\n"
                        "HTTP/www\tHTTP/web\r\n"
                        "old@" R " old@" OTHER;
    fk_alias_line *lines = NULL;
    size_t n = 0;
    int bad = -1;
    const char *why = NULL;

    CU_ASSERT_EQUAL_FATAL(fk_alias_split(text, &lines, &n, &bad, &why), 0);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_EQUAL(lines[0].line, 3);
    ASSERT_STR(lines[0].alias, "neko@" R);
    ASSERT_STR(lines[0].canon, "nekoneko@" R);
    CU_ASSERT_EQUAL(lines[1].line, 5);
    ASSERT_STR(lines[1].alias, "HTTP/www");
    ASSERT_STR(lines[1].canon, "HTTP/web");
    CU_ASSERT_EQUAL(lines[2].line, 6);
    ASSERT_STR(lines[2].canon, "old@" OTHER);
    fk_alias_lines_free(lines, n);

    CU_ASSERT_EQUAL(fk_alias_split("", &lines, &n, &bad, &why), 0);
    CU_ASSERT_EQUAL(n, 0);
    fk_alias_lines_free(lines, n);
}

/* A line with one name or three is refused with its number. */
static void
test_split_bad(void)
{
    fk_alias_line *lines = NULL;
    size_t n = 99;
    int bad = 0;
    const char *why = NULL;

    CU_ASSERT_EQUAL(
        fk_alias_split("a b\n# c\nlonely\n", &lines, &n, &bad, &why), EINVAL);
    CU_ASSERT_EQUAL(bad, 3);
    ASSERT_STR(why, "expected two names, ALIAS CANONICAL");
    CU_ASSERT_PTR_NULL(lines);
    CU_ASSERT_EQUAL(n, 99);
    bad = 0;
    CU_ASSERT_EQUAL(fk_alias_split("a b c", &lines, &n, &bad, &why), EINVAL);
    CU_ASSERT_EQUAL(bad, 1);
}

/* What the table accepts and refuses. */
static void
test_add(void)
{
    fk_alias_table t = {NULL, 0};
    const char *why = NULL;

    CU_ASSERT_EQUAL(fk_alias_add(&t, R, "neko@" R, R, "nekoneko@" R, R, &why),
                    0);
    CU_ASSERT_EQUAL(fk_alias_add(&t, R, "x@" OTHER, OTHER, "y@" R, R, &why),
                    EINVAL);
    ASSERT_STR(why, "an alias must be a name in the database's own realm");
    CU_ASSERT_EQUAL(fk_alias_add(&t, R, "me@" R, R, "me@" R, R, &why), EINVAL);
    ASSERT_STR(why, "an alias cannot stand for itself");
    CU_ASSERT_EQUAL(fk_alias_add(&t, R, "neko@" R, R, "other@" R, R, &why),
                    EINVAL);
    ASSERT_STR(why, "this alias is given twice");
    /* Chains, in both orders. */
    CU_ASSERT_EQUAL(fk_alias_add(&t, R, "n2@" R, R, "neko@" R, R, &why),
                    EINVAL);
    ASSERT_STR(why, "an alias cannot stand for another alias");
    CU_ASSERT_EQUAL(fk_alias_add(&t, R, "nekoneko@" R, R, "z@" R, R, &why),
                    EINVAL);
    ASSERT_STR(why, "an alias cannot stand for another alias");
    CU_ASSERT_EQUAL(
        fk_alias_add(&t, R, "moved@" R, R, "moved@" OTHER, OTHER, &why), 0);
    CU_ASSERT_EQUAL(t.n, 2);
    fk_alias_table_free(&t);
    CU_ASSERT_EQUAL(t.n, 0);
}

/* The decision for each kind of alias and each lookup. */
static void
test_lookup(void)
{
    fk_alias_table t = {NULL, 0};
    const fk_alias *hit = NULL;
    const char *why;

    fk_alias_add(&t, R, "neko@" R, R, "nekoneko@" R, R, &why);
    fk_alias_add(&t, R, "moved@" R, R, "moved@" OTHER, OTHER, &why);
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "nekoneko@" R, AS_CANON, &hit),
                    FK_LOOKUP_FORWARD);
    CU_ASSERT_PTR_NULL(hit);
    /* In the realm: always the canonical entry. */
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "neko@" R, 0, &hit),
                    FK_LOOKUP_CANONICAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(hit);
    ASSERT_STR(hit->canon, "nekoneko@" R);
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "neko@" R, AS_CANON, &hit),
                    FK_LOOKUP_CANONICAL);
    /* Another realm: a referral only where the KDC allows one. */
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "moved@" R, AS_CANON, &hit),
                    FK_LOOKUP_CLIENT_REFERRAL);
    ASSERT_STR(hit->canon_realm, OTHER);
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "moved@" R, TGS_CANON, &hit),
                    FK_LOOKUP_SERVER_REFERRAL);
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "moved@" R, AS_PLAIN, &hit),
                    FK_LOOKUP_NOENTRY);
    CU_ASSERT_EQUAL(fk_alias_lookup(&t, R, "moved@" R, 0, &hit),
                    FK_LOOKUP_NOENTRY);
    fk_alias_table_free(&t);
}

/* A scratch directory for profiles and alias files. */
static char scratch[64];

/* Write text to scratch/name and return its path (static storage). */
static const char *
scratch_file(const char *name, const char *text)
{
    static char path[2][128];
    static int turn;
    char *p = path[turn++ % 2];
    FILE *f;

    snprintf(p, sizeof(path[0]), "%s/%s", scratch, name);
    f = fopen(p, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
    return p;
}

/* Read fakekdc's section of a kdc.conf made of section (the text inside
 * "fakekdc = { ... }") into db; return the result and the context's
 * message in msg. */
static krb5_error_code
read_section(const char *section, fk_db *db, char *msg, size_t len)
{
    char conf[2048];
    const char *path, *m;
    krb5_context ctx = NULL;
    krb5_error_code ret;

    snprintf(conf, sizeof(conf),
             "[libdefaults]\n    default_realm = " R "\n"
             "[dbmodules]\n    fakekdc = {\n%s    }\n",
             section);
    path = scratch_file("kdc.conf", conf);
    setenv("KRB5_CONFIG", path, 1);
    ret = krb5_init_context(&ctx);
    unsetenv("KRB5_CONFIG");
    if (ret)
        return ret;
    memset(db, 0, sizeof(*db));
    db->realm = strdup(R);
    ret = fk_config_read(ctx, "fakekdc", db);
    m = krb5_get_error_message(ctx, ret);
    snprintf(msg, len, "%s", ret ? m : "");
    krb5_free_error_message(ctx, m);
    krb5_free_context(ctx);
    return ret;
}

/* Free what read_section filled in. */
static void
db_free(fk_db *db)
{
    fk_alias_table_free(&db->aliases);
    free(db->realm);
}

/* Inline aliases and an alias file together; names in full. */
static void
test_config_good(void)
{
    char section[1024], msg[512];
    const char *file;
    fk_db db;

    file = scratch_file("aliases", "# two more\nHTTP/www.nekomaru.local "
                                   "HTTP/web.nekomaru.local\n"
                                   "moved moved@" OTHER "\n");
    snprintf(section, sizeof(section),
             "        alias = {\n            neko = nekoneko\n        }\n"
             "        alias_file = %s\n",
             file);
    CU_ASSERT_EQUAL_FATAL(read_section(section, &db, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL_FATAL(db.aliases.n, 3);
    ASSERT_STR(db.aliases.v[0].alias, "neko@" R);
    ASSERT_STR(db.aliases.v[0].canon, "nekoneko@" R);
    ASSERT_STR(db.aliases.v[1].alias, "HTTP/www.nekomaru.local@" R);
    ASSERT_STR(db.aliases.v[2].canon, "moved@" OTHER);
    ASSERT_STR(db.aliases.v[2].canon_realm, OTHER);
    db_free(&db);

    /* No relations at all: no aliases, no error. */
    CU_ASSERT_EQUAL(read_section("", &db, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(db.aliases.n, 0);
    db_free(&db);
}

/* Bad configuration is refused with a message naming the place. */
static void
test_config_bad(void)
{
    char section[1024], msg[512], want[512];
    const char *file;
    fk_db db;

    file = scratch_file("bad-aliases", "a b\nlonely\n");
    snprintf(section, sizeof(section), "        alias_file = %s\n", file);
    CU_ASSERT_EQUAL(read_section(section, &db, msg, sizeof(msg)), EINVAL);
    snprintf(want, sizeof(want),
             "fakekdc: %s:2: expected two names, ALIAS CANONICAL", file);
    ASSERT_STR(msg, want);
    db_free(&db);

    file = scratch_file("foreign", "x@" OTHER " y\n");
    snprintf(section, sizeof(section), "        alias_file = %s\n", file);
    CU_ASSERT_EQUAL(read_section(section, &db, msg, sizeof(msg)), EINVAL);
    snprintf(want, sizeof(want),
             "fakekdc: %s:1: an alias must be a name in the database's "
             "own realm",
             file);
    ASSERT_STR(msg, want);
    db_free(&db);

    snprintf(section, sizeof(section), "        alias_file = %s/absent\n",
             scratch);
    CU_ASSERT_EQUAL(read_section(section, &db, msg, sizeof(msg)), ENOENT);
    snprintf(want, sizeof(want),
             "fakekdc: alias_file %s/absent: No such file or directory",
             scratch);
    ASSERT_STR(msg, want);
    db_free(&db);

    CU_ASSERT_EQUAL(read_section("        alias = {\n            a = b\n"
                                 "            a = c\n        }\n",
                                 &db, msg, sizeof(msg)),
                    EINVAL);
    ASSERT_STR(msg, "fakekdc: [dbmodules] fakekdc alias a: this alias is "
                    "given twice");
    db_free(&db);

    CU_ASSERT_EQUAL(read_section("        alias = {\n            a = a\n"
                                 "        }\n",
                                 &db, msg, sizeof(msg)),
                    EINVAL);
    ASSERT_STR(msg, "fakekdc: [dbmodules] fakekdc alias a: an alias cannot "
                    "stand for itself");
    db_free(&db);
}

/* Make and remove the scratch directory. */
static int
suite_init(void)
{
    snprintf(scratch, sizeof(scratch), "/tmp/kf-unit-fakekdc-XXXXXX");
    return mkdtemp(scratch) == NULL ? -1 : 0;
}

static int
suite_clean(void)
{
    const char *names[] = {"kdc.conf", "aliases", "bad-aliases", "foreign",
                           NULL};
    char p[128];
    size_t i;

    for (i = 0; names[i] != NULL; i++) {
        snprintf(p, sizeof(p), "%s/%s", scratch, names[i]);
        unlink(p);
    }
    return rmdir(scratch);
}

/* Register the fakekdc suite with CUnit; return 0 on success. */
int
kf_add_fakekdc_suite(void)
{
    CU_pSuite s = CU_add_suite("fakekdc", suite_init, suite_clean);

    if (s == NULL ||
        CU_add_test(s, "alias file: good", test_split_good) == NULL ||
        CU_add_test(s, "alias file: bad lines", test_split_bad) == NULL ||
        CU_add_test(s, "alias table: add", test_add) == NULL ||
        CU_add_test(s, "alias table: lookup decisions", test_lookup) == NULL ||
        CU_add_test(s, "[dbmodules]: aliases read", test_config_good) ==
            NULL ||
        CU_add_test(s, "[dbmodules]: bad configuration", test_config_bad) ==
            NULL)
        return -1;
    return 0;
}
