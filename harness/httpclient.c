/* The HTTP client steps: the harness's own SPNEGO client (http) and
 * curl --negotiate (curl), against a host's Negotiate site. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "client.h"
#include "gsstoken.h"
#include "negotiate.h"
#include "util.h"

#define RESPONSE_MAX 65536

/* negotiate()'s return when GSS failed before anything was sent: the
 * code then comes from the step's trace. */
#define KF_GSS_FAILED_EARLY (-1)

/* Where an HTTP step goes. */
struct http_target {
    char hostname[256]; /* the URL's host, and the service's name */
    char path[1024];
    char addr[64]; /* the address connected to */
    kf_host *host; /* the lab host at that address, or NULL */
    bool pinned;   /* named by host: not resolved through DNS */
};

/* One HTTP response: its status and its Negotiate token, if any. */
struct http_resp {
    int status;
    bool negotiate; /* it asked for (or answered) Negotiate */
    kf_bytes token;
};

/* Work out the step's target: a host (its fqdn and address), a hostname
 * resolved through the lab's resolver, or a URL's host. */
static int
http_target(kf_lab *lab, const kf_step *st, struct http_target *t, kf_obs *obs)
{
    const char *host = kf_step_str(st, "host");
    const char *name = kf_step_str(st, "hostname");
    const char *url = kf_step_str(st, "url");
    const char *path = kf_step_str(st, "path");
    const char *why = NULL;

    memset(t, 0, sizeof(*t));
    snprintf(t->path, sizeof(t->path), "%s", path != NULL ? path : "/");
    if (host != NULL) {
        t->host = kf_lab_host(lab, host);
        t->pinned = true;
        snprintf(t->hostname, sizeof(t->hostname), "%s", t->host->def->fqdn);
        snprintf(t->addr, sizeof(t->addr), "%s", t->host->addr);
        return 0;
    }
    if (url != NULL)
        kf_parse_url(url, t->hostname, sizeof(t->hostname), t->path,
                     sizeof(t->path));
    else
        snprintf(t->hostname, sizeof(t->hostname), "%s", name);
    if (kf_resolve_first(t->hostname, t->addr, sizeof(t->addr), &why)) {
        obs->message = kf_strf("cannot resolve %s: %s", t->hostname, why);
        return -1;
    }
    t->host = kf_lab_host_by_addr(lab, t->addr);
    return 0;
}

/* Return the authority of the target's URL ("name" or "name:port"). */
static char *
authority(const kf_lab *lab, const struct http_target *t)
{
    if (lab->http_port == 80)
        return strdup(t->hostname);
    return kf_strf("%s:%d", t->hostname, lab->http_port);
}

/* Parse a Negotiate header value ("Negotiate" or "Negotiate TOKEN"). */
static void
negotiate_value(const char *v, struct http_resp *r)
{
    if (v == NULL || strncasecmp(v, "Negotiate", 9) != 0 ||
        (v[9] != '\0' && v[9] != ' '))
        return;
    r->negotiate = true;
    v += 9;
    while (*v == ' ')
        v++;
    if (*v != '\0')
        kf_base64_decode(v, strlen(v), &r->token);
}

/* GET the target's path from the actor's address, with a Negotiate token
 * if b64 is not NULL.  Return 0 with the response, or -1 with *err. */
static int
http_get(kf_lab *lab, const struct http_target *t, const char *from,
         const char *b64, struct http_resp *r, char **err)
{
    char *req, *auth = authority(lab, t), *buf = malloc(RESPONSE_MAX);
    int fd = -1, rc = -1;

    memset(r, 0, sizeof(*r));
    req = kf_strf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: krbfault\r\n"
                  "Accept: */*\r\n%s%s%sConnection: close\r\n\r\n",
                  t->path, auth ? auth : t->hostname,
                  b64 ? "Authorization: Negotiate " : "", b64 ? b64 : "",
                  b64 ? "\r\n" : "");
    if (req == NULL || buf == NULL)
        goto cleanup;
    fd = kf_connect_from(t->addr, lab->http_port, from);
    if (fd < 0) {
        *err = kf_strf("cannot connect to %s:%d: %s", t->addr, lab->http_port,
                       strerror(errno));
        goto cleanup;
    }
    if (kf_write_all(fd, req, strlen(req)) != 0 ||
        kf_read_until(fd, buf, RESPONSE_MAX, NULL, 10000) < 0 ||
        sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1) {
        *err = kf_strf("no HTTP answer from %s:%d", t->addr, lab->http_port);
        goto cleanup;
    }
    negotiate_value(kf_http_header(buf, "WWW-Authenticate"), r);
    rc = 0;

