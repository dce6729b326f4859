/* A running lab: its directory, addresses, KDCs, hosts and actors. */
#define _GNU_SOURCE
#include "lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guardian.h"
#include "wire.h"
#include "pki.h"
#include "util.h"
#include "labdb.h"
#include "labdns.h"
#include "resolver.h"

const char *const kf_lab_env_names[5] = {"KRB5_CONFIG", "KRB5_KDC_PROFILE",
                                         "KRB5CCNAME", "KRB5_KTNAME",
                                         "KRB5RCACHEDIR"};

/* Children of the current lab, for the signal handler. */
#define MAX_PIDS 512
static volatile pid_t live_pids[MAX_PIDS];

char *
kf_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);

    if (p != NULL)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

/* The kf_proc hook: remember the child here and in the guardian. */
static void
note_pid(pid_t pid, void *data)
{
    size_t i;

    (void)data;
    kf_guardian_pid(pid);
    for (i = 0; i < MAX_PIDS; i++) {
        if (live_pids[i] == 0) {
            live_pids[i] = pid;
            break;
        }
    }
}

void
kf_lab_emergency_stop(void)
{
    size_t i;

    for (i = 0; i < MAX_PIDS; i++) {
        if (live_pids[i] > 0)
            kill(live_pids[i], SIGKILL);
    }
}

/* --- addresses --- */

/* Return true if nothing is bound to addr:port over TCP or UDP. */
static bool
port_free(const char *addr, int port)
{
    struct sockaddr_in sin;
    int types[2] = {SOCK_STREAM, SOCK_DGRAM}, i, fd;
    bool ok = true;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, addr, &sin.sin_addr);
    for (i = 0; i < 2 && ok; i++) {
        fd = socket(AF_INET, types[i] | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return false;
        if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
            ok = false;
        close(fd);
    }
    return ok;
}

/* Try to claim block 127.a.b.0/24: take its lock (an abstract socket
 * named after it, released when this process dies) and check that every
 * address:port the lab needs is free.  Return the lock or -1. */
static int
try_block(kf_lab *lab, unsigned a, unsigned b)
{
    struct sockaddr_un sun;
    char addr[32];
    size_t i;
    int fd;

    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
             "krbfault-lab-127.%u.%u", a, b);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
        close(fd);
        return -1;
    }
    for (i = 0; i < lab->sc->n_kdcs + lab->sc->n_hosts; i++) {
        bool host = i >= lab->sc->n_kdcs;

        snprintf(addr, sizeof(addr), "127.%u.%u.%u", a, b,
                 (unsigned)(i + 1) & 0xff);
        if (!port_free(addr, host ? lab->svc_port : lab->kdc_port) ||
            (host && !port_free(addr, lab->http_port))) {
            close(fd);
            return -1;
        }
    }
    /* The lab DNS's address, over UDP and TCP port 53. */
    snprintf(addr, sizeof(addr), "127.%u.%u.53", a, b);
    if (lab->sc->dns.set && !port_free(addr, 53)) {
        close(fd);
        return -1;
    }
    lab->net[0] = (unsigned char)a;
    lab->net[1] = (unsigned char)b;
    return fd;
}

/* Claim a 127.a.b.0/24 block no other lab holds: the one KRBFAULT_NET
 * names ("127.a.b"), else a random one. */
static int
claim_block(kf_lab *lab, char **err)
{
    const char *want = getenv("KRBFAULT_NET");
    unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
    unsigned a, b;
    int attempt;
    char tail;

    if (want != NULL && *want != '\0') {
        if (sscanf(want, "127.%u.%u%c", &a, &b, &tail) != 2 || a > 255 ||
            b > 255) {
            *err =
                kf_strf("KRBFAULT_NET must look like 127.A.B, not '%s'", want);
            return -1;
        }
        lab->lockfd = try_block(lab, a, b);
        if (lab->lockfd < 0)
            *err = kf_strf("the address block %s.0/24 (KRBFAULT_NET) is in "
                           "use by another lab or process",
                           want);
        return lab->lockfd < 0 ? -1 : 0;
    }
    for (attempt = 0; attempt < 64; attempt++) {
        a = 16 + (unsigned)(rand_r(&seed) % 239);
        b = (unsigned)(rand_r(&seed) % 256);
        lab->lockfd = try_block(lab, a, b);
        if (lab->lockfd >= 0)
            return 0;
    }
    *err = kf_strf("no free 127.x.y.0/24 block for the lab");
    return -1;
}

/* --- configuration files --- */

