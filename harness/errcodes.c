/* Kerberos error codes: protocol numbers, RFC 4120 names, library codes. */
#include "errcodes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROTO(n) (int)((n) - ERROR_TABLE_BASE_krb5)

struct proto_entry {
    const char *rfc;  /* RFC 4120 spelling */
    const char *mit;  /* MIT com_err spelling */
    int code;
};

/* The protocol error codes, named as RFC 4120 (and its extensions) and as
 * MIT's error table names them. */
static const struct proto_entry protos[] = {
    {"KDC_ERR_NONE", "KRB5KDC_ERR_NONE", PROTO(KRB5KDC_ERR_NONE)},
    {"KDC_ERR_NAME_EXP", "KRB5KDC_ERR_NAME_EXP", PROTO(KRB5KDC_ERR_NAME_EXP)},
    {"KDC_ERR_SERVICE_EXP", "KRB5KDC_ERR_SERVICE_EXP",
     PROTO(KRB5KDC_ERR_SERVICE_EXP)},
    {"KDC_ERR_BAD_PVNO", "KRB5KDC_ERR_BAD_PVNO", PROTO(KRB5KDC_ERR_BAD_PVNO)},
    {"KDC_ERR_C_OLD_MAST_KVNO", "KRB5KDC_ERR_C_OLD_MAST_KVNO",
     PROTO(KRB5KDC_ERR_C_OLD_MAST_KVNO)},
    {"KDC_ERR_S_OLD_MAST_KVNO", "KRB5KDC_ERR_S_OLD_MAST_KVNO",
     PROTO(KRB5KDC_ERR_S_OLD_MAST_KVNO)},
    {"KDC_ERR_C_PRINCIPAL_UNKNOWN", "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN",
     PROTO(KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN)},
    {"KDC_ERR_S_PRINCIPAL_UNKNOWN", "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN",
     PROTO(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN)},
    {"KDC_ERR_PRINCIPAL_NOT_UNIQUE", "KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE",
     PROTO(KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE)},
    {"KDC_ERR_NULL_KEY", "KRB5KDC_ERR_NULL_KEY", PROTO(KRB5KDC_ERR_NULL_KEY)},
    {"KDC_ERR_CANNOT_POSTDATE", "KRB5KDC_ERR_CANNOT_POSTDATE",
     PROTO(KRB5KDC_ERR_CANNOT_POSTDATE)},
    {"KDC_ERR_NEVER_VALID", "KRB5KDC_ERR_NEVER_VALID",
     PROTO(KRB5KDC_ERR_NEVER_VALID)},
    {"KDC_ERR_POLICY", "KRB5KDC_ERR_POLICY", PROTO(KRB5KDC_ERR_POLICY)},
    {"KDC_ERR_BADOPTION", "KRB5KDC_ERR_BADOPTION",
     PROTO(KRB5KDC_ERR_BADOPTION)},
    {"KDC_ERR_ETYPE_NOSUPP", "KRB5KDC_ERR_ETYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_ETYPE_NOSUPP)},
    {"KDC_ERR_SUMTYPE_NOSUPP", "KRB5KDC_ERR_SUMTYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_SUMTYPE_NOSUPP)},
    {"KDC_ERR_PADATA_TYPE_NOSUPP", "KRB5KDC_ERR_PADATA_TYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_PADATA_TYPE_NOSUPP)},
    {"KDC_ERR_TRTYPE_NOSUPP", "KRB5KDC_ERR_TRTYPE_NOSUPP",
     PROTO(KRB5KDC_ERR_TRTYPE_NOSUPP)},
    {"KDC_ERR_CLIENT_REVOKED", "KRB5KDC_ERR_CLIENT_REVOKED",
     PROTO(KRB5KDC_ERR_CLIENT_REVOKED)},
    {"KDC_ERR_SERVICE_REVOKED", "KRB5KDC_ERR_SERVICE_REVOKED",
     PROTO(KRB5KDC_ERR_SERVICE_REVOKED)},
    {"KDC_ERR_TGT_REVOKED", "KRB5KDC_ERR_TGT_REVOKED",
     PROTO(KRB5KDC_ERR_TGT_REVOKED)},
    {"KDC_ERR_CLIENT_NOTYET", "KRB5KDC_ERR_CLIENT_NOTYET",
     PROTO(KRB5KDC_ERR_CLIENT_NOTYET)},
    {"KDC_ERR_SERVICE_NOTYET", "KRB5KDC_ERR_SERVICE_NOTYET",
     PROTO(KRB5KDC_ERR_SERVICE_NOTYET)},
    {"KDC_ERR_KEY_EXPIRED", "KRB5KDC_ERR_KEY_EXP", PROTO(KRB5KDC_ERR_KEY_EXP)},
    {"KDC_ERR_PREAUTH_FAILED", "KRB5KDC_ERR_PREAUTH_FAILED",
     PROTO(KRB5KDC_ERR_PREAUTH_FAILED)},
    {"KDC_ERR_PREAUTH_REQUIRED", "KRB5KDC_ERR_PREAUTH_REQUIRED",
     PROTO(KRB5KDC_ERR_PREAUTH_REQUIRED)},
    {"KDC_ERR_SERVER_NOMATCH", "KRB5KDC_ERR_SERVER_NOMATCH",
     PROTO(KRB5KDC_ERR_SERVER_NOMATCH)},
    {"KDC_ERR_MUST_USE_USER2USER", "KRB5KDC_ERR_MUST_USE_USER2USER",
     PROTO(KRB5KDC_ERR_MUST_USE_USER2USER)},
    {"KDC_ERR_PATH_NOT_ACCEPTED", "KRB5KDC_ERR_PATH_NOT_ACCEPTED",
     PROTO(KRB5KDC_ERR_PATH_NOT_ACCEPTED)},
    {"KDC_ERR_SVC_UNAVAILABLE", "KRB5KDC_ERR_SVC_UNAVAILABLE",
     PROTO(KRB5KDC_ERR_SVC_UNAVAILABLE)},
    {"KRB_AP_ERR_BAD_INTEGRITY", "KRB5KRB_AP_ERR_BAD_INTEGRITY",
     PROTO(KRB5KRB_AP_ERR_BAD_INTEGRITY)},
    {"KRB_AP_ERR_TKT_EXPIRED", "KRB5KRB_AP_ERR_TKT_EXPIRED",
     PROTO(KRB5KRB_AP_ERR_TKT_EXPIRED)},
    {"KRB_AP_ERR_TKT_NYV", "KRB5KRB_AP_ERR_TKT_NYV",
     PROTO(KRB5KRB_AP_ERR_TKT_NYV)},
    {"KRB_AP_ERR_REPEAT", "KRB5KRB_AP_ERR_REPEAT",
     PROTO(KRB5KRB_AP_ERR_REPEAT)},
    {"KRB_AP_ERR_NOT_US", "KRB5KRB_AP_ERR_NOT_US",
     PROTO(KRB5KRB_AP_ERR_NOT_US)},
    {"KRB_AP_ERR_BADMATCH", "KRB5KRB_AP_ERR_BADMATCH",
     PROTO(KRB5KRB_AP_ERR_BADMATCH)},
    {"KRB_AP_ERR_SKEW", "KRB5KRB_AP_ERR_SKEW", PROTO(KRB5KRB_AP_ERR_SKEW)},
    {"KRB_AP_ERR_BADADDR", "KRB5KRB_AP_ERR_BADADDR",
     PROTO(KRB5KRB_AP_ERR_BADADDR)},
    {"KRB_AP_ERR_BADVERSION", "KRB5KRB_AP_ERR_BADVERSION",
     PROTO(KRB5KRB_AP_ERR_BADVERSION)},
    {"KRB_AP_ERR_MSG_TYPE", "KRB5KRB_AP_ERR_MSG_TYPE",
     PROTO(KRB5KRB_AP_ERR_MSG_TYPE)},
    {"KRB_AP_ERR_MODIFIED", "KRB5KRB_AP_ERR_MODIFIED",
     PROTO(KRB5KRB_AP_ERR_MODIFIED)},
    {"KRB_AP_ERR_BADORDER", "KRB5KRB_AP_ERR_BADORDER",
     PROTO(KRB5KRB_AP_ERR_BADORDER)},
    {"KRB_AP_ERR_ILL_CR_TKT", "KRB5KRB_AP_ERR_ILL_CR_TKT",
     PROTO(KRB5KRB_AP_ERR_ILL_CR_TKT)},
    {"KRB_AP_ERR_BADKEYVER", "KRB5KRB_AP_ERR_BADKEYVER",
     PROTO(KRB5KRB_AP_ERR_BADKEYVER)},
    {"KRB_AP_ERR_NOKEY", "KRB5KRB_AP_ERR_NOKEY", PROTO(KRB5KRB_AP_ERR_NOKEY)},
    {"KRB_AP_ERR_MUT_FAIL", "KRB5KRB_AP_ERR_MUT_FAIL",
     PROTO(KRB5KRB_AP_ERR_MUT_FAIL)},
    {"KRB_AP_ERR_BADDIRECTION", "KRB5KRB_AP_ERR_BADDIRECTION",
     PROTO(KRB5KRB_AP_ERR_BADDIRECTION)},
    {"KRB_AP_ERR_METHOD", "KRB5KRB_AP_ERR_METHOD",
     PROTO(KRB5KRB_AP_ERR_METHOD)},
    {"KRB_AP_ERR_BADSEQ", "KRB5KRB_AP_ERR_BADSEQ",
     PROTO(KRB5KRB_AP_ERR_BADSEQ)},
    {"KRB_AP_ERR_INAPP_CKSUM", "KRB5KRB_AP_ERR_INAPP_CKSUM",
     PROTO(KRB5KRB_AP_ERR_INAPP_CKSUM)},
    {"KRB_AP_PATH_NOT_ACCEPTED", "KRB5KRB_AP_PATH_NOT_ACCEPTED",
     PROTO(KRB5KRB_AP_PATH_NOT_ACCEPTED)},
    {"KRB_ERR_RESPONSE_TOO_BIG", "KRB5KRB_ERR_RESPONSE_TOO_BIG",
     PROTO(KRB5KRB_ERR_RESPONSE_TOO_BIG)},
    {"KRB_ERR_GENERIC", "KRB5KRB_ERR_GENERIC", PROTO(KRB5KRB_ERR_GENERIC)},
    {"KRB_ERR_FIELD_TOOLONG", "KRB5KRB_ERR_FIELD_TOOLONG",
     PROTO(KRB5KRB_ERR_FIELD_TOOLONG)},
    {"KDC_ERR_CLIENT_NOT_TRUSTED", "KRB5KDC_ERR_CLIENT_NOT_TRUSTED",
     PROTO(KRB5KDC_ERR_CLIENT_NOT_TRUSTED)},
    {"KDC_ERR_KDC_NOT_TRUSTED", "KRB5KDC_ERR_KDC_NOT_TRUSTED",
     PROTO(KRB5KDC_ERR_KDC_NOT_TRUSTED)},
    {"KDC_ERR_INVALID_SIG", "KRB5KDC_ERR_INVALID_SIG",
     PROTO(KRB5KDC_ERR_INVALID_SIG)},
    {"KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED",
     "KRB5KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED",
     PROTO(KRB5KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED)},
    {"KDC_ERR_CERTIFICATE_MISMATCH", "KRB5KDC_ERR_CERTIFICATE_MISMATCH",
     PROTO(KRB5KDC_ERR_CERTIFICATE_MISMATCH)},
    {"KRB_AP_ERR_NO_TGT", "KRB5KRB_AP_ERR_NO_TGT",
     PROTO(KRB5KRB_AP_ERR_NO_TGT)},
    {"KDC_ERR_WRONG_REALM", "KRB5KDC_ERR_WRONG_REALM",
     PROTO(KRB5KDC_ERR_WRONG_REALM)},
    {"KRB_AP_ERR_USER_TO_USER_REQUIRED", "KRB5KRB_AP_ERR_USER_TO_USER_REQUIRED",
     PROTO(KRB5KRB_AP_ERR_USER_TO_USER_REQUIRED)},
    {"KDC_ERR_CANT_VERIFY_CERTIFICATE", "KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE",
     PROTO(KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE)},
    {"KDC_ERR_INVALID_CERTIFICATE", "KRB5KDC_ERR_INVALID_CERTIFICATE",
     PROTO(KRB5KDC_ERR_INVALID_CERTIFICATE)},
    {"KDC_ERR_REVOKED_CERTIFICATE", "KRB5KDC_ERR_REVOKED_CERTIFICATE",
     PROTO(KRB5KDC_ERR_REVOKED_CERTIFICATE)},
    {"KDC_ERR_REVOCATION_STATUS_UNKNOWN",
     "KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN",
     PROTO(KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN)},
    {"KDC_ERR_REVOCATION_STATUS_UNAVAILABLE",
     "KRB5KDC_ERR_REVOCATION_STATUS_UNAVAILABLE",
     PROTO(KRB5KDC_ERR_REVOCATION_STATUS_UNAVAILABLE)},
    {"KDC_ERR_CLIENT_NAME_MISMATCH", "KRB5KDC_ERR_CLIENT_NAME_MISMATCH",
     PROTO(KRB5KDC_ERR_CLIENT_NAME_MISMATCH)},
    {"KDC_ERR_KDC_NAME_MISMATCH", "KRB5KDC_ERR_KDC_NAME_MISMATCH",
     PROTO(KRB5KDC_ERR_KDC_NAME_MISMATCH)},
    {"KDC_ERR_PREAUTH_EXPIRED", "KRB5KDC_ERR_PREAUTH_EXPIRED",
     PROTO(KRB5KDC_ERR_PREAUTH_EXPIRED)},
    {"KDC_ERR_MORE_PREAUTH_DATA_REQUIRED",
     "KRB5KDC_ERR_MORE_PREAUTH_DATA_REQUIRED",
     PROTO(KRB5KDC_ERR_MORE_PREAUTH_DATA_REQUIRED)},
    {"KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS",
     "KRB5KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION",
     PROTO(KRB5KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION)},
    {"KDC_ERR_NO_ACCEPTABLE_KDF", "KRB5KDC_ERR_NO_ACCEPTABLE_KDF",
     PROTO(KRB5KDC_ERR_NO_ACCEPTABLE_KDF)},
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
            *out = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 +
                                       protos[i].code);
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
