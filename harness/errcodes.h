/* Kerberos error codes: protocol numbers, RFC 4120 names, library codes. */
#ifndef KF_ERRCODES_H
#define KF_ERRCODES_H

#include <krb5/krb5.h>
#include <stdbool.h>

/* What an expectation or an observation says about an outcome. */
typedef enum {
    KF_OUT_SUCCESS = 0, /* no error */
    KF_OUT_PROTO,       /* a KRB-ERROR code (RFC 4120 section 7.5.9) */
    KF_OUT_LIBRARY      /* a libkrb5 code with no protocol number */
} kf_outcome_kind;

typedef struct kf_outcome {
    kf_outcome_kind kind;
    int proto;           /* protocol error code when kind is KF_OUT_PROTO */
    krb5_error_code lib; /* library code; 0 for success */
} kf_outcome;

/* Return the RFC 4120 name of protocol code (e.g. "KRB_AP_ERR_SKEW"), or
 * NULL if the code has no name. */
const char *kf_proto_name(int code);

/* Return a short meaning of protocol code, or NULL. */
const char *kf_proto_meaning(int code);

/* Return what usually causes protocol code, after the source documents'
 * tables (errcauses.c), or NULL if they say nothing useful. */
const char *kf_proto_causes(int code);

/* Return the MIT com_err name of a library code (e.g.
 * "KRB5KRB_AP_ERR_SKEW", "KRB5_KDC_UNREACH"), or NULL if unknown. */
const char *kf_lib_name(krb5_error_code code);

/* Classify a library return code as an outcome. */
kf_outcome kf_outcome_from_lib(krb5_error_code code);

/* Parse "success", an RFC 4120 or MIT name, a decimal protocol number or a
 * 0x hex protocol number.  Return false if text names no known outcome. */
bool kf_outcome_parse(const char *text, kf_outcome *out);

/* Return true if an observed outcome satisfies an expected one. */
bool kf_outcome_matches(const kf_outcome *expected,
                        const kf_outcome *observed);

/* Write a display form ("KRB_AP_ERR_BADKEYVER (44, 0x2c)") into buf. */
void kf_outcome_format(const kf_outcome *o, char *buf, size_t len);

/* Return the short name of an outcome ("success", an RFC 4120 name, or a
 * library name); never NULL. */
const char *kf_outcome_name(const kf_outcome *o);

#endif /* KF_ERRCODES_H */