cleanup:
    if (fd >= 0)
        close(fd);
    free(req);
    free(auth);
    free(buf);
    return rc;
}

/* Record what the tokens of an exchange show: the ticket the client sent
 * and, from the service's KRB-ERROR, the System event 4 diagnostic. */
static void
note_tokens(krb5_context ctx, kf_actor *actor, const kf_bytes *sent,
            const kf_bytes *answer, kf_obs *obs)
{
    krb5_ticket *tkt = kf_token_ticket(sent->data, sent->len);
    krb5_error *kerr = kf_token_krb_error(ctx, answer->data, answer->len);
    krb5_ccache cc = NULL;
    krb5_principal client = NULL;

    if (kerr != NULL && krb5_cc_resolve(ctx, actor->ccache, &cc) == 0) {
        krb5_cc_get_principal(ctx, cc, &client);
        krb5_cc_close(ctx, cc);
    }
    if (tkt != NULL) {
        obs->has_ticket = true;
        obs->ticket_etype = tkt->enc_part.enctype;
        obs->ticket_kvno = (int)tkt->enc_part.kvno;
    }
    if (kerr != NULL) {
        kf_obs_krb_error(ctx, kerr, obs);
        kf_obs_event(ctx, kerr, client, tkt ? tkt->server : NULL, obs);
        krb5_free_error(ctx, kerr);
    }
    krb5_free_principal(ctx, client);
    if (tkt != NULL)
        krb5_free_ticket(ctx, tkt);
}

/* One SPNEGO initiator step: feed in (NULL at first) and return GSS's
 * status, with its output token in *out. */
static OM_uint32
spnego_step(gss_ctx_id_t *gctx, gss_name_t target, const kf_bytes *in,
            kf_bytes *out, OM_uint32 *minor)
{
    static gss_OID_desc spnego = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
    gss_buffer_desc ib, ob = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp;

    out->data = NULL;
    out->len = 0;
    if (in != NULL) {
        ib.value = in->data;
        ib.length = in->len;
    }
    /* As curl asks: mutual authentication and replay detection. */
    major = gss_init_sec_context(
        minor, GSS_C_NO_CREDENTIAL, gctx, target, &spnego,
        GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS,
        in != NULL ? &ib : GSS_C_NO_BUFFER, NULL, &ob, NULL, NULL);
    if (ob.length > 0 && (out->data = malloc(ob.length)) != NULL) {
        memcpy(out->data, ob.value, ob.length);
        out->len = ob.length;
    }
    gss_release_buffer(&tmp, &ob);
    return major;
}

/* Return the krb5 code behind a failed SPNEGO step.  The mechanism glue
 * renumbers the krb5 mechanism's minor status as it passes through
 * SPNEGO, so take the code from what the mechanism worked on: the
 * service's KRB-ERROR (the mechanism's minor status is its code), else
 * the last KRB-ERROR a KDC sent during the step. */
static krb5_error_code
gss_code(krb5_context ctx, const kf_bytes *answer, const kf_obs *obs)
{
    krb5_error *kerr = answer != NULL
                           ? kf_token_krb_error(ctx, answer->data, answer->len)
                           : NULL;
    krb5_error_code code = KRB5KRB_ERR_GENERIC;

    if (kerr != NULL) {
        code = (krb5_error_code)(ERROR_TABLE_BASE_krb5 + kerr->error);
        krb5_free_error(ctx, kerr);
    } else if (obs->n_kdc_errors > 0) {
        code = obs->kdc_errors[obs->n_kdc_errors - 1].code.lib;
    }
    return code;
}

