/* The acceptor personalities: MIT's keytab acceptor, and a Windows one. */
#define _GNU_SOURCE
#include <errno.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "gsstoken.h"
#include "svc.h"
#include "util.h"

/* Set the context's clock to the host's offset, read per request so the
 * harness can move it while the service runs. */
static void
apply_clock(struct svc *s)
{
    FILE *f = fopen(s->clockfile, "r");
    long offset = 0;
    struct timeval tv;

    if (f != NULL) {
        if (fscanf(f, "%ld", &offset) != 1)
            offset = 0;
        fclose(f);
    }
    gettimeofday(&tv, NULL);
    krb5_set_real_time(s->ctx, (krb5_timestamp)(tv.tv_sec + offset),
                       (krb5_int32)tv.tv_usec);
}

/* Record what the ticket says of itself: its server, kvno and enctype. */
static void
note_ticket(struct svc *s, const krb5_ticket *tkt, struct verdict *v)
{
    char *name = NULL;

    if (tkt == NULL)
        return;
    if (v->server == NULL &&
        krb5_unparse_name(s->ctx, tkt->server, &name) == 0) {
        v->server = strdup(name);
        krb5_free_unparsed_name(s->ctx, name);
    }
    v->kvno = (int)tkt->enc_part.kvno;
    v->etype = tkt->enc_part.enctype;
}

/* Set the verdict's code and message from a library error. */
static void
set_error(struct svc *s, krb5_error_code code, struct verdict *v)
{
    const char *m = krb5_get_error_message(s->ctx, code);

    v->decision = "reject";
    v->code = code;
    free(v->message);
    v->message = strdup(m);
    krb5_free_error_message(s->ctx, m);
}

/* Return the account's principal in the default realm. */
static krb5_error_code
account_principal(struct svc *s, krb5_principal *out)
{
    return krb5_parse_name(s->ctx, s->account, out);
}

/* Build a KRB-ERROR for code naming server, with text (may be NULL). */
static krb5_error_code
make_error(struct svc *s, krb5_error_code code, krb5_const_principal server,
           const char *text, krb5_data *out)
{
    krb5_error err;
    krb5_int32 usec;
    long proto = (long)code - ERROR_TABLE_BASE_krb5;

    memset(&err, 0, sizeof(err));
    krb5_us_timeofday(s->ctx, &err.stime, &usec);
    err.susec = usec;
    err.error = (proto >= 0 && proto <= 127)
                    ? (krb5_ui_4)proto
                    : (krb5_ui_4)(KRB5KRB_ERR_GENERIC - ERROR_TABLE_BASE_krb5);
    err.server = (krb5_principal)server;
    if (text != NULL) {
        err.text.data = (char *)text;
        err.text.length = (unsigned int)strlen(text);
    }
    return krb5_mk_error(s->ctx, &err, out);
}

/* The server an MIT acceptor names in its KRB-ERROR: the ticket's server
 * as MIT's GSS acceptor does, else the acceptor, else the keytab's first
 * entry. */
static krb5_error_code
mit_error_server(struct svc *s, krb5_keytab kt, const krb5_ticket *tkt,
                 krb5_principal acceptor, krb5_principal *out)
{
    krb5_kt_cursor cur;
    krb5_keytab_entry e;
    krb5_error_code ret;

    if (tkt != NULL)
        return krb5_copy_principal(s->ctx, tkt->server, out);
    if (acceptor != NULL)
        return krb5_copy_principal(s->ctx, acceptor, out);
    if (kt != NULL && krb5_kt_start_seq_get(s->ctx, kt, &cur) == 0) {
        ret = krb5_kt_next_entry(s->ctx, kt, &e, &cur);
        krb5_kt_end_seq_get(s->ctx, kt, &cur);
        if (ret == 0) {
            ret = krb5_copy_principal(s->ctx, e.principal, out);
            krb5_free_keytab_entry_contents(s->ctx, &e);
            return ret;
        }
    }
    return krb5_parse_name(s->ctx, "krbfault/service", out);
}