/* Write a whole file; return non-zero with *err on failure. */
static int
write_file(const char *path, const char *text, char **err)
{
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        if (f != NULL)
            fclose(f);
        *err = kf_strf("cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Lower-case copy of the realm, for [domain_realm]. */
static void
lower_realm(const char *realm, char *out, size_t len)
{
    size_t i;

    for (i = 0; realm[i] != '\0' && i + 1 < len; i++)
        out[i] =
            (realm[i] >= 'A' && realm[i] <= 'Z') ? realm[i] + 32 : realm[i];
    out[i] = '\0';
}

char *
kf_lab_render_krb5_conf(const kf_lab *lab, const kf_actor *actor,
                        const kf_kdc *pin, const kf_kdc *primary)
{
    char *buf = NULL, dom[256];
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);
    const kf_actor_def *ad = actor != NULL ? actor->def : NULL;

    if (f == NULL)
        return NULL;
    lower_realm(lab->sc->realm, dom, sizeof(dom));
    fprintf(f, "# Written by krbfault for scenario %s; this lab only.\n",
            lab->sc->id);
    fprintf(f, "[libdefaults]\n");
    fprintf(f, "    default_realm = %s\n", lab->sc->realm);
    fprintf(f, "    dns_lookup_kdc = false\n");
    fprintf(f, "    dns_lookup_realm = false\n");
    /* Without the lab's DNS nothing may be resolved; with it, the
     * scenario (or the actor's machine) says how names are handled. */
    fprintf(f, "    dns_canonicalize_hostname = %s\n",
            !lab->sc->dns.set ? "false"
            : ad != NULL && ad->canonicalize != NULL
                ? ad->canonicalize
                : lab->sc->dns.canonicalize);
    fprintf(f, "    rdns = %s\n",
            !lab->sc->dns.set             ? "false"
            : ad != NULL && ad->rdns >= 0 ? (ad->rdns ? "true" : "false")
            : lab->sc->dns.rdns           ? "true"
                                          : "false");
    fprintf(f, "    default_ccache_name = FILE:%s/ccache\n", lab->dir);
    fprintf(f, "    default_keytab_name = FILE:%s/keytab\n", lab->dir);
    fprintf(f, "    default_client_keytab_name = FILE:%s/client.keytab\n",
            lab->dir);
    if (ad != NULL && ad->kdc_timesync >= 0)
        fprintf(f, "    kdc_timesync = %d\n", ad->kdc_timesync);
    if (ad != NULL && ad->enctypes.n > 0) {
        fprintf(f, "    default_tkt_enctypes =");
        for (i = 0; i < ad->enctypes.n; i++)
            fprintf(f, " %s", ad->enctypes.v[i]);
        fprintf(f, "\n    default_tgs_enctypes =");
        for (i = 0; i < ad->enctypes.n; i++)
            fprintf(f, " %s", ad->enctypes.v[i]);
        fprintf(f, "\n");
    }
    if (actor != NULL && actor->cert != NULL) {
        /* A smart card: the certificate and key PKINIT would use. */
        fprintf(f, "    pkinit_identities = FILE:%s,%s\n", actor->cert,
                actor->key);
        fprintf(f, "    pkinit_anchors = FILE:%s\n", actor->cert);
    }
    /* The lab's KDCs offer no SPAKE, PKINIT or OTP, so clients would not
     * use those modules; not loading them keeps each step cheap.  A
     * smart-card actor keeps PKINIT, as a real one would. */
    fprintf(f,
            "[plugins]\n    clpreauth = {\n        disable = spake\n"
            "%s        disable = otp\n    }\n",
            actor != NULL && actor->cert != NULL
                ? ""
                : "        disable = pkinit\n");
    fprintf(f, "[realms]\n    %s = {\n", lab->sc->realm);
    for (i = 0; i < lab->n_kdcs; i++) {
        if (pin == NULL || pin == &lab->kdcs[i])
            fprintf(f, "        kdc = %s:%d\n", lab->kdcs[i].addr,
                    lab->kdc_port);
    }
    if (primary == NULL && pin == NULL && lab->n_kdcs > 1)
        primary = &lab->kdcs[0];
    if (primary != NULL)
        fprintf(f, "        primary_kdc = %s:%d\n", primary->addr,
                lab->kdc_port);
    /* The primary is where passwords change; no lab runs kadmind yet, so
     * a password change reaches nothing there. */
    fprintf(f, "        admin_server = %s:%d\n", lab->kdcs[0].addr,
            lab->kdc_port == 88 ? 749 : 10749);
    fprintf(f, "        kpasswd_server = %s:%d\n", lab->kdcs[0].addr,
            lab->kdc_port == 88 ? 464 : 10464);
    fprintf(f, "    }\n[domain_realm]\n    .%s = %s\n    %s = %s\n", dom,
            lab->sc->realm, dom, lab->sc->realm);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *
kf_lab_client_conf(kf_lab *lab, const kf_actor *actor, const kf_kdc *pin,
                   const kf_kdc *primary, char **err)
{
    char name[200], *path, *text;

    snprintf(name, sizeof(name), "krb5%s%s%s%s.conf", pin ? "-" : "",
             pin ? pin->def->name : "", primary ? "-primary-" : "",
             primary ? primary->def->name : "");
    path = kf_path(actor != NULL ? actor->dir : lab->dir, name);
    text = kf_lab_render_krb5_conf(lab, actor, pin, primary);
    if (path == NULL || text == NULL) {
        free(path);
        free(text);
        *err = strdup("out of memory");
        return NULL;
    }
    if (write_file(path, text, err)) {
        free(path);
        path = NULL;
    }
    free(text);
    return path;
}

/* Return true if the scenario sets kdc.conf relation key. */
static bool
has_setting(const kf_scenario *sc, const char *key)
{
    size_t i;

    for (i = 0; i < sc->kdc_keys.n; i++) {
        if (strcmp(sc->kdc_keys.v[i], key) == 0)
            return true;
    }
    return false;
}

/* Print the scenario's kdc.conf settings that go to section. */
static void
print_settings(FILE *f, const kf_scenario *sc, char section,
               const char *indent)
{
    size_t i;

    for (i = 0; i < sc->kdc_keys.n; i++) {
        if (kf_kdc_setting_section(sc->kdc_keys.v[i]) == section)
            fprintf(f, "%s%s = %s\n", indent, sc->kdc_keys.v[i],
                    sc->kdc_values.v[i]);
    }
}

char *
kf_lab_render_kdc_conf(const kf_lab *lab, const kf_kdc *k)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    fprintf(f, "# KDC %s of scenario %s; written by krbfault.\n", k->def->name,
            lab->sc->id);
    fprintf(f,
            "[kdcdefaults]\n    kdc_listen = %s:%d\n"
            "    kdc_tcp_listen = %s:%d\n",
            k->addr, lab->kdc_port, k->addr, lab->kdc_port);
    print_settings(f, lab->sc, 'd', "    ");
    fprintf(f, "[libdefaults]\n");
    print_settings(f, lab->sc, 'l', "    ");
    fprintf(f, "[realms]\n    %s = {\n", lab->sc->realm);
    fprintf(f, "        database_name = %s\n", k->dbname);
    fprintf(f, "        key_stash_file = %s\n", k->stash);
    fprintf(f, "        acl_file = %s\n", lab->acl);
    fprintf(f, "        master_key_type = aes256-cts-hmac-sha1-96\n");
    if (!has_setting(lab->sc, "max_life"))
        fprintf(f, "        max_life = 10h\n");
    if (!has_setting(lab->sc, "max_renewable_life"))
        fprintf(f, "        max_renewable_life = 7d\n");
    if (!has_setting(lab->sc, "supported_enctypes"))
        fprintf(f, "        supported_enctypes = "
                   "aes256-cts-hmac-sha1-96:normal "
                   "aes128-cts-hmac-sha1-96:normal\n");
    print_settings(f, lab->sc, 'r', "        ");
    if (lab->kdb_module_dir != NULL)
        fprintf(f, "        database_module = fakekdc\n");
    /* No lab configures SPAKE groups, PKINIT identities or OTP tokens, so
     * those mechanisms could not be offered anyway; not loading their
     * modules spares each KDC start loading libcrypto (most of its
     * start-up time). */
    fprintf(f, "    }\n[plugins]\n    kdcpreauth = {\n"
               "        disable = spake\n        disable = pkinit\n"
               "        disable = otp\n    }\n");
    if (lab->kdb_module_dir != NULL)
        /* fakekdc wraps db2, which reads database_name from the realm. */
        fprintf(f,
                "[dbmodules]\n    db_module_dir = %s\n    fakekdc = {\n"
                "        db_library = fakekdc\n"
                "        alias_file = %s/aliases\n    }\n",
                lab->kdb_module_dir, k->dir);
    fprintf(f, "[logging]\n    kdc = FILE:%s\n", k->log);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

bool
kf_lab_wants_fakekdc(const kf_scenario *sc)
{
    const char *force = getenv("KRBFAULT_FAKEKDC");

    return sc->n_aliases > 0 ||
           (force != NULL && strcmp(force, "always") == 0);
}

char *
kf_lab_render_aliases(const kf_lab *lab)
{
    const kf_scenario *sc = lab->sc;
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    fprintf(f,
            "# Aliases of scenario %s for fakekdc; written by krbfault."
            "\n",
            sc->id);
    for (i = 0; i < sc->n_aliases; i++) {
        const char *t = sc->aliases[i].target;

        fprintf(f, "%s@%s %s%s%s\n", sc->aliases[i].name, sc->realm, t,
                strchr(t, '@') != NULL ? "" : "@",
                strchr(t, '@') != NULL ? "" : sc->realm);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* --- environment --- */

/* Build the environment of a lab process. */
static char **
child_env(kf_lab *lab, const char *kdcconf, const char *ccache,
          const char *ktname, const char *rcdir, const char *const *extra)
{
    const char *vals[5] = {lab->krb5conf, kdcconf, ccache, ktname, rcdir};
    char **env = calloc(9 + 4, sizeof(char *));
    size_t i, n = 0;

    if (env == NULL)
        return NULL;
    for (i = 0; i < 5; i++) {
        size_t len = strlen(kf_lab_env_names[i]) + strlen(vals[i]) + 2;

        env[n] = malloc(len);
        if (env[n] != NULL)
            snprintf(env[n], len, "%s=%s", kf_lab_env_names[i], vals[i]);
        n++;
    }
    env[n++] = strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    env[n++] = strdup("LC_ALL=C");
    for (i = 0; extra != NULL && extra[i] != NULL && i < 4; i++)
        env[n++] = strdup(extra[i]);
    env[n] = NULL;
    return env;
}

static void
free_env(char **env)
{
    size_t i;

    if (env == NULL)
        return;
    for (i = 0; env[i] != NULL; i++)
        free(env[i]);
    free(env);
}

/* Point this process's own Kerberos variables into the lab, saving the
 * previous values for kf_lab_down. */
static void
enter_env(kf_lab *lab)
{
    char *cc = kf_path(lab->dir, "ccache"), *kt = kf_path(lab->dir, "keytab");
    char *rc = kf_path(lab->dir, "rcache"), *ccn = NULL;
    const char *vals[5];
    size_t i, len;

    len = strlen(cc) + 6;
    ccn = malloc(len);
    snprintf(ccn, len, "FILE:%s", cc);
    vals[0] = lab->krb5conf;
    vals[1] = lab->kdcs[0].kdcconf;
    vals[2] = ccn;
    vals[3] = kt;
    vals[4] = rc;
    kf_env_save(kf_lab_env_names, lab->saved_env, 5);
    for (i = 0; i < 5; i++)
        setenv(kf_lab_env_names[i], vals[i], 1);
    free(cc);
    free(ccn);
    free(kt);
    free(rc);
}

static void
leave_env(kf_lab *lab)
{
    kf_env_restore(kf_lab_env_names, lab->saved_env, 5);
}

krb5_error_code
kf_lab_context(kf_lab *lab, const char *conf, krb5_context *ctx_out)
{
    krb5_error_code ret;

    setenv("KRB5_CONFIG", conf, 1);
    ret = krb5_init_context(ctx_out);
    setenv("KRB5_CONFIG", lab->krb5conf, 1);
    return ret;
}

/* --- KDCs and services --- */

static const char *const kdc_paths[] = {"/usr/sbin/krb5kdc",
                                        "/usr/local/sbin/krb5kdc", NULL};
static const char *const faketime_paths[] = {
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1", NULL};

static int
start_kdc(kf_lab *lab, kf_kdc *k, char **err)
{
    const char *bin = kf_find_program("KRBFAULT_KRB5KDC", kdc_paths);
    const char *extra[4] = {NULL, NULL, NULL, NULL};
    char *argv[4], **env, *out, name[64], *pre = NULL, *file = NULL;
    int ret;

    if (bin == NULL) {
        *err = strdup("krb5kdc not found: install Debian's krb5-kdc");
        return -1;
    }
    if (lab->sc->kdc_clocks) {
        /* The KDC's clock follows its clock file, read on every call. */
        const char *lib = kf_find_file("KRBFAULT_LIBFAKETIME", faketime_paths);

        if (lib == NULL) {
            *err = strdup("this scenario moves a KDC's clock, which needs "
                          "libfaketime (Debian package libfaketime)");
            return -1;
        }
        extra[0] = pre = kf_strf("LD_PRELOAD=%s", lib);
        extra[1] = file = kf_strf("FAKETIME_TIMESTAMP_FILE=%s", k->clockfile);
        extra[2] = "FAKETIME_NO_CACHE=1";
    }
    env = child_env(lab, k->kdcconf, "FILE:/dev/null", "FILE:/dev/null",
                    k->dir, extra);
    free(pre);
    free(file);
    out = kf_path(k->dir, "krb5kdc.out");
    argv[0] = (char *)bin;
    argv[1] = "-n";
    argv[2] = NULL;
    snprintf(name, sizeof(name), "krb5kdc %s", k->def->name);
    ret = kf_proc_spawn(&k->proc, name, argv, env, out, note_pid, lab, err);
    free(out);
    free_env(env);
    return ret;
}

/* Send the probe to KDC i; return the socket or -1. */
static int
send_probe(kf_lab *lab, size_t i, const krb5_data *req)
{
    struct sockaddr_in sin;
    int fd;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)lab->kdc_port);
    inet_pton(AF_INET, lab->kdcs[i].addr, &sin.sin_addr);
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && sendto(fd, req->data, req->length, 0,
                          (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Judge one KDC's answer to the probe; return 0 if it is this lab's. */
static int
judge_probe(kf_lab *lab, krb5_context ctx, size_t i, const char *buf,
            ssize_t n, char **err)
{
    krb5_data d;
    krb5_error *kerr = NULL;
    char why[300] = "an answer that is not Kerberos";

    /* An AS-REP ([APPLICATION 11]) for the probe principal can only come
     * from this lab's database. */
    if (n > 0 && (unsigned char)buf[0] == 0x6b)
        return 0;
    d.magic = KV5M_DATA;
    d.data = (char *)buf;
    d.length = n > 0 ? (unsigned int)n : 0;
    if (n > 0 && (unsigned char)buf[0] == 0x7e &&
        krb5_rd_error(ctx, &d, &kerr) == 0) {
        kf_outcome o = kf_outcome_from_lib(
            (krb5_error_code)(ERROR_TABLE_BASE_krb5 + kerr->error));

        snprintf(why, sizeof(why), "%s", kf_outcome_name(&o));
        krb5_free_error(ctx, kerr);
    }
    *err = kf_strf("the KDC answering at %s is not this lab's (it answered "
                   "%s): is another KDC bound to that address?",
                   lab->kdcs[i].addr, why);
    return -1;
}

/* Check that the KDC answering at each lab address is this lab's: ask
 * every KDC at once for a ticket for the lab's probe principal, which no
 * other database holds and which needs no pre-authentication. */
static int
probe_kdcs(kf_lab *lab, char **err)
{
    krb5_context ctx = NULL;
    krb5_principal princ = NULL;
    krb5_init_creds_context icc = NULL;
    krb5_data in = {0}, req = {0}, realm = {0};
    unsigned int flags = 0;
    krb5_error_code ret;
    int fds[KF_MAX_KDCS], rc = -1, tries;
    bool done[KF_MAX_KDCS];
    size_t i, left = lab->n_kdcs;
    char full[300];

    for (i = 0; i < lab->n_kdcs; i++) {
        fds[i] = -1;
        done[i] = false;
    }
    ret = kf_lab_context(lab, lab->krb5conf, &ctx);
    if (ret == 0) {
        snprintf(full, sizeof(full), "%s@%s", lab->probe_name, lab->sc->realm);
        ret = krb5_parse_name(ctx, full, &princ);
    }
    if (ret == 0)
        ret = krb5_init_creds_init(ctx, princ, NULL, NULL, 0, NULL, &icc);
    if (ret == 0)
        ret = krb5_init_creds_step(ctx, icc, &in, &req, &realm, &flags);
    if (ret) {
        *err =
            kf_strf("cannot build the probe request: %s", error_message(ret));
        goto cleanup;
    }
    /* Send to every KDC; resend to the silent ones once a second. */
    for (tries = 0; tries < 10 && left > 0; tries++) {
        struct pollfd pfd[KF_MAX_KDCS];
        size_t map[KF_MAX_KDCS], np = 0;

        for (i = 0; i < lab->n_kdcs; i++) {
            if (done[i])
                continue;
            if (fds[i] >= 0)
                close(fds[i]);
            fds[i] = send_probe(lab, i, &req);
            if (fds[i] < 0) {
                *err = kf_strf("cannot send to the KDC at %s: %s",
                               lab->kdcs[i].addr, strerror(errno));
                goto cleanup;
            }
            pfd[np].fd = fds[i];
            pfd[np].events = POLLIN;
            map[np++] = i;
        }
        while (left > 0 && poll(pfd, np, 1000) > 0) {
            size_t j;

            for (j = 0; j < np; j++) {
                char buf[4096];
                ssize_t n;

                if (!(pfd[j].revents & POLLIN))
                    continue;
                pfd[j].fd = -1;
                n = recv(fds[map[j]], buf, sizeof(buf), 0);
                if (judge_probe(lab, ctx, map[j], buf, n, err))
                    goto cleanup;
                done[map[j]] = true;
                left--;
            }
        }
    }
    if (left > 0) {
        for (i = 0; done[i]; i++)
            ;
        *err = kf_strf("the KDC at %s did not answer", lab->kdcs[i].addr);
        goto cleanup;
    }
    rc = 0;

cleanup:
    for (i = 0; i < lab->n_kdcs; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    if (ctx != NULL) {
        krb5_free_data_contents(ctx, &req);
        krb5_free_data_contents(ctx, &realm);
        krb5_init_creds_free(ctx, icc);
        krb5_free_principal(ctx, princ);
        krb5_free_context(ctx);
    }
    return rc;
}

int
kf_lab_set_kdc_clock(kf_lab *lab, kf_kdc *k, long offset, char **err)
{
    char text[32];

    if (!lab->sc->kdc_clocks) {
        *err = kf_strf("the clock of KDC %s can only move in a scenario "
                       "that sets or moves KDC clocks",
                       k->def->name);
        return -1;
    }
    k->clock = offset;
    /* libfaketime's relative form: seconds ahead (+) or behind (-). */
    snprintf(text, sizeof(text), "%+ld\n", offset);
    return write_file(k->clockfile, text, err);
}

int
kf_lab_set_host_clock(kf_lab *lab, kf_host *h, long offset, char **err)
{
    char text[32];

    (void)lab;
    h->clock = offset;
    snprintf(text, sizeof(text), "%ld\n", offset);
    return write_file(h->clockfile, text, err);
}

static int
start_service(kf_lab *lab, const kf_lab_opts *opts, kf_host *h, char **err)
{
    char listen[40], http[40], *argv[24], **env, *out, *rc, *cc, name[64];
    size_t n = 0, len;
    int ret;

    snprintf(listen, sizeof(listen), "%s:%d", h->addr, lab->svc_port);
    snprintf(http, sizeof(http), "%s:%d", h->addr, lab->http_port);
    argv[n++] = (char *)opts->service_bin;
    argv[n++] = "--listen";
    argv[n++] = listen;
    argv[n++] = "--http";
    argv[n++] = http;
    argv[n++] = "--personality";
    argv[n++] = lab->pers == KF_PERS_AD ? "ad" : "mit";
    argv[n++] = "--account";
    argv[n++] = h->def->account;
    argv[n++] = "--keytab";
    argv[n++] = h->keytab;
    argv[n++] = "--log";
    argv[n++] = h->svclog;
    argv[n++] = "--clock-file";
    argv[n++] = h->clockfile;
    argv[n++] = "--acceptor";
    argv[n++] = h->def->acceptor;
    argv[n++] = "--name";
    argv[n++] = h->def->name;
    argv[n] = NULL;
    rc = kf_path(h->dir, "rcache");
    mkdir(rc, 0700);
    cc = kf_path(h->dir, "ccache");
    len = strlen(cc) + 6;
    {
        char *ccn = malloc(len), *ktn = malloc(strlen(h->keytab) + 6);

        snprintf(ccn, len, "FILE:%s", cc);
        snprintf(ktn, strlen(h->keytab) + 6, "FILE:%s", h->keytab);
        env = child_env(lab, lab->kdcs[0].kdcconf, ccn, ktn, rc, NULL);
        free(ccn);
        free(ktn);
    }
    out = kf_path(h->dir, "service.out");
    snprintf(name, sizeof(name), "service on %s", h->def->name);
    ret = kf_proc_spawn(&h->proc, name, argv, env, out, note_pid, lab, err);
    free(out);
    free(rc);
    free(cc);
    free_env(env);
    return ret;
}

/* Start the lab's DNS server on 127.a.b.53, answering from the zone. */
static int
start_dns(kf_lab *lab, const kf_lab_opts *opts, char **err)
{
    char listen[40], *argv[8], **env, *zone, *log, *out;
    int ret;

    snprintf(listen, sizeof(listen), "%s:53", lab->dns_addr);
    zone = kf_path(lab->dns_dir, "zone");
    log = kf_path(lab->dns_dir, "queries.log");
    out = kf_path(lab->dns_dir, "krbfault-dns.out");
    argv[0] = (char *)opts->dns_bin;
    argv[1] = "--listen";
    argv[2] = listen;
    argv[3] = "--zone";
    argv[4] = zone;
    argv[5] = "--log";
    argv[6] = log;
    argv[7] = NULL;
    env = child_env(lab, lab->kdcs[0].kdcconf, "FILE:/dev/null",
                    "FILE:/dev/null", lab->dns_dir, NULL);
    ret = kf_proc_spawn(&lab->dns_proc, "krbfault-dns", argv, env, out,
                        note_pid, lab, err);
    free_env(env);
    free(zone);
    free(log);
    free(out);
    return ret;
}

/* Check what a lab with a dns block needs, before anything exists: root
 * (port 53 and a mount namespace of its own) and krbfault-dns. */
static int
dns_preflight(const kf_scenario *sc, const kf_lab_opts *opts, char **err)
{
    if (!sc->dns.set)
        return 0;
    if (geteuid() != 0) {
        *err = kf_strf("scenario %s has a lab DNS (its dns block), which "
                       "needs root: the DNS server binds port 53 and the "
                       "lab resolves in a mount namespace of its own",
                       sc->id);
        return -1;
    }
    if (opts->dns_bin == NULL || access(opts->dns_bin, X_OK) != 0) {
        *err = kf_strf("scenario %s has a lab DNS, but krbfault-dns (%s) "
                       "is missing (set KRBFAULT_DNS)",
                       sc->id, opts->dns_bin ? opts->dns_bin : "not found");
        return -1;
    }
    /* Before any lab process exists, so that every one of them resolves
     * in this process's private view. */
    return kf_resolver_isolate(err);
}

/* --- up and down --- */

/* With KRBFAULT_TIMING set, print how long each phase of lab start took. */
void
kf_lab_phase(kf_lab *lab, const char *what)
{
    static struct timespec last;
    struct timespec now;

    if (getenv("KRBFAULT_TIMING") == NULL)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (last.tv_sec != 0)
        fprintf(stderr, "krbfault: %s: %s after %.1f ms\n", lab->sc->id, what,
                (now.tv_sec - last.tv_sec) * 1e3 +
                    (now.tv_nsec - last.tv_nsec) / 1e6);
    last = now;
}

/* Start capturing the lab's block into capture.pcap, before any of its
 * processes starts; the device opens while they start. */
static void
start_capture(kf_lab *lab)
{
    char filter[64];
    char *err = NULL;

    snprintf(filter, sizeof(filter), "net 127.%u.%u.0/24", lab->net[0],
             lab->net[1]);
    lab->pcap = kf_path(lab->dir, "capture.pcap");
    if (lab->pcap != NULL &&
        kf_capture_start(filter, lab->pcap, &lab->capture, &err) == 0)
        return;
    lab->capture_error = kf_strf("cannot capture on lo (%s)",
                                 err != NULL ? err : "out of memory");
    free(err);
    free(lab->pcap);
    lab->pcap = NULL;
}

/* Wait until the capture runs, before the lab's first packet.  Where it
 * cannot (no CAP_NET_RAW), say so once per process and note why: the
 * run's wire views are then skipped. */
static void
capture_ready(kf_lab *lab)
{
    static bool told;
    char *err = NULL;

    if (lab->capture != NULL && kf_capture_ready(lab->capture, &err) != 0) {
        lab->capture = NULL;
        lab->capture_error = kf_strf("cannot capture on lo (%s)", err);
        free(err);
        free(lab->pcap);
        lab->pcap = NULL;
    }
    if (!told && lab->capture_error != NULL) {
        fprintf(stderr, "krbfault: %s: the wire view is skipped\n",
                lab->capture_error);
        told = true;
    }
}

/* Make a directory below the lab; return its path. */
static char *
lab_subdir(const kf_lab *lab, const char *kind, const char *name)
{
    char rel[200], *p;

    snprintf(rel, sizeof(rel), "%s/%s", kind, name);
    p = kf_path(lab->dir, rel);
    if (p != NULL && mkdir(p, 0700) != 0 && errno != EEXIST) {
        free(p);
        return NULL;
    }
    return p;
}

/* Write the alias file fakekdc reads for one KDC. */
static int
write_aliases(const kf_lab *lab, const kf_kdc *k, char **err)
{
    char *path = kf_path(k->dir, "aliases"),
         *text = kf_lab_render_aliases(lab);
    int ret = -1;

    if (path == NULL || text == NULL)
        *err = strdup("out of memory");
    else
        ret = write_file(path, text, err);
    free(path);
    free(text);
    return ret;
}

/* Lay out the lab's directories and files, but start nothing. */
static int
lay_out(kf_lab *lab, char **err)
{
    const kf_scenario *sc = lab->sc;
    char *p;
    size_t i;

    snprintf(lab->nat_addr, sizeof(lab->nat_addr), "127.%u.%u.250",
             lab->net[0], lab->net[1]);
    p = kf_path(lab->dir, "kdc");
    mkdir(p, 0700);
    free(p);
    p = kf_path(lab->dir, "host");
    mkdir(p, 0700);
    free(p);
    p = kf_path(lab->dir, "actor");
    mkdir(p, 0700);
    free(p);
    p = kf_path(lab->dir, "rcache");
    mkdir(p, 0700);
    free(p);
    lab->krb5conf = kf_path(lab->dir, "krb5.conf");
    lab->acl = kf_path(lab->dir, "kadm5.acl");
    if (write_file(lab->acl, "", err))
        return -1;
    for (i = 0; i < sc->n_kdcs; i++) {
        kf_kdc *k = &lab->kdcs[i];

        k->def = &sc->kdcs[i];
        k->proc.outfd = k->proc.logfd = -1;
        snprintf(k->addr, sizeof(k->addr), "127.%u.%u.%u", lab->net[0],
                 lab->net[1], (unsigned)(i + 1) & 0xff);
        k->dir = lab_subdir(lab, "kdc", k->def->name);
        if (k->dir == NULL) {
            *err = strdup("cannot make a KDC directory");
            return -1;
        }
        k->kdcconf = kf_path(k->dir, "kdc.conf");
        k->dbname = kf_path(k->dir, "principal");
        k->stash = kf_path(k->dir, "stash");
        k->log = kf_path(k->dir, "kdc.log");
        k->clockfile = kf_path(k->dir, "clock");
        if (lab->sc->kdc_clocks &&
            kf_lab_set_kdc_clock(lab, k, k->def->clock, err))
            return -1;
        p = kf_lab_render_kdc_conf(lab, k);
        if (p == NULL || write_file(k->kdcconf, p, err)) {
            free(p);
            return -1;
        }
        free(p);
        if (lab->kdb_module_dir != NULL && write_aliases(lab, k, err))
            return -1;
    }
    for (i = 0; i < sc->n_hosts; i++) {
        kf_host *h = &lab->hosts[i];

        h->def = &sc->hosts[i];
        h->proc.outfd = h->proc.logfd = -1;
        snprintf(h->addr, sizeof(h->addr), "127.%u.%u.%u", lab->net[0],
                 lab->net[1], (unsigned)(sc->n_kdcs + i + 1) & 0xff);
        h->dir = lab_subdir(lab, "host", h->def->name);
        if (h->dir == NULL) {
            *err = strdup("cannot make a host directory");
            return -1;
        }
        h->keytab = kf_path(h->dir, "keytab");
        h->svclog = kf_path(h->dir, "service.log");
        h->clockfile = kf_path(h->dir, "clock");
        if (kf_lab_set_host_clock(lab, h, h->def->clock, err))
            return -1;
    }
    for (i = 0; i < sc->n_actors; i++) {
        kf_actor *a = &lab->actors[i];
        char *cc;
        size_t len;

        a->def = &sc->actors[i];
        a->clock = a->def->clock;
        snprintf(a->addr, sizeof(a->addr), "127.%u.%u.%u", lab->net[0],
                 lab->net[1], (unsigned)(200 + i) & 0xff);
        a->dir = lab_subdir(lab, "actor", a->def->name);
        if (a->dir == NULL) {
            *err = strdup("cannot make an actor directory");
            return -1;
        }
        if (a->def->smartcard) {
            a->cert = kf_path(a->dir, "smartcard.pem");
            a->key = kf_path(a->dir, "smartcard.key");
            if (kf_pki_client_cert(a->cert, a->key, a->def->principal, err))
                return -1;
        }
        cc = kf_path(a->dir, "ccache");
        len = strlen(cc) + 6;
        a->ccache = malloc(len);
        snprintf(a->ccache, len, "FILE:%s", cc);
        free(cc);
    }
    p = kf_lab_render_krb5_conf(lab, NULL, NULL, NULL);
    if (p == NULL || write_file(lab->krb5conf, p, err)) {
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

int
kf_lab_up(const kf_scenario *sc, const kf_lab_opts *opts, kf_lab **lab_out,
          char **err)
{
    kf_lab *lab;
    const char *tmp = getenv("TMPDIR");
    char templ[512];
    size_t i;
    int ret = -1;

    *lab_out = NULL;
    *err = NULL;
    lab = calloc(1, sizeof(*lab));
    if (lab == NULL) {
        *err = strdup("out of memory");
        return -1;
    }
    lab->sc = sc;
    lab->variant = opts->variant;
    lab->keep = opts->keep;
    lab->lockfd = -1;
    lab->kdc_port = geteuid() == 0 ? 88 : 10088;
    /* Framed AP-REQs go to the KDC port number at a host's address, so
     * that Wireshark decodes them as Kerberos; HTTP to the HTTP port. */
    lab->svc_port = lab->kdc_port;
    lab->http_port = geteuid() == 0 ? 80 : 8080;
    lab->pers = opts->pers;
    lab->start = time(NULL);
    if (dns_preflight(sc, opts, err)) {
        free(lab);
        return -1;
    }
    lab->dns_proc.outfd = lab->dns_proc.logfd = -1;
    if (kf_lab_wants_fakekdc(sc)) {
        char so[1100];

        /* Checked before anything exists, so nothing is half started. */
        snprintf(so, sizeof(so), "%s/fakekdc.so",
                 opts->kdb_module_dir != NULL ? opts->kdb_module_dir : "");
        if (opts->kdb_module_dir == NULL || access(so, R_OK) != 0) {
            *err = kf_strf("scenario %s needs fakekdc's KDB module, but %s "
                           "is missing (set KRBFAULT_KDB_MODULE_DIR)",
                           sc->id, so);
            free(lab);
            return -1;
        }
        lab->kdb_module_dir = opts->kdb_module_dir;
    }
    {
        unsigned int tag = (unsigned int)getpid();

        if (getrandom(&tag, sizeof(tag), 0) != sizeof(tag))
            tag ^= (unsigned int)lab->start;
        snprintf(lab->probe_name, sizeof(lab->probe_name),
                 "krbfault/probe-%08x", tag);
    }
    kf_lab_phase(lab, "start");
    snprintf(templ, sizeof(templ), "%s/krbfault-%s-XXXXXX",
             (tmp != NULL && *tmp != '\0') ? tmp : "/tmp", sc->id);
    if (mkdtemp(templ) == NULL) {
        *err = kf_strf("cannot make a lab directory %s: %s", templ,
                       strerror(errno));
        free(lab);
        return -1;
    }
    lab->dir = strdup(templ);
    if (kf_guardian_start(err))
        goto cleanup;
    kf_guardian_lab(lab->dir, lab->keep);
    lab->kdcs = calloc(sc->n_kdcs + 1, sizeof(kf_kdc));
    lab->hosts = calloc(sc->n_hosts + 1, sizeof(kf_host));
    lab->actors = calloc(sc->n_actors + 1, sizeof(kf_actor));
    lab->n_kdcs = sc->n_kdcs;
    lab->n_hosts = sc->n_hosts;
    lab->n_actors = sc->n_actors;
    if (claim_block(lab, err) || lay_out(lab, err))
        goto cleanup;
    if (sc->dns.set) {
        snprintf(lab->dns_addr, sizeof(lab->dns_addr), "127.%u.%u.53",
                 lab->net[0], lab->net[1]);
        lab->dns_dir = kf_path(lab->dir, "dns");
        if (lab->dns_dir == NULL || mkdir(lab->dns_dir, 0755) != 0 ||
            kf_lab_dns_files(lab, err))
            goto cleanup;
    }
    if (opts->capture)
        start_capture(lab);
    enter_env(lab);
    lab->env_entered = true;
    kf_lab_phase(lab, "laid out");
    if (kf_db_create_skeleton(lab, err))
        goto cleanup;
    kf_lab_phase(lab, "skeleton databases built");
    /* The KDCs and services start while the scenario's principals (and
     * their string-to-key work) go into the databases. */
    for (i = 0; i < lab->n_kdcs; i++) {
        if (start_kdc(lab, &lab->kdcs[i], err))
            goto cleanup;
    }
    for (i = 0; i < lab->n_hosts; i++) {
        if (start_service(lab, opts, &lab->hosts[i], err))
            goto cleanup;
    }
    if (sc->dns.set && start_dns(lab, opts, err))
        goto cleanup;
    kf_lab_phase(lab, "KDCs and services spawned");
    if (kf_db_populate(lab, err))
        goto cleanup;
    kf_lab_phase(lab, "databases populated");
    for (i = 0; i < lab->n_kdcs; i++) {
        if (kf_proc_wait_ready(&lab->kdcs[i].proc, "starting...", 10000, err))
            goto cleanup;
    }
    kf_lab_phase(lab, "KDCs ready");
    if (opts->capture)
        capture_ready(lab);
    if (probe_kdcs(lab, err))
        goto cleanup;
    kf_lab_phase(lab, "KDCs probed");
    for (i = 0; i < lab->n_hosts; i++) {
        if (kf_proc_wait_ready(&lab->hosts[i].proc, "krbfault-service: ready",
                               10000, err))
            goto cleanup;
    }
    kf_lab_phase(lab, "services started");
    if (sc->dns.set &&
        (kf_proc_wait_ready(&lab->dns_proc, "krbfault-dns: ready on", 10000,
                            err) ||
         kf_lab_dns_enter(lab, err)))
        goto cleanup;
    *lab_out = lab;
    lab = NULL;
    ret = 0;

cleanup:
    if (lab != NULL) {
        lab->keep = false;
        kf_lab_down(lab);
    }
    return ret;
}

/* Tell the guardian and the signal handler a lab process is gone. */
static void
forget_pid(pid_t pid)
{
    size_t i;

    if (pid <= 0)
        return;
    kf_guardian_gone(pid);
    for (i = 0; i < MAX_PIDS; i++) {
        if (live_pids[i] == pid)
            live_pids[i] = 0;
    }
}

void
kf_lab_capture_stop(kf_lab *lab)
{
    char marker[24], *problem = NULL;

    if (lab->capture == NULL)
        return;
    snprintf(marker, sizeof(marker), "127.%u.%u.254", lab->net[0],
             lab->net[1]);
    if (kf_capture_stop(lab->capture, marker, &problem) != 0) {
        /* The file stays (for --keep and --pcap-dir), but a view judged
         * from an incomplete capture could pass or fail wrongly. */
        free(lab->capture_error);
        lab->capture_error = problem;
        fprintf(stderr, "krbfault: %s: %s: its wire views are skipped\n",
                lab->sc->id, problem);
    }
    lab->capture = NULL;
    kf_lab_phase(lab, "capture stopped");
}

const char *
kf_lab_addr_name(const kf_lab *lab, const char *addr)
{
    char dns[24];
    size_t i;

    for (i = 0; i < lab->n_kdcs; i++) {
        if (strcmp(lab->kdcs[i].addr, addr) == 0)
            return lab->kdcs[i].def->name;
    }
    for (i = 0; i < lab->n_hosts; i++) {
        if (strcmp(lab->hosts[i].addr, addr) == 0)
            return lab->hosts[i].def->name;
    }
    for (i = 0; i < lab->n_actors; i++) {
        if (strcmp(lab->actors[i].addr, addr) == 0)
            return lab->actors[i].def->name;
    }
    snprintf(dns, sizeof(dns), "127.%u.%u.53", lab->net[0], lab->net[1]);
    if (strcmp(addr, "127.0.0.1") == 0)
        return "client";
    if (strcmp(addr, lab->nat_addr) == 0)
        return "nat";
    if (strcmp(addr, dns) == 0)
        return "dns";
    return NULL;
}

/* Stop a lab process and tell the guardian it is gone. */
static void
stop(kf_proc *p)
{
    pid_t pid = p->pid;

    kf_proc_stop(p, 1000);
    forget_pid(pid);
}

int
kf_lab_run_tool(kf_lab *lab, const char *name, char *const argv[],
                char *const envp[], const char *outpath, int timeout_ms,
                int *status, char **err)
{
    kf_proc p;
    pid_t pid;
    int rc;

    if (kf_proc_spawn(&p, name, argv, envp, outpath, note_pid, lab, err))
        return -1;
    pid = p.pid;
    rc = kf_proc_wait_exit(&p, timeout_ms, status);
    forget_pid(pid);
    if (rc != 0)
        *err = kf_strf("%s did not finish within %d ms and was killed", name,
                       timeout_ms);
    return rc;
}

void
kf_lab_stop_kdc(kf_lab *lab, kf_kdc *k)
{
    (void)lab;
    stop(&k->proc);
}

int
kf_lab_start_kdc(kf_lab *lab, kf_kdc *k, char **err)
{
    if (k->proc.pid > 0)
        return 0;
    if (start_kdc(lab, k, err))
        return -1;
    return kf_proc_wait_ready(&k->proc, "starting...", 10000, err);
}

void
kf_lab_down(kf_lab *lab)
{
    size_t i;

    if (lab == NULL)
        return;
    kf_lab_capture_stop(lab);
    /* The host's own /etc files again, before the lab's files go. */
    kf_lab_dns_leave(lab);
    /* Ask every process to stop first, so they exit in parallel. */
    for (i = 0; i < lab->n_hosts; i++)
        kf_proc_terminate(&lab->hosts[i].proc);
    for (i = 0; i < lab->n_kdcs; i++)
        kf_proc_terminate(&lab->kdcs[i].proc);
    kf_proc_terminate(&lab->dns_proc);
    for (i = 0; i < lab->n_hosts; i++)
        stop(&lab->hosts[i].proc);
    for (i = 0; i < lab->n_kdcs; i++)
        stop(&lab->kdcs[i].proc);
    stop(&lab->dns_proc);
    for (i = 0; i < MAX_PIDS; i++)
        live_pids[i] = 0;
    if (lab->env_entered)
        leave_env(lab);
    kf_lab_phase(lab, "processes stopped");
    if (lab->dir != NULL) {
        if (kf_guardian_running())
            kf_guardian_closed(lab->dir);
        else if (!lab->keep)
            kf_remove_tree(lab->dir);
    }
    if (lab->lockfd >= 0)
        close(lab->lockfd);
    for (i = 0; i < lab->n_kdcs; i++) {
        kf_kdc *k = &lab->kdcs[i];

        free(k->dir);
        free(k->kdcconf);
        free(k->dbname);
        free(k->stash);
        free(k->log);
        free(k->clockfile);
    }
    for (i = 0; i < lab->n_hosts; i++) {
        kf_host *h = &lab->hosts[i];

        free(h->dir);
        free(h->keytab);
        free(h->svclog);
        free(h->clockfile);
    }
    for (i = 0; i < lab->n_actors; i++) {
        free(lab->actors[i].dir);
        free(lab->actors[i].ccache);
        free(lab->actors[i].cert);
        free(lab->actors[i].key);
    }
    free(lab->dns_dir);
    free(lab->kdcs);
    free(lab->hosts);
    free(lab->actors);
    free(lab->krb5conf);
    free(lab->acl);
    free(lab->pcap);
    free(lab->capture_error);
    free(lab->dir);
    free(lab);
}

void
kf_lab_drain(kf_lab *lab)
{
    size_t i;

    for (i = 0; i < lab->n_kdcs; i++)
        kf_proc_drain(&lab->kdcs[i].proc);
    for (i = 0; i < lab->n_hosts; i++)
        kf_proc_drain(&lab->hosts[i].proc);
    kf_proc_drain(&lab->dns_proc);
}

kf_kdc *
kf_lab_kdc(kf_lab *lab, const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < lab->n_kdcs; i++) {
        if (strcmp(lab->kdcs[i].def->name, name) == 0)
            return &lab->kdcs[i];
    }
    return NULL;
}

kf_kdc *
kf_lab_kdc_by_addr(kf_lab *lab, const char *addr)
{
    size_t i;
    char full[40];

    for (i = 0; i < lab->n_kdcs; i++) {
        snprintf(full, sizeof(full), "%s:%d", lab->kdcs[i].addr,
                 lab->kdc_port);
        if (strcmp(full, addr) == 0 || strcmp(lab->kdcs[i].addr, addr) == 0)
            return &lab->kdcs[i];
    }
    return NULL;
}

kf_host *
kf_lab_host(kf_lab *lab, const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < lab->n_hosts; i++) {
        if (strcmp(lab->hosts[i].def->name, name) == 0)
            return &lab->hosts[i];
    }
    return NULL;
}

kf_host *
kf_lab_host_by_addr(kf_lab *lab, const char *addr)
{
    size_t i;

    for (i = 0; i < lab->n_hosts; i++) {
        if (strcmp(lab->hosts[i].addr, addr) == 0)
            return &lab->hosts[i];
    }
    return NULL;
}

kf_actor *
kf_lab_actor(kf_lab *lab, const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < lab->n_actors; i++) {
        if (strcmp(lab->actors[i].def->name, name) == 0)
            return &lab->actors[i];
    }
    return NULL;
}
