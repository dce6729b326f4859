/* Unit tests of scenario.c: the model of valid files, and bad input. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* <kdb.h> uses time_t without including <time.h>. */
#include <kdb.h>

#include "scenario.h"
#include "helpers.h"

/* The name inline documents are loaded under. */
#define NAME "t.yaml"

/* The minimal valid scenario; the malformed cases below edit its lines,
 * so the line numbers in the comments matter. */
static const char *const base[] = {
    /* 1 */ "id: demo",
    /* 2 */ "title: Demo",
    /* 3 */ "source: {document: 000_b1ccc18935cb57f0.txt, cause: \"1\"}",
    /* 4 */ "story: A story.",
    /* 5 */ "realm: NEKOMARU.LOCAL",
    /* 6 */ "kdcs: [DC01, DC02]",
    /* 7 */ "hosts:",
    /* 8 */
    "  - {name: SV01, fqdn: web.nekomaru.local, "
    "keytab: [HTTP/web.nekomaru.local]}",
    /* 9 */ "principals:",
    /* 10 */ "  - {name: nekoneko, password: Neko-Pass1}",
    /* 11 */
    "  - {name: HTTP/web.nekomaru.local, password: Web-Pass1, "
    "account: web}",
    /* 12 */ "actors:",
    /* 13 */
    "  - {name: nekoneko, principal: nekoneko, "
    "password: Neko-Pass1}",
    /* 14 */ "steps:",
    /* 15 */ "  - {id: login, action: kinit, actor: nekoneko, kdc: DC02}",
    /* 16 */ "expect:",
    /* 17 */ "  - step: login",
    /* 18 */ "    mit: {library: success}",
    /* 19 */ "    ad: {library: success}",
};

#define N_BASE (sizeof(base) / sizeof(base[0]))

/* A scenario that uses every section and most keys. */
static const char rich[] =
    "# A scenario that uses every section.\n"    /* 1 */
    "id: rich-demo\n"                            /* 2 */
    "title: Rich demo\n"                         /* 3 */
    "source:\n"                                  /* 4 */
    "  document: 000_b1ccc18935cb57f0.txt\n"     /* 5 */
    "  cause: \"2\"\n"                           /* 6 */
    "tags: [clock, kvno]\n"                      /* 7 */
    "story: |\n"                                 /* 8 */
    "  Several lines.\n"                         /* 9 */
    "windows: What Windows shows.\n"             /* 10 */
    "diagnose: Look.\n"                          /* 11 */
    "fix: Fix it.\n"                             /* 12 */
    "realm: NEKOMARU.LOCAL\n"                    /* 13 */
    "kdcs: [DC01, DC02, DC03]\n"                 /* 14 */
    "hosts:\n"                                   /* 15 */
    "  - name: SV01\n"                           /* 16 */
    "    fqdn: web.nekomaru.local\n"             /* 17 */
    "    clock: +5m\n"                           /* 18 */
    "    keytab: [HTTP/web.nekomaru.local]\n"    /* 19 */
    "  - name: SV02\n"                           /* 20 */
    "    fqdn: db.nekomaru.local\n"              /* 21 */
    "    acceptor: MSSQLSvc/db.nekomaru.local\n" /* 22 */
    "    keytab: MSSQLSvc/db.nekomaru.local\n"   /* 23 */
    "policies:\n"                                /* 24 */
    "  - {name: lockout, max_failures: 3, failure_interval: 10m,"
    " lockout_duration: 1h, min_length: 8}\n"             /* 25 */
    "principals:\n"                                       /* 26 */
    "  - name: nekoneko\n"                                /* 27 */
    "    password: Neko-Pass1\n"                          /* 28 */
    "    policy: lockout\n"                               /* 29 */
    "    password_expires: -1d\n"                         /* 30 */
    "  - name: legacy\n"                                  /* 31 */
    "    password: Old-Pass1\n"                           /* 32 */
    "    requires_preauth: false\n"                       /* 33 */
    "    allow_tix: false\n"                              /* 34 */
    "    needchange: yes\n"                               /* 35 */
    "    expires: never\n"                                /* 36 */
    "    kvno: 5\n"                                       /* 37 */
    "    enctypes: [aes256-cts-hmac-sha1-96, rc4-hmac]\n" /* 38 */
    "  - {name: HTTP/web.nekomaru.local, account: web,"
    " ok_as_delegate: true, allow_svr: true}\n" /* 39 */
    "  - {name: MSSQLSvc/db.nekomaru.local}\n"  /* 40 */
    "actors:\n"                                 /* 41 */
    "  - {name: nekoneko, principal: nekoneko, password: Neko-Pass1,"
    " clock: -10m, kdc_timesync: false}\n"                     /* 42 */
    "  - {name: old, principal: legacy, enctypes: rc4-hmac}\n" /* 43 */
    "variants:\n"                                              /* 44 */
    "  - {id: fast, title: Replication is fast}\n"             /* 45 */
    "  - {id: slow, title: Replication is slow}\n"             /* 46 */
    "steps:\n"                                                 /* 47 */
    "  - {id: login, action: kinit, actor: nekoneko, kdc: DC02,"
    " only: slow}\n"                            /* 48 */
    "  - id: rotate\n"                          /* 49 */
    "    action: change_password\n"             /* 50 */
    "    principal: HTTP/web.nekomaru.local\n"  /* 51 */
    "    password: Web-Pass2\n"                 /* 52 */
    "    kvno: next\n"                          /* 53 */
    "    note: The password changes on DC01.\n" /* 54 */
    "  - {id: sync, action: replicate, from: DC01, to: [DC02, DC03],"
    " only: [fast]}\n" /* 55 */
    "  - {id: export, action: export_keytab, host: SV01,"
    " principal: [HTTP/web.nekomaru.local, MSSQLSvc/db.nekomaru.local],"
    " replace: true}\n"                                      /* 56 */
    "  - {action: advance_clock, actor: nekoneko, by: 2h}\n" /* 57 */
    "  - {id: present, action: ap_req, actor: nekoneko,"
    " service: HTTP/web.nekomaru.local, host: SV01}\n"              /* 58 */
    "expect:\n"                                                     /* 59 */
    "  - step: login\n"                                             /* 60 */
    "    mit: {library: success}\n"                                 /* 61 */
    "    ad: {library: success, note: AD agrees.}\n"                /* 62 */
    "  - step: present\n"                                           /* 63 */
    "    only: [slow]\n"                                            /* 64 */
    "    mit:\n"                                                    /* 65 */
    "      library:\n"                                              /* 66 */
    "        error: KRB_AP_ERR_SKEW\n"                              /* 67 */
    "        kdc_errors: [KDC_ERR_PREAUTH_REQUIRED, 0x25]\n"        /* 68 */
    "        message: Clock skew\n"                                 /* 69 */
    "      service: {error: KRB_AP_ERR_BADKEYVER, message: kvno}\n" /* 70 */
    "      note: MIT explains.\n"                                   /* 71 */
    "    ad:\n"                                                     /* 72 */
    "      library: KRB5KRB_AP_ERR_SKEW\n"                          /* 73 */
    "      service: 44\n"                                           /* 74 */
    "  - step: export\n"                                            /* 75 */
    "    mit: {library: {error: success, kdc_errors: []}}\n"        /* 76 */
    "    ad: {service: KRB5_KT_NOTFOUND}\n";                        /* 77 */

/* Return a copy, for the caller to free, of the base scenario with lines
 * replaced by (1-based line, text) pairs ending with 0, where NULL text
 * drops the line and "\n" in text adds lines. */
