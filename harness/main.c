/* krbfault: the command line (list, show, check, run, up). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "labdb.h"
#include "personality.h"
#include "run.h"
#include "util.h"
#include "wire.h"

/* Exit statuses. */
enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_LAB = 3 };

/* The loaded scenarios of one invocation. */
struct catalog {
    kf_scenario **v;
    size_t n;
    bool loaded;
};

static char exe_dir[PATH_MAX];

static void
usage(FILE *out)
{
    fprintf(
        out,
        "usage: krbfault list [--scenarios DIR]\n"
        "       krbfault show ID|FILE\n"
        "       krbfault doc ID|FILE      (the scenario's Markdown page)\n"
        "       krbfault codes            (the error-code reference)\n"
        "       krbfault check FILE...\n"
        "       krbfault run ID[:VARIANT]...|FILE[:VARIANT]...|all [--json] "
        "[--keep] [--verbose]\n"
        "                    [--personality mit|ad|both] [--pcap-dir DIR]\n"
        "       krbfault up ID[:VARIANT]|FILE [--keep] [--down [--repeat N]]\n"
        "                    [--personality mit|ad]\n"
        "       krbfault decode FILE.pcap [--json]\n"
        "Scenario ids come from the catalog directory (--scenarios DIR "
        "or\n$KRBFAULT_SCENARIOS); an argument ending in .yaml is a "
        "file.\n");
}

/* Return true if path names an existing directory or file. */
static bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Learn the directory of this executable. */
static void
find_exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

    if (n <= 0) {
        snprintf(exe_dir, sizeof(exe_dir), ".");
        return;
    }
    buf[n] = '\0';
    snprintf(exe_dir, sizeof(exe_dir), "%s", dirname(buf));
}

/* Return true if this executable runs from its build tree. */
static bool
in_build_tree(void)
{
    char p[PATH_MAX + 32];

    snprintf(p, sizeof(p), "%s/CMakeCache.txt", exe_dir);
    return exists(p);
}

/* Return exe_dir/../rel if it exists (an installed tree moved or
 * installed with another prefix), else fallback; caller frees. */
static char *
installed_path(const char *rel, const char *fallback)
{
    char p[PATH_MAX + 64];

    snprintf(p, sizeof(p), "%s/../%s", exe_dir, rel);
    return strdup(exists(p) ? p : fallback);
}

/* Return the catalog directory; caller frees. */
static char *
scenario_dir(const char *opt)
{
    const char *env = getenv("KRBFAULT_SCENARIOS");

    if (opt != NULL)
        return strdup(opt);
    if (env != NULL && *env != '\0')
        return strdup(env);
    if (in_build_tree())
        return strdup(KF_SOURCE_SCENARIOS);
    return installed_path(KF_SCENARIO_REL, KF_SCENARIO_DIR);
}

/* Return the path of one of krbfault's parts: $env if set, else rel
 * beside this executable in its build tree, else inst_rel in the installed
 * tree (or inst_abs); caller frees. */
static char *
part_path(const char *env, const char *rel, const char *inst_rel,
          const char *inst_abs)
{
    const char *val = getenv(env);
    char p[PATH_MAX + 32];

    if (val != NULL && *val != '\0')
        return strdup(val);
    snprintf(p, sizeof(p), "%s/%s", exe_dir, rel);
    if (in_build_tree() && exists(p))
        return strdup(p);
    return installed_path(inst_rel, inst_abs);
}

static char *
service_path(void)
{
    return part_path("KRBFAULT_SERVICE", "krbfault-service",
                     KF_LIBEXEC_REL "/krbfault-service",
                     KF_LIBEXEC_DIR "/krbfault-service");
}

/* Return the path of krbfault-dns, the DNS server of labs with a dns
 * block; caller frees. */
static char *
dns_path(void)
{
    return part_path("KRBFAULT_DNS", "krbfault-dns",
                     KF_LIBEXEC_REL "/krbfault-dns",
                     KF_LIBEXEC_DIR "/krbfault-dns");
}

/* Return the directory holding fakekdc.so, the KDB module labs with
 * aliases use; caller frees. */
static char *
kdb_module_dir(void)
{
    return part_path("KRBFAULT_KDB_MODULE_DIR", "fakekdc", KF_KDB_REL,
                     KF_KDB_DIR);
}

