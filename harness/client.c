/* Client steps: an actor's libkrb5 calls, with its own clock and config. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "client.h"
#include "negotiate.h"
#include "util.h"

/* Record a KDC's KRB-ERROR seen in a trace line. */
static void
note_kdc_error(struct kf_tracer *t, long code)
{
    kf_obs *o = t->obs;
    kf_kdc_error *ne;
    long proto = code - ERROR_TABLE_BASE_krb5;

    if (proto < 0 || proto > 127)
        return;
    ne = realloc(o->kdc_errors, (o->n_kdc_errors + 1) * sizeof(*ne));
    if (ne == NULL)
        return;
    o->kdc_errors = ne;
    ne[o->n_kdc_errors].code = kf_outcome_from_lib((krb5_error_code)code);
    snprintf(ne[o->n_kdc_errors].kdc, sizeof(ne[0].kdc), "%s", t->last_from);
    o->n_kdc_errors++;
}

/* Learn from one trace line which KDC answered and which errors it
 * sent, and keep the line. */
static void
parse_trace_line(struct kf_tracer *t, const char *m)
{
    const char *p;
    char addr[64];
    long code;
    kf_kdc *k;

    {
        size_t len = strlen(m);
        char *nt = realloc(t->obs->trace_text, t->obs->trace_len + len + 1);

        if (nt != NULL) {
            memcpy(nt + t->obs->trace_len, m, len + 1);
            t->obs->trace_text = nt;
            t->obs->trace_len += len;
        }
    }
    if (strstr(m, "Sending request (") != NULL)
        t->answered = false;
    p = strstr(m, "Received answer (");
    if (p != NULL && (p = strstr(p, ") from ")) != NULL &&
        sscanf(p, ") from %*s %63s", addr) == 1) {
        snprintf(t->obs->answered_over, sizeof(t->obs->answered_over), "%s",
                 strncmp(p, ") from stream", 13) == 0 ? "tcp" : "udp");
        t->answered = true;
        k = kf_lab_kdc_by_addr(t->lab, addr);
        snprintf(t->last_from, sizeof(t->last_from), "%s",
                 k != NULL ? k->def->name : addr);
        snprintf(t->obs->answered_by, sizeof(t->obs->answered_by), "%s",
                 t->last_from);
    }
    if ((p = strstr(m, "Received error from KDC: ")) != NULL &&
        sscanf(p + 25, "%ld", &code) == 1)
        note_kdc_error(t, code);
    else if ((p = strstr(m, "TGS request result: ")) != NULL &&
             sscanf(p + 20, "%ld", &code) == 1 && code != 0 && t->answered)
        /* The result of a TGS exchange a KDC answered: its KRB-ERROR. */
        note_kdc_error(t, code);
    else if ((p = strstr(m, "Got cred; ")) != NULL &&
             sscanf(p + 10, "%ld", &code) == 1 && code != 0 && t->answered)
        /* The same, for renewals and other requests with a given TGT. */
        note_kdc_error(t, code);
}

/* libkrb5's trace callback: write the line to the step's trace file and
 * learn from it. */
static void
trace_cb(krb5_context ctx, const krb5_trace_info *info, void *data)
{
    struct kf_tracer *t = data;

    (void)ctx;
    if (info == NULL)
        return;
    if (t->file != NULL)
        fputs(info->message, t->file);
    parse_trace_line(t, info->message);
}

void
kf_trace_file_parse(struct kf_tracer *t, long offset)
{
    FILE *f = fopen(t->obs->trace, "r");
    char line[4096];

    if (f == NULL)
        return;
    if (fseek(f, offset, SEEK_SET) == 0) {
        while (fgets(line, sizeof(line), f) != NULL)
            parse_trace_line(t, line);
    }
    fclose(f);
}

krb5_error_code
kf_actor_context(kf_lab *lab, kf_actor *actor, const kf_step *st,
                 struct kf_tracer *t, kf_obs *obs, krb5_context *ctx_out)
{
    const char *kdcname = kf_step_str(st, "kdc");
    kf_kdc *pin = kdcname != NULL ? kf_lab_kdc(lab, kdcname) : NULL;
    kf_kdc *primary = kf_lab_kdc(lab, kf_step_str(st, "primary"));
    char *err = NULL, *conf, tname[200];
    krb5_context ctx;
    krb5_error_code ret;