static char *
edited(int line, ...)
{
    const char *text[N_BASE];
    va_list ap;
    size_t i, len = 0, off = 0;
    char *out;

    for (i = 0; i < N_BASE; i++)
        text[i] = base[i];
    va_start(ap, line);
    while (line > 0) {
        const char *t = va_arg(ap, const char *);

        if ((size_t)line <= N_BASE)
            text[line - 1] = t;
        line = va_arg(ap, int);
    }
    va_end(ap);
    for (i = 0; i < N_BASE; i++)
        len += text[i] != NULL ? strlen(text[i]) + 1 : 0;
    out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    for (i = 0; i < N_BASE; i++) {
        size_t n;

        if (text[i] == NULL)
            continue;
        n = strlen(text[i]);
        memcpy(out + off, text[i], n);
        off += n;
        out[off++] = '\n';
    }
    out[off] = '\0';
    return out;
}

/* Record an assertion, at the caller's line, that loading failed with an
 * error at name:line:col (col < 0: any column) that contains phrase. */
static void
check_err(int at, const char *name, int rc, kf_scenario *sc, char *err,
          int line, int col, const char *phrase)
{
    char where[512], msg[2048];
    bool ok;

    if (col >= 0)
        snprintf(where, sizeof(where), "%s:%d:%d: ", name, line, col);
    else
        snprintf(where, sizeof(where), "%s:%d:", name, line);
    ok = rc != 0 && sc == NULL && err != NULL &&
         strncmp(err, where, strlen(where)) == 0 &&
         strstr(err, phrase) != NULL;
    snprintf(msg, sizeof(msg), "expected an error \"%s...%s...\", got %s",
             where, phrase, err != NULL ? err : "(it loaded)");
    CU_assertImplementation(ok, (unsigned int)at, msg, __FILE__, "", CU_FALSE);
}

/* Load doc (and free it) as NAME, expecting an error at line:col. */
#define EXPECT_ERR(doc, line, col, phrase)                                    \
    expect_err(__LINE__, (doc), (line), (col), (phrase))

/* Load an inline document, free it, and check the error it gives. */
static void
expect_err(int at, char *doc, int line, int col, const char *phrase)
{
    kf_scenario *sc = NULL;
    char *err = NULL;
    int rc;

    if (doc == NULL) {
        CU_assertImplementation(CU_FALSE, (unsigned int)at, "out of memory",
                                __FILE__, "", CU_FALSE);
        return;
    }
    rc = kf_scenario_load_buffer(NAME, doc, strlen(doc), &sc, &err);
    check_err(at, NAME, rc, sc, err, line, col, phrase);
    free(err);
    kf_scenario_free(sc);
    free(doc);
}

/* Load text as NAME; on failure abort the test with the error. */
#define LOAD_OK(text) load_ok(__LINE__, (text))

/* Load an inline document that must be valid, and return its model. */
static kf_scenario *
load_ok(int at, const char *text)
{
    kf_scenario *sc = NULL;
    char *err = NULL;
    char msg[1024];

    if (text != NULL &&
        kf_scenario_load_buffer(NAME, text, strlen(text), &sc, &err) == 0 &&
        sc != NULL)
        return sc;
    snprintf(msg, sizeof(msg), "expected the scenario to load, got %s",
             err != NULL ? err : "(no error text)");
    free(err);
    CU_assertImplementation(CU_FALSE, (unsigned int)at, msg, __FILE__, "",
                            CU_TRUE);
    return NULL;
}

/* Assert that a position is line:col. */
#define ASSERT_POS(pos, l, c)                                                 \
    do {                                                                      \
        CU_ASSERT_EQUAL((pos).line, (l));                                     \
        CU_ASSERT_EQUAL((pos).col, (c));                                      \
    } while (0)

/* --- valid scenarios --- */

/* The minimal scenario loads, and each of its parts lands in the model
 * with the defaults filled in. */
static void
test_minimal(void)
{
    char *doc = edited(0);
    kf_scenario *sc = LOAD_OK(doc);
    const kf_step *st;

    free(doc);
    ASSERT_STR(sc->file, NAME);
    ASSERT_STR(sc->id, "demo");
    ASSERT_STR(sc->title, "Demo");
    ASSERT_STR(sc->document, "000_b1ccc18935cb57f0.txt");
    ASSERT_STR(sc->cause, "1");
    ASSERT_STR(sc->story, "A story.");
    ASSERT_STR(sc->windows, NULL);
    CU_ASSERT_EQUAL(sc->tags.n, 0);
    ASSERT_STR(sc->realm, "NEKOMARU.LOCAL");

    CU_ASSERT_EQUAL_FATAL(sc->n_kdcs, 2);
    ASSERT_STR(sc->kdcs[0].name, "DC01");
    ASSERT_STR(sc->kdcs[1].name, "DC02");
    ASSERT_POS(sc->kdcs[0].pos, 6, 8);
    ASSERT_POS(sc->kdcs[1].pos, 6, 14);

    CU_ASSERT_EQUAL_FATAL(sc->n_hosts, 1);
    ASSERT_STR(sc->hosts[0].name, "SV01");
    ASSERT_STR(sc->hosts[0].fqdn, "web.nekomaru.local");
    ASSERT_STR(sc->hosts[0].acceptor, "any");
    CU_ASSERT_EQUAL(sc->hosts[0].clock, 0);
    CU_ASSERT_EQUAL_FATAL(sc->hosts[0].keytab.n, 1);
    ASSERT_STR(sc->hosts[0].keytab.v[0], "HTTP/web.nekomaru.local");
    ASSERT_POS(sc->hosts[0].pos, 8, 5);

    CU_ASSERT_EQUAL_FATAL(sc->n_principals, 2);
    ASSERT_STR(sc->principals[0].name, "nekoneko");
    ASSERT_STR(sc->principals[0].password, "Neko-Pass1");
    ASSERT_STR(sc->principals[0].account, NULL);
    ASSERT_STR(sc->principals[1].account, "web");
    /* Like Active Directory, every account requires pre-authentication
     * unless it says otherwise. */
    CU_ASSERT_EQUAL(sc->principals[0].attr_set, KRB5_KDB_REQUIRES_PRE_AUTH);
    CU_ASSERT_EQUAL(sc->principals[0].attr_clear, 0);
    CU_ASSERT_EQUAL(sc->principals[1].attr_set, KRB5_KDB_REQUIRES_PRE_AUTH);
    CU_ASSERT_EQUAL(sc->principals[0].kvno, 0);
    CU_ASSERT_FALSE(sc->principals[0].pw_expires.set);
    CU_ASSERT_FALSE(sc->principals[0].expires.set);

    CU_ASSERT_EQUAL_FATAL(sc->n_actors, 1);
    ASSERT_STR(sc->actors[0].principal, "nekoneko");
    CU_ASSERT_EQUAL(sc->actors[0].clock, 0);
    CU_ASSERT_EQUAL(sc->actors[0].kdc_timesync, -1);

    CU_ASSERT_EQUAL(sc->n_variants, 0);
    CU_ASSERT_EQUAL(sc->n_policies, 0);

    CU_ASSERT_EQUAL_FATAL(sc->n_steps, 1);
    st = &sc->steps[0];
    ASSERT_STR(st->id, "login");
    CU_ASSERT_EQUAL(st->action, KF_ACT_KINIT);
    CU_ASSERT_EQUAL(st->n_fields, 2);
    ASSERT_STR(kf_step_str(st, "actor"), "nekoneko");
    ASSERT_STR(kf_step_str(st, "kdc"), "DC02");
    ASSERT_STR(kf_step_str(st, "password"), NULL);
    CU_ASSERT_EQUAL(st->only.n, 0);
    CU_ASSERT_TRUE(kf_in_variant(&st->only, NULL));
    ASSERT_POS(st->pos, 15, 5);

    CU_ASSERT_EQUAL_FATAL(sc->n_expects, 1);
    ASSERT_STR(sc->expects[0].step, "login");
    CU_ASSERT_EQUAL(sc->expects[0].step_index, 0);
    CU_ASSERT_TRUE(sc->expects[0].pers[KF_PERS_MIT].library.set);
    CU_ASSERT_EQUAL(sc->expects[0].pers[KF_PERS_MIT].library.error.kind,
                    KF_OUT_SUCCESS);
    CU_ASSERT_FALSE(sc->expects[0].pers[KF_PERS_MIT].service.set);
    CU_ASSERT_TRUE(sc->expects[0].pers[KF_PERS_AD].library.set);
    ASSERT_POS(sc->expects[0].pos, 17, 5);
    kf_scenario_free(sc);
}

