/* What Negotiate tokens carry, decoded with libkrb5 and described with
 * GSS-API: the AP-REQ's ticket, the service's KRB-ERROR, GSS messages. */
#ifndef KF_GSSTOKEN_H
#define KF_GSSTOKEN_H

#include <gssapi/gssapi.h>
#include <krb5/krb5.h>
#include <stddef.h>
#include <stdint.h>

/* Decode the clear part of an AP-REQ's ticket; NULL if it holds none. */
krb5_ticket *kf_ap_req_decode_ticket(const uint8_t *apreq, size_t len);

/* Decode the ticket of the AP-REQ inside a Negotiate token; NULL if it
 * holds none. */
krb5_ticket *kf_token_ticket(const uint8_t *tok, size_t len);

/* Decode the KRB-ERROR inside a Negotiate token (a krb5 error token, bare
 * or in SPNEGO); NULL if it holds none. */
krb5_error *kf_token_krb_error(krb5_context ctx, const uint8_t *tok,
                               size_t len);

/* Return the message GSS-API gives for a minor status; caller frees. */
char *kf_gss_message(OM_uint32 minor);

#endif /* KF_GSSTOKEN_H */