/* Open the host's keytab afresh (the harness may rewrite it). */
static krb5_error_code
open_keytab(struct svc *s, krb5_keytab *out)
{
    char name[1100];

    snprintf(name, sizeof(name), "FILE:%s", s->keytab);
    return krb5_kt_resolve(s->ctx, name, out);
}

/* Empty the ad memory keytab. */
static void
ad_clear(struct svc *s)
{
    krb5_kt_cursor cur;
    krb5_keytab_entry e;

    while (krb5_kt_start_seq_get(s->ctx, s->adkt, &cur) == 0) {
        krb5_error_code ret = krb5_kt_next_entry(s->ctx, s->adkt, &e, &cur);

        krb5_kt_end_seq_get(s->ctx, s->adkt, &cur);
        if (ret != 0)
            return;
        krb5_kt_remove_entry(s->ctx, s->adkt, &e);
        krb5_free_keytab_entry_contents(s->ctx, &e);
    }
}

/* Return true if key decrypts the ticket's encrypted part. */
static bool
decrypts(struct svc *s, const krb5_keyblock *key, const krb5_ticket *tkt)
{
    krb5_data plain;
    bool ok;

    plain.length = tkt->enc_part.ciphertext.length;
    plain.data = malloc(plain.length ? plain.length : 1);
    if (plain.data == NULL)
        return false;
    ok = krb5_c_decrypt(s->ctx, key, KRB5_KEYUSAGE_KDC_REP_TICKET, NULL,
                        &tkt->enc_part, &plain) == 0;
    explicit_bzero(plain.data, plain.length);
    free(plain.data);
    return ok;
}

/* As a Windows service does, try every key of the account (every keytab
 * entry, whatever its principal and kvno) on the ticket.  If one decrypts
 * it, put that key in the memory keytab under the ticket's own server name
 * and kvno, so that MIT's acceptor can make every other check with it.
 * Otherwise return KRB5KRB_AP_ERR_MODIFIED. */
static krb5_error_code
ad_find_key(struct svc *s, krb5_ticket *tkt, struct verdict *v)
{
    krb5_keytab kt = NULL;
    krb5_kt_cursor cur;
    krb5_keytab_entry e, mem;
    krb5_error_code ret;
    bool found = false;
    char *name = NULL;

    ad_clear(s);
    if (tkt == NULL || open_keytab(s, &kt) != 0 ||
        krb5_kt_start_seq_get(s->ctx, kt, &cur) != 0)
        goto done;
    while (!found && krb5_kt_next_entry(s->ctx, kt, &e, &cur) == 0) {
        if (decrypts(s, &e.key, tkt)) {
            memset(&mem, 0, sizeof(mem));
            mem.principal = tkt->server;
            mem.vno = tkt->enc_part.kvno;
            mem.key = e.key;
            ret = krb5_kt_add_entry(s->ctx, s->adkt, &mem);
            if (ret == 0 &&
                krb5_unparse_name(s->ctx, e.principal, &name) == 0) {
                v->key = kf_strf("%s kvno %u", name, (unsigned)e.vno);
                krb5_free_unparsed_name(s->ctx, name);
            }
            found = ret == 0;
        }
        krb5_free_keytab_entry_contents(s->ctx, &e);
    }
    krb5_kt_end_seq_get(s->ctx, kt, &cur);

done:
    if (kt != NULL)
        krb5_kt_close(s->ctx, kt);
    if (found)
        return 0;
    set_error(s, KRB5KRB_AP_ERR_MODIFIED, v);
    free(v->message);
    v->message = kf_strf("no key of account %s decrypts the ticket for %s "
                         "(kvno %d)",
                         s->account, v->server ? v->server : "?", v->kvno);
    return KRB5KRB_AP_ERR_MODIFIED;
}

/* The KRB-ERROR a Windows service answers to a ticket none of its keys
 * decrypts: KRB_AP_ERR_MODIFIED naming the service's account. */
static krb5_error_code
ad_modified(struct svc *s, krb5_data *out)
{
    krb5_principal acct = NULL;
    krb5_error_code ret;

    ret = account_principal(s, &acct);
    if (ret == 0)
        ret = make_error(s, KRB5KRB_AP_ERR_MODIFIED, acct, NULL, out);
    krb5_free_principal(s->ctx, acct);
    return ret;
}