/* The top level, the lab's definitions and their defaults land in the
 * model. */
static void
test_rich_lab(void)
{
    kf_scenario *sc = LOAD_OK(rich);
    const kf_principal_def *p;
    const kf_actor_def *a;

    ASSERT_STR(sc->id, "rich-demo");
    ASSERT_STR(sc->cause, "2");
    CU_ASSERT_EQUAL_FATAL(sc->tags.n, 2);
    ASSERT_STR(sc->tags.v[0], "clock");
    ASSERT_STR(sc->tags.v[1], "kvno");
    ASSERT_STR(sc->story, "Several lines.\n");
    ASSERT_STR(sc->windows, "What Windows shows.");
    ASSERT_STR(sc->diagnose, "Look.");
    ASSERT_STR(sc->fix, "Fix it.");

    /* The kdcs keep their order: the first is the primary. */
    CU_ASSERT_EQUAL_FATAL(sc->n_kdcs, 3);
    ASSERT_STR(sc->kdcs[0].name, "DC01");
    ASSERT_STR(sc->kdcs[1].name, "DC02");
    ASSERT_STR(sc->kdcs[2].name, "DC03");
    CU_ASSERT_PTR_EQUAL(kf_find_kdc(sc, "DC03"), &sc->kdcs[2]);
    CU_ASSERT_PTR_NULL(kf_find_kdc(sc, "DC04"));

    CU_ASSERT_EQUAL_FATAL(sc->n_hosts, 2);
    CU_ASSERT_EQUAL(sc->hosts[0].clock, 300);
    ASSERT_STR(sc->hosts[0].acceptor, "any");
    ASSERT_POS(sc->hosts[0].pos, 16, 5);
    ASSERT_STR(sc->hosts[1].fqdn, "db.nekomaru.local");
    ASSERT_STR(sc->hosts[1].acceptor, "MSSQLSvc/db.nekomaru.local");
    CU_ASSERT_EQUAL_FATAL(sc->hosts[1].keytab.n, 1);
    ASSERT_STR(sc->hosts[1].keytab.v[0], "MSSQLSvc/db.nekomaru.local");
    ASSERT_POS(sc->hosts[1].keytab.pos[0], 23, 13);
    CU_ASSERT_PTR_EQUAL(kf_find_host(sc, "SV02"), &sc->hosts[1]);
    CU_ASSERT_PTR_NULL(kf_find_host(sc, "SV03"));

    CU_ASSERT_EQUAL_FATAL(sc->n_policies, 1);
    CU_ASSERT_PTR_EQUAL(kf_find_policy(sc, "lockout"), &sc->policies[0]);
    CU_ASSERT_EQUAL(sc->policies[0].max_failures, 3);
    CU_ASSERT_EQUAL(sc->policies[0].failure_interval, 600);
    CU_ASSERT_EQUAL(sc->policies[0].lockout_duration, 3600);
    CU_ASSERT_EQUAL(sc->policies[0].min_length, 8);

    CU_ASSERT_EQUAL_FATAL(sc->n_principals, 4);
    p = kf_find_principal(sc, "nekoneko");
    CU_ASSERT_PTR_EQUAL_FATAL(p, &sc->principals[0]);
    ASSERT_STR(p->policy, "lockout");
    CU_ASSERT_EQUAL(p->attr_set, KRB5_KDB_REQUIRES_PRE_AUTH);
    CU_ASSERT_EQUAL(p->attr_clear, 0);
    CU_ASSERT_TRUE(p->pw_expires.set);
    CU_ASSERT_FALSE(p->pw_expires.never);
    CU_ASSERT_EQUAL(p->pw_expires.offset, -86400);
    CU_ASSERT_FALSE(p->expires.set);
    ASSERT_POS(p->pos, 27, 5);

    /* Flags set or clear attributes; allow_ flags are inverted. */
    p = kf_find_principal(sc, "legacy");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->attr_set,
                    KRB5_KDB_DISALLOW_ALL_TIX | KRB5_KDB_REQUIRES_PWCHANGE);
    CU_ASSERT_EQUAL(p->attr_clear, KRB5_KDB_REQUIRES_PRE_AUTH);
    CU_ASSERT_TRUE(p->expires.set);
    CU_ASSERT_TRUE(p->expires.never);
    CU_ASSERT_EQUAL(p->kvno, 5);
    CU_ASSERT_EQUAL_FATAL(p->enctypes.n, 2);
    ASSERT_STR(p->enctypes.v[1], "rc4-hmac");

    p = kf_find_principal(sc, "HTTP/web.nekomaru.local");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    ASSERT_STR(p->account, "web");
    ASSERT_STR(p->password, NULL);
    CU_ASSERT_EQUAL(p->attr_set,
                    KRB5_KDB_REQUIRES_PRE_AUTH | KRB5_KDB_OK_AS_DELEGATE);
    CU_ASSERT_EQUAL(p->attr_clear, KRB5_KDB_DISALLOW_SVR);
    CU_ASSERT_PTR_NULL(kf_find_principal(sc, "tanuki"));

    CU_ASSERT_EQUAL_FATAL(sc->n_actors, 2);
    a = kf_find_actor(sc, "nekoneko");
    CU_ASSERT_PTR_EQUAL_FATAL(a, &sc->actors[0]);
    CU_ASSERT_EQUAL(a->clock, -600);
    CU_ASSERT_EQUAL(a->kdc_timesync, 0);
    ASSERT_STR(a->password, "Neko-Pass1");
    a = kf_find_actor(sc, "old");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ASSERT_STR(a->principal, "legacy");
    ASSERT_STR(a->password, NULL);
    CU_ASSERT_EQUAL(a->clock, 0);
    CU_ASSERT_EQUAL(a->kdc_timesync, -1);
    CU_ASSERT_EQUAL_FATAL(a->enctypes.n, 1);
    ASSERT_STR(a->enctypes.v[0], "rc4-hmac");
    CU_ASSERT_PTR_NULL(kf_find_actor(sc, "legacy"));

    CU_ASSERT_EQUAL_FATAL(sc->n_variants, 2);
    ASSERT_STR(sc->variants[0].id, "fast");
    ASSERT_STR(sc->variants[1].id, "slow");
    ASSERT_STR(sc->variants[1].title, "Replication is slow");
    kf_scenario_free(sc);
}

