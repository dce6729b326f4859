/* Kerberos error codes: protocol numbers, RFC 4120 names, library codes. */
#include "errcodes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROTO(n) (int)((n)-ERROR_TABLE_BASE_krb5)

struct proto_entry {
    const char *rfc; /* RFC 4120 spelling */
    const char *mit; /* MIT com_err spelling */
    int code;
    const char *meaning;
};

/* The protocol error codes, named as RFC 4120 (and its extensions) and as
 * MIT's error table names them. */
static const struct proto_entry protos[] = {
    {"KDC_ERR_NONE", "KRB5KDC_ERR_NONE", PROTO(KRB5KDC_ERR_NONE), "no error"},
    {"KDC_ERR_NAME_EXP", "KRB5KDC_ERR_NAME_EXP", PROTO(KRB5KDC_ERR_NAME_EXP),
     "the client's entry in the database has expired"},
    {"KDC_ERR_SERVICE_EXP", "KRB5KDC_ERR_SERVICE_EXP",
     PROTO(KRB5KDC_ERR_SERVICE_EXP),
     "the server's entry in the database has expired"},
    {"KDC_ERR_BAD_PVNO", "KRB5KDC_ERR_BAD_PVNO", PROTO(KRB5KDC_ERR_BAD_PVNO),
     "the requested protocol version is not supported"},
    {"KDC_ERR_C_OLD_MAST_KVNO", "KRB5KDC_ERR_C_OLD_MAST_KVNO",
     PROTO(KRB5KDC_ERR_C_OLD_MAST_KVNO),
     "the client's key is encrypted in an old master key"},
    {"KDC_ERR_S_OLD_MAST_KVNO", "KRB5KDC_ERR_S_OLD_MAST_KVNO",
     PROTO(KRB5KDC_ERR_S_OLD_MAST_KVNO),
     "the server's key is encrypted in an old master key"},
    {"KDC_ERR_C_PRINCIPAL_UNKNOWN", "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN",
     PROTO(KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN),
     "the client is not in the database"},
    {"KDC_ERR_S_PRINCIPAL_UNKNOWN", "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN",
     PROTO(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN),
     "the server is not in the database"},
    {"KDC_ERR_PRINCIPAL_NOT_UNIQUE", "KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE",
     PROTO(KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE),
     "several database entries have that name"},
    {"KDC_ERR_NULL_KEY", "KRB5KDC_ERR_NULL_KEY", PROTO(KRB5KDC_ERR_NULL_KEY),
     "the client or server has a null key"},
    {"KDC_ERR_CANNOT_POSTDATE", "KRB5KDC_ERR_CANNOT_POSTDATE",
     PROTO(KRB5KDC_ERR_CANNOT_POSTDATE), "the ticket may not be postdated"},
    {"KDC_ERR_NEVER_VALID", "KRB5KDC_ERR_NEVER_VALID",
     PROTO(KRB5KDC_ERR_NEVER_VALID),
     "the requested start time is after the end time"},
    {"KDC_ERR_POLICY", "KRB5KDC_ERR_POLICY", PROTO(KRB5KDC_ERR_POLICY),
     "the KDC's policy rejects the request"},
    {"KDC_ERR_BADOPTION", "KRB5KDC_ERR_BADOPTION",
     PROTO(KRB5KDC_ERR_BADOPTION), "the KDC cannot grant a requested option"},
    {"KDC_ERR_ETYPE_NOSUPP", "KRB5KDC_ERR_ETYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_ETYPE_NOSUPP), "no support for the encryption type"},
    {"KDC_ERR_SUMTYPE_NOSUPP", "KRB5KDC_ERR_SUMTYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_SUMTYPE_NOSUPP), "no support for the checksum type"},
    {"KDC_ERR_PADATA_TYPE_NOSUPP", "KRB5KDC_ERR_PADATA_TYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_PADATA_TYPE_NOSUPP),
     "no support for the pre-authentication data type"},
    {"KDC_ERR_TRTYPE_NOSUPP", "KRB5KDC_ERR_TRTYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_TRTYPE_NOSUPP),
     "no support for the transited encoding"},
    {"KDC_ERR_CLIENT_REVOKED", "KRB5KDC_ERR_CLIENT_REVOKED",
     PROTO(KRB5KDC_ERR_CLIENT_REVOKED),
     "the client's credentials are revoked (disabled, locked out; in AD also "
     "expired)"},
    {"KDC_ERR_SERVICE_REVOKED", "KRB5KDC_ERR_SERVICE_REVOKED",
     PROTO(KRB5KDC_ERR_SERVICE_REVOKED),
     "the server's credentials are revoked"},
    {"KDC_ERR_TGT_REVOKED", "KRB5KDC_ERR_TGT_REVOKED",
     PROTO(KRB5KDC_ERR_TGT_REVOKED), "the TGT is revoked"},
    {"KDC_ERR_CLIENT_NOTYET", "KRB5KDC_ERR_CLIENT_NOTYET",
     PROTO(KRB5KDC_ERR_CLIENT_NOTYET), "the client is not yet valid"},
    {"KDC_ERR_SERVICE_NOTYET", "KRB5KDC_ERR_SERVICE_NOTYET",
     PROTO(KRB5KDC_ERR_SERVICE_NOTYET), "the server is not yet valid"},
    {"KDC_ERR_KEY_EXPIRED", "KRB5KDC_ERR_KEY_EXP", PROTO(KRB5KDC_ERR_KEY_EXP),
     "the password has expired"},
    {"KDC_ERR_PREAUTH_FAILED", "KRB5KDC_ERR_PREAUTH_FAILED",
     PROTO(KRB5KDC_ERR_PREAUTH_FAILED),
     "the pre-authentication data is invalid (wrong password)"},
    {"KDC_ERR_PREAUTH_REQUIRED", "KRB5KDC_ERR_PREAUTH_REQUIRED",
     PROTO(KRB5KDC_ERR_PREAUTH_REQUIRED),
     "pre-authentication is required (the normal first answer)"},
    {"KDC_ERR_SERVER_NOMATCH", "KRB5KDC_ERR_SERVER_NOMATCH",
     PROTO(KRB5KDC_ERR_SERVER_NOMATCH),
     "the ticket does not match the requested server"},
    {"KDC_ERR_MUST_USE_USER2USER", "KRB5KDC_ERR_MUST_USE_USER2USER",
     PROTO(KRB5KDC_ERR_MUST_USE_USER2USER),
     "the server takes user-to-user tickets only"},
    {"KDC_ERR_PATH_NOT_ACCEPTED", "KRB5KDC_ERR_PATH_NOT_ACCEPTED",
     PROTO(KRB5KDC_ERR_PATH_NOT_ACCEPTED),
     "the KDC's policy rejects the transited path"},
    {"KDC_ERR_SVC_UNAVAILABLE", "KRB5KDC_ERR_SVC_UNAVAILABLE",
     PROTO(KRB5KDC_ERR_SVC_UNAVAILABLE), "the service is unavailable"},
    {"KRB_AP_ERR_BAD_INTEGRITY", "KRB5KRB_AP_ERR_BAD_INTEGRITY",
     PROTO(KRB5KRB_AP_ERR_BAD_INTEGRITY),
     "an integrity check on decrypted data failed"},
    {"KRB_AP_ERR_TKT_EXPIRED", "KRB5KRB_AP_ERR_TKT_EXPIRED",
     PROTO(KRB5KRB_AP_ERR_TKT_EXPIRED), "the ticket has expired"},
    {"KRB_AP_ERR_TKT_NYV", "KRB5KRB_AP_ERR_TKT_NYV",
     PROTO(KRB5KRB_AP_ERR_TKT_NYV), "the ticket is not yet valid"},
    {"KRB_AP_ERR_REPEAT", "KRB5KRB_AP_ERR_REPEAT",
     PROTO(KRB5KRB_AP_ERR_REPEAT), "the request is a replay"},
    {"KRB_AP_ERR_NOT_US", "KRB5KRB_AP_ERR_NOT_US",
     PROTO(KRB5KRB_AP_ERR_NOT_US), "the ticket is not for this server"},
    {"KRB_AP_ERR_BADMATCH", "KRB5KRB_AP_ERR_BADMATCH",
     PROTO(KRB5KRB_AP_ERR_BADMATCH),
     "the ticket and the authenticator do not match"},
    {"KRB_AP_ERR_SKEW", "KRB5KRB_AP_ERR_SKEW", PROTO(KRB5KRB_AP_ERR_SKEW),
     "the clock skew is too great"},
    {"KRB_AP_ERR_BADADDR", "KRB5KRB_AP_ERR_BADADDR",
     PROTO(KRB5KRB_AP_ERR_BADADDR), "the network address is wrong"},
    {"KRB_AP_ERR_BADVERSION", "KRB5KRB_AP_ERR_BADVERSION",
     PROTO(KRB5KRB_AP_ERR_BADVERSION), "the protocol version does not match"},
    {"KRB_AP_ERR_MSG_TYPE", "KRB5KRB_AP_ERR_MSG_TYPE",
     PROTO(KRB5KRB_AP_ERR_MSG_TYPE), "the message type is invalid"},
    {"KRB_AP_ERR_MODIFIED", "KRB5KRB_AP_ERR_MODIFIED",
     PROTO(KRB5KRB_AP_ERR_MODIFIED),
     "the message stream was modified (could not be decrypted)"},
    {"KRB_AP_ERR_BADORDER", "KRB5KRB_AP_ERR_BADORDER",
     PROTO(KRB5KRB_AP_ERR_BADORDER), "a message is out of order"},
    {"KRB_AP_ERR_ILL_CR_TKT", "KRB5KRB_AP_ERR_ILL_CR_TKT",
     PROTO(KRB5KRB_AP_ERR_ILL_CR_TKT), "an illegal cross-realm ticket"},
    {"KRB_AP_ERR_BADKEYVER", "KRB5KRB_AP_ERR_BADKEYVER",
     PROTO(KRB5KRB_AP_ERR_BADKEYVER),
     "the key version (kvno) is not available"},
    {"KRB_AP_ERR_NOKEY", "KRB5KRB_AP_ERR_NOKEY", PROTO(KRB5KRB_AP_ERR_NOKEY),
     "the service key is not available"},
    {"KRB_AP_ERR_MUT_FAIL", "KRB5KRB_AP_ERR_MUT_FAIL",
     PROTO(KRB5KRB_AP_ERR_MUT_FAIL), "mutual authentication failed"},
    {"KRB_AP_ERR_BADDIRECTION", "KRB5KRB_AP_ERR_BADDIRECTION",
     PROTO(KRB5KRB_AP_ERR_BADDIRECTION), "the message direction is wrong"},
    {"KRB_AP_ERR_METHOD", "KRB5KRB_AP_ERR_METHOD",
     PROTO(KRB5KRB_AP_ERR_METHOD),
     "an alternative authentication method is required"},
    {"KRB_AP_ERR_BADSEQ", "KRB5KRB_AP_ERR_BADSEQ",
     PROTO(KRB5KRB_AP_ERR_BADSEQ), "a sequence number is wrong"},
    {"KRB_AP_ERR_INAPP_CKSUM", "KRB5KRB_AP_ERR_INAPP_CKSUM",
     PROTO(KRB5KRB_AP_ERR_INAPP_CKSUM), "an inappropriate checksum type"},
    {"KRB_AP_PATH_NOT_ACCEPTED", "KRB5KRB_AP_PATH_NOT_ACCEPTED",
     PROTO(KRB5KRB_AP_PATH_NOT_ACCEPTED),
     "the policy rejects the transited path"},
    {"KRB_ERR_RESPONSE_TOO_BIG", "KRB5KRB_ERR_RESPONSE_TOO_BIG",
     PROTO(KRB5KRB_ERR_RESPONSE_TOO_BIG),
     "the response is too big for UDP; retry over TCP"},
    {"KRB_ERR_GENERIC", "KRB5KRB_ERR_GENERIC", PROTO(KRB5KRB_ERR_GENERIC),
     "a generic error (the e-text says more)"},
    {"KRB_ERR_FIELD_TOOLONG", "KRB5KRB_ERR_FIELD_TOOLONG",
     PROTO(KRB5KRB_ERR_FIELD_TOOLONG),
     "a field is too long for this implementation"},
    {"KDC_ERR_CLIENT_NOT_TRUSTED", "KRB5KDC_ERR_CLIENT_NOT_TRUSTED",
     PROTO(KRB5KDC_ERR_CLIENT_NOT_TRUSTED),
     "PKINIT: the client is not trusted"},
    {"KDC_ERR_KDC_NOT_TRUSTED", "KRB5KDC_ERR_KDC_NOT_TRUSTED",
     PROTO(KRB5KDC_ERR_KDC_NOT_TRUSTED), "PKINIT: the KDC is not trusted"},
    {"KDC_ERR_INVALID_SIG", "KRB5KDC_ERR_INVALID_SIG",
     PROTO(KRB5KDC_ERR_INVALID_SIG), "PKINIT: an invalid signature"},
    {"KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED",
     "KRB5KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED",
     PROTO(KRB5KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED),
     "PKINIT: the key parameters are not accepted (key too weak)"},
    {"KDC_ERR_CERTIFICATE_MISMATCH", "KRB5KDC_ERR_CERTIFICATE_MISMATCH",
     PROTO(KRB5KDC_ERR_CERTIFICATE_MISMATCH),
     "PKINIT: the certificate does not match"},
    {"KRB_AP_ERR_NO_TGT", "KRB5KRB_AP_ERR_NO_TGT",
     PROTO(KRB5KRB_AP_ERR_NO_TGT), "no TGT is available for user-to-user"},
    {"KDC_ERR_WRONG_REALM", "KRB5KDC_ERR_WRONG_REALM",
     PROTO(KRB5KDC_ERR_WRONG_REALM), "the request belongs to another realm"},
    {"KRB_AP_ERR_USER_TO_USER_REQUIRED",
     "KRB5KRB_AP_ERR_USER_TO_USER_REQUIRED",
     PROTO(KRB5KRB_AP_ERR_USER_TO_USER_REQUIRED),
     "the ticket must be for user-to-user"},
    {"KDC_ERR_CANT_VERIFY_CERTIFICATE", "KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE",
     PROTO(KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE),
     "PKINIT: the certificate cannot be verified"},
    {"KDC_ERR_INVALID_CERTIFICATE", "KRB5KDC_ERR_INVALID_CERTIFICATE",
     PROTO(KRB5KDC_ERR_INVALID_CERTIFICATE),
     "PKINIT: the certificate is invalid"},
    {"KDC_ERR_REVOKED_CERTIFICATE", "KRB5KDC_ERR_REVOKED_CERTIFICATE",
     PROTO(KRB5KDC_ERR_REVOKED_CERTIFICATE),
     "PKINIT: the certificate is revoked"},
    {"KDC_ERR_REVOCATION_STATUS_UNKNOWN",
     "KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN",
     PROTO(KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN),
     "PKINIT: the revocation status is unknown"},
    {"KDC_ERR_REVOCATION_STATUS_UNAVAILABLE",
     "KRB5KDC_ERR_REVOCATION_STATUS_UNAVAILABLE",
     PROTO(KRB5KDC_ERR_REVOCATION_STATUS_UNAVAILABLE),
     "PKINIT: the revocation status is unavailable"},
    {"KDC_ERR_CLIENT_NAME_MISMATCH", "KRB5KDC_ERR_CLIENT_NAME_MISMATCH",
     PROTO(KRB5KDC_ERR_CLIENT_NAME_MISMATCH),
     "PKINIT: the client name does not match the certificate"},
    {"KDC_ERR_KDC_NAME_MISMATCH", "KRB5KDC_ERR_KDC_NAME_MISMATCH",
     PROTO(KRB5KDC_ERR_KDC_NAME_MISMATCH),
     "PKINIT: the KDC name does not match the certificate"},
    {"KDC_ERR_PREAUTH_EXPIRED", "KRB5KDC_ERR_PREAUTH_EXPIRED",
     PROTO(KRB5KDC_ERR_PREAUTH_EXPIRED),
     "the pre-authentication data has expired"},
    {"KDC_ERR_MORE_PREAUTH_DATA_REQUIRED",
     "KRB5KDC_ERR_MORE_PREAUTH_DATA_REQUIRED",
     PROTO(KRB5KDC_ERR_MORE_PREAUTH_DATA_REQUIRED),
     "more pre-authentication data is required"},
    {"KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS",
     "KRB5KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION",
     PROTO(KRB5KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION),
     "an unknown critical FAST option"},
    {"KDC_ERR_NO_ACCEPTABLE_KDF", "KRB5KDC_ERR_NO_ACCEPTABLE_KDF",
     PROTO(KRB5KDC_ERR_NO_ACCEPTABLE_KDF),
     "PKINIT: no acceptable key derivation function"},
};

struct lib_entry {
    const char *name;
    krb5_error_code code;
};

/* Library codes with no protocol number that scenarios meet. */
static const struct lib_entry libs[] = {
    {"KRB5_KDC_UNREACH", KRB5_KDC_UNREACH},
    {"KRB5_REALM_UNKNOWN", KRB5_REALM_UNKNOWN},
    {"KRB5_REALM_CANT_RESOLVE", KRB5_REALM_CANT_RESOLVE},
    {"KRB5_PREAUTH_FAILED", KRB5_PREAUTH_FAILED},
    {"KRB5_GET_IN_TKT_LOOP", KRB5_GET_IN_TKT_LOOP},
    {"KRB5_KDCREP_SKEW", KRB5_KDCREP_SKEW},
    {"KRB5_KDCREP_MODIFIED", KRB5_KDCREP_MODIFIED},
    {"KRB5_KT_NOTFOUND", KRB5_KT_NOTFOUND},
    {"KRB5_KT_KVNONOTFOUND", KRB5_KT_KVNONOTFOUND},
    {"KRB5_KT_NOWRITE", KRB5_KT_NOWRITE},
    {"KRB5_CC_NOTFOUND", KRB5_CC_NOTFOUND},
    {"KRB5_CC_NOSUPP", KRB5_CC_NOSUPP},
    {"KRB5_FCC_NOFILE", KRB5_FCC_NOFILE},
    {"KRB5_PROG_ETYPE_NOSUPP", KRB5_PROG_ETYPE_NOSUPP},
    {"KRB5_BAD_ENCTYPE", KRB5_BAD_ENCTYPE},
    {"KRB5_CONFIG_ETYPE_NOSUPP", KRB5_CONFIG_ETYPE_NOSUPP},
    {"KRB5_NO_TKT_SUPPLIED", KRB5_NO_TKT_SUPPLIED},
    {"KRB5_LIBOS_PWDINTR", KRB5_LIBOS_PWDINTR},
    {"KRB5_LIBOS_CANTREADPWD", KRB5_LIBOS_CANTREADPWD},
    {"KRB5_CHPW_FAIL", KRB5_CHPW_FAIL},
    {"KRB5KRB_AP_WRONG_PRINC", KRB5KRB_AP_WRONG_PRINC},
    {"KRB5KRB_AP_ERR_TKT_INVALID", KRB5KRB_AP_ERR_TKT_INVALID},
    {"KRB5_ERR_BAD_HOSTNAME", KRB5_ERR_BAD_HOSTNAME},
    {"KRB5_RC_REPLAY", KRB5_RC_REPLAY},
    {"KRB5_PLUGIN_NO_HANDLE", KRB5_PLUGIN_NO_HANDLE},
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Return true if code lies in the protocol part of the krb5 error table. */
static bool
is_proto_code(krb5_error_code code)
{
    long off = (long)code - ERROR_TABLE_BASE_krb5;

    return off >= 0 && off <= 127;
}

const char *
kf_proto_name(int code)
{
    size_t i;

    for (i = 0; i < N_ELEMS(protos); i++) {
        if (protos[i].code == code)
            return protos[i].rfc;
    }
    return NULL;
}

const char *
kf_proto_meaning(int code)
{
    size_t i;

    for (i = 0; i < N_ELEMS(protos); i++) {
        if (protos[i].code == code)
            return protos[i].meaning;
    }
    return NULL;
}

const char *
kf_lib_name(krb5_error_code code)
{
    size_t i;

    if (is_proto_code(code)) {
        for (i = 0; i < N_ELEMS(protos); i++) {
            if (protos[i].code == PROTO(code))
                return protos[i].mit;
        }
        return NULL;
    }
    for (i = 0; i < N_ELEMS(libs); i++) {
        if (libs[i].code == code)
            return libs[i].name;
    }
    return NULL;
}

kf_outcome
kf_outcome_from_lib(krb5_error_code code)
{
    kf_outcome o = {KF_OUT_SUCCESS, 0, 0};

    if (code == 0)
        return o;
    o.lib = code;
    if (is_proto_code(code)) {
        o.kind = KF_OUT_PROTO;
        o.proto = PROTO(code);
    } else {
        o.kind = KF_OUT_LIBRARY;
    }
    return o;
}

/* Parse a decimal or 0x-prefixed number that must fill all of text. */
static bool
parse_number(const char *text, long *out)
{
    const char *digits = text;
    char *end;
    int base = 10;
    long v;

    if (!isdigit((unsigned char)*text))
        return false;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        digits = text + 2;
        base = 16;
    }
    if (!isxdigit((unsigned char)*digits))
        return false;
    v = strtol(digits, &end, base);
    if (*end != '\0')
        return false;
    *out = v;
    return true;
}

bool
kf_outcome_parse(const char *text, kf_outcome *out)
{
    size_t i;
    long n;

    if (strcasecmp(text, "success") == 0 || strcasecmp(text, "ok") == 0) {
        *out = kf_outcome_from_lib(0);
        return true;
    }
    if (parse_number(text, &n)) {
        if (n <= 0 || n > 127 || kf_proto_name((int)n) == NULL)
            return false;
        *out = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 + n);
        return true;
    }
    for (i = 0; i < N_ELEMS(protos); i++) {
        if (strcmp(text, protos[i].rfc) == 0 ||
            strcmp(text, protos[i].mit) == 0) {
            if (protos[i].code == 0)
                return false;
            *out = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 + protos[i].code);
            return true;
        }
    }
    for (i = 0; i < N_ELEMS(libs); i++) {
        if (strcmp(text, libs[i].name) == 0) {
            *out = kf_outcome_from_lib(libs[i].code);
            return true;
        }
    }
    return false;
}