    conf = kf_lab_client_conf(lab, actor, pin, primary, &err);
    if (conf == NULL) {
        obs->message = err;
        obs->outcome = kf_outcome_from_lib(ENOMEM);
        return ENOMEM;
    }
    ret = kf_lab_context(lab, conf, &ctx);
    free(obs->conf);
    obs->conf = conf;
    if (ret) {
        obs->outcome = kf_outcome_from_lib(ret);
        return ret;
    }
    /* Always set the clock, even to the machine's: a context without one
     * would take the KDC offset a kdc_timesync logon stored in the
     * ccache, and the actor's clock must be the one place that says. */
    {
        struct timeval tv;

        gettimeofday(&tv, NULL);
        krb5_set_real_time(ctx, (krb5_timestamp)(tv.tv_sec + actor->clock),
                           (krb5_int32)tv.tv_usec);
    }
    memset(t, 0, sizeof(*t));
    t->lab = lab;
    t->obs = obs;
    if (st->id != NULL)
        snprintf(tname, sizeof(tname), "trace-%s.log", st->id);
    else
        snprintf(tname, sizeof(tname), "trace-step%zu-%s.log",
                 (size_t)(st - lab->sc->steps) + 1,
                 kf_action_name(st->action));
    obs->trace = kf_path(actor->dir, tname);
    t->file = obs->trace != NULL ? fopen(obs->trace, "w") : NULL;
    krb5_set_trace_callback(ctx, trace_cb, t);
    *ctx_out = ctx;
    return 0;
}

void
kf_actor_done(kf_actor *actor, krb5_context ctx, struct kf_tracer *t)
{
    krb5_timestamp sec;
    krb5_int32 usec;

    if (ctx == NULL)
        return;
    /* The offset is what the step started with unless the library adopted
     * the KDC's time (kdc_timesync), which a real client keeps in its
     * ccache for later requests. */
    if (krb5_get_time_offsets(ctx, &sec, &usec) == 0)
        actor->clock =
            sec + (usec >= 500000 ? 1 : 0) - (usec <= -500000 ? 1 : 0);
    krb5_set_trace_callback(ctx, NULL, NULL);
    if (t->file != NULL)
        fclose(t->file);
    krb5_free_context(ctx);
}

/* Record the ticket a step got: its enc-part enctype and kvno, and its
 * session key's enctype. */
static void
note_ticket(krb5_context ctx, const krb5_creds *creds, kf_obs *obs)
{
    krb5_ticket *tkt = NULL;

    if (creds == NULL || creds->ticket.length == 0 ||
        krb5_decode_ticket(&creds->ticket, &tkt) != 0)
        return;
    obs->has_ticket = true;
    obs->ticket_etype = tkt->enc_part.enctype;
    obs->ticket_kvno = (int)tkt->enc_part.kvno;
    obs->session_etype = creds->keyblock.enctype;
    krb5_free_ticket(ctx, tkt);
}

void
kf_obs_ticket_bytes(krb5_context ctx, const void *data, size_t len,
                    kf_obs *obs)
{
    krb5_data d;
    krb5_ticket *tkt = NULL;

    d.magic = KV5M_DATA;
    d.data = (char *)data;
    d.length = (unsigned int)len;
    if (krb5_decode_ticket(&d, &tkt) != 0)
        return;
    obs->has_ticket = true;
    obs->ticket_etype = tkt->enc_part.enctype;
    obs->ticket_kvno = (int)tkt->enc_part.kvno;
    krb5_free_ticket(ctx, tkt);
}

/* Return a principal's name without its realm; caller frees. */
static char *
name_no_realm(krb5_context ctx, krb5_const_principal p)
{
    char *name = NULL, *copy;

    if (p == NULL || krb5_unparse_name_flags(
                         ctx, p, KRB5_PRINCIPAL_UNPARSE_NO_REALM, &name))
        return NULL;
    copy = strdup(name);
    krb5_free_unparsed_name(ctx, name);
    return copy;
}

void
kf_obs_krb_error(krb5_context ctx, const krb5_error *kerr, kf_obs *obs)
{
    char *name = NULL;

    obs->token_error = (int)kerr->error;
    free(obs->token_server);
    obs->token_server = NULL;
    if (kerr->server != NULL &&
        krb5_unparse_name(ctx, kerr->server, &name) == 0) {
        obs->token_server = strdup(name);
        krb5_free_unparsed_name(ctx, name);
    }
}