/* Steps keep their order, fields, lists, notes and variants. */
static void
test_rich_steps(void)
{
    kf_scenario *sc = LOAD_OK(rich);
    const kf_step *st;
    const kf_field *f;

    CU_ASSERT_EQUAL_FATAL(sc->n_steps, 6);

    st = &sc->steps[0];
    CU_ASSERT_EQUAL(st->action, KF_ACT_KINIT);
    ASSERT_STR(kf_step_str(st, "kdc"), "DC02");
    f = kf_step_field(st, "kdc");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    ASSERT_POS(f->pos, 48, 54);
    CU_ASSERT_EQUAL_FATAL(st->only.n, 1);
    ASSERT_STR(st->only.v[0], "slow");
    CU_ASSERT_TRUE(kf_in_variant(&st->only, "slow"));
    CU_ASSERT_FALSE(kf_in_variant(&st->only, "fast"));
    ASSERT_POS(st->pos, 48, 5);

    st = &sc->steps[1];
    ASSERT_STR(st->id, "rotate");
    CU_ASSERT_EQUAL(st->action, KF_ACT_CHANGE_PASSWORD);
    ASSERT_STR(st->note, "The password changes on DC01.");
    CU_ASSERT_EQUAL(st->n_fields, 3);
    ASSERT_STR(kf_step_str(st, "principal"), "HTTP/web.nekomaru.local");
    ASSERT_STR(kf_step_str(st, "password"), "Web-Pass2");
    ASSERT_STR(kf_step_str(st, "kvno"), "next");
    CU_ASSERT_PTR_NULL(kf_step_field(st, "note"));
    CU_ASSERT_PTR_NULL(kf_step_field(st, "id"));
    CU_ASSERT_EQUAL(st->only.n, 0);
    CU_ASSERT_TRUE(kf_in_variant(&st->only, "fast"));
    ASSERT_POS(st->pos, 49, 5);

    st = &sc->steps[2];
    CU_ASSERT_EQUAL(st->action, KF_ACT_REPLICATE);
    ASSERT_STR(kf_step_str(st, "from"), "DC01");
    f = kf_step_field(st, "to");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    ASSERT_STR(f->value, NULL);
    CU_ASSERT_EQUAL_FATAL(f->list.n, 2);
    ASSERT_STR(f->list.v[0], "DC02");
    ASSERT_STR(f->list.v[1], "DC03");
    CU_ASSERT_TRUE(kf_in_variant(&st->only, "fast"));
    CU_ASSERT_FALSE(kf_in_variant(&st->only, "slow"));

    st = &sc->steps[3];
    CU_ASSERT_EQUAL(st->action, KF_ACT_EXPORT_KEYTAB);
    f = kf_step_field(st, "principal");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL_FATAL(f->list.n, 2);
    ASSERT_STR(f->list.v[1], "MSSQLSvc/db.nekomaru.local");
    ASSERT_STR(kf_step_str(st, "replace"), "true");

    st = &sc->steps[4];
    ASSERT_STR(st->id, NULL);
    CU_ASSERT_EQUAL(st->action, KF_ACT_ADVANCE_CLOCK);
    ASSERT_STR(kf_step_str(st, "by"), "2h");

    st = &sc->steps[5];
    CU_ASSERT_EQUAL(st->action, KF_ACT_AP_REQ);
    ASSERT_STR(kf_step_str(st, "host"), "SV01");
    kf_scenario_free(sc);
}

/* Expectations hold both personalities, with the mapping and scalar forms
 * of library and service, and kdc_errors in order. */
static void
test_rich_expectations(void)
{
    kf_scenario *sc = LOAD_OK(rich);
    const kf_expect *e;
    const kf_views *v;

    CU_ASSERT_EQUAL_FATAL(sc->n_expects, 3);

    e = &sc->expects[0];
    CU_ASSERT_EQUAL(e->step_index, 0);
    v = &e->pers[KF_PERS_AD];
    CU_ASSERT_TRUE(v->set);
    ASSERT_STR(v->note, "AD agrees.");
    CU_ASSERT_EQUAL(v->library.error.kind, KF_OUT_SUCCESS);
    CU_ASSERT_FALSE(v->library.has_kdc_errors);

    e = &sc->expects[1];
    ASSERT_STR(e->step, "present");
    CU_ASSERT_EQUAL(e->step_index, 5);
    CU_ASSERT_EQUAL_FATAL(e->only.n, 1);
    ASSERT_STR(e->only.v[0], "slow");
    ASSERT_POS(e->pos, 63, 5);
    v = &e->pers[KF_PERS_MIT];
    CU_ASSERT_TRUE(v->set);
    ASSERT_POS(v->pos, 66, 7);
    ASSERT_STR(v->note, "MIT explains.");
    CU_ASSERT_TRUE(v->library.set);
    CU_ASSERT_EQUAL(v->library.error.kind, KF_OUT_PROTO);
    CU_ASSERT_EQUAL(v->library.error.proto, 37);
    ASSERT_STR(v->library.message, "Clock skew");
    CU_ASSERT_TRUE(v->library.has_kdc_errors);
    CU_ASSERT_EQUAL_FATAL(v->library.n_kdc_errors, 2);
    CU_ASSERT_EQUAL(v->library.kdc_errors[0].proto, 25);
    CU_ASSERT_EQUAL(v->library.kdc_errors[1].proto, 37);
    CU_ASSERT_TRUE(v->service.set);
    CU_ASSERT_EQUAL(v->service.error.proto, 44);
    ASSERT_STR(v->service.message, "kvno");
    v = &e->pers[KF_PERS_AD];
    CU_ASSERT_TRUE(v->library.set);
    CU_ASSERT_EQUAL(v->library.error.kind, KF_OUT_PROTO);
    CU_ASSERT_EQUAL(v->library.error.proto, 37);
    CU_ASSERT_FALSE(v->library.has_kdc_errors);
    ASSERT_STR(v->library.message, NULL);
    CU_ASSERT_TRUE(v->service.set);
    CU_ASSERT_EQUAL(v->service.error.kind, KF_OUT_PROTO);
    CU_ASSERT_EQUAL(v->service.error.proto, 44);
    ASSERT_POS(v->library.pos, 73, 16);

    e = &sc->expects[2];
    CU_ASSERT_EQUAL(e->step_index, 3);
    v = &e->pers[KF_PERS_MIT];
    CU_ASSERT_EQUAL(v->library.error.kind, KF_OUT_SUCCESS);
    CU_ASSERT_TRUE(v->library.has_kdc_errors);
    CU_ASSERT_EQUAL(v->library.n_kdc_errors, 0);
    v = &e->pers[KF_PERS_AD];
    CU_ASSERT_FALSE(v->library.set);
    CU_ASSERT_TRUE(v->service.set);
    CU_ASSERT_EQUAL(v->service.error.kind, KF_OUT_LIBRARY);
    CU_ASSERT_EQUAL(v->service.error.lib, KRB5_KT_NOTFOUND);
    kf_scenario_free(sc);
}

/* Only len bytes of the buffer are read, and it need not end in NUL. */
static void
test_buffer_length(void)
{
    char *doc = edited(0);
    const char *cut;
    kf_scenario *sc = NULL;
    char *copy, *err = NULL;
    size_t len;
    int rc;

    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    len = strlen(doc);
    copy = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    memcpy(copy, doc, len);
    rc = kf_scenario_load_buffer(NAME, copy, len, &sc, &err);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NULL(err);
    kf_scenario_free(sc);
    free(err);
    free(copy);

    /* Cut before "expect:": the rest of the buffer does not count. */
    cut = strstr(doc, "expect:");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
    rc = kf_scenario_load_buffer(NAME, doc, (size_t)(cut - doc), &sc, &err);
    check_err(__LINE__, NAME, rc, sc, err, 1, 1, "a scenario needs 'expect'");
    free(err);
    free(doc);
}

