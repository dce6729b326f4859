/* Unit tests of the lab model's pure parts: the krb5.conf and kdc.conf a
 * lab renders, and kf_kvno_after.  The lab is built in memory; no process
 * is started and no file is written. */
#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "labdb.h"
#include "scenario.h"
#include "helpers.h"

/* The lab directory the in-memory labs pretend to own. */
#define DIR "/tmp/lab-x"

/* Three KDCs (DC01 is the primary) and actors that cover kdc_timesync
 * false, true and unset, and an actor enctype list. */
static const char three_kdcs[] =
    "id: labmodel\n"
    "title: Lab model\n"
    "source: {document: 000_b1ccc18935cb57f0.txt, cause: \"1\"}\n"
    "story: A story.\n"
    "realm: NEKOMARU.LOCAL\n"
    "kdcs: [DC01, DC02, DC03]\n"
    "principals:\n"
    "  - {name: nekoneko, password: Neko-Pass1}\n"
    "  - {name: other, password: Other-Pass1}\n"
    "actors:\n"
    "  - {name: nekoneko, principal: nekoneko, password: Neko-Pass1,"
    " kdc_timesync: false, enctypes: [aes128-cts-hmac-sha1-96]}\n"
    "  - {name: plain, principal: other, password: Other-Pass1}\n"
    "  - {name: synced, principal: other, password: Other-Pass1,"
    " kdc_timesync: true,"
    " enctypes: [aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96]}\n"
    "steps:\n"
    "  - {id: login, action: kinit, actor: nekoneko, kdc: DC02}\n"
    "  - {id: login2, action: kinit, actor: plain}\n"
    "  - {id: login3, action: kinit, actor: synced}\n"
    "expect:\n"
    "  - step: login\n"
    "    mit: {library: success}\n"
    "    ad: {library: success}\n";

/* One KDC only. */
static const char one_kdc[] =
    "id: single\n"
    "title: Single\n"
    "source: {document: 000_b1ccc18935cb57f0.txt, cause: \"1\"}\n"
    "story: A story.\n"
    "realm: EXAMPLE.ORG\n"
    "kdcs: [ONLY]\n"
    "principals:\n"
    "  - {name: nekoneko, password: Neko-Pass1}\n"
    "actors:\n"
    "  - {name: nekoneko, principal: nekoneko, password: Neko-Pass1}\n"
    "steps:\n"
    "  - {id: login, action: kinit, actor: nekoneko}\n"
    "expect:\n"
    "  - step: login\n"
    "    mit: {library: success}\n"
    "    ad: {library: success}\n";

/* --- text helpers --- */

/* Copy line n (0-based) of text, trimmed of surrounding blanks, into out;
 * return false past the last line. */
static bool
trimmed_line(const char *text, size_t n, char *out, size_t len)
{
    const char *p = text, *end;
    size_t i;

    for (i = 0; i < n; i++) {
        p = strchr(p, '\n');
        if (p == NULL)
            return false;
        p++;
    }
    if (*p == '\0')
        return false;
    end = strchr(p, '\n');
    if (end == NULL)
        end = p + strlen(p);
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    i = (size_t)(end - p) < len - 1 ? (size_t)(end - p) : len - 1;
    memcpy(out, p, i);
    out[i] = '\0';
    return true;
}

/* Return a copy (caller frees) of the lines of section hdr ("[realms]"),
 * up to the next section header; NULL if the header is absent. */