void
kf_obs_event(krb5_context ctx, const krb5_error *kerr,
             krb5_const_principal client, krb5_const_principal target,
             kf_obs *obs)
{
    kf_event *ev = &obs->event;

    /* Windows logs System event 4 for this error alone. */
    if (kerr == NULL ||
        kerr->error != KRB5KRB_AP_ERR_MODIFIED - ERROR_TABLE_BASE_krb5)
        return;
    ev->id = 4;
    ev->server = name_no_realm(ctx, kerr->server);
    ev->target = name_no_realm(ctx, target);
    if (client != NULL)
        ev->client_realm = strndup(client->realm.data, client->realm.length);
    if (target != NULL && target->realm.length > 0)
        ev->target_realm = strndup(target->realm.data, target->realm.length);
    else if (kerr->server != NULL)
        ev->target_realm =
            strndup(kerr->server->realm.data, kerr->server->realm.length);
}

void
kf_obs_outcome(krb5_context ctx, kf_obs *obs, krb5_error_code code)
{
    obs->outcome = kf_outcome_from_lib(code);
    if (code != 0 && obs->message == NULL) {
        const char *m = krb5_get_error_message(ctx, code);

        obs->message = strdup(m);
        krb5_free_error_message(ctx, m);
    }
}

/* Parse an actor's principal or a service name in the lab's realm. */
static krb5_error_code
lab_name(krb5_context ctx, kf_lab *lab, const char *name, krb5_principal *out)
{
    char full[512];

    if (strchr(name, '@') != NULL)
        return krb5_parse_name(ctx, name, out);
    snprintf(full, sizeof(full), "%s@%s", name, lab->sc->realm);
    return krb5_parse_name(ctx, full, out);
}

void
kf_client_kinit(kf_lab *lab, kf_actor *actor, const kf_step *st, kf_obs *obs)
{
    krb5_context ctx = NULL;
    krb5_principal princ = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_ccache cc = NULL;
    krb5_keytab kt = NULL;
    krb5_creds creds;
    struct kf_tracer t;
    krb5_error_code ret;
    const char *pname = kf_step_str(st, "principal");
    const char *pw = kf_step_str(st, "password");
    const char *kthost = kf_step_str(st, "keytab");
    const char *svc = kf_step_str(st, "service");
    krb5_deltat start = 0;
    long secs;
    krb5_address addr[2], *addrs[3];
    unsigned char addrbytes[2][4];
    int i;

    memset(&creds, 0, sizeof(creds));
    memset(&t, 0, sizeof(t));
    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    ret = lab_name(ctx, lab, pname != NULL ? pname : actor->def->principal,
                   &princ);
    if (ret)
        goto cleanup;
    ret = krb5_cc_resolve(ctx, actor->ccache, &cc);
    if (ret)
        goto cleanup;
    ret = krb5_get_init_creds_opt_alloc(ctx, &opt);
    if (ret)
        goto cleanup;
    ret = krb5_get_init_creds_opt_set_out_ccache(ctx, opt, cc);
    if (ret)
        goto cleanup;
    if (kf_parse_duration_opt(kf_step_str(st, "lifetime"), &secs))
        krb5_get_init_creds_opt_set_tkt_life(opt, (krb5_deltat)secs);
    if (kf_parse_duration_opt(kf_step_str(st, "renewable"), &secs))
        krb5_get_init_creds_opt_set_renew_life(opt, (krb5_deltat)secs);
    if (kf_parse_duration_opt(kf_step_str(st, "start"), &secs))
        start = (krb5_deltat)secs;
    if (kf_step_str(st, "addressful") != NULL &&
        strcmp(kf_step_str(st, "addressful"), "true") == 0) {
        /* A ticket bound to the actor's own address, as with
         * noaddresses = false on a host with that address; and to
         * 127.0.0.1, where libkrb5's own requests to the KDCs come from
         * (it cannot be told another source address). */
        inet_pton(AF_INET, actor->addr, addrbytes[0]);
        inet_pton(AF_INET, "127.0.0.1", addrbytes[1]);
        for (i = 0; i < 2; i++) {
            addr[i].magic = KV5M_ADDRESS;
            addr[i].addrtype = ADDRTYPE_INET;
            addr[i].length = 4;
            addr[i].contents = addrbytes[i];
            addrs[i] = &addr[i];
        }
        addrs[2] = NULL;
        krb5_get_init_creds_opt_set_address_list(opt, addrs);
    }
    /* kinit -C: let the KDC answer with the canonical name, or refer the
     * client to the realm the name belongs to. */
    if (kf_step_str(st, "canonicalize") != NULL)
        krb5_get_init_creds_opt_set_canonicalize(
            opt, strcmp(kf_step_str(st, "canonicalize"), "true") == 0);
    if (kf_step_str(st, "forwardable") != NULL)
        krb5_get_init_creds_opt_set_forwardable(
            opt, strcmp(kf_step_str(st, "forwardable"), "true") == 0);
    if (kthost != NULL) {
        kf_host *h = kf_lab_host(lab, kthost);
        char ktname[1100];

        snprintf(ktname, sizeof(ktname), "FILE:%s", h->keytab);
        ret = krb5_kt_resolve(ctx, ktname, &kt);
        if (ret == 0)
            ret = krb5_get_init_creds_keytab(ctx, &creds, princ, kt, start,
                                             svc, opt);
    } else {
        /* A smart-card user types no password. */
        if (pw == NULL && !actor->def->smartcard)
            pw = actor->def->password != NULL ? actor->def->password : "";
        ret = krb5_get_init_creds_password(ctx, &creds, princ, pw, NULL, NULL,
                                           start, svc, opt);
    }

cleanup:
    if (ret == 0)
        note_ticket(ctx, &creds, obs);
    kf_obs_outcome(ctx, obs, ret);
    krb5_free_cred_contents(ctx, &creds);
    if (kt != NULL)
        krb5_kt_close(ctx, kt);
    if (opt != NULL)
        krb5_get_init_creds_opt_free(ctx, opt);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    krb5_free_principal(ctx, princ);
    kf_actor_done(actor, ctx, &t);
}