/* Durations are a signed whole number with an optional unit. */
static void
test_duration(void)
{
    static const struct {
        const char *text;
        long secs;
    } good[] = {
        {"10m", 600}, {"-1d", -86400}, {"+30s", 30},  {"2h", 7200},
        {"90", 90},   {"0", 0},        {"1d", 86400}, {"-10m", -600},
        {"+0", 0},    {"45s", 45},
    };
    static const char *const bad[] = {
        "",   "m",  "10x",  "10mm", "+",   "-",  "1d2h",
        " 5", "5 ", "1.5h", "--5",  "+-5", "h2", "99999999999999999999d",
    };
    size_t i;
    long v;
    char msg[128];

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        v = 12345;
        snprintf(msg, sizeof(msg), "duration '%s' is %ld", good[i].text,
                 good[i].secs);
        CU_assertImplementation(kf_parse_duration(good[i].text, &v) &&
                                    v == good[i].secs,
                                __LINE__, msg, __FILE__, "", CU_FALSE);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(msg, sizeof(msg), "duration '%s' is rejected", bad[i]);
        CU_assertImplementation(!kf_parse_duration(bad[i], &v), __LINE__, msg,
                                __FILE__, "", CU_FALSE);
    }
}

/* A step or expectation with no only-list runs in every variant; one
 * with a list runs in the variants it names. */
static void
test_in_variant(void)
{
    char *names[] = {"fast", "slow"};
    kf_strlist none = {NULL, NULL, 0};
    kf_strlist two = {names, NULL, 2};
    kf_strlist one = {names + 1, NULL, 1};

    CU_ASSERT_TRUE(kf_in_variant(&none, NULL));
    CU_ASSERT_TRUE(kf_in_variant(&none, "fast"));
    CU_ASSERT_TRUE(kf_in_variant(&two, "fast"));
    CU_ASSERT_TRUE(kf_in_variant(&two, "slow"));
    CU_ASSERT_FALSE(kf_in_variant(&two, "medium"));
    CU_ASSERT_TRUE(kf_in_variant(&one, "slow"));
    CU_ASSERT_FALSE(kf_in_variant(&one, "fast"));
    CU_ASSERT_FALSE(kf_in_variant(&one, "slo"));
    CU_ASSERT_FALSE(kf_in_variant(&one, "slower"));
    /* A scenario without variants runs everything. */
    CU_ASSERT_TRUE(kf_in_variant(&one, NULL));
}

/* Every action has its own name as written in scenario files. */
static void
test_action_names(void)
{
    int a, b;

    ASSERT_STR(kf_action_name(KF_ACT_KINIT), "kinit");
    ASSERT_STR(kf_action_name(KF_ACT_GET_TICKET), "get_ticket");
    ASSERT_STR(kf_action_name(KF_ACT_AP_REQ), "ap_req");
    ASSERT_STR(kf_action_name(KF_ACT_ADVANCE_CLOCK), "advance_clock");
    ASSERT_STR(kf_action_name(KF_ACT_COUNT), "?");
    for (a = 0; a < KF_ACT_COUNT; a++) {
        CU_ASSERT_STRING_NOT_EQUAL(kf_action_name((kf_action)a), "?");
        for (b = 0; b < a; b++)
            CU_ASSERT_STRING_NOT_EQUAL(kf_action_name((kf_action)a),
                                       kf_action_name((kf_action)b));
    }
}

/* --- malformed input: the error names the exact place --- */

/* YAML syntax errors carry libyaml's place and problem. */
static void
test_err_syntax(void)
{
    /* Line 2 indented: "demo title" continues line 1, then ':'. */
    EXPECT_ERR(edited(2, " title: Demo", 0), 2, 7,
               "YAML syntax: mapping values are not allowed");
    /* A key indented less than its mapping but more than the list. */
    EXPECT_ERR(edited(19, "   ad: {library: success}", 0), 19, 4,
               "YAML syntax: did not find expected '-' indicator");
    /* An unclosed quote (no other ' follows) runs to the end of the
     * 19-line file, where libyaml reports it. */
    EXPECT_ERR(edited(2, "title: 'Demo", 0), 20, 1,
               "YAML syntax: found unexpected end of stream");
}

/* An empty file, a file of comments, and a top level that is not a
 * mapping. */
static void
test_err_shape(void)
{
    EXPECT_ERR(strdup(""), 1, 1, "the file is empty");
    EXPECT_ERR(strdup("# nothing here\n\n"), 1, 1, "the file is empty");
    EXPECT_ERR(strdup("- id: demo\n- title: Demo\n"), 1, 1,
               "a scenario must be a mapping of keys to values");
    EXPECT_ERR(strdup("just words\n"), 1, 1,
               "a scenario must be a mapping of keys to values");
}

/* Unknown keys point at the key; required keys at the mapping. */
static void
test_err_keys(void)
{
    EXPECT_ERR(edited(4, "stroy: A story.", 0), 4, 1,
               "unknown key 'stroy' in a scenario (known: id, title, ");
    EXPECT_ERR(edited(8, "  - {name: SV01, fqnd: web.nekomaru.local}", 0), 8,
               18, "unknown key 'fqnd' in a host");
    EXPECT_ERR(edited(18, "    mit: {libary: success}", 0), 18, 11,
               "unknown key 'libary' in mit");
    EXPECT_ERR(edited(5, NULL, 0), 1, 1, "a scenario needs 'realm'");
    EXPECT_ERR(edited(4, NULL, 0), 1, 1, "a scenario needs 'story'");
    EXPECT_ERR(edited(3, "source: {cause: \"1\"}", 0), 3, 9,
               "source needs the document it comes from");
    EXPECT_ERR(edited(2, "title: Demo\ntitle: Again", 0), 3, 1,
               "duplicate key 'title' in a scenario");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: kinit, actor: nekoneko, "
                      "actor: nekoneko}",
                      0),
               15, 49, "duplicate key 'actor' in a step");
}

/* The top-level values and the lab's names are checked where written. */
static void
test_err_values(void)
{
    EXPECT_ERR(edited(5, "realm: nekomaru.local", 0), 5, 8,
               "realm 'nekomaru.local' must be upper case");
    EXPECT_ERR(edited(1, "id: Demo", 0), 1, 5,
               "id 'Demo' may hold only a-z, 0-9 and '-'");
    EXPECT_ERR(edited(6, "kdcs: []", 0), 6, 7,
               "kdcs must name at least one KDC");
    EXPECT_ERR(edited(6, "kdcs: [DC01, DC01]", 0), 6, 14,
               "kdc 'DC01' is declared twice");
    EXPECT_ERR(edited(6, "kdcs: [DC 01]", 0), 6, 8,
               "kdc name 'DC 01' may hold only letters");
    EXPECT_ERR(edited(10,
                      "  - {name: nekoneko@NEKOMARU.LOCAL, "
                      "password: Neko-Pass1}",
                      0),
               10, 12,
               "principal name 'nekoneko@NEKOMARU.LOCAL' must not name "
               "a realm");
    EXPECT_ERR(edited(11, "  - {name: nekoneko, password: x}", 0), 11, 5,
               "principal 'nekoneko' is declared twice");
    EXPECT_ERR(edited(10,
                      "  - {name: nekoneko, password: Neko-Pass1, "
                      "requires_preauth: maybe}",
                      0),
               10, 62, "requires_preauth must be true or false, not 'maybe'");
    EXPECT_ERR(edited(10, "  - {name: nekoneko, kvno: 256}", 0), 10, 28,
               "kvno must be between 1 and 255");
    EXPECT_ERR(edited(14,
                      "variants: [{id: a, title: A}, {id: a, title: B}]\n"
                      "steps:",
                      0),
               14, 31, "variant 'a' is declared twice");
}