/* Record the client of an accepted ticket. */
static void
note_client(struct svc *s, krb5_const_principal client, struct verdict *v)
{
    char *name = NULL;

    if (client != NULL && krb5_unparse_name(s->ctx, client, &name) == 0) {
        v->client = strdup(name);
        krb5_free_unparsed_name(s->ctx, name);
    }
}

void
svc_accept_raw(struct svc *s, int fd, const krb5_data *req, krb5_data *out,
               struct verdict *v)
{
    krb5_auth_context ac = NULL;
    krb5_principal acceptor = NULL, eserver = NULL;
    krb5_keytab kt = NULL;
    krb5_ticket *tkt = NULL, *clear;
    krb5_flags opts = 0;
    krb5_error_code ret;

    v->transport = "raw";
    apply_clock(s);
    clear = kf_ap_req_decode_ticket((const uint8_t *)req->data, req->length);
    note_ticket(s, clear, v);
    if (s->ad) {
        ret = ad_find_key(s, clear, v);
        if (ret != 0) {
            ad_modified(s, out);
            goto cleanup;
        }
        kt = s->adkt;
    } else {
        ret = open_keytab(s, &kt);
        if (ret == 0 && strcmp(s->acceptor, "any") != 0)
            ret = krb5_parse_name(s->ctx, s->acceptor, &acceptor);
    }
    /* Know the peer's address, so a ticket bound to other addresses is
     * refused (KRB_AP_ERR_BADADDR), as MIT's services do. */
    if (ret == 0)
        ret = krb5_auth_con_init(s->ctx, &ac);
    if (ret == 0)
        ret =
            krb5_auth_con_genaddrs(s->ctx, ac, fd,
                                   KRB5_AUTH_CONTEXT_GENERATE_REMOTE_ADDR |
                                       KRB5_AUTH_CONTEXT_GENERATE_LOCAL_ADDR);
    if (ret == 0)
        ret = krb5_rd_req(s->ctx, &ac, req, acceptor, kt, &opts, &tkt);
    if (ret == 0)
        ret = krb5_mk_rep(s->ctx, ac, out);
    if (ret == 0) {
        v->decision = "accept";
        note_client(s, tkt->enc_part2 ? tkt->enc_part2->client : NULL, v);
        goto cleanup;
    }
    set_error(s, ret, v);
    if (mit_error_server(s, s->ad ? NULL : kt, clear, acceptor, &eserver) == 0)
        make_error(s, ret, eserver, v->message, out);

cleanup:
    if (tkt != NULL)
        krb5_free_ticket(s->ctx, tkt);
    if (clear != NULL)
        krb5_free_ticket(s->ctx, clear);
    if (kt != NULL && kt != s->adkt)
        krb5_kt_close(s->ctx, kt);
    if (ac != NULL)
        krb5_auth_con_free(s->ctx, ac);
    krb5_free_principal(s->ctx, acceptor);
    krb5_free_principal(s->ctx, eserver);
    if (s->ad)
        ad_clear(s);
}

/* Return the code of the KRB-ERROR inside an error token MIT's acceptor
 * made, or KRB5KRB_ERR_GENERIC if it made none. */
static krb5_error_code
token_code(struct svc *s, const kf_bytes *tok)
{
    krb5_error *kerr = kf_token_krb_error(s->ctx, tok->data, tok->len);
    krb5_error_code code = KRB5KRB_ERR_GENERIC;

    if (kerr != NULL) {
        code = (krb5_error_code)(ERROR_TABLE_BASE_krb5 + kerr->error);
        krb5_free_error(s->ctx, kerr);
    }
    return code;
}

/* Acquire the acceptor credential: from the memory keytab (ad) or the
 * host's keytab, for the acceptor's name or any name in it. */
