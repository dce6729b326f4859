/* Unit tests of a scenario's aliases: what loads, and what is refused with
 * its file, line and column. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "helpers.h"

/* A scenario whose line 10 (ALIASES, one or more lines) and actor
 * principal (PRINC, line 12 when ALIASES is one line) the tests vary. */
static const char templ[] =
    "id: al\n"                                                 /* 1 */
    "title: Aliases\n"                                         /* 2 */
    "source: {document: 002_12e91e100d6c7d42.txt}\n"           /* 3 */
    "story: A story.\n"                                        /* 4 */
    "realm: NEKOMARU.LOCAL\n"                                  /* 5 */
    "kdcs: [DC01]\n"                                           /* 6 */
    "principals:\n"                                            /* 7 */
    "  - {name: mikeneko, password: Mike-Pass1}\n"             /* 8 */
    "aliases:\n"                                               /* 9 */
    "%s\n"                                                     /* 10 */
    "actors:\n"                                                /* 11 */
    "  - {name: a, principal: %s}\n"                           /* 12 */
    "steps:\n"                                                 /* 13 */
    "  - {id: s, action: kinit, actor: a, canonicalize: %s}\n" /* 14 */
    "expect:\n"                                                /* 15 */
    "  - step: s\n"                                            /* 16 */
    "    mit: {library: success}\n"                            /* 17 */
    "    ad: {library: success}\n";                            /* 18 */

/* Load the template filled in; return the scenario or NULL with *err. */
static kf_scenario *
load(const char *aliases, const char *princ, const char *canon, char **err)
{
    char doc[2048];
    kf_scenario *sc = NULL;

    snprintf(doc, sizeof(doc), templ, aliases, princ, canon);
    *err = NULL;
    if (kf_scenario_load_buffer("al.yaml", doc, strlen(doc), &sc, err))
        return NULL;
    return sc;
}

/* Assert that the template with aliases (and actor principal princ) is
 * refused at line, at the column where `at` starts in that line's text
 * (or column 5, the item, if at is NULL), with a message holding
 * phrase. */
static void
refused(int caller, const char *aliases, const char *princ, int line,
        const char *at, const char *phrase)
{
    char want[256], msg[1024], text[512];
    const char *lines = aliases, *p;
    kf_scenario *sc;
    char *err = NULL;
    int col = 5, i;
    bool ok;

    /* The text of the line the error is on, to find at's column. */
    for (i = 10; i < line && lines != NULL; i++) {
        lines = strchr(lines, '\n');
        if (lines != NULL)
            lines++;
    }
    snprintf(text, sizeof(text), "%s", lines != NULL ? lines : "");
    if (strchr(text, '\n') != NULL)
        *strchr(text, '\n') = '\0';
    if (at != NULL && (p = strstr(text, at)) != NULL)
        col = (int)(p - text) + 1;
    snprintf(want, sizeof(want), "al.yaml:%d:%d: ", line, col);
    sc = load(aliases, princ, "true", &err);
    ok = sc == NULL && err != NULL && strncmp(err, want, strlen(want)) == 0 &&
         strstr(err, phrase) != NULL;
    snprintf(msg, sizeof(msg), "expected \"%s...%s...\", got %s", want, phrase,
             err != NULL ? err : "(it loaded)");
    CU_assertImplementation(ok, (unsigned int)caller, msg, __FILE__, "",
                            CU_FALSE);
    free(err);
    kf_scenario_free(sc);
}