/* Durations are checked in hosts, principals and steps. */
static void
test_err_durations(void)
{
    EXPECT_ERR(edited(8,
                      "  - {name: SV01, clock: 10x, "
                      "keytab: [HTTP/web.nekomaru.local]}",
                      0),
               8, 25, "clock must be a duration such as 10m");
    EXPECT_ERR(edited(10,
                      "  - {name: nekoneko, password: Neko-Pass1, "
                      "password_expires: soon}",
                      0),
               10, 62, "password_expires must be 'never' or a time relative");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: advance_clock, "
                      "actor: nekoneko, by: 5mins}",
                      0),
               15, 61, "'5mins' is not a duration such as 10m or -1d");
}

/* Steps: unknown actions, fields the action does not take, missing
 * fields, and rules between fields. */
static void
test_err_steps(void)
{
    EXPECT_ERR(
        edited(15, "  - {id: login, action: kinnit, actor: nekoneko}", 0), 15,
        25, "unknown action 'kinnit' (known: kinit, ");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: kinit, actor: nekoneko, "
                      "repeat: 2}",
                      0),
               15, 49,
               "action kinit takes no 'repeat' (it takes: actor, kdc, "
               "password, keytab, principal, service, start, ");
    EXPECT_ERR(
        edited(15, "  - {id: login, action: get_ticket, actor: nekoneko}", 0),
        15, 5, "action get_ticket needs 'service'");
    EXPECT_ERR(edited(15, "  - {id: login, actor: nekoneko}", 0), 15, 5,
               "a step needs an action");
    EXPECT_ERR(edited(15, "  - kinit", 0), 15, 5,
               "a step must be a mapping with an action");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: advance_clock, by: 5m, "
                      "actor: nekoneko, kdc: DC01}",
                      0),
               15, 5, "advance_clock moves one clock (actor, host or kdc)");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: kinit, actor: nekoneko, "
                      "password: x, keytab: SV01}",
                      0),
               15, 5, "kinit takes a password or a keytab, not both");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: change_password, "
                      "principal: nekoneko, password: x, kvno: 0}",
                      0),
               15, 82, "kvno must be 'keep', 'next' or 1 to 255");
    EXPECT_ERR(edited(14, "steps: []", 15, NULL, 0), 14, 8,
               "steps must hold at least one step");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: kinit, actor: nekoneko}\n"
                      "  - {id: login, action: kinit, actor: nekoneko}",
                      0),
               16, 5, "step id 'login' is used twice");
}

/* References to kdcs, hosts, actors and principals that the lab does not
 * declare point at the name. */
static void
test_err_references(void)
{
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: kinit, actor: nekoneko, "
                      "kdc: DC03}",
                      0),
               15, 54, "no kdc named 'DC03' in this lab");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: replicate, from: DC01, "
                      "to: [DC02, DC09]}",
                      0),
               15, 59, "no kdc named 'DC09' in this lab");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: ap_req, actor: nekoneko, "
                      "service: x, host: SV02}",
                      0),
               15, 68, "no host named 'SV02' in this lab");
    EXPECT_ERR(edited(15, "  - {id: login, action: kinit, actor: tanuki}", 0),
               15, 39, "no actor named 'tanuki' in this lab");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: randomize_key, "
                      "principal: tanuki}",
                      0),
               15, 51, "no principal named 'tanuki' in this lab");
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: export_keytab, host: SV01, "
                      "principal: [nekoneko, tanuki]}",
                      0),
               15, 74, "no principal named 'tanuki' in this lab");
    EXPECT_ERR(
        edited(8, "  - {name: SV01, keytab: [HTTP/www.nekomaru.local]}", 0), 8,
        27,
        "host 'SV01' keytab names principal "
        "'HTTP/www.nekomaru.local', which is not declared");
    /* These two name the list the definition is in (the column is the
     * list's '-'); see the known-bugs suite for a second item. */
    EXPECT_ERR(edited(13, "  - {name: nekoneko, principal: tanuki}", 0), 13,
               -1,
               "actor 'nekoneko' is principal 'tanuki', which is not "
               "declared");
    EXPECT_ERR(edited(10,
                      "  - {name: nekoneko, password: Neko-Pass1, "
                      "policy: strict}",
                      0),
               10, -1, "names policy 'strict', which is not declared");
}

/* The wire view: each malformed pattern is reported where it is. */
static void
test_err_wire(void)
{
    EXPECT_ERR(edited(18, "    mit: {wire: [{type: AS-RQ}]}", 0), 18, 25,
               "type must be one of AS-REQ, AS-REP");
    EXPECT_ERR(edited(18, "    mit: {wire: [{from: DC09}]}", 0), 18, 25,
               "from: 'DC09' is not a KDC, host or actor of this lab");
    EXPECT_ERR(edited(18, "    mit: {wire: [{to: nekoneko}, {to: SV02}]}", 0),
               18, 39, "to: 'SV02' is not a KDC");
    EXPECT_ERR(edited(18, "    mit: {wire: [{error: KRB5_KDC_UNREACH}]}", 0),
               18, 26, "a KRB-ERROR carries a protocol error code");
    EXPECT_ERR(edited(18, "    mit: {wire: [{error: 0x99}]}", 0), 18, 26,
               "'0x99' is not a known Kerberos error");
    EXPECT_ERR(edited(18, "    mit: {wire: [{type: AS-REQ, error: 24}]}", 0),
               18, 18,
               "error, etext and edata_padata belong to a "
               "KRB-ERROR, not a AS-REQ");
    EXPECT_ERR(edited(18, "    mit: {wire: [{type: AS-REP, etypes: 18}]}", 0),
               18, 18, "etypes (the requested enctypes) belong to an AS-REQ");
    EXPECT_ERR(edited(18, "    mit: {wire: [{etext: \"(\"}]}", 0), 18, 26,
               "etext: '(' is not a valid regular expression");
    EXPECT_ERR(edited(18, "    mit: {wire: [{sname: \"a[\"}]}", 0), 18, 26,
               "sname: 'a[' is not a valid regular expression");
    EXPECT_ERR(edited(18, "    mit: {wire: [{padata: [PA-NOPE]}]}", 0), 18, 28,
               "padata: 'PA-NOPE' is not a padata type");
    EXPECT_ERR(edited(18, "    mit: {wire: [{edata_padata: 70000}]}", 0), 18,
               33, "edata_padata must be between 1 and 65535");
    EXPECT_ERR(edited(18, "    mit: {wire: [{etype: des-nope}]}", 0), 18, 26,
               "etype: 'des-nope' is not an enctype libkrb5 knows");
    EXPECT_ERR(edited(18, "    mit: {wire: [{kvno: -1}]}", 0), 18, 25,
               "kvno must be between 0 and");
    EXPECT_ERR(edited(18, "    mit: {wire: [{over: sctp}]}", 0), 18, 25,
               "over must be udp, tcp or http");
    EXPECT_ERR(edited(18, "    mit: {wire: [{typo: 1}]}", 0), 18, 19,
               "unknown key 'typo' in a wire message");
    EXPECT_ERR(edited(18, "    mit: {wire: []}", 0), 18, 17,
               "wire lists at least one message");
    EXPECT_ERR(edited(18, "    mit: {wire: AS-REQ}", 0), 18, 17,
               "wire must be a list of messages");
    EXPECT_ERR(edited(18, "    mit: {wire: {exact: maybe, messages: []}}", 0),
               18, 25, "exact must be true or false");
    EXPECT_ERR(edited(18, "    mit: {wire: {exact: true}}", 0), 18, 17,
               "wire needs the messages it expects");
    EXPECT_ERR(edited(18, "    mit: {wire: {exact: true, msgs: []}}", 0), 18,
               31, "unknown key 'msgs' in wire");
}