/* Get a ticket for server from the actor's ccache (asking the KDC if it
 * is not there yet); *out is set only on success. */
static krb5_error_code
server_creds(krb5_context ctx, kf_actor *actor, krb5_const_principal server,
             krb5_creds **out)
{
    krb5_ccache cc = NULL;
    krb5_creds in;
    krb5_error_code ret;

    memset(&in, 0, sizeof(in));
    ret = krb5_cc_resolve(ctx, actor->ccache, &cc);
    if (ret)
        return ret;
    ret = krb5_cc_get_principal(ctx, cc, &in.client);
    if (ret == 0)
        ret = krb5_copy_principal(ctx, server, &in.server);
    if (ret == 0)
        ret = krb5_get_credentials(ctx, 0, cc, &in, out);
    krb5_free_cred_contents(ctx, &in);
    krb5_cc_close(ctx, cc);
    return ret;
}

/* Get a service ticket from the actor's ccache (asking the KDC if it is
 * not there yet); *out is set only on success. */
static krb5_error_code
service_creds(krb5_context ctx, kf_lab *lab, kf_actor *actor,
              const char *service, krb5_creds **out)
{
    krb5_principal server = NULL;
    krb5_error_code ret;

    ret = lab_name(ctx, lab, service, &server);
    if (ret == 0)
        ret = server_creds(ctx, actor, server, out);
    krb5_free_principal(ctx, server);
    return ret;
}

/* Take the actor's ticket for service straight from its ccache, expired
 * or not yet valid alike: what a client that skipped libkrb5's own time
 * checks would send.  *out is set only on success. */
static krb5_error_code
cached_creds(krb5_context ctx, kf_actor *actor, krb5_const_principal server,
             krb5_creds **out)
{
    krb5_ccache cc = NULL;
    krb5_creds mcreds, *creds;
    krb5_error_code ret;

    memset(&mcreds, 0, sizeof(mcreds));
    creds = calloc(1, sizeof(*creds));
    if (creds == NULL)
        return ENOMEM;
    ret = krb5_cc_resolve(ctx, actor->ccache, &cc);
    if (ret == 0)
        ret = krb5_cc_get_principal(ctx, cc, &mcreds.client);
    if (ret == 0)
        ret = krb5_copy_principal(ctx, server, &mcreds.server);
    if (ret == 0)
        ret = krb5_cc_retrieve_cred(ctx, cc, 0, &mcreds, creds);
    krb5_free_cred_contents(ctx, &mcreds);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    if (ret) {
        free(creds);
        return ret;
    }
    /* libkrb5 refuses to build an AP-REQ from credentials it believes
     * expired; its belief is the times stored beside the ticket, not the
     * ticket itself, which the service alone can read. */
    creds->times.starttime = 1; /* 0 would mean the auth time */
    creds->times.endtime = 0x7fffffff;
    *out = creds;
    return 0;
}

/* Get a service ticket with the TGT of the actor's ccache as it is,
 * expired or not: the TGT goes into a memory ccache with its recorded
 * times cleared, so libkrb5 sends it and the KDC judges the real ticket.
 * *out is set only on success. */