/* In-realm and out-of-realm aliases load; an actor may be an alias. */
static void
test_good(void)
{
    char *err = NULL;
    kf_scenario *sc;
    const kf_alias_def *a;

    sc = load("  - {name: neko, target: mikeneko}\n"
              "  - {name: moved, target: moved@ASIA.NEKOMARU.LOCAL}\n"
              "  - {name: HTTP/www, target: mikeneko@NEKOMARU.LOCAL}",
              "neko", "true", &err);
    if (sc == NULL)
        fprintf(stderr, "test_aliases: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    CU_ASSERT_EQUAL(sc->n_aliases, 3);
    a = kf_find_alias(sc, "moved");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ASSERT_STR(a->target, "moved@ASIA.NEKOMARU.LOCAL");
    CU_ASSERT_EQUAL(a->pos.line, 11);
    CU_ASSERT_EQUAL(a->pos.col, 5);
    CU_ASSERT_PTR_NULL(kf_find_alias(sc, "mikeneko"));
    ASSERT_STR(kf_step_str(&sc->steps[0], "canonicalize"), "true");
    kf_scenario_free(sc);
}

/* Aliases refused, each at its place: the line, the text the column
 * points at in it (NULL: the item, column 5), and the message. */
static const struct {
    const char *aliases;
    int line;
    const char *at;
    const char *phrase;
} bad[] = {
    {"  - {name: neko, target: nobody}", 10, "nobody",
     "alias target 'nobody' is not a declared principal"},
    {"  - {name: neko, target: nobody@NEKOMARU.LOCAL}", 10, "nobody",
     "is not a declared principal"},
    {"  - {name: neko, target: moved@asia.local}", 10, "moved",
     "NAME@REALM with an upper-case realm"},
    {"  - {name: neko, target: \"@ASIA.LOCAL\"}", 10, "\"@ASIA",
     "must be a declared principal or NAME@REALM"},
    {"  - {name: neko@NEKOMARU.LOCAL, target: mikeneko}", 10, "neko@",
     "must not name a realm"},
    {"  - {name: mikeneko, target: mikeneko}", 10, "mikeneko,",
     "alias name 'mikeneko' is a declared principal"},
    {"  - {name: \"ne ko\", target: mikeneko}", 10, "\"ne",
     "must not hold blanks"},
    {"  - {name: neko, target: mikeneko}\n"
     "  - {name: neko, target: moved@ASIA.LOCAL}",
     11, NULL, "alias 'neko' is declared twice"},
    /* An alias of an alias would never be followed. */
    {"  - {name: neko, target: mikeneko}\n"
     "  - {name: n2, target: neko}",
     11, "neko}", "alias target 'neko' is not a declared"},
    {"  - {name: neko}", 10, NULL, "an alias needs a name and a target"},
    {"  - {name: neko, target: mikeneko, kdc: DC01}", 10, "kdc",
     "unknown key 'kdc' in an alias (known: name, target)"},
    {"  name: neko", 10, "name", "aliases must be a list"},
};

/* Names and targets that are refused, each at its place. */
static void
test_bad(void)
{
    char *err = NULL;
    kf_scenario *sc;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused(__LINE__, bad[i].aliases, "neko", bad[i].line, bad[i].at,
                bad[i].phrase);

    /* The actor names neither a principal nor an alias (line 12). */
    sc = load("  - {name: neko, target: mikeneko}", "zz", "true", &err);
    CU_ASSERT_PTR_NULL(sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "al.yaml:12:5: actor 'a' is "
                                       "principal 'zz', which is not "
                                       "declared (as a principal or an "
                                       "alias)"));
    free(err);
    kf_scenario_free(sc);
    /* kinit's canonicalize is a boolean. */
    sc = load("  - {name: neko, target: mikeneko}", "neko", "maybe", &err);
    CU_ASSERT_PTR_NULL(sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'maybe' must be true or false"));
    free(err);
    kf_scenario_free(sc);
}

/* Register the aliases suite with CUnit; return 0 on success. */
int
kf_add_aliases_suite(void)
{
    CU_pSuite s = CU_add_suite("scenario aliases", NULL, NULL);

    if (s == NULL || CU_add_test(s, "aliases that load", test_good) == NULL ||
        CU_add_test(s, "aliases refused", test_bad) == NULL)
        return -1;
    return 0;
}