/* A wire view in both forms loads into the model. */
static void
test_wire_model(void)
{
    kf_scenario *sc = NULL;
    char *err = NULL, *doc;
    const kf_views *vw;
    const kf_wire_pattern *wp;

    doc = edited(
        18,
        "    mit:\n      wire:\n"
        "        - {error: KDC_ERR_PREAUTH_FAILED, from: DC02, to: client,"
        " etext: x, edata_padata: [ETYPE-INFO2, 2]}\n"
        "        - {type: as-rep, etype: rc4-hmac, kvno: 3, over: "
        "tcp, sname: \"^krbtgt/\", cname: neko, padata: 19}\n"
        "        - {type: AS-REQ, etypes: [aes256-cts, 23]}",
        19, "    ad: {wire: {exact: true, messages: []}}", 0);
    CU_ASSERT_EQUAL_FATAL(
        kf_scenario_load_buffer(NAME, doc, strlen(doc), &sc, &err), 0);
    vw = &sc->expects[0].pers[KF_PERS_MIT];
    CU_ASSERT_TRUE(vw->has_wire);
    CU_ASSERT_FALSE(vw->wire_exact);
    CU_ASSERT_EQUAL_FATAL(vw->n_wire, 3);
    wp = &vw->wire[0];
    CU_ASSERT_EQUAL(wp->type, 30);
    CU_ASSERT_TRUE(wp->has_error);
    CU_ASSERT_EQUAL(wp->error.proto, 24);
    ASSERT_STR(wp->from, "DC02");
    ASSERT_STR(wp->to, "client");
    CU_ASSERT_EQUAL(wp->n_edata_padata, 2);
    CU_ASSERT_EQUAL(wp->edata_padata[0], 19);
    wp = &vw->wire[1];
    CU_ASSERT_EQUAL(wp->type, 11);
    CU_ASSERT_EQUAL(wp->etype, 23);
    CU_ASSERT_EQUAL(wp->kvno, 3);
    ASSERT_STR(wp->over, "tcp");
    CU_ASSERT_EQUAL(wp->padata[0], 19);
    wp = &vw->wire[2];
    CU_ASSERT_TRUE(wp->has_etypes);
    CU_ASSERT_EQUAL(wp->n_etypes, 2);
    CU_ASSERT_EQUAL(wp->etypes[0], 18);
    CU_ASSERT_EQUAL(wp->etypes[1], 23);
    vw = &sc->expects[0].pers[KF_PERS_AD];
    CU_ASSERT_TRUE(vw->has_wire && vw->wire_exact && vw->n_wire == 0);
    kf_scenario_free(sc);
    free(doc);
}

/* Expectations: error names, the step they judge, both personalities,
 * and what a view must hold. */
static void
test_err_expectations(void)
{
    EXPECT_ERR(edited(19, "    ad: {library: KRB_AP_ERR_SKEWED}", 0), 19, 19,
               "'KRB_AP_ERR_SKEWED' is not a known Kerberos error");
    EXPECT_ERR(
        edited(18, "    mit: {library: success, service: {error: 0x80}}", 0),
        18, 46, "'0x80' is not a known Kerberos error");
    EXPECT_ERR(edited(18,
                      "    mit: {library: {error: KRB_AP_ERR_SKEW, "
                      "kdc_errors: [25, success]}}",
                      0),
               18, 62, "kdc_errors lists protocol errors only");
    EXPECT_ERR(edited(18, "    mit: {library: {message: skew}}", 0), 18, 20,
               "library needs an error (or 'success')");
    EXPECT_ERR(edited(18, "    mit: {note: nothing}", 0), 18, 10,
               "mit: must expect something of the library, the service, "
               "the KDC log or the wire");
    EXPECT_ERR(edited(18, "    mit: success", 0), 18, 10,
               "mit must be a mapping of keys to values");
    EXPECT_ERR(edited(18, "    mit: {kdc_log: {kdc: DC09, line: x}}", 0), 18,
               26, "no kdc named 'DC09' in this lab");
    EXPECT_ERR(edited(18, "    mit: {kdc_log: \"a(\"}", 0), 18, 20,
               "'a(' is not a valid regular expression");
    EXPECT_ERR(edited(18,
                      "    mit: {kdc_log: [{kdc: DC01, line: ISSUE}, "
                      "{lines: x}]}",
                      0),
               18, 48, "unknown key 'lines' in a kdc_log entry");
    EXPECT_ERR(edited(17, "  - step: logon", 0), 17, 11,
               "no step with id 'logon'");
    EXPECT_ERR(edited(17, "  - mit: {library: success}", 18, NULL, 0), 17, 5,
               "an expectation needs the step it judges");
    EXPECT_ERR(edited(19, NULL, 0), 17, 5,
               "an expectation states both personalities: 'mit:'");
    EXPECT_ERR(edited(18, NULL, 0), 17, 5,
               "an expectation states both personalities: 'mit:'");
}

/* only: must name declared variants, in steps and in expectations. */
static void
test_err_only(void)
{
    EXPECT_ERR(edited(15,
                      "  - {id: login, action: kinit, actor: nekoneko, "
                      "only: [slow]}",
                      0),
               15, 56, "no variant named 'slow'");
    EXPECT_ERR(edited(14, "variants: [{id: slow, title: Slow}]\nsteps:", 15,
                      "  - {id: login, action: kinit, actor: nekoneko, "
                      "only: [slow, fast]}",
                      0),
               16, 62, "no variant named 'fast'");
    EXPECT_ERR(edited(17, "  - step: login\n    only: fast", 0), 18, 11,
               "no variant named 'fast'");
}

/* --- files --- */

/* The fixtures of tests/data and where each is wrong; bad-input.sh checks
 * the same places through the command line. */
static const struct {
    const char *file;
    int line, col;
    const char *phrase;
} fixtures[] = {
    {"bad-syntax.yaml", 6, 8, "YAML syntax: mapping values are not allowed"},
    {"bad-action.yaml", 23, 13, "unknown action 'kinnit'"},
    {"bad-ref.yaml", 25, 10, "no kdc named 'DC03' in this lab"},
    {"bad-expect.yaml", 34, 11, "no step with id 'tickets'"},
    {"bad-realm.yaml", 6, 8, "realm 'nekomaru.local' must be upper case"},
    {"bad-alias.yaml", 12, 13, "alias target 'nekonkeo' is not a declared"},
};

/* A valid file loads under its path. */
static void
test_file_good(void)
{
    const char *path = KF_TEST_DATA "/good.yaml";
    kf_scenario *sc = NULL;
    char *err = NULL;

    CU_ASSERT_EQUAL(kf_scenario_load(path, &sc, &err), 0);
    if (err != NULL)
        printf("\n    %s\n", err);
    CU_ASSERT_PTR_NULL(err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    ASSERT_STR(sc->file, path);
    ASSERT_STR(sc->id, "badinput-good");
    kf_scenario_free(sc);
    free(err);
}

/* Each malformed fixture fails at its place, named by its path. */
static void
test_file_fixtures(void)
{
    size_t i;

    for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        char path[512];
        kf_scenario *sc = NULL;
        char *err = NULL;
        int rc;

        snprintf(path, sizeof(path), "%s/%s", KF_TEST_DATA, fixtures[i].file);
        rc = kf_scenario_load(path, &sc, &err);
        check_err(__LINE__, path, rc, sc, err, fixtures[i].line,
                  fixtures[i].col, fixtures[i].phrase);
        free(err);
        kf_scenario_free(sc);
    }
}

