/* What Negotiate tokens carry, decoded with libkrb5 and described with
 * GSS-API: the AP-REQ's ticket, the service's KRB-ERROR, GSS messages. */
#define _GNU_SOURCE
#include "gsstoken.h"

#include <stdlib.h>
#include <string.h>

#include "negotiate.h"

krb5_ticket *
kf_ap_req_decode_ticket(const uint8_t *apreq, size_t len)
{
    const uint8_t *t;
    size_t tlen;
    krb5_data d;
    krb5_ticket *tkt = NULL;

    if (kf_ap_req_ticket(apreq, len, &t, &tlen) != 0)
        return NULL;
    d.magic = KV5M_DATA;
    d.data = (char *)t;
    d.length = (unsigned int)tlen;
    if (krb5_decode_ticket(&d, &tkt) != 0)
        return NULL;
    return tkt;
}

krb5_ticket *
kf_token_ticket(const uint8_t *tok, size_t len)
{
    const uint8_t *msg;
    size_t mlen;
    int tok_id, neg;

    if (tok == NULL ||
        kf_negotiate_krb5_msg(tok, len, &tok_id, &msg, &mlen, &neg) != 0 ||
        tok_id != KF_TOK_AP_REQ)
        return NULL;
    return kf_ap_req_decode_ticket(msg, mlen);
}

krb5_error *
kf_token_krb_error(krb5_context ctx, const uint8_t *tok, size_t len)
{
    const uint8_t *msg;
    size_t mlen;
    int tok_id, neg;
    krb5_data d;
    krb5_error *kerr = NULL;

    if (tok == NULL ||
        kf_negotiate_krb5_msg(tok, len, &tok_id, &msg, &mlen, &neg) != 0 ||
        tok_id != KF_TOK_ERROR)
        return NULL;
    d.magic = KV5M_DATA;
    d.data = (char *)msg;
    d.length = (unsigned int)mlen;
    if (krb5_rd_error(ctx, &d, &kerr) != 0)
        return NULL;
    return kerr;
}

char *
kf_gss_message(OM_uint32 minor)
{
    OM_uint32 tmp, mctx = 0;
    gss_buffer_desc buf = GSS_C_EMPTY_BUFFER;
    char *m = NULL;

    /* No mechanism: the glue finds the one that numbered the status. */
    if (gss_display_status(&tmp, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &mctx,
                           &buf) == 0)
        m = strndup(buf.value, buf.length);
    gss_release_buffer(&tmp, &buf);
    return m;
}