static krb5_error_code
creds_with_cached_tgt(krb5_context ctx, kf_lab *lab, kf_actor *actor,
                      const char *service, krb5_creds **out)
{
    krb5_ccache mem = NULL;
    krb5_creds *tgt = NULL, in;
    krb5_principal tgs = NULL;
    char tgsname[300];
    krb5_error_code ret;

    memset(&in, 0, sizeof(in));
    snprintf(tgsname, sizeof(tgsname), "krbtgt/%s", lab->sc->realm);
    ret = lab_name(ctx, lab, tgsname, &tgs);
    if (ret == 0)
        ret = cached_creds(ctx, actor, tgs, &tgt);
    krb5_free_principal(ctx, tgs);
    if (ret == 0)
        ret = krb5_cc_new_unique(ctx, "MEMORY", NULL, &mem);
    if (ret == 0)
        ret = krb5_cc_initialize(ctx, mem, tgt->client);
    if (ret == 0)
        ret = krb5_cc_store_cred(ctx, mem, tgt);
    if (ret == 0)
        ret = krb5_copy_principal(ctx, tgt->client, &in.client);
    if (ret == 0)
        ret = lab_name(ctx, lab, service, &in.server);
    if (ret == 0)
        ret = krb5_get_credentials(ctx, 0, mem, &in, out);
    krb5_free_cred_contents(ctx, &in);
    if (mem != NULL)
        krb5_cc_destroy(ctx, mem);
    krb5_free_creds(ctx, tgt);
    return ret;
}

void
kf_client_get_ticket(kf_lab *lab, kf_actor *actor, const kf_step *st,
                     kf_obs *obs)
{
    krb5_context ctx = NULL;
    krb5_creds *creds = NULL;
    struct kf_tracer t;
    krb5_error_code ret;
    const char *cached = kf_step_str(st, "cached");

    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    if (cached != NULL && strcmp(cached, "true") == 0)
        ret = creds_with_cached_tgt(ctx, lab, actor,
                                    kf_step_str(st, "service"), &creds);
    else
        ret =
            service_creds(ctx, lab, actor, kf_step_str(st, "service"), &creds);
    if (ret == 0)
        note_ticket(ctx, creds, obs);
    kf_obs_outcome(ctx, obs, ret);
    krb5_free_creds(ctx, creds);
    kf_actor_done(actor, ctx, &t);
}

