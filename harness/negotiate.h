/* HTTP Negotiate: headers, GSS-API token framing, SPNEGO, the AP-REQ's
 * ticket. */
#ifndef KF_NEGOTIATE_H
#define KF_NEGOTIATE_H

#include <stddef.h>
#include <stdint.h>

/* The token ids of RFC 4121 section 4.1 (krb5 mechanism tokens). */
enum { KF_TOK_AP_REQ = 0x0100, KF_TOK_AP_REP = 0x0200, KF_TOK_ERROR = 0x0300 };

/* SPNEGO negState values (RFC 4178 section 4.2.2). */
enum {
    KF_NEG_ACCEPT_COMPLETED = 0,
    KF_NEG_ACCEPT_INCOMPLETE = 1,
    KF_NEG_REJECT = 2,
    KF_NEG_REQUEST_MIC = 3
};

/* A byte string owned by the caller (free data). */
typedef struct kf_bytes {
    uint8_t *data;
    size_t len;
} kf_bytes;

/* Find the krb5 message inside a Negotiate token: the token may be a krb5
 * mechanism token (either krb5 OID) or SPNEGO (a NegTokenInit's mechToken
 * or a NegTokenResp's responseToken).  Point *msg into tok and set
 * *tok_id; *neg_state is the NegTokenResp's negState or -1.  Return 0, or
 * -1 if tok holds no krb5 message. */
int kf_negotiate_krb5_msg(const uint8_t *tok, size_t len, int *tok_id,
                          const uint8_t **msg, size_t *msg_len,
                          int *neg_state);

/* Return the SPNEGO negState of a NegTokenResp, or -1. */
int kf_negotiate_neg_state(const uint8_t *tok, size_t len);

/* Wrap a krb5 message in a krb5 mechanism token with tok_id (RFC 4121
 * section 4.1).  Return 0, or -1 if out of memory. */
int kf_krb5_token(int tok_id, const uint8_t *msg, size_t len, kf_bytes *out);

/* Build a SPNEGO NegTokenResp: negState, supportedMech krb5, and
 * responseToken inner (may be NULL).  Return 0, or -1. */
int kf_spnego_resp(int neg_state, const uint8_t *inner, size_t len,
                   kf_bytes *out);

/* Point *tkt at the Ticket of an AP-REQ.  Return 0, or -1. */
int kf_ap_req_ticket(const uint8_t *apreq, size_t len, const uint8_t **tkt,
                     size_t *tkt_len);

/* Base64 (RFC 4648) for HTTP headers; return 0, or -1 on bad input. */
int kf_base64_encode(const uint8_t *data, size_t len, char **out);
int kf_base64_decode(const char *text, size_t len, kf_bytes *out);

/* Return the value of header name in an HTTP message head (the start line
 * and headers, each ending in CRLF), trimmed and terminated in place; NULL
 * if it has none. */
char *kf_http_header(char *head, const char *name);

#endif /* KF_NEGOTIATE_H */