static char *
section(const char *text, const char *hdr)
{
    char line[512], *out;
    size_t n, first = 0, last;
    bool found = false;
    const char *p, *q;

    for (n = 0; trimmed_line(text, n, line, sizeof(line)); n++) {
        if (!found && strcmp(line, hdr) == 0) {
            found = true;
            first = n + 1;
        } else if (found && line[0] == '[') {
            break;
        }
    }
    if (!found)
        return NULL;
    last = n;
    p = text;
    for (n = 0; n < first && p != NULL; n++) {
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
    if (p == NULL)
        return strdup("");
    q = p;
    for (n = first; n < last && q != NULL && *q != '\0'; n++) {
        q = strchr(q, '\n');
        if (q != NULL)
            q++;
    }
    if (q == NULL)
        q = p + strlen(p);
    out = malloc((size_t)(q - p) + 1);
    if (out != NULL) {
        memcpy(out, p, (size_t)(q - p));
        out[q - p] = '\0';
    }
    return out;
}

/* Count the trimmed lines of text that start with prefix. */
static size_t
count_prefix(const char *text, const char *prefix)
{
    char line[512];
    size_t n, count = 0;

    for (n = 0; text != NULL && trimmed_line(text, n, line, sizeof(line));
         n++) {
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            count++;
    }
    return count;
}

/* Count the trimmed lines of text equal to want. */
static size_t
count_line(const char *text, const char *want)
{
    char line[512];
    size_t n, count = 0;

    for (n = 0; text != NULL && trimmed_line(text, n, line, sizeof(line));
         n++) {
        if (strcmp(line, want) == 0)
            count++;
    }
    return count;
}

/* Copy the k-th (0-based) trimmed line of text starting with prefix into
 * out; return false if there is none. */
static bool
nth_prefixed(const char *text, const char *prefix, size_t k, char *out,
             size_t len)
{
    char line[512];
    size_t n;

    for (n = 0; text != NULL && trimmed_line(text, n, line, sizeof(line));
         n++) {
        if (strncmp(line, prefix, strlen(prefix)) == 0 && k-- == 0) {
            snprintf(out, len, "%s", line);
            return true;
        }
    }
    return false;
}

/* Assert that text has exactly `times` lines equal to want (trimmed). */
#define ASSERT_LINE_N(text, want, times)                                      \
    assert_line_n(__LINE__, #text, (text), (want), (times))
#define ASSERT_LINE(text, want) ASSERT_LINE_N(text, want, 1)
#define ASSERT_NO_LINE(text, want) ASSERT_LINE_N(text, want, 0)

static void
assert_line_n(int at, const char *what, const char *text, const char *want,
              size_t times)
{
    char msg[4096];
    size_t got = count_line(text, want);

    snprintf(msg, sizeof(msg),
             "%s has the line \"%s\" %zu times, expected %zu; the text:\n%s",
             what, want, got, times, text != NULL ? text : "(null)");
    CU_assertImplementation(got == times, (unsigned int)at, msg, __FILE__, "",
                            CU_FALSE);
}

/* Assert that text has exactly `times` lines starting with prefix. */
#define ASSERT_PREFIX_N(text, prefix, times)                                  \
    assert_prefix_n(__LINE__, #text, (text), (prefix), (times))

static void
assert_prefix_n(int at, const char *what, const char *text, const char *prefix,
                size_t times)
{
    char msg[4096];
    size_t got = count_prefix(text, prefix);

    snprintf(msg, sizeof(msg),
             "%s has %zu lines starting \"%s\", expected %zu; the text:\n%s",
             what, got, prefix, times, text != NULL ? text : "(null)");
    CU_assertImplementation(got == times, (unsigned int)at, msg, __FILE__, "",
                            CU_FALSE);
}

/* Assert that needle does not occur anywhere in text. */
#define ASSERT_ABSENT(text, needle)                                           \
    assert_absent(__LINE__, #text, (text), (needle))

static void
assert_absent(int at, const char *what, const char *text, const char *needle)
{
    char msg[4096];

    snprintf(msg, sizeof(msg), "%s contains \"%s\"; the text:\n%s", what,
             needle, text != NULL ? text : "(null)");
    CU_assertImplementation(text != NULL && strstr(text, needle) == NULL,
                            (unsigned int)at, msg, __FILE__, "", CU_FALSE);
}

/* --- the in-memory lab --- */

static kf_scenario *
load(const char *text)
{
    kf_scenario *sc = NULL;
    char *err = NULL;

    if (kf_scenario_load_buffer("t.yaml", text, strlen(text), &sc, &err)) {
        fprintf(stderr, "test_labmodel: the scenario does not load: %s\n",
                err != NULL ? err : "?");
        free(err);
        return NULL;
    }
    return sc;
}

static char *
strf(const char *fmt, const char *a, const char *b)
{
    size_t len = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *p = malloc(len);

    if (p != NULL)
        snprintf(p, len, fmt, a, b);
    return p;
}

/* Lay a lab out in memory the way lay_out does, at 127.9.8.0/24. */
static kf_lab *
make_lab(const kf_scenario *sc)
{
    kf_lab *lab = calloc(1, sizeof(*lab));
    size_t i;

    if (lab == NULL)
        return NULL;
    lab->sc = sc;
    lab->dir = strdup(DIR);
    lab->krb5conf = strdup(DIR "/krb5.conf");
    lab->acl = strdup(DIR "/kadm5.acl");
    lab->kdc_port = 88;
    lab->svc_port = 4088;
    lab->net[0] = 9;
    lab->net[1] = 8;
    lab->lockfd = -1;
    lab->kdcs = calloc(sc->n_kdcs + 1, sizeof(kf_kdc));
    lab->actors = calloc(sc->n_actors + 1, sizeof(kf_actor));
    lab->n_kdcs = sc->n_kdcs;
    lab->n_actors = sc->n_actors;
    for (i = 0; i < sc->n_kdcs; i++) {
        kf_kdc *k = &lab->kdcs[i];

        k->def = &sc->kdcs[i];
        snprintf(k->addr, sizeof(k->addr), "127.9.8.%u",
                 (unsigned)(i + 1) & 0xff);
        k->dir = strf("%s/kdc/%s", DIR, k->def->name);
        k->kdcconf = strf("%s/kdc/%s/kdc.conf", DIR, k->def->name);
        k->dbname = strf("%s/kdc/%s/principal", DIR, k->def->name);
        k->stash = strf("%s/kdc/%s/stash", DIR, k->def->name);
        k->log = strf("%s/kdc/%s/kdc.log", DIR, k->def->name);
    }
    for (i = 0; i < sc->n_actors; i++) {
        kf_actor *a = &lab->actors[i];

        a->def = &sc->actors[i];
        a->clock = a->def->clock;
        a->dir = strf("%s/actor/%s", DIR, a->def->name);
        a->ccache = strf("FILE:%s/actor/%s/ccache", DIR, a->def->name);
    }
    return lab;
}

static void
free_lab(kf_lab *lab)
{
    size_t i;

    if (lab == NULL)
        return;
    for (i = 0; i < lab->n_kdcs; i++) {
        free(lab->kdcs[i].dir);
        free(lab->kdcs[i].kdcconf);
        free(lab->kdcs[i].dbname);
        free(lab->kdcs[i].stash);
        free(lab->kdcs[i].log);
    }
    for (i = 0; i < lab->n_actors; i++) {
        free(lab->actors[i].dir);
        free(lab->actors[i].ccache);
    }
    free(lab->kdcs);
    free(lab->actors);
    free(lab->krb5conf);
    free(lab->acl);
    free(lab->dir);
    free(lab);
}

/* Load text and lay its lab out; on failure fail the test and return
 * NULL. */
#define SETUP(text, sc, lab)                                                  \
    do {                                                                      \
        (sc) = load(text);                                                    \
        CU_ASSERT_PTR_NOT_NULL_FATAL(sc);                                     \
        (lab) = make_lab(sc);                                                 \
        if ((lab) == NULL)                                                    \
            kf_scenario_free(sc);                                             \
        CU_ASSERT_PTR_NOT_NULL_FATAL(lab);                                    \
    } while (0)

/* --- krb5.conf --- */

/* The lab's krb5.conf: every KDC, primary first, nothing from the host. */
static void
test_krb5_conf_lab(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text, *lib, *realms, *dom, *plugins, line[512];

    SETUP(three_kdcs, sc, lab);
    CU_ASSERT_EQUAL(lab->n_kdcs, 3);
    text = kf_lab_render_krb5_conf(lab, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    lib = section(text, "[libdefaults]");
    realms = section(text, "[realms]");
    dom = section(text, "[domain_realm]");
    plugins = section(text, "[plugins]");
    CU_ASSERT_PTR_NOT_NULL(lib);
    CU_ASSERT_PTR_NOT_NULL(realms);
    CU_ASSERT_PTR_NOT_NULL(dom);
    CU_ASSERT_PTR_NOT_NULL(plugins);
    ASSERT_LINE(text, "[libdefaults]");
    ASSERT_LINE(text, "[realms]");
    ASSERT_LINE(text, "[domain_realm]");
    ASSERT_LINE(text, "[plugins]");

    /* [libdefaults] */
    ASSERT_LINE(lib, "default_realm = NEKOMARU.LOCAL");
    ASSERT_LINE(lib, "dns_lookup_kdc = false");
    ASSERT_LINE(lib, "dns_lookup_realm = false");
    ASSERT_LINE(lib, "rdns = false");
    ASSERT_LINE(lib, "dns_canonicalize_hostname = false");
    ASSERT_LINE(lib, "default_ccache_name = FILE:" DIR "/ccache");
    ASSERT_LINE(lib, "default_keytab_name = FILE:" DIR "/keytab");
    ASSERT_PREFIX_N(lib, "default_realm", 1);
    ASSERT_PREFIX_N(lib, "default_ccache_name", 1);
    ASSERT_PREFIX_N(lib, "default_keytab_name", 1);
    /* The lab's defaults set no per-actor tuning. */
    ASSERT_PREFIX_N(text, "kdc_timesync", 0);
    ASSERT_PREFIX_N(text, "default_tkt_enctypes", 0);
    ASSERT_PREFIX_N(text, "default_tgs_enctypes", 0);
    /* Nothing of the host's own configuration. */
    ASSERT_ABSENT(text, "/etc");
    ASSERT_ABSENT(text, "/var/");

    /* [realms]: every KDC in scenario order, the first as primary. */
    ASSERT_LINE(realms, "NEKOMARU.LOCAL = {");
    ASSERT_PREFIX_N(realms, "kdc =", 3);
    ASSERT_PREFIX_N(text, "kdc =", 3);
    CU_ASSERT_TRUE(nth_prefixed(realms, "kdc =", 0, line, sizeof(line)));
    ASSERT_STR(line, "kdc = 127.9.8.1:88");
    CU_ASSERT_TRUE(nth_prefixed(realms, "kdc =", 1, line, sizeof(line)));
    ASSERT_STR(line, "kdc = 127.9.8.2:88");
    CU_ASSERT_TRUE(nth_prefixed(realms, "kdc =", 2, line, sizeof(line)));
    ASSERT_STR(line, "kdc = 127.9.8.3:88");
    ASSERT_LINE(realms, "primary_kdc = 127.9.8.1:88");
    ASSERT_PREFIX_N(text, "primary_kdc", 1);

    /* [domain_realm]: the lower-case realm, as a domain and a host. */
    ASSERT_LINE(dom, ".nekomaru.local = NEKOMARU.LOCAL");
    ASSERT_LINE(dom, "nekomaru.local = NEKOMARU.LOCAL");

    /* [plugins]: no SPAKE, PKINIT or OTP on the client side. */
    ASSERT_LINE(plugins, "clpreauth = {");
    ASSERT_LINE(plugins, "disable = spake");
    ASSERT_LINE(plugins, "disable = pkinit");
    ASSERT_LINE(plugins, "disable = otp");

    free(lib);
    free(realms);
    free(dom);
    free(plugins);
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* A lab port other than 88 shows in every kdc line. */
static void
test_krb5_conf_port(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text;

    SETUP(three_kdcs, sc, lab);
    lab->kdc_port = 10088;
    text = kf_lab_render_krb5_conf(lab, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_LINE(text, "kdc = 127.9.8.1:10088");
    ASSERT_LINE(text, "kdc = 127.9.8.2:10088");
    ASSERT_LINE(text, "kdc = 127.9.8.3:10088");
    ASSERT_LINE(text, "primary_kdc = 127.9.8.1:10088");
    ASSERT_ABSENT(text, ":88\n");
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* One KDC: it is listed, with no primary_kdc. */
static void
test_krb5_conf_single(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text, *realms, *dom;

    SETUP(one_kdc, sc, lab);
    text = kf_lab_render_krb5_conf(lab, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    realms = section(text, "[realms]");
    dom = section(text, "[domain_realm]");
    ASSERT_LINE(text, "default_realm = EXAMPLE.ORG");
    ASSERT_LINE(realms, "EXAMPLE.ORG = {");
    ASSERT_LINE(realms, "kdc = 127.9.8.1:88");
    ASSERT_PREFIX_N(text, "kdc =", 1);
    ASSERT_PREFIX_N(text, "primary_kdc", 0);
    ASSERT_LINE(dom, ".example.org = EXAMPLE.ORG");
    ASSERT_LINE(dom, "example.org = EXAMPLE.ORG");
    ASSERT_ABSENT(text, "NEKOMARU");
    free(realms);
    free(dom);
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* Pinned to one KDC: only that KDC, and no primary_kdc. */
static void
test_krb5_conf_pinned(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text, *realms;
    size_t i;
    const char *want[3] = {"kdc = 127.9.8.1:88", "kdc = 127.9.8.2:88",
                           "kdc = 127.9.8.3:88"};

    SETUP(three_kdcs, sc, lab);
    for (i = 0; i < 3; i++) {
        size_t j;

        text = kf_lab_render_krb5_conf(lab, NULL, &lab->kdcs[i], NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        realms = section(text, "[realms]");
        ASSERT_LINE(realms, "NEKOMARU.LOCAL = {");
        ASSERT_LINE(realms, want[i]);
        ASSERT_PREFIX_N(text, "kdc =", 1);
        ASSERT_PREFIX_N(text, "primary_kdc", 0);
        for (j = 0; j < 3; j++) {
            if (j != i)
                ASSERT_NO_LINE(text, want[j]);
        }
        /* The rest is the lab's. */
        ASSERT_LINE(text, "default_realm = NEKOMARU.LOCAL");
        ASSERT_LINE(text, "dns_lookup_kdc = false");
        free(realms);
        free(text);
    }
    /* Pinned and for an actor. */
    text = kf_lab_render_krb5_conf(lab, &lab->actors[0], &lab->kdcs[1], NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_LINE(text, "kdc = 127.9.8.2:88");
    ASSERT_PREFIX_N(text, "kdc =", 1);
    ASSERT_PREFIX_N(text, "primary_kdc", 0);
    ASSERT_LINE(text, "kdc_timesync = 0");
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* An actor's kdc_timesync and enctypes. */
static void
test_krb5_conf_actor(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    const kf_actor *neko, *plain, *synced;
    char *text, *lib;

    SETUP(three_kdcs, sc, lab);
    neko = kf_lab_actor(lab, "nekoneko");
    plain = kf_lab_actor(lab, "plain");
    synced = kf_lab_actor(lab, "synced");
    CU_ASSERT_PTR_NOT_NULL_FATAL(neko);
    CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
    CU_ASSERT_PTR_NOT_NULL_FATAL(synced);
    CU_ASSERT_EQUAL(neko->def->kdc_timesync, 0);
    CU_ASSERT_EQUAL(plain->def->kdc_timesync, -1);
    CU_ASSERT_EQUAL(synced->def->kdc_timesync, 1);

    /* kdc_timesync: false and one enctype. */
    text = kf_lab_render_krb5_conf(lab, neko, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    lib = section(text, "[libdefaults]");
    ASSERT_LINE(lib, "kdc_timesync = 0");
    ASSERT_PREFIX_N(text, "kdc_timesync", 1);
    ASSERT_LINE(lib, "default_tkt_enctypes = aes128-cts-hmac-sha1-96");
    ASSERT_LINE(lib, "default_tgs_enctypes = aes128-cts-hmac-sha1-96");
    ASSERT_PREFIX_N(text, "default_tkt_enctypes", 1);
    ASSERT_PREFIX_N(text, "default_tgs_enctypes", 1);
    /* The actor keeps every KDC when not pinned. */
    ASSERT_PREFIX_N(text, "kdc =", 3);
    ASSERT_LINE(text, "primary_kdc = 127.9.8.1:88");
    ASSERT_LINE(lib, "default_realm = NEKOMARU.LOCAL");
    ASSERT_ABSENT(text, "/etc");
    free(lib);
    free(text);

    /* Nothing set: the MIT defaults apply. */
    text = kf_lab_render_krb5_conf(lab, plain, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_ABSENT(text, "kdc_timesync");
    ASSERT_ABSENT(text, "default_tkt_enctypes");
    ASSERT_ABSENT(text, "default_tgs_enctypes");
    ASSERT_PREFIX_N(text, "kdc =", 3);
    free(text);

    /* kdc_timesync: true and two enctypes, in order. */
    text = kf_lab_render_krb5_conf(lab, synced, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    lib = section(text, "[libdefaults]");
    ASSERT_LINE(lib, "kdc_timesync = 1");
    ASSERT_PREFIX_N(text, "kdc_timesync", 1);
    ASSERT_LINE(lib, "default_tkt_enctypes = aes256-cts-hmac-sha1-96 "
                     "aes128-cts-hmac-sha1-96");
    ASSERT_LINE(lib, "default_tgs_enctypes = aes256-cts-hmac-sha1-96 "
                     "aes128-cts-hmac-sha1-96");
    free(lib);
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* --- kdc.conf --- */

/* Each KDC's kdc.conf: its own address and files. */
static void
test_kdc_conf(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    size_t i;

    SETUP(three_kdcs, sc, lab);
    lab->kdc_port = 10088;
    for (i = 0; i < lab->n_kdcs; i++) {
        const kf_kdc *k = &lab->kdcs[i];
        char *text, *defs, *realms, *plugins, *logging, want[512];
        size_t j;

        text = kf_lab_render_kdc_conf(lab, k);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        defs = section(text, "[kdcdefaults]");
        realms = section(text, "[realms]");
        plugins = section(text, "[plugins]");
        logging = section(text, "[logging]");
        CU_ASSERT_PTR_NOT_NULL(defs);
        CU_ASSERT_PTR_NOT_NULL(realms);
        CU_ASSERT_PTR_NOT_NULL(plugins);
        CU_ASSERT_PTR_NOT_NULL(logging);

        snprintf(want, sizeof(want), "kdc_listen = 127.9.8.%zu:10088", i + 1);
        ASSERT_LINE(defs, want);
        snprintf(want, sizeof(want), "kdc_tcp_listen = 127.9.8.%zu:10088",
                 i + 1);
        ASSERT_LINE(defs, want);
        ASSERT_PREFIX_N(text, "kdc_listen", 1);
        ASSERT_PREFIX_N(text, "kdc_tcp_listen", 1);
        for (j = 0; j < lab->n_kdcs; j++) {
            if (j != i)
                ASSERT_ABSENT(text, lab->kdcs[j].addr);
        }

        ASSERT_LINE(realms, "NEKOMARU.LOCAL = {");
        snprintf(want, sizeof(want), "database_name = %s/kdc/%s/principal",
                 DIR, k->def->name);
        ASSERT_LINE(realms, want);
        snprintf(want, sizeof(want), "key_stash_file = %s/kdc/%s/stash", DIR,
                 k->def->name);
        ASSERT_LINE(realms, want);
        ASSERT_LINE(realms, "acl_file = " DIR "/kadm5.acl");
        ASSERT_PREFIX_N(text, "database_name", 1);
        ASSERT_PREFIX_N(text, "key_stash_file", 1);
        ASSERT_PREFIX_N(text, "acl_file", 1);

        ASSERT_LINE(plugins, "kdcpreauth = {");
        ASSERT_LINE(plugins, "disable = spake");
        ASSERT_LINE(plugins, "disable = pkinit");
        ASSERT_LINE(plugins, "disable = otp");

        snprintf(want, sizeof(want), "kdc = FILE:%s/kdc/%s/kdc.log", DIR,
                 k->def->name);
        ASSERT_LINE(logging, want);
        ASSERT_ABSENT(text, "/etc");
        ASSERT_ABSENT(text, "/var/");

        free(defs);
        free(realms);
        free(plugins);
        free(logging);
        free(text);
    }
    free_lab(lab);
    kf_scenario_free(sc);
}

/* The kdc.conf uses the paths the lab holds, whatever they are. */
static void
test_kdc_conf_paths(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text;

    SETUP(one_kdc, sc, lab);
    free(lab->kdcs[0].dbname);
    free(lab->kdcs[0].stash);
    free(lab->kdcs[0].log);
    free(lab->acl);
    lab->kdcs[0].dbname = strdup("/tmp/elsewhere/db");
    lab->kdcs[0].stash = strdup("/tmp/elsewhere/st");
    lab->kdcs[0].log = strdup("/tmp/elsewhere/log");
    lab->acl = strdup("/tmp/elsewhere/acl");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lab->kdcs[0].log);
    text = kf_lab_render_kdc_conf(lab, &lab->kdcs[0]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_LINE(text, "kdc_listen = 127.9.8.1:88");
    ASSERT_LINE(text, "kdc_tcp_listen = 127.9.8.1:88");
    ASSERT_LINE(text, "EXAMPLE.ORG = {");
    ASSERT_LINE(text, "database_name = /tmp/elsewhere/db");
    ASSERT_LINE(text, "key_stash_file = /tmp/elsewhere/st");
    ASSERT_LINE(text, "acl_file = /tmp/elsewhere/acl");
    ASSERT_LINE(text, "kdc = FILE:/tmp/elsewhere/log");
    ASSERT_ABSENT(text, DIR);
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* --- fakekdc --- */

/* A lab with aliases: an in-realm one and one in another realm. */
static const char with_aliases[] =
    "id: aliased\n"
    "title: Aliased\n"
    "source: {document: 002_12e91e100d6c7d42.txt}\n"
    "story: A story.\n"
    "realm: NEKOMARU.LOCAL\n"
    "kdcs: [DC01, DC02]\n"
    "principals:\n"
    "  - {name: nekoneko, password: Neko-Pass1}\n"
    "aliases:\n"
    "  - {name: neko, target: nekoneko}\n"
    "  - {name: moved, target: moved@ASIA.NEKOMARU.LOCAL}\n"
    "  - {name: HTTP/www, target: nekoneko@NEKOMARU.LOCAL}\n"
    "actors:\n"
    "  - {name: neko, principal: neko, password: Neko-Pass1}\n"
    "steps:\n"
    "  - {id: login, action: kinit, actor: neko}\n"
    "expect:\n"
    "  - step: login\n"
    "    mit: {library: success}\n"
    "    ad: {library: success}\n";

/* A lab served by fakekdc names the module and each KDC's alias file; a
 * lab without it stays on db2. */
static void
test_kdc_conf_fakekdc(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text, *dbm, *realms, want[512];
    size_t i;

    SETUP(with_aliases, sc, lab);
    CU_ASSERT_TRUE(kf_lab_wants_fakekdc(sc));
    lab->kdb_module_dir = "/opt/kf/fakekdc";
    for (i = 0; i < lab->n_kdcs; i++) {
        text = kf_lab_render_kdc_conf(lab, &lab->kdcs[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        realms = section(text, "[realms]");
        dbm = section(text, "[dbmodules]");
        CU_ASSERT_PTR_NOT_NULL_FATAL(dbm);
        ASSERT_LINE(realms, "database_module = fakekdc");
        ASSERT_LINE(dbm, "db_module_dir = /opt/kf/fakekdc");
        ASSERT_LINE(dbm, "fakekdc = {");
        ASSERT_LINE(dbm, "db_library = fakekdc");
        snprintf(want, sizeof(want), "alias_file = %s/kdc/%s/aliases", DIR,
                 lab->kdcs[i].def->name);
        ASSERT_LINE(dbm, want);
        /* db2 still finds its files in the realm's block. */
        ASSERT_PREFIX_N(realms, "database_name = ", 1);
        free(realms);
        free(dbm);
        free(text);
    }
    lab->kdb_module_dir = NULL;
    text = kf_lab_render_kdc_conf(lab, &lab->kdcs[0]);
    ASSERT_ABSENT(text, "fakekdc");
    ASSERT_ABSENT(text, "[dbmodules]");
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);

    SETUP(one_kdc, sc, lab);
    unsetenv("KRBFAULT_FAKEKDC");
    CU_ASSERT_FALSE(kf_lab_wants_fakekdc(sc));
    setenv("KRBFAULT_FAKEKDC", "always", 1);
    CU_ASSERT_TRUE(kf_lab_wants_fakekdc(sc));
    setenv("KRBFAULT_FAKEKDC", "no", 1);
    CU_ASSERT_FALSE(kf_lab_wants_fakekdc(sc));
    unsetenv("KRBFAULT_FAKEKDC");
    free_lab(lab);
    kf_scenario_free(sc);
}

/* The alias file: every alias in full, the lab's realm added where the
 * scenario leaves it out. */
static void
test_alias_file(void)
{
    kf_scenario *sc;
    kf_lab *lab;
    char *text;

    SETUP(with_aliases, sc, lab);
    text = kf_lab_render_aliases(lab);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_PREFIX_N(text, "#", 1);
    ASSERT_LINE(text, "neko@NEKOMARU.LOCAL nekoneko@NEKOMARU.LOCAL");
    ASSERT_LINE(text, "moved@NEKOMARU.LOCAL moved@ASIA.NEKOMARU.LOCAL");
    ASSERT_LINE(text, "HTTP/www@NEKOMARU.LOCAL nekoneko@NEKOMARU.LOCAL");
    ASSERT_PREFIX_N(text, "", 4);
    free(text);
    free_lab(lab);
    kf_scenario_free(sc);
}

/* --- kf_kvno_after --- */

static void
test_kvno_after(void)
{
    CU_ASSERT_EQUAL(kf_kvno_after(3, "next"), 4);
    CU_ASSERT_EQUAL(kf_kvno_after(3, NULL), 4);
    CU_ASSERT_EQUAL(kf_kvno_after(0, "next"), 1);
    CU_ASSERT_EQUAL(kf_kvno_after(0, NULL), 1);
    CU_ASSERT_EQUAL(kf_kvno_after(3, "keep"), 3);
    CU_ASSERT_EQUAL(kf_kvno_after(1, "keep"), 1);
    CU_ASSERT_EQUAL(kf_kvno_after(0, "keep"), 1);
    CU_ASSERT_EQUAL(kf_kvno_after(3, "7"), 7);
    CU_ASSERT_EQUAL(kf_kvno_after(9, "7"), 7);
    CU_ASSERT_EQUAL(kf_kvno_after(0, "2"), 2);
}

/* --- registration --- */

static const CU_TestInfo tests[] = {
    {"krb5.conf: the lab's", test_krb5_conf_lab},
    {"krb5.conf: the KDC port", test_krb5_conf_port},
    {"krb5.conf: one KDC", test_krb5_conf_single},
    {"krb5.conf: pinned to a KDC", test_krb5_conf_pinned},
    {"krb5.conf: an actor's", test_krb5_conf_actor},
    {"kdc.conf: each KDC's", test_kdc_conf},
    {"kdc.conf: the lab's paths", test_kdc_conf_paths},
    {"kdc.conf: a lab served by fakekdc", test_kdc_conf_fakekdc},
    {"fakekdc's alias file", test_alias_file},
    {"kf_kvno_after", test_kvno_after},
    CU_TEST_INFO_NULL,
};

/* Register the lab model suite with CUnit; return 0 on success. */
int
kf_add_labmodel_suite(void)
{
    return kf_test_suite("lab model", tests);
}