static OM_uint32
acceptor_cred(struct svc *s, OM_uint32 *minor, gss_cred_id_t *cred)
{
    char ktname[1100];
    gss_key_value_element_desc el = {"keytab", ktname};
    gss_key_value_set_desc store = {1, &el};
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc nb;
    OM_uint32 major, tmp;

    if (s->ad) {
        snprintf(ktname, sizeof(ktname), "%s", s->adkt_name);
    } else {
        snprintf(ktname, sizeof(ktname), "FILE:%s", s->keytab);
        if (strcmp(s->acceptor, "any") != 0) {
            nb.value = (void *)s->acceptor;
            nb.length = strlen(s->acceptor);
            major =
                gss_import_name(minor, &nb, GSS_KRB5_NT_PRINCIPAL_NAME, &name);
            if (GSS_ERROR(major))
                return major;
        }
    }
    major =
        gss_acquire_cred_from(minor, name, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                              GSS_C_ACCEPT, &store, cred, NULL, NULL);
    gss_release_name(&tmp, &name);
    return major;
}

/* Build the ad rejection token: a SPNEGO reject wrapping a krb5 error
 * token that holds KRB_AP_ERR_MODIFIED naming the account. */
static void
ad_reject_token(struct svc *s, kf_bytes *out)
{
    krb5_data err = {0};
    kf_bytes inner = {NULL, 0};

    if (ad_modified(s, &err) == 0 &&
        kf_krb5_token(KF_TOK_ERROR, (uint8_t *)err.data, err.length, &inner) ==
            0)
        kf_spnego_resp(KF_NEG_REJECT, inner.data, inner.len, out);
    free(inner.data);
    krb5_free_data_contents(s->ctx, &err);
}

bool
svc_accept_token(struct svc *s, const kf_bytes *tok, kf_bytes *out,
                 struct verdict *v)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t gctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc in, gout = GSS_C_EMPTY_BUFFER, nbuf = GSS_C_EMPTY_BUFFER;
    gss_name_t src = GSS_C_NO_NAME;
    OM_uint32 major, minor = 0, tmp;
    krb5_ticket *clear = NULL;
    const uint8_t *msg;
    size_t mlen;
    int tok_id, neg;
    bool ok = false;

    v->transport = "http";
    out->data = NULL;
    out->len = 0;
    if (kf_negotiate_krb5_msg(tok->data, tok->len, &tok_id, &msg, &mlen,
                              &neg) == 0 &&
        tok_id == KF_TOK_AP_REQ)
        clear = kf_ap_req_decode_ticket(msg, mlen);
    note_ticket(s, clear, v);
    if (s->ad && ad_find_key(s, clear, v) != 0) {
        ad_reject_token(s, out);
        goto cleanup;
    }
    major = acceptor_cred(s, &minor, &cred);
    if (!GSS_ERROR(major)) {
        in.value = tok->data;
        in.length = tok->len;
        major = gss_accept_sec_context(&minor, &gctx, cred, &in,
                                       GSS_C_NO_CHANNEL_BINDINGS, &src, NULL,
                                       &gout, NULL, NULL, NULL);
    }
    if (gout.length > 0) {
        out->data = malloc(gout.length);
        if (out->data != NULL) {
            memcpy(out->data, gout.value, gout.length);
            out->len = gout.length;
        }
    }
    if (major == GSS_S_COMPLETE) {
        v->decision = "accept";
        if (gss_display_name(&tmp, src, &nbuf, NULL) == 0)
            v->client = strndup(nbuf.value, nbuf.length);
        ok = true;
        goto cleanup;
    }
    v->decision = "reject";
    if (major == GSS_S_CONTINUE_NEEDED) {
        v->code = KRB5KRB_ERR_GENERIC;
        v->message = strdup("the client's token needs another round trip, "
                            "which this service does not keep");
        goto cleanup;
    }
    /* Through SPNEGO, the mechanism glue renumbers the krb5 mechanism's
     * minor status; the code is the one MIT's acceptor put in its error
     * token. */
    v->code = token_code(s, out);
    v->message = kf_gss_message(minor);

cleanup:
    gss_release_buffer(&tmp, &gout);
    gss_release_buffer(&tmp, &nbuf);
    gss_release_name(&tmp, &src);
    gss_delete_sec_context(&tmp, &gctx, GSS_C_NO_BUFFER);
    gss_release_cred(&tmp, &cred);
    if (clear != NULL)
        krb5_free_ticket(s->ctx, clear);
    if (s->ad)
        ad_clear(s);
    return ok;
}