int
kf_connect_from(const char *addr, int port, const char *from)
{
    struct sockaddr_in sin, src;
    int fd, e;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
        errno = EINVAL;
        return -1;
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(&src, 0, sizeof(src));
    src.sin_family = AF_INET;
    if ((from != NULL && inet_pton(AF_INET, from, &src.sin_addr) == 1 &&
         bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) ||
        connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int
kf_resolve_first(const char *hostname, char *addr, size_t len,
                 const char **why)
{
    struct addrinfo hints, *ai = NULL;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(hostname, NULL, &hints, &ai);
    if (rc != 0) {
        *why = gai_strerror(rc);
        return ENOENT;
    }
    inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, addr,
              (socklen_t)len);
    freeaddrinfo(ai);
    return 0;
}

/* Send one framed message to addr's service and read its framed reply
 * (the Kerberos-over-TCP framing of RFC 4120 section 7.2.2). */
static krb5_error_code
exchange(kf_lab *lab, const char *addr, const char *from, const krb5_data *req,
         krb5_data *reply)
{
    krb5_error_code ret = 0;
    int fd;

    memset(reply, 0, sizeof(*reply));
    fd = kf_connect_from(addr, lab->svc_port, from);
    if (fd < 0)
        return errno;
    if (kf_write_framed(fd, req->data, req->length) != 0 ||
        kf_read_framed(fd, &reply->data, &reply->length, 1 << 20, 10000) != 0)
        ret = ETIMEDOUT;
    close(fd);
    return ret;
}

void
kf_client_renew(kf_lab *lab, kf_actor *actor, const kf_step *st, kf_obs *obs)
{
    krb5_context ctx = NULL;
    krb5_ccache cc = NULL;
    krb5_principal client = NULL;
    krb5_creds creds;
    struct kf_tracer t;
    krb5_error_code ret;

    memset(&creds, 0, sizeof(creds));
    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    ret = krb5_cc_resolve(ctx, actor->ccache, &cc);
    if (ret == 0)
        ret = krb5_cc_get_principal(ctx, cc, &client);
    if (ret == 0)
        ret = krb5_get_renewed_creds(ctx, &creds, client, cc, NULL);
    if (ret == 0) {
        /* Store the renewed TGT as kinit -R does. */
        ret = krb5_cc_initialize(ctx, cc, client);
        if (ret == 0)
            ret = krb5_cc_store_cred(ctx, cc, &creds);
    }
    kf_obs_outcome(ctx, obs, ret);
    krb5_free_cred_contents(ctx, &creds);
    krb5_free_principal(ctx, client);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    kf_actor_done(actor, ctx, &t);
}

void
kf_client_kpasswd(kf_lab *lab, kf_actor *actor, const kf_step *st, kf_obs *obs)
{
    krb5_context ctx = NULL;
    krb5_principal princ = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    krb5_data rcode_s = {0}, rstring = {0};
    struct kf_tracer t;
    krb5_error_code ret;
    int rcode = 0;
    const char *pw = kf_step_str(st, "password");

    memset(&creds, 0, sizeof(creds));
    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    if (pw == NULL)
        pw = actor->def->password != NULL ? actor->def->password : "";
    ret = lab_name(ctx, lab, actor->def->principal, &princ);
    if (ret == 0)
        ret = krb5_get_init_creds_opt_alloc(ctx, &opt);
    if (ret == 0) {
        /* As kpasswd does: a ticket for kadmin/changepw, not renewable or
         * forwardable, then the change request to the kpasswd server. */
        krb5_get_init_creds_opt_set_tkt_life(opt, 300);
        krb5_get_init_creds_opt_set_renew_life(opt, 0);
        krb5_get_init_creds_opt_set_forwardable(opt, 0);
        krb5_get_init_creds_opt_set_proxiable(opt, 0);
        ret = krb5_get_init_creds_password(ctx, &creds, princ, pw, NULL, NULL,
                                           0, "kadmin/changepw", opt);
    }
    if (ret == 0)
        ret =
            krb5_change_password(ctx, &creds, kf_step_str(st, "new_password"),
                                 &rcode, &rcode_s, &rstring);
    if (ret == 0 && rcode != 0) {
        obs->message = kf_strf("the password server refused: %.*s %.*s",
                               (int)rcode_s.length, rcode_s.data,
                               (int)rstring.length, rstring.data);
        ret = KRB5_CHPW_FAIL;
    }
    kf_obs_outcome(ctx, obs, ret);
    krb5_free_data_contents(ctx, &rcode_s);
    krb5_free_data_contents(ctx, &rstring);
    krb5_free_cred_contents(ctx, &creds);
    if (opt != NULL)
        krb5_get_init_creds_opt_free(ctx, opt);
    krb5_free_principal(ctx, princ);
    kf_actor_done(actor, ctx, &t);
}

/* Import a GSS name from text with a name type; return GSS status. */
static OM_uint32
gss_name(const char *text, gss_OID type, gss_name_t *out)
{
    gss_buffer_desc buf;
    OM_uint32 minor;

    buf.value = (void *)text;
    buf.length = strlen(text);
    return gss_import_name(&minor, &buf, type, out);
}

void
kf_client_s4u2proxy(kf_lab *lab, kf_actor *actor, const kf_step *st,
                    kf_obs *obs)
{
    krb5_context ctx = NULL;
    krb5_ccache cc = NULL;
    gss_cred_id_t svc_cred = GSS_C_NO_CREDENTIAL,
                  user_cred = GSS_C_NO_CREDENTIAL;
    gss_name_t user = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    gss_ctx_id_t gctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor = 0, tmp;
    struct kf_tracer t;
    krb5_error_code ret;
    char uname[512], tname[512];
    long offset;

    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    snprintf(uname, sizeof(uname), "%s@%s", kf_step_str(st, "user"),
             lab->sc->realm);
    snprintf(tname, sizeof(tname), "%s@%s", kf_step_str(st, "service"),
             lab->sc->realm);
    ret = krb5_cc_resolve(ctx, actor->ccache, &cc);
    if (ret)
        goto cleanup;
    /* GSS makes its own krb5 contexts: point them at this step's config
     * and trace for the duration of the step. */
    if (t.file != NULL)
        fflush(t.file);
    offset = t.file != NULL ? ftell(t.file) : 0;
    setenv("KRB5_CONFIG", obs->conf, 1);
    setenv("KRB5_TRACE", obs->trace, 1);
    major = gss_krb5_import_cred(&minor, cc, NULL, NULL, &svc_cred);
    if (major == GSS_S_COMPLETE)
        major = gss_name(uname, GSS_KRB5_NT_PRINCIPAL_NAME, &user);
    if (major == GSS_S_COMPLETE)
        major = gss_name(tname, GSS_KRB5_NT_PRINCIPAL_NAME, &target);
    /* S4U2Self: a ticket to the service itself, on the user's behalf. */
    if (major == GSS_S_COMPLETE)
        major = gss_acquire_cred_impersonate_name(
            &minor, svc_cred, user, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
            GSS_C_INITIATE, &user_cred, NULL, NULL);
    /* S4U2Proxy: with that evidence, a ticket to the target. */
    if (major == GSS_S_COMPLETE)
        major = gss_init_sec_context(&minor, user_cred, &gctx, target,
                                     (gss_OID)gss_mech_krb5, 0, 0,
                                     GSS_C_NO_CHANNEL_BINDINGS,
                                     GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    setenv("KRB5_CONFIG", lab->krb5conf, 1);
    unsetenv("KRB5_TRACE");
    kf_trace_file_parse(&t, offset);
    if (GSS_ERROR(major))
        ret = minor != 0 ? (krb5_error_code)minor : KRB5KRB_ERR_GENERIC;

cleanup:
    kf_obs_outcome(ctx, obs, ret);
    gss_release_buffer(&tmp, &out);
    gss_delete_sec_context(&tmp, &gctx, GSS_C_NO_BUFFER);
    gss_release_cred(&tmp, &user_cred);
    gss_release_cred(&tmp, &svc_cred);
    gss_release_name(&tmp, &user);
    gss_release_name(&tmp, &target);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    kf_actor_done(actor, ctx, &t);
}

off_t
kf_service_log_size(const kf_host *h)
{
    struct stat sb;

    return stat(h->svclog, &sb) == 0 ? sb.st_size : 0;
}

void
kf_service_view(const kf_host *h, off_t offset, kf_obs *obs)
{
    FILE *f = fopen(h->svclog, "r");
    char line[4096], last[4096] = "";
    json_object *j, *v;

    if (f == NULL)
        return;
    if (fseeko(f, offset, SEEK_SET) == 0) {
        while (fgets(line, sizeof(line), f) != NULL) {
            /* A challenge (an HTTP request without a token) judges
             * nothing. */
            if (strstr(line, "\"decision\":\"accept\"") != NULL ||
                strstr(line, "\"decision\":\"reject\"") != NULL)
                memcpy(last, line, sizeof(last));
        }
    }
    fclose(f);
    j = json_tokener_parse(last);
    if (j == NULL)
        return;
    obs->has_service = true;
    if (json_object_object_get_ex(j, "code", &v))
        obs->svc_outcome =
            kf_outcome_from_lib((krb5_error_code)json_object_get_int64(v));
    if (json_object_object_get_ex(j, "message", &v))
        obs->svc_message = strdup(json_object_get_string(v));
    if (json_object_object_get_ex(j, "client", &v))
        obs->svc_client = strdup(json_object_get_string(v));
    if (json_object_object_get_ex(j, "server", &v))
        obs->svc_server = strdup(json_object_get_string(v));
    obs->svc_kvno =
        json_object_object_get_ex(j, "kvno", &v) ? json_object_get_int(v) : -1;
    json_object_put(j);
}

/* The variables GSS-API's own contexts read. */
static const char *const gss_env_names[3] = {"KRB5_CONFIG", "KRB5_TRACE",
                                             "KRB5CCNAME"};

void
kf_gss_env_enter(struct kf_gss_env *e, const char *conf, const char *trace,
                 const char *ccache)
{
    const char *vals[3] = {conf, trace, ccache};
    int i;

    kf_env_save(gss_env_names, e->saved, 3);
    for (i = 0; i < 3; i++) {
        if (vals[i] != NULL)
            setenv(gss_env_names[i], vals[i], 1);
    }
}

void
kf_gss_env_leave(struct kf_gss_env *e)
{
    kf_env_restore(gss_env_names, e->saved, 3);
}

/* The server principal and address an ap_req step presents its ticket
 * to: the named host's address and the step's service principal, or the
 * first address the hostname resolves to and the principal
 * krb5_sname_to_principal makes from the service type and the name (so
 * that dns_canonicalize_hostname and rdns apply, as in an MIT client). */
static krb5_error_code
ap_target(krb5_context ctx, kf_lab *lab, const kf_step *st, char *addr,
          size_t len, krb5_principal *server, kf_obs *obs)
{
    const char *hostname = kf_step_str(st, "hostname");
    const char *why = NULL;
    kf_host *h;

    if (hostname == NULL) {
        h = kf_lab_host(lab, kf_step_str(st, "host"));
        snprintf(addr, len, "%s", h->addr);
        return lab_name(ctx, lab, kf_step_str(st, "service"), server);
    }
    if (kf_resolve_first(hostname, addr, len, &why) != 0) {
        obs->message = kf_strf("cannot resolve %s: %s", hostname, why);
        return KRB5_ERR_BAD_HOSTNAME;
    }
    return krb5_sname_to_principal(ctx, hostname, kf_step_str(st, "service"),
                                   KRB5_NT_SRV_HST, server);
}

void
kf_client_ap_req(kf_lab *lab, kf_actor *actor, const kf_step *st, kf_obs *obs)
{
    krb5_context ctx = NULL;
    krb5_creds *creds = NULL;
    krb5_auth_context ac = NULL;
    krb5_principal server = NULL;
    krb5_data req = {0}, reply = {0};
    krb5_error *kerr = NULL;
    krb5_ap_rep_enc_part *rep = NULL;
    kf_host *h = NULL;
    off_t logpos = 0;
    const char *rep_s = kf_step_str(st, "repeat");
    const char *cached = kf_step_str(st, "cached");
    const char *nat = kf_step_str(st, "via_nat");
    /* Through NAT the service sees the NAT box's address instead. */
    const char *from = (nat != NULL && strcmp(nat, "true") == 0)
                           ? lab->nat_addr
                           : actor->addr;
    int repeat = rep_s != NULL ? atoi(rep_s) : 1, n;
    char addr[64];
    struct kf_tracer t;
    krb5_error_code ret;

    if (kf_actor_context(lab, actor, st, &t, obs, &ctx))
        return;
    ret = ap_target(ctx, lab, st, addr, sizeof(addr), &server, obs);
    if (ret)
        goto cleanup;
    h = kf_lab_host_by_addr(lab, addr);
    if (h != NULL)
        logpos = kf_service_log_size(h);
    if (cached != NULL && strcmp(cached, "true") == 0)
        ret = cached_creds(ctx, actor, server, &creds);
    else
        ret = server_creds(ctx, actor, server, &creds);
    if (ret)
        goto cleanup;
    note_ticket(ctx, creds, obs);
    ret = krb5_mk_req_extended(ctx, &ac, AP_OPTS_MUTUAL_REQUIRED, NULL, creds,
                               &req);
    if (ret)
        goto cleanup;
    /* A repeated AP-REQ is the same bytes again, as a replay would be;
     * the last answer is the step's outcome. */
    for (n = 1; ret == 0 && n < repeat; n++) {
        ret = exchange(lab, addr, from, &req, &reply);
        free(reply.data);
        reply.data = NULL;
    }
    if (ret == 0)
        ret = exchange(lab, addr, from, &req, &reply);
    if (ret) {
        obs->message =
            kf_strf("the service at %s (%s) did not answer: %s", addr,
                    h != NULL ? h->def->name : "no host", strerror(ret));
        goto cleanup;
    }
    if (h != NULL)
        kf_service_view(h, logpos, obs);
    /* A KRB-ERROR is [APPLICATION 30]. */
    if (reply.length > 0 && (unsigned char)reply.data[0] == 0x7e) {
        ret = krb5_rd_error(ctx, &reply, &kerr);
        if (ret == 0) {
            ret = (krb5_error_code)(ERROR_TABLE_BASE_krb5 + kerr->error);
            if (kerr->text.length > 0)
                obs->message = strndup(kerr->text.data, kerr->text.length);
            kf_obs_krb_error(ctx, kerr, obs);
            kf_obs_event(ctx, kerr, creds->client, creds->server, obs);
        }
        goto cleanup;
    }
    ret = krb5_rd_rep(ctx, ac, &reply, &rep);

cleanup:
    kf_obs_outcome(ctx, obs, ret);
    if (rep != NULL)
        krb5_free_ap_rep_enc_part(ctx, rep);
    if (kerr != NULL)
        krb5_free_error(ctx, kerr);
    free(reply.data);
    krb5_free_data_contents(ctx, &req);
    if (ac != NULL)
        krb5_auth_con_free(ctx, ac);
    krb5_free_creds(ctx, creds);
    krb5_free_principal(ctx, server);
    kf_actor_done(actor, ctx, &t);
}