/* The SPNEGO exchange of an http step, after the first 401: initiate,
 * send the token, and finish with the service's answer.  Return the
 * step's outcome code. */
static krb5_error_code
negotiate(krb5_context ctx, kf_lab *lab, kf_actor *actor,
          const struct http_target *t, kf_obs *obs)
{
    gss_ctx_id_t gctx = GSS_C_NO_CONTEXT;
    gss_name_t target = GSS_C_NO_NAME;
    gss_buffer_desc nb;
    kf_bytes tok = {NULL, 0}, fin = {NULL, 0};
    struct http_resp r;
    OM_uint32 major, minor = 0, tmp;
    char *sname = kf_strf("HTTP@%s", t->hostname), *b64 = NULL, *err = NULL;
    krb5_error_code ret = KRB5KRB_ERR_GENERIC;

    memset(&r, 0, sizeof(r));
    nb.value = sname;
    nb.length = sname != NULL ? strlen(sname) : 0;
    major = gss_import_name(&minor, &nb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (!GSS_ERROR(major))
        major = spnego_step(&gctx, target, NULL, &tok, &minor);
    if (GSS_ERROR(major)) {
        /* The KDC errors of the step are in the trace, read after. */
        ret = KF_GSS_FAILED_EARLY;
        obs->message = kf_gss_message(minor);
        goto cleanup;
    }
    if (kf_base64_encode(tok.data, tok.len, &b64) != 0 ||
        http_get(lab, t, actor->addr, b64, &r, &err) != 0) {
        obs->message = err != NULL ? err : strdup("out of memory");
        ret = ECONNREFUSED;
        goto cleanup;
    }
    obs->http_status = r.status;
    note_tokens(ctx, actor, &tok, &r.token, obs);
    if (r.token.data == NULL) {
        obs->message = kf_strf("the service answered %d without a "
                               "Negotiate token",
                               r.status);
        goto cleanup;
    }
    /* The service's token: the mutual authentication that completes the
     * context (200), or the error that fails it (401). */
    major = spnego_step(&gctx, target, &r.token, &fin, &minor);
    if (major == GSS_S_COMPLETE && r.status == 200)
        ret = 0;
    else if (GSS_ERROR(major)) {
        ret = gss_code(ctx, &r.token, obs);
        obs->message = kf_gss_message(minor);
    } else {
        obs->message = kf_strf("HTTP %d, and GSS-API status %u", r.status,
                               (unsigned)major);
    }

cleanup:
    gss_delete_sec_context(&tmp, &gctx, GSS_C_NO_BUFFER);
    gss_release_name(&tmp, &target);
    free(tok.data);
    free(fin.data);
    free(r.token.data);
    free(sname);
    free(b64);
    return ret;
}

void
kf_client_http(kf_lab *lab, kf_actor *actor, const kf_step *st, kf_obs *obs)
{
    krb5_context ctx = NULL;
    struct kf_tracer t;
    struct kf_gss_env env;
    struct http_target tgt;
    struct http_resp first;
    off_t logpos = 0;
    long offset;
    char *err = NULL;
    krb5_error_code ret;

    memset(&first, 0, sizeof(first));
    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    if (http_target(lab, st, &tgt, obs) != 0) {
        ret = KRB5_ERR_BAD_HOSTNAME;
        goto cleanup;
    }
    if (tgt.host != NULL)
        logpos = kf_service_log_size(tgt.host);
    /* As a browser does: ask first, and authenticate when challenged. */
    if (http_get(lab, &tgt, actor->addr, NULL, &first, &err) != 0) {
        obs->message = err;
        ret = ECONNREFUSED;
        goto cleanup;
    }
    obs->http_status = first.status;
    if (first.status != 401 || !first.negotiate) {
        obs->message = kf_strf("the service answered %d without asking "
                               "for Negotiate",
                               first.status);
        ret = first.status == 200 ? 0 : KRB5KRB_ERR_GENERIC;
        goto cleanup;
    }
    /* GSS-API makes its own krb5 contexts: point them at this step's
     * configuration, trace and the actor's ccache. */
    if (t.file != NULL)
        fflush(t.file);
    offset = t.file != NULL ? ftell(t.file) : 0;
    kf_gss_env_enter(&env, obs->conf, obs->trace, actor->ccache);
    ret = negotiate(ctx, lab, actor, &tgt, obs);
    kf_gss_env_leave(&env);
    kf_trace_file_parse(&t, offset);
    if (ret == KF_GSS_FAILED_EARLY)
        ret = gss_code(ctx, NULL, obs);
    if (tgt.host != NULL)
        kf_service_view(tgt.host, logpos, obs);

cleanup:
    free(first.token.data);
    kf_obs_outcome(ctx, obs, ret);
    kf_actor_done(actor, ctx, &t);
}

/* Find the last "PREFIX TOKEN" line of curl's verbose output and decode
 * its token into out. */
static void
curl_token(const char *text, const char *prefix, kf_bytes *out)
{
    const char *p = text, *last = NULL, *end;
    size_t plen = strlen(prefix);

    for (; (p = strstr(p, prefix)) != NULL; p += plen) {
        if (p == text || p[-1] == '\n')
            last = p + plen;
    }
    if (last == NULL)
        return;
    end = last + strcspn(last, "\r\n");
    free(out->data);
    out->data = NULL;
    kf_base64_decode(last, (size_t)(end - last), out);
}

/* Read a whole small file; caller frees. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *m;
    char chunk[4096];
    size_t n;

    if (f == NULL)
        return NULL;
    m = open_memstream(&buf, &len);
    while (m != NULL && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    if (m != NULL)
        fclose(m);
    return buf;
}

/* What curl's run shows: the HTTP status, the tokens (verbose output
 * shows the headers), and the outcome behind a failure: the KRB-ERROR
 * of the service's last token, else the last KDC error curl's libkrb5
 * traced. */
static krb5_error_code
curl_outcome(krb5_context ctx, kf_actor *actor, const char *out, kf_obs *obs)
{
    kf_bytes sent = {NULL, 0}, answer = {NULL, 0};
    const char *p = strstr(out, "krbfault-http-status: ");
    krb5_error *kerr;
    krb5_error_code ret = KRB5KRB_ERR_GENERIC;

    if (p != NULL)
        obs->http_status = atoi(p + 22);
    curl_token(out, "> Authorization: Negotiate ", &sent);
    curl_token(out, "< WWW-Authenticate: Negotiate ", &answer);
    note_tokens(ctx, actor, &sent, &answer, obs);
    kerr = kf_token_krb_error(ctx, answer.data, answer.len);
    if (obs->http_status == 200 && obs->curl_exit == 0)
        ret = 0;
    else if (kerr != NULL)
        ret = (krb5_error_code)(ERROR_TABLE_BASE_krb5 + kerr->error);
    else if (obs->n_kdc_errors > 0)
        ret = obs->kdc_errors[obs->n_kdc_errors - 1].code.lib;
    if (ret != 0 && obs->message == NULL &&
        (p = strstr(out, "gss_init_sec_context() failed: ")) != NULL)
        /* What curl's GSS-API library said about the service's token. */
        obs->message = strndup(p + 31, strcspn(p + 31, "\r\n"));
    if (ret != 0 && obs->message == NULL)
        obs->message = kf_strf("curl exited %d with HTTP status %d",
                               obs->curl_exit, obs->http_status);
    if (kerr != NULL)
        krb5_free_error(ctx, kerr);
    free(sent.data);
    free(answer.data);
    return ret;
}

/* Build curl's environment: only the lab's Kerberos variables for the
 * actor, and a trace. */
static char **
curl_env(kf_lab *lab, kf_actor *actor, const kf_obs *obs)
{
    char **env = calloc(11, sizeof(char *));
    size_t n = 0;

    if (env == NULL)
        return NULL;
    env[n++] = kf_strf("KRB5_CONFIG=%s", obs->conf);
    env[n++] = kf_strf("KRB5CCNAME=%s", actor->ccache);
    env[n++] = kf_strf("KRB5_TRACE=%s", obs->trace);
    env[n++] = kf_strf("KRB5_KDC_PROFILE=%s", lab->kdcs[0].kdcconf);
    env[n++] = kf_strf("KRB5_KTNAME=FILE:%s/keytab", actor->dir);
    env[n++] = kf_strf("KRB5RCACHEDIR=%s", actor->dir);
    env[n++] = kf_strf("HOME=%s", actor->dir);
    env[n++] = strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    env[n++] = strdup("LC_ALL=C");
    env[n] = NULL;
    return env;
}

static const char *const curl_paths[] = {"/usr/bin/curl", NULL};

void
kf_client_curl(kf_lab *lab, kf_actor *actor, const kf_step *st, kf_obs *obs)
{
    krb5_context ctx = NULL;
    struct kf_tracer t;
    struct http_target tgt;
    const char *bin = kf_find_program("KRBFAULT_CURL", curl_paths);
    char *argv[32], **env = NULL, *url = NULL, *resolve = NULL, *auth;
    char *timeout = NULL, *outpath = NULL, *out = NULL, *err = NULL;
    char name[200];
    off_t logpos = 0;
    long secs = 30;
    int status = 0, n = 0;
    krb5_error_code ret = KRB5KRB_ERR_GENERIC;

    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    if (bin == NULL) {
        obs->message = strdup("curl not found: install Debian's curl");
        goto cleanup;
    }
    if (http_target(lab, st, &tgt, obs) != 0) {
        ret = KRB5_ERR_BAD_HOSTNAME;
        goto cleanup;
    }
    if (tgt.host != NULL)
        logpos = kf_service_log_size(tgt.host);
    kf_parse_duration_opt(kf_step_str(st, "timeout"), &secs);
    auth = authority(lab, &tgt);
    url = kf_strf("http://%s%s", auth ? auth : tgt.hostname, tgt.path);
    free(auth);
    timeout = kf_strf("%ld", secs);
    snprintf(name, sizeof(name), "curl-%s.out",
             st->id != NULL ? st->id : "step");
    outpath = kf_path(actor->dir, name);
    env = curl_env(lab, actor, obs);
    argv[n++] = (char *)bin;
    argv[n++] = "-q"; /* no .curlrc */
    argv[n++] = "--noproxy";
    argv[n++] = "*";
    argv[n++] = "--negotiate";
    argv[n++] = "-u";
    argv[n++] = ":";
    argv[n++] = "-sSv";        /* the headers show the tokens */
    argv[n++] = "--interface"; /* from the actor's own address */
    argv[n++] = actor->addr;
    argv[n++] = "--max-time";
    argv[n++] = timeout;
    argv[n++] = "-o";
    argv[n++] = "/dev/null";
    argv[n++] = "-w";
    argv[n++] = "\nkrbfault-http-status: %{http_code}\n";
    if (tgt.pinned) {
        /* A host named directly: no name resolution. */
        resolve = kf_strf("%s:%d:%s", tgt.hostname, lab->http_port, tgt.addr);
        argv[n++] = "--resolve";
        argv[n++] = resolve;
    }
    argv[n++] = url;
    argv[n] = NULL;
    if (env == NULL || url == NULL || outpath == NULL ||
        kf_lab_run_tool(lab, "curl", argv, env, outpath,
                        (int)(secs + 5) * 1000, &status, &err) != 0) {
        obs->message = err != NULL ? err : strdup("cannot run curl");
        goto cleanup;
    }
    obs->has_curl = true;
    obs->curl_exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    kf_trace_file_parse(&t, 0);
    out = slurp(outpath);
    ret = curl_outcome(ctx, actor, out != NULL ? out : "", obs);
    if (tgt.host != NULL)
        kf_service_view(tgt.host, logpos, obs);

cleanup:
    kf_obs_outcome(ctx, obs, ret);
    if (env != NULL) {
        for (n = 0; env[n] != NULL; n++)
            free(env[n]);
        free(env);
    }
    free(url);
    free(resolve);
    free(timeout);
    free(outpath);
    free(out);
    kf_actor_done(actor, ctx, &t);
}