bool
kf_outcome_matches(const kf_outcome *expected, const kf_outcome *observed)
{
    if (expected->kind != observed->kind)
        return false;
    if (expected->kind == KF_OUT_PROTO)
        return expected->proto == observed->proto;
    return expected->lib == observed->lib;
}

const char *
kf_outcome_name(const kf_outcome *o)
{
    const char *name;

    if (o->kind == KF_OUT_SUCCESS)
        return "success";
    if (o->kind == KF_OUT_PROTO) {
        name = kf_proto_name(o->proto);
        return name != NULL ? name : "KRB_ERR_UNKNOWN";
    }
    name = kf_lib_name(o->lib);
    if (name != NULL)
        return name;
    /* Small positive codes are the system's errno values. */
    return (o->lib > 0 && o->lib < 4096) ? "SYSTEM_ERROR"
                                         : "KRB5_UNKNOWN_LIBRARY_ERROR";
}

void
kf_outcome_format(const kf_outcome *o, char *buf, size_t len)
{
    if (o->kind == KF_OUT_SUCCESS)
        snprintf(buf, len, "success");
    else if (o->kind == KF_OUT_PROTO)
        snprintf(buf, len, "%s (%d, 0x%x)", kf_outcome_name(o), o->proto,
                 o->proto);
    else
        snprintf(buf, len, "%s (%ld)", kf_outcome_name(o), (long)o->lib);
}