/* A file that does not exist fails with the path and the reason. */
static void
test_file_missing(void)
{
    const char *path = KF_TEST_DATA "/no-such-file.yaml";
    kf_scenario *sc = NULL;
    char *err = NULL;

    CU_ASSERT_NOT_EQUAL(kf_scenario_load(path, &sc, &err), 0);
    CU_ASSERT_PTR_NULL(sc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    CU_ASSERT_EQUAL(strncmp(err, path, strlen(path)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot open"));
    free(err);
}

/* Return true if name ends in ".yaml" and is not hidden. */
static bool
is_yaml(const char *name)
{
    size_t len = strlen(name);

    return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

/* Load every scenario file of the catalog and call fn with its file name
 * and the scenario (NULL, with err, if it does not load); return how
 * many files there were, or -1 without a catalog directory. */
static long
each_catalog_file(void (*fn)(const char *name, const char *path,
                             kf_scenario *sc, const char *err))
{
    DIR *d = opendir(KF_SOURCE_SCENARIOS);
    struct dirent *de;
    long count = 0;

    if (d == NULL)
        return -1;
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        kf_scenario *sc = NULL;
        char *err = NULL;

        if (!is_yaml(de->d_name))
            continue;
        count++;
        snprintf(path, sizeof(path), "%s/%s", KF_SOURCE_SCENARIOS, de->d_name);
        if (kf_scenario_load(path, &sc, &err) != 0)
            sc = NULL;
        fn(de->d_name, path, sc, err);
        free(err);
        kf_scenario_free(sc);
    }
    closedir(d);
    return count;
}

/* A catalog file loads, and its id is its file name. */
static void
check_loads(const char *name, const char *path, kf_scenario *sc,
            const char *err)
{
    char msg[1200];
    size_t stem = strlen(name) - 5;

    if (sc == NULL) {
        snprintf(msg, sizeof(msg), "catalog scenario loads: %s",
                 err != NULL ? err : path);
        CU_assertImplementation(CU_FALSE, __LINE__, msg, __FILE__, "",
                                CU_FALSE);
        return;
    }
    snprintf(msg, sizeof(msg), "%s has id '%s', not its file name", path,
             sc->id);
    CU_assertImplementation(strlen(sc->id) == stem &&
                                strncmp(sc->id, name, stem) == 0,
                            __LINE__, msg, __FILE__, "", CU_FALSE);
}

/* Every scenario of the catalog loads, and its id is its file name (the
 * e2e tests run each file by that name). */
static void
test_catalog(void)
{
    long count = each_catalog_file(check_loads);

    if (count < 0)
        printf("\n    note: no catalog directory %s\n", KF_SOURCE_SCENARIOS);
    else if (count == 0)
        printf("\n    note: the catalog %s holds no scenarios yet\n",
               KF_SOURCE_SCENARIOS);
}

/* Fail unless the error-code reference explains code, which scenario
 * file expects it. */
static void
assert_causes(const kf_scenario *sc, const kf_outcome *o)
{
    char msg[1200];

    if (o->kind != KF_OUT_PROTO || o->proto == 0x19)
        return;
    snprintf(msg, sizeof(msg),
             "%s expects 0x%x, which errcauses.c gives no causes for",
             sc->file, o->proto);
    CU_assertImplementation(kf_proto_causes(o->proto) != NULL, __LINE__, msg,
                            __FILE__, "", CU_FALSE);
}

/* Every code a loaded catalog scenario expects has causes. */
static void
check_causes(const char *name, const char *path, kf_scenario *sc,
             const char *err)
{
    size_t i, j, k;

    (void)name;
    (void)path;
    (void)err;
    for (i = 0; sc != NULL && i < sc->n_expects; i++) {
        for (j = 0; j < KF_PERS_COUNT; j++) {
            const kf_views *vw = &sc->expects[i].pers[j];

            if (vw->library.set)
                assert_causes(sc, &vw->library.error);
            for (k = 0; k < vw->library.n_kdc_errors; k++)
                assert_causes(sc, &vw->library.kdc_errors[k]);
            if (vw->service.set)
                assert_causes(sc, &vw->service.error);
        }
    }
}

/* docs/error-codes.md gives the causes of every code the catalog
 * produces (0x19, the normal first answer, has its own note). */
static void
test_catalog_codes_have_causes(void)
{
    (void)each_catalog_file(check_causes);
}

/* --- known parser bugs: these fail until scenario.c is fixed --- */

/* Bytes that are not UTF-8 are reported where they are, not at 1:1
 * (libyaml gives reader errors as an offset, not a mark). */
static void
test_bug_reader_error_place(void)
{
    EXPECT_ERR(edited(4, "story: caf\xe9.", 0), 4, -1, "YAML syntax");
}

/* A second YAML document is refused, not silently ignored with whatever
 * it holds. */
static void
test_bug_second_document(void)
{
    char *doc = edited(19, "    ad: {library: success}\n---\ngarbage: [", 0);
    kf_scenario *sc = NULL;
    char *err = NULL;
    int rc;

    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    rc = kf_scenario_load_buffer(NAME, doc, strlen(doc), &sc, &err);
    CU_ASSERT_NOT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NULL(sc);
    kf_scenario_free(sc);
    free(err);
    free(doc);
}

/* An actor or principal whose reference is undeclared is named by its own
 * line, not by the first item of its list. */
static void
test_bug_definition_ref_place(void)
{
    EXPECT_ERR(edited(13,
                      "  - {name: nekoneko, principal: nekoneko}\n"
                      "  - {name: tanuki, principal: tanuki}",
                      0),
               14, -1, "actor 'tanuki' is principal 'tanuki'");
    EXPECT_ERR(
        edited(11, "  - {name: HTTP/web.nekomaru.local, policy: strict}", 0),
        11, -1, "names policy 'strict'");
}

/* A path that cannot be read (a directory) fails as unreadable, not as
 * "the file is empty". */
static void
test_bug_unreadable_path(void)
{
    kf_scenario *sc = NULL;
    char *err = NULL;

    CU_ASSERT_NOT_EQUAL(kf_scenario_load(KF_TEST_DATA, &sc, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    CU_ASSERT_PTR_NULL(strstr(err, "the file is empty"));
    kf_scenario_free(sc);
    free(err);
}

static const CU_TestInfo tests[] = {
    {"minimal scenario", test_minimal},
    {"rich scenario: lab", test_rich_lab},
    {"rich scenario: steps", test_rich_steps},
    {"rich scenario: expectations", test_rich_expectations},
    {"load_buffer honours len", test_buffer_length},
    {"kf_parse_duration", test_duration},
    {"kf_in_variant", test_in_variant},
    {"kf_action_name", test_action_names},
    {"bad: YAML syntax", test_err_syntax},
    {"bad: empty or not a mapping", test_err_shape},
    {"bad: keys", test_err_keys},
    {"bad: values and names", test_err_values},
    {"bad: durations", test_err_durations},
    {"bad: steps", test_err_steps},
    {"bad: references", test_err_references},
    {"bad: expectations", test_err_expectations},
    {"bad: wire view", test_err_wire},
    {"wire view model", test_wire_model},
    {"bad: only", test_err_only},
    {"file: good.yaml", test_file_good},
    {"file: malformed fixtures", test_file_fixtures},
    {"file: missing", test_file_missing},
    {"catalog: every scenario loads", test_catalog},
    {"catalog: its codes have causes", test_catalog_codes_have_causes},
    CU_TEST_INFO_NULL,
};

static const CU_TestInfo bug_tests[] = {
    {"reader errors give their place", test_bug_reader_error_place},
    {"a second document is refused", test_bug_second_document},
    {"definition references name their item", test_bug_definition_ref_place},
    {"an unreadable path is not 'empty'", test_bug_unreadable_path},
    CU_TEST_INFO_NULL,
};

/* Register the scenario suites with CUnit; return 0 on success. */
int
kf_add_scenario_suite(void)
{
    if (kf_test_suite("scenario", tests) != 0 ||
        kf_test_suite("scenario (regressions)", bug_tests) != 0)
        return -1;
    return 0;
}