static void
catalog_free(struct catalog *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        kf_scenario_free(c->v[i]);
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

/* Add a scenario to a catalog, refusing a second one with the same id. */
static int
catalog_add(struct catalog *c, kf_scenario *sc)
{
    kf_scenario **nv;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (strcmp(c->v[i]->id, sc->id) == 0) {
            fprintf(stderr, "krbfault: %s: id '%s' is already used by %s\n",
                    sc->file, sc->id, c->v[i]->file);
            kf_scenario_free(sc);
            return -1;
        }
    }
    nv = realloc(c->v, (c->n + 1) * sizeof(*nv));
    if (nv == NULL) {
        kf_scenario_free(sc);
        return -1;
    }
    c->v = nv;
    c->v[c->n++] = sc;
    return 0;
}

static int
yaml_filter(const struct dirent *d)
{
    size_t len = strlen(d->d_name);

    return d->d_name[0] != '.' && len > 5 &&
           strcmp(d->d_name + len - 5, ".yaml") == 0;
}

/* Load every scenario of the catalog directory; any bad file fails it. */
static int
load_catalog(const char *dir, struct catalog *c)
{
    struct dirent **names;
    int n, i, rc = 0;

    n = scandir(dir, &names, yaml_filter, alphasort);
    if (n < 0) {
        fprintf(stderr,
                "krbfault: cannot read the scenario directory %s: "
                "%s\n",
                dir, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        char path[PATH_MAX];
        kf_scenario *sc;
        char *err;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        if (rc == 0) {
            if (kf_scenario_load(path, &sc, &err)) {
                fprintf(stderr, "krbfault: %s\n", err);
                free(err);
                rc = -1;
            } else if (catalog_add(c, sc)) {
                rc = -1;
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static bool
is_file_arg(const char *arg)
{
    size_t len = strlen(arg);

    return strchr(arg, '/') != NULL ||
           (len > 5 && strcmp(arg + len - 5, ".yaml") == 0);
}

/* A scenario and the variant an argument asked for. */
struct target {
    kf_scenario *sc;
    char *variant; /* NULL: every variant */
    bool named;    /* named on the command line, not through all */
};

/* Load the catalog directory once, when an argument first needs it. */
static int
need_catalog(const char *dir, struct catalog *cat)
{
    if (cat->loaded)
        return 0;
    cat->loaded = true;
    return load_catalog(dir, cat);
}

/* Resolve one argument, NAME[:VARIANT], into a target: NAME is a file if
 * it ends in .yaml or holds a '/', else a catalog id. */
static int
resolve(const char *arg, const char *catdir, struct catalog *cat,
        struct catalog *files, struct target *t)
{
    char *name = strdup(arg), *colon;
    size_t i;
    int rc = -1;

    t->sc = NULL;
    t->variant = NULL;
    if (name == NULL)
        return -1;
    colon = strrchr(name, ':');
    if (colon != NULL)
        *colon++ = '\0';
    if (is_file_arg(name)) {
        kf_scenario *sc;
        char *err;

        if (kf_scenario_load(name, &sc, &err)) {
            fprintf(stderr, "krbfault: %s\n", err);
            free(err);
            goto cleanup;
        }
        if (catalog_add(files, sc))
            goto cleanup;
        t->sc = sc;
    } else {
        if (need_catalog(catdir, cat))
            goto cleanup;
        for (i = 0; i < cat->n; i++) {
            if (strcmp(cat->v[i]->id, name) == 0)
                t->sc = cat->v[i];
        }
        if (t->sc == NULL) {
            fprintf(stderr,
                    "krbfault: no scenario with id '%s' (see "
                    "krbfault list)\n",
                    name);
            goto cleanup;
        }
    }
    if (colon != NULL) {
        for (i = 0; i < t->sc->n_variants; i++) {
            if (strcmp(t->sc->variants[i].id, colon) == 0)
                t->variant = t->sc->variants[i].id;
        }
        if (t->variant == NULL) {
            fprintf(stderr, "krbfault: scenario '%s' has no variant '%s'\n",
                    t->sc->id, colon);
            goto cleanup;
        }
    }
    rc = 0;

cleanup:
    free(name);
    return rc;
}

/* Make sure --pcap-dir names a directory krbfault can write (making it if
 * it is missing); return -1 with a message if not. */
static int
check_pcap_dir(const char *dir)
{
    struct stat sb;

    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "krbfault: --pcap-dir %s: cannot make it: %s\n", dir,
                strerror(errno));
        return -1;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "krbfault: --pcap-dir %s: not a directory\n", dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "krbfault: --pcap-dir %s: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static void
on_signal(int sig)
{
    kf_lab_emergency_stop();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int
cmd_list(struct catalog *cat)
{
    size_t i, j;

    for (i = 0; i < cat->n; i++) {
        kf_scenario *sc = cat->v[i];

        printf("%-38s %s\n", sc->id, sc->title);
        printf("%-38s source %s%s%s; tags", "", sc->document,
               sc->cause ? ", " : "", sc->cause ? sc->cause : "");
        for (j = 0; j < sc->tags.n; j++)
            printf(" %s", sc->tags.v[j]);
        printf("\n");
    }
    return EXIT_PASS;
}

/* Run targets under the personalities pers (a bit per kf_personality);
 * return the exit status. */
static int
cmd_run(struct target *targets, size_t n, unsigned pers, bool json, bool keep,
        bool verbose, const char *pcap_dir)
{
    kf_run_opts opts;
    size_t i, j, runs = 0, passed = 0, failed = 0, broken = 0, skipped = 0;
    size_t views_skipped = 0;
    char *svc = service_path(), *kdbdir = kdb_module_dir();
    char *dns = dns_path();
    int p;

    memset(&opts, 0, sizeof(opts));
    opts.keep = keep;
    opts.service_bin = svc;
    opts.kdb_module_dir = kdbdir;
    opts.dns_bin = dns;
    opts.pcap_dir = pcap_dir;
    if (!exists(svc)) {
        fprintf(stderr,
                "krbfault: the fake service %s is missing (set "
                "KRBFAULT_SERVICE)\n",
                svc);
        free(svc);
        free(kdbdir);
        free(dns);
        return EXIT_USAGE;
    }
    for (i = 0; i < n; i++) {
        const kf_scenario *sc = targets[i].sc;
        size_t nv = sc->n_variants > 0 && targets[i].variant == NULL
                        ? sc->n_variants
                        : 1;

        for (j = 0; j < nv * KF_PERS_COUNT; j++) {
            kf_run_result r;
            const char *variant = targets[i].variant;

            p = (int)(j % KF_PERS_COUNT);
            if (!(pers & (1u << p)))
                continue;
            opts.pers = (kf_personality)p;
            if (variant == NULL && sc->n_variants > 0)
                variant = sc->variants[j / KF_PERS_COUNT].id;
            kf_run_variant(sc, variant, &opts, &r);
            runs++;
            views_skipped += r.n_skipped;
            if (r.error != NULL)
                broken++;
            else if (r.passed)
                passed++;
            else if (strcmp(kf_run_verdict(&r), "skip") == 0)
                skipped++;
            else
                failed++;
            if (json) {
                char *doc = kf_report_json(&r);

                printf("%s\n", doc);
                free(doc);
            } else {
                kf_report_text(stdout, &r, verbose);
            }
            fflush(stdout);
            kf_run_result_free(&r);
        }
    }
    free(svc);
    free(kdbdir);
    free(dns);
    if (!json)
        printf("%zu runs: %zu passed, %zu failed, %zu broken, %zu skipped"
               " (%zu views could not be judged)\n",
               runs, passed, failed, broken, skipped, views_skipped);
    if (broken > 0)
        return EXIT_LAB;
    return failed > 0 ? EXIT_FAILED : EXIT_PASS;
}

/* Bring a lab up and wait for a signal to tear it down; with down, tear
 * it down at once, repeat times, printing how long each round took (for
 * bench/lab-up). */
static int
cmd_up(struct target *t, kf_personality pers, bool down, bool keep, int repeat)
{
    kf_lab_opts lo;
    kf_lab *lab;
    char *err = NULL, *svc = service_path(), *kdbdir = kdb_module_dir();
    char *dns = dns_path();
    size_t i;
    int round, rounds = down ? repeat : 1;
    sigset_t set;
    int sig;

    memset(&lo, 0, sizeof(lo));
    lo.service_bin = svc;
    lo.kdb_module_dir = kdbdir;
    lo.dns_bin = dns;
    lo.variant = t->variant;
    lo.keep = keep;
    lo.pers = pers;
    /* A lab left up is captured (lab/capture.pcap, complete once it is
     * torn down); rounds of --down, which time lab start, are not. */
    lo.capture = !down;
    for (round = 1; round <= rounds; round++) {
        double t0 = kf_now_ms();

        if (kf_lab_up(t->sc, &lo, &lab, &err)) {
            fprintf(stderr, "krbfault: %s\n", err);
            free(err);
            free(svc);
            free(kdbdir);
            free(dns);
            return EXIT_LAB;
        }
        if (!down) {
            printf("lab %s is up in %s\n", t->sc->id, lab->dir);
            for (i = 0; i < lab->n_kdcs; i++)
                printf("  KDC  %-8s %s:%d\n", lab->kdcs[i].def->name,
                       lab->kdcs[i].addr, lab->kdc_port);
            for (i = 0; i < lab->n_hosts; i++)
                printf("  host %-8s %s:%d (AP-REQ), http://%s:%d/ (%s, "
                       "runs as %s)\n",
                       lab->hosts[i].def->name, lab->hosts[i].addr,
                       lab->svc_port, lab->hosts[i].addr, lab->http_port,
                       lab->pers == KF_PERS_AD ? "ad" : "mit",
                       lab->hosts[i].def->account);
            if (lab->dns_dir != NULL) {
                printf("  DNS  %s:53 (zone %s/zone, queries %s/queries.log)\n",
                       lab->dns_addr, lab->dns_dir, lab->dns_dir);
                /* The lab's names resolve only in krbfault's own mount
                 * namespace, which a shell can join. */
                printf("  a shell that resolves through the lab's DNS: "
                       "nsenter --mount --target %d\n",
                       (int)getpid());
            }
            if (lab->pcap != NULL)
                printf("  capture  %s (complete after Ctrl-C)\n", lab->pcap);
            printf("  export KRB5_CONFIG=%s\nPress Ctrl-C to tear it "
                   "down.\n",
                   lab->krb5conf);
            fflush(stdout);
            sigemptyset(&set);
            sigaddset(&set, SIGINT);
            sigaddset(&set, SIGTERM);
            sigaddset(&set, SIGHUP);
            sigprocmask(SIG_BLOCK, &set, NULL);
            sigwait(&set, &sig);
        }
        kf_lab_down(lab);
        if (down && repeat > 1)
            printf("round %d: lab up and down in %.1f ms\n", round,
                   kf_now_ms() - t0);
    }
    free(svc);
    free(kdbdir);
    free(dns);
    return EXIT_PASS;
}

int
main(int argc, char **argv)
{
    struct catalog cat = {NULL, 0, false}, files = {NULL, 0, false};
    struct target *targets = NULL;
    const char *cmd, *sdir = NULL, *pcap_dir = NULL;
    char *catdir = NULL;
    bool json = false, keep = false, verbose = false, down = false;
    const char *pers_arg = NULL;
    unsigned pers = (1u << KF_PERS_MIT) | (1u << KF_PERS_AD);
    kf_personality one = KF_PERS_MIT;
    char **args;
    size_t nargs = 0, i, nt = 0;
    int rc = EXIT_USAGE, a, repeat = 1;

    find_exe_dir();
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    cmd = argv[1];
    if (strcmp(cmd, "decode") == 0)
        return kf_decode_main(argc - 1, argv + 1);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_PASS;
    }
    args = calloc((size_t)argc, sizeof(char *));
    for (a = 2; a < argc; a++) {
        if (strcmp(argv[a], "--json") == 0)
            json = true;
        else if (strcmp(argv[a], "--keep") == 0)
            keep = true;
        else if (strcmp(argv[a], "--verbose") == 0 ||
                 strcmp(argv[a], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[a], "--down") == 0)
            down = true;
        else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc) {
            char *end;

            repeat = (int)strtol(argv[++a], &end, 10);
            if (*end != '\0' || repeat < 1 || repeat > 1000) {
                fprintf(stderr,
                        "krbfault: --repeat takes a number from 1 "
                        "to 1000, not '%s'\n",
                        argv[a]);
                goto cleanup;
            }
        } else if (strcmp(argv[a], "--scenarios") == 0 && a + 1 < argc)
            sdir = argv[++a];
        else if (strcmp(argv[a], "--personality") == 0 && a + 1 < argc) {
            pers_arg = argv[++a];
            if (strcmp(pers_arg, "both") == 0) {
                pers = (1u << KF_PERS_MIT) | (1u << KF_PERS_AD);
            } else if (kf_pers_parse(pers_arg, &one)) {
                pers = 1u << one;
            } else {
                fprintf(stderr,
                        "krbfault: --personality takes mit, ad or "
                        "both, not '%s'\n",
                        pers_arg);
                goto cleanup;
            }
        } else if (strcmp(argv[a], "--pcap-dir") == 0 && a + 1 < argc) {
            pcap_dir = argv[++a];
            if (check_pcap_dir(pcap_dir))
                goto cleanup;
        } else if (argv[a][0] == '-') {
            fprintf(stderr, "krbfault: unknown option '%s'\n", argv[a]);
            usage(stderr);
            goto cleanup;
        } else
            args[nargs++] = argv[a];
    }
    if (strcmp(cmd, "check") == 0) {
        if (nargs == 0) {
            usage(stderr);
            goto cleanup;
        }
        rc = EXIT_PASS;
        for (i = 0; i < nargs; i++) {
            kf_scenario *sc;
            char *err;

            if (kf_scenario_load(args[i], &sc, &err)) {
                fprintf(stderr, "krbfault: %s\n", err);
                free(err);
                rc = EXIT_USAGE;
            } else {
                printf("%s: ok (%s)\n", args[i], sc->id);
                kf_scenario_free(sc);
            }
        }
        goto cleanup;
    }
    if (strcmp(cmd, "list") != 0 && strcmp(cmd, "show") != 0 &&
        strcmp(cmd, "doc") != 0 && strcmp(cmd, "codes") != 0 &&
        strcmp(cmd, "run") != 0 && strcmp(cmd, "up") != 0) {
        fprintf(stderr, "krbfault: unknown command '%s'\n", cmd);
        usage(stderr);
        goto cleanup;
    }
    catdir = scenario_dir(sdir);
    if (catdir == NULL)
        goto cleanup;
    if (strcmp(cmd, "codes") == 0) {
        if (need_catalog(catdir, &cat))
            goto cleanup;
        kf_codes_markdown(stdout, cat.v, cat.n);
        rc = EXIT_PASS;
        goto cleanup;
    }
    if (strcmp(cmd, "list") == 0) {
        if (need_catalog(catdir, &cat))
            goto cleanup;
        rc = cmd_list(&cat);
        goto cleanup;
    }
    if (nargs == 0 || (strcmp(cmd, "run") != 0 && nargs != 1)) {
        usage(stderr);
        goto cleanup;
    }
    /* Resolve every argument before any lab starts. */
    for (i = 0; i < nargs; i++) {
        struct target *nt_v;
        size_t j, add = 1;

        if (strcmp(cmd, "run") == 0 && strcmp(args[i], "all") == 0) {
            if (need_catalog(catdir, &cat))
                goto cleanup;
            add = cat.n;
        }
        nt_v = realloc(targets, (nt + add + 1) * sizeof(*targets));
        if (nt_v == NULL)
            goto cleanup;
        targets = nt_v;
        if (strcmp(cmd, "run") == 0 && strcmp(args[i], "all") == 0) {
            for (j = 0; j < cat.n; j++) {
                targets[nt].sc = cat.v[j];
                targets[nt].named = false;
                targets[nt++].variant = NULL;
            }
            continue;
        }
        if (resolve(args[i], catdir, &cat, &files, &targets[nt]))
            goto cleanup;
        targets[nt++].named = true;
    }
    /* A lab DNS needs root: say so for a scenario named outright before
     * any lab starts (one that comes with all fails as its run, alone). */
    for (i = 0; (strcmp(cmd, "run") == 0 || strcmp(cmd, "up") == 0) &&
                i < nt && geteuid() != 0;
         i++) {
        if (targets[i].named && targets[i].sc->dns.set) {
            fprintf(stderr,
                    "krbfault: %s: scenario %s has a lab DNS (its "
                    "dns block), which needs root (port 53 and a "
                    "mount namespace of its own)\n",
                    targets[i].sc->file, targets[i].sc->id);
            goto cleanup;
        }
    }
    if (strcmp(cmd, "show") == 0 || strcmp(cmd, "doc") == 0) {
        if (strcmp(cmd, "show") == 0)
            kf_show_scenario(stdout, targets[0].sc);
        else
            kf_doc_markdown(stdout, targets[0].sc);
        rc = EXIT_PASS;
        goto cleanup;
    }
    if (strcmp(cmd, "up") == 0 && pers_arg != NULL &&
        strcmp(pers_arg, "both") == 0) {
        fprintf(stderr, "krbfault: up brings one lab up: --personality mit "
                        "or ad\n");
        goto cleanup;
    }
    install_signals();
    if (strcmp(cmd, "up") == 0)
        rc = cmd_up(&targets[0], one, down, keep, repeat);
    else
        rc = cmd_run(targets, nt, pers, json, keep, verbose, pcap_dir);
    kf_capture_finish();
    kf_db_cache_free();

cleanup:
    free(catdir);
    free(targets);
    free(args);
    catalog_free(&files);
    catalog_free(&cat);
    return rc;
}
