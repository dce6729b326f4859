/* Unit tests of errcodes.c: protocol numbers, names and outcomes. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <krb5/krb5.h>
#include <stdio.h>
#include <string.h>

#include "errcodes.h"
#include "helpers.h"

/* The protocol number of an MIT error code, computed from <krb5/krb5.h>. */
#define PROTO_OF(code) ((int)((code)-ERROR_TABLE_BASE_krb5))

/* An MIT error code with the name its macro has in <krb5/krb5.h>. */
struct named_code {
    const char *name;
    krb5_error_code code;
};

#define NAMED(macro)                                                          \
    {                                                                         \
#macro, macro                                                         \
    }

/* MIT's protocol error codes that carry an RFC 4120 (or extension) name;
 * the compiler checks each name against <krb5/krb5.h>. */
static const struct named_code mit_protos[] = {
    NAMED(KRB5KDC_ERR_NAME_EXP),
    NAMED(KRB5KDC_ERR_SERVICE_EXP),
    NAMED(KRB5KDC_ERR_BAD_PVNO),
    NAMED(KRB5KDC_ERR_C_OLD_MAST_KVNO),
    NAMED(KRB5KDC_ERR_S_OLD_MAST_KVNO),
    NAMED(KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN),
    NAMED(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN),
    NAMED(KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE),
    NAMED(KRB5KDC_ERR_NULL_KEY),
    NAMED(KRB5KDC_ERR_CANNOT_POSTDATE),
    NAMED(KRB5KDC_ERR_NEVER_VALID),
    NAMED(KRB5KDC_ERR_POLICY),
    NAMED(KRB5KDC_ERR_BADOPTION),
    NAMED(KRB5KDC_ERR_ETYPE_NOSUPP),
    NAMED(KRB5KDC_ERR_SUMTYPE_NOSUPP),
    NAMED(KRB5KDC_ERR_PADATA_TYPE_NOSUPP),
    NAMED(KRB5KDC_ERR_TRTYPE_NOSUPP),
    NAMED(KRB5KDC_ERR_CLIENT_REVOKED),
    NAMED(KRB5KDC_ERR_SERVICE_REVOKED),
    NAMED(KRB5KDC_ERR_TGT_REVOKED),
    NAMED(KRB5KDC_ERR_CLIENT_NOTYET),
    NAMED(KRB5KDC_ERR_SERVICE_NOTYET),
    NAMED(KRB5KDC_ERR_KEY_EXP),
    NAMED(KRB5KDC_ERR_PREAUTH_FAILED),
    NAMED(KRB5KDC_ERR_PREAUTH_REQUIRED),
    NAMED(KRB5KDC_ERR_SERVER_NOMATCH),
    NAMED(KRB5KDC_ERR_MUST_USE_USER2USER),
    NAMED(KRB5KDC_ERR_PATH_NOT_ACCEPTED),
    NAMED(KRB5KDC_ERR_SVC_UNAVAILABLE),
    NAMED(KRB5KRB_AP_ERR_BAD_INTEGRITY),
    NAMED(KRB5KRB_AP_ERR_TKT_EXPIRED),
    NAMED(KRB5KRB_AP_ERR_TKT_NYV),
    NAMED(KRB5KRB_AP_ERR_REPEAT),
    NAMED(KRB5KRB_AP_ERR_NOT_US),
    NAMED(KRB5KRB_AP_ERR_BADMATCH),
    NAMED(KRB5KRB_AP_ERR_SKEW),
    NAMED(KRB5KRB_AP_ERR_BADADDR),
    NAMED(KRB5KRB_AP_ERR_BADVERSION),
    NAMED(KRB5KRB_AP_ERR_MSG_TYPE),
    NAMED(KRB5KRB_AP_ERR_MODIFIED),
    NAMED(KRB5KRB_AP_ERR_BADORDER),
    NAMED(KRB5KRB_AP_ERR_ILL_CR_TKT),
    NAMED(KRB5KRB_AP_ERR_BADKEYVER),
    NAMED(KRB5KRB_AP_ERR_NOKEY),
    NAMED(KRB5KRB_AP_ERR_MUT_FAIL),
    NAMED(KRB5KRB_AP_ERR_BADDIRECTION),
    NAMED(KRB5KRB_AP_ERR_METHOD),
    NAMED(KRB5KRB_AP_ERR_BADSEQ),
    NAMED(KRB5KRB_AP_ERR_INAPP_CKSUM),
    NAMED(KRB5KRB_AP_PATH_NOT_ACCEPTED),
    NAMED(KRB5KRB_ERR_RESPONSE_TOO_BIG),
    NAMED(KRB5KRB_ERR_GENERIC),
    NAMED(KRB5KRB_ERR_FIELD_TOOLONG),
    NAMED(KRB5KDC_ERR_CLIENT_NOT_TRUSTED),
    NAMED(KRB5KDC_ERR_KDC_NOT_TRUSTED),
    NAMED(KRB5KDC_ERR_INVALID_SIG),
    NAMED(KRB5KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED),
    NAMED(KRB5KDC_ERR_CERTIFICATE_MISMATCH),
    NAMED(KRB5KRB_AP_ERR_NO_TGT),
    NAMED(KRB5KDC_ERR_WRONG_REALM),
    NAMED(KRB5KRB_AP_ERR_USER_TO_USER_REQUIRED),
    NAMED(KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE),
    NAMED(KRB5KDC_ERR_INVALID_CERTIFICATE),
    NAMED(KRB5KDC_ERR_REVOKED_CERTIFICATE),
    NAMED(KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN),
    NAMED(KRB5KDC_ERR_REVOCATION_STATUS_UNAVAILABLE),
    NAMED(KRB5KDC_ERR_CLIENT_NAME_MISMATCH),
    NAMED(KRB5KDC_ERR_KDC_NAME_MISMATCH),
    NAMED(KRB5KDC_ERR_PREAUTH_EXPIRED),
    NAMED(KRB5KDC_ERR_MORE_PREAUTH_DATA_REQUIRED),
    NAMED(KRB5KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION),
    NAMED(KRB5KDC_ERR_NO_ACCEPTABLE_KDF),
};

/* Library codes with no protocol number that scenarios name. */
static const struct named_code mit_libs[] = {
    NAMED(KRB5_KDC_UNREACH),
    NAMED(KRB5_REALM_UNKNOWN),
    NAMED(KRB5_REALM_CANT_RESOLVE),
    NAMED(KRB5_PREAUTH_FAILED),
    NAMED(KRB5_GET_IN_TKT_LOOP),
    NAMED(KRB5_KDCREP_SKEW),
    NAMED(KRB5_KDCREP_MODIFIED),
    NAMED(KRB5_KT_NOTFOUND),
    NAMED(KRB5_KT_KVNONOTFOUND),
    NAMED(KRB5_CC_NOTFOUND),
    NAMED(KRB5_FCC_NOFILE),
    NAMED(KRB5_LIBOS_CANTREADPWD),
    NAMED(KRB5_CHPW_FAIL),
    NAMED(KRB5KRB_AP_WRONG_PRINC),
    NAMED(KRB5KRB_AP_ERR_TKT_INVALID),
    NAMED(KRB5_RC_REPLAY),
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Parse text and assert it is the protocol error code proto. */
#define ASSERT_PARSES_PROTO(text, code)                                       \
    assert_parses_proto(__LINE__, (text), (code))

/* Record an assertion that text parses as protocol error proto. */
static void
assert_parses_proto(int line, const char *text, int proto)
{
    kf_outcome o;
    char msg[256];
    bool ok = kf_outcome_parse(text, &o);

    snprintf(msg, sizeof(msg), "'%s' parses as protocol error %d", text,
             proto);
    CU_assertImplementation(ok && o.kind == KF_OUT_PROTO && o.proto == proto &&
                                o.lib == ERROR_TABLE_BASE_krb5 + proto,
                            (unsigned int)line, msg, __FILE__, "", CU_FALSE);
}

/* Assert that text parses as no outcome. */
#define ASSERT_REJECTS(text) assert_rejects(__LINE__, (text))

/* Record an assertion that text is not a known outcome. */
static void
assert_rejects(int line, const char *text)
{
    kf_outcome o;
    char msg[256];

    snprintf(msg, sizeof(msg), "'%s' is rejected", text);
    CU_assertImplementation(!kf_outcome_parse(text, &o), (unsigned int)line,
                            msg, __FILE__, "", CU_FALSE);
}

/* The header's codes have the numbers RFC 4120 section 7.5.9 gives them,
 * so the tests below may use either. */
static void
test_rfc_numbers(void)
{
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KDC_ERR_NONE), 0);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN), 6);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KDC_ERR_KEY_EXP), 23);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KDC_ERR_PREAUTH_FAILED), 24);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KDC_ERR_PREAUTH_REQUIRED), 25);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KRB_AP_ERR_BAD_INTEGRITY), 31);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KRB_AP_ERR_SKEW), 37);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KRB_AP_ERR_MODIFIED), 41);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KRB_AP_ERR_BADKEYVER), 44);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KRB_ERR_RESPONSE_TOO_BIG), 52);
    CU_ASSERT_EQUAL(PROTO_OF(KRB5KDC_ERR_WRONG_REALM), 68);
}

/* Well-known protocol numbers carry their RFC 4120 names. */
static void
test_proto_name_known(void)
{
    ASSERT_STR(kf_proto_name(0), "KDC_ERR_NONE");
    ASSERT_STR(kf_proto_name(6), "KDC_ERR_C_PRINCIPAL_UNKNOWN");
    ASSERT_STR(kf_proto_name(7), "KDC_ERR_S_PRINCIPAL_UNKNOWN");
    ASSERT_STR(kf_proto_name(14), "KDC_ERR_ETYPE_NOSUPP");
    ASSERT_STR(kf_proto_name(18), "KDC_ERR_CLIENT_REVOKED");
    ASSERT_STR(kf_proto_name(23), "KDC_ERR_KEY_EXPIRED");
    ASSERT_STR(kf_proto_name(24), "KDC_ERR_PREAUTH_FAILED");
    ASSERT_STR(kf_proto_name(25), "KDC_ERR_PREAUTH_REQUIRED");
    ASSERT_STR(kf_proto_name(31), "KRB_AP_ERR_BAD_INTEGRITY");
    ASSERT_STR(kf_proto_name(32), "KRB_AP_ERR_TKT_EXPIRED");
    ASSERT_STR(kf_proto_name(37), "KRB_AP_ERR_SKEW");
    ASSERT_STR(kf_proto_name(41), "KRB_AP_ERR_MODIFIED");
    ASSERT_STR(kf_proto_name(44), "KRB_AP_ERR_BADKEYVER");
    ASSERT_STR(kf_proto_name(52), "KRB_ERR_RESPONSE_TOO_BIG");
    ASSERT_STR(kf_proto_name(60), "KRB_ERR_GENERIC");
    ASSERT_STR(kf_proto_name(68), "KDC_ERR_WRONG_REALM");
}

/* Numbers RFC 4120 leaves unassigned, and numbers outside 0..127, have
 * no name. */
static void
test_proto_name_unknown(void)
{
    int n;

    ASSERT_STR(kf_proto_name(30), NULL);
    for (n = 53; n <= 59; n++)
        ASSERT_STR(kf_proto_name(n), NULL);
    ASSERT_STR(kf_proto_name(127), NULL);
    ASSERT_STR(kf_proto_name(128), NULL);
    ASSERT_STR(kf_proto_name(-1), NULL);
    ASSERT_STR(kf_proto_name(PROTO_OF(KRB5_KDC_UNREACH)), NULL);
}

/* Every MIT protocol code has its macro's name as MIT name and, but for
 * two MIT spellings, that name less "KRB5" as RFC name. */
static void
test_lib_name_protocol(void)
{
    size_t i;
    char want[128];

    for (i = 0; i < N_ELEMS(mit_protos); i++) {
        const char *rfc = kf_proto_name(PROTO_OF(mit_protos[i].code));

        ASSERT_STR(kf_lib_name(mit_protos[i].code), mit_protos[i].name);
        CU_ASSERT_PTR_NOT_NULL(rfc);
        if (rfc == NULL)
            continue;
        if (mit_protos[i].code == KRB5KDC_ERR_KEY_EXP)
            snprintf(want, sizeof(want), "KDC_ERR_KEY_EXPIRED");
        else if (mit_protos[i].code ==
                 KRB5KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION)
            snprintf(want, sizeof(want),
                     "KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS");
        else
            snprintf(want, sizeof(want), "%s", mit_protos[i].name + 4);
        ASSERT_STR(rfc, want);
    }
}

/* Library-only codes have their MIT names; unknown codes have none. */
static void
test_lib_name_library(void)
{
    size_t i;

    for (i = 0; i < N_ELEMS(mit_libs); i++)
        ASSERT_STR(kf_lib_name(mit_libs[i].code), mit_libs[i].name);
    ASSERT_STR(kf_lib_name(KRB5KDC_ERR_NONE), "KRB5KDC_ERR_NONE");
    ASSERT_STR(kf_lib_name(0), NULL);
    ASSERT_STR(kf_lib_name(12345), NULL);
    ASSERT_STR(kf_lib_name(KRB5PLACEHOLD_30), NULL);
    ASSERT_STR(kf_lib_name(ERROR_TABLE_BASE_krb5 + 127), NULL);
}

/* RFC spellings, MIT spellings and numbers all name the same outcome. */
static void
test_parse_spellings(void)
{
    kf_outcome o;

    ASSERT_PARSES_PROTO("KRB_AP_ERR_BADKEYVER", 44);
    ASSERT_PARSES_PROTO("KRB5KRB_AP_ERR_BADKEYVER", 44);
    ASSERT_PARSES_PROTO("44", 44);
    ASSERT_PARSES_PROTO("0x2c", 44);
    ASSERT_PARSES_PROTO("0x2C", 44);
    ASSERT_PARSES_PROTO("KDC_ERR_KEY_EXPIRED", 23);
    ASSERT_PARSES_PROTO("KRB5KDC_ERR_KEY_EXP", 23);
    ASSERT_PARSES_PROTO("KRB_AP_ERR_SKEW", 37);
    ASSERT_PARSES_PROTO("0x25", 37);
    ASSERT_PARSES_PROTO("KDC_ERR_C_PRINCIPAL_UNKNOWN", 6);
    ASSERT_PARSES_PROTO("6", 6);
    ASSERT_PARSES_PROTO("KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS", 93);
    ASSERT_PARSES_PROTO("1", 1);

    CU_ASSERT_TRUE(kf_outcome_parse("success", &o));
    CU_ASSERT_EQUAL(o.kind, KF_OUT_SUCCESS);
    CU_ASSERT_EQUAL(o.lib, 0);
}

/* Library-only names parse as library outcomes with their MIT codes. */
static void
test_parse_library(void)
{
    kf_outcome o;
    size_t i;

    for (i = 0; i < N_ELEMS(mit_libs); i++) {
        memset(&o, 0, sizeof(o));
        CU_ASSERT_TRUE(kf_outcome_parse(mit_libs[i].name, &o));
        CU_ASSERT_EQUAL(o.kind, KF_OUT_LIBRARY);
        CU_ASSERT_EQUAL(o.lib, mit_libs[i].code);
    }
}

/* Unknown names, numbers without a name, and partial numbers are no
 * outcome. */
static void
test_parse_rejects(void)
{
    ASSERT_REJECTS("");
    ASSERT_REJECTS("0");
    ASSERT_REJECTS("00");
    ASSERT_REJECTS("0x0");
    ASSERT_REJECTS("128");
    ASSERT_REJECTS("0x80");
    ASSERT_REJECTS("99999999999999999999");
    ASSERT_REJECTS("-1");
    ASSERT_REJECTS("-37");
    ASSERT_REJECTS("+37");
    ASSERT_REJECTS("30");
    ASSERT_REJECTS("127");
    ASSERT_REJECTS("abc");
    ASSERT_REJECTS("44x");
    ASSERT_REJECTS("44 ");
    ASSERT_REJECTS(" 44");
    ASSERT_REJECTS("0x");
    ASSERT_REJECTS("0x2g");
    ASSERT_REJECTS("4.4");
    ASSERT_REJECTS("KRB_AP_ERR_SKEWED");
    ASSERT_REJECTS("KRB_AP_ERR_SKEW ");
    ASSERT_REJECTS("KRB5KRB_AP_ERR_SKEWED");
    ASSERT_REJECTS("KDC_ERR_NONE");
    ASSERT_REJECTS("KRB5KDC_ERR_NONE");
    ASSERT_REJECTS("KRB5PLACEHOLD_30");
    ASSERT_REJECTS("successful");
}

/* Every named protocol code 1..127 round-trips through its RFC name, its
 * MIT name, its decimal and hex forms, and the display form; unnamed
 * codes do not parse. */
static void
test_round_trip(void)
{
    int code, named = 0;
    char text[32], buf[128], want[128];

    for (code = 1; code <= 127; code++) {
        const char *rfc = kf_proto_name(code);
        const char *mit = kf_lib_name(ERROR_TABLE_BASE_krb5 + code);
        kf_outcome o;

        snprintf(text, sizeof(text), "%d", code);
        if (rfc == NULL) {
            ASSERT_REJECTS(text);
            continue;
        }
        named++;
        ASSERT_PARSES_PROTO(rfc, code);
        ASSERT_PARSES_PROTO(text, code);
        snprintf(text, sizeof(text), "0x%x", code);
        ASSERT_PARSES_PROTO(text, code);
        CU_ASSERT_PTR_NOT_NULL(mit);
        if (mit != NULL)
            ASSERT_PARSES_PROTO(mit, code);
        if (!kf_outcome_parse(rfc, &o))
            continue;
        kf_outcome_format(&o, buf, sizeof(buf));
        snprintf(want, sizeof(want), "%s (%d, 0x%x)", rfc, code, code);
        ASSERT_STR(buf, want);
        ASSERT_STR(kf_outcome_name(&o), rfc);
    }
    /* Guard against a vacuous pass: every MIT protocol code above is
     * named, so at least that many codes were checked. */
    CU_ASSERT_TRUE(named >= (int)N_ELEMS(mit_protos));
}

/* Library return codes become success, protocol or library outcomes, with
 * 0..127 above the table base as the protocol range. */
static void
test_from_lib(void)
{
    kf_outcome o;

    o = kf_outcome_from_lib(0);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_SUCCESS);
    CU_ASSERT_EQUAL(o.lib, 0);

    o = kf_outcome_from_lib(KRB5KRB_AP_ERR_SKEW);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_PROTO);
    CU_ASSERT_EQUAL(o.proto, 37);
    CU_ASSERT_EQUAL(o.lib, KRB5KRB_AP_ERR_SKEW);

    o = kf_outcome_from_lib(KRB5KDC_ERR_PREAUTH_FAILED);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_PROTO);
    CU_ASSERT_EQUAL(o.proto, 24);

    o = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 + 127);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_PROTO);
    CU_ASSERT_EQUAL(o.proto, 127);

    o = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 + 128);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_LIBRARY);
    CU_ASSERT_EQUAL(o.lib, ERROR_TABLE_BASE_krb5 + 128);

    o = kf_outcome_from_lib(KRB5_KDC_UNREACH);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_LIBRARY);
    CU_ASSERT_EQUAL(o.lib, KRB5_KDC_UNREACH);

    o = kf_outcome_from_lib(KRB5KRB_AP_WRONG_PRINC);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_LIBRARY);

    o = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 - 1);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_LIBRARY);

    o = kf_outcome_from_lib(ENOMEM);
    CU_ASSERT_EQUAL(o.kind, KF_OUT_LIBRARY);
    CU_ASSERT_EQUAL(o.lib, ENOMEM);
}

/* An expectation matches an observation of the same kind and code only. */
static void
test_matches(void)
{
    kf_outcome skew, skew_hex, badkeyver, unreach, kt, ok;
    kf_outcome obs_skew = kf_outcome_from_lib(KRB5KRB_AP_ERR_SKEW);
    kf_outcome obs_rep_skew = kf_outcome_from_lib(KRB5_KDCREP_SKEW);
    kf_outcome obs_unreach = kf_outcome_from_lib(KRB5_KDC_UNREACH);
    kf_outcome obs_ok = kf_outcome_from_lib(0);

    CU_ASSERT_FATAL(kf_outcome_parse("KRB_AP_ERR_SKEW", &skew));
    CU_ASSERT_FATAL(kf_outcome_parse("0x25", &skew_hex));
    CU_ASSERT_FATAL(kf_outcome_parse("KRB_AP_ERR_BADKEYVER", &badkeyver));
    CU_ASSERT_FATAL(kf_outcome_parse("KRB5_KDC_UNREACH", &unreach));
    CU_ASSERT_FATAL(kf_outcome_parse("KRB5_KT_NOTFOUND", &kt));
    CU_ASSERT_FATAL(kf_outcome_parse("success", &ok));

    CU_ASSERT_TRUE(kf_outcome_matches(&skew, &obs_skew));
    CU_ASSERT_TRUE(kf_outcome_matches(&skew_hex, &obs_skew));
    CU_ASSERT_TRUE(kf_outcome_matches(&skew, &skew_hex));
    CU_ASSERT_FALSE(kf_outcome_matches(&badkeyver, &obs_skew));
    CU_ASSERT_FALSE(kf_outcome_matches(&skew, &obs_rep_skew));
    CU_ASSERT_FALSE(kf_outcome_matches(&skew, &obs_ok));
    CU_ASSERT_FALSE(kf_outcome_matches(&skew, &obs_unreach));

    CU_ASSERT_TRUE(kf_outcome_matches(&unreach, &obs_unreach));
    CU_ASSERT_FALSE(kf_outcome_matches(&kt, &obs_unreach));
    CU_ASSERT_FALSE(kf_outcome_matches(&unreach, &obs_skew));
    CU_ASSERT_FALSE(kf_outcome_matches(&unreach, &obs_ok));

    CU_ASSERT_TRUE(kf_outcome_matches(&ok, &obs_ok));
    CU_ASSERT_FALSE(kf_outcome_matches(&ok, &obs_skew));
    CU_ASSERT_FALSE(kf_outcome_matches(&ok, &obs_unreach));
}

/* The display form names the outcome and gives its numbers, and never
 * overflows the buffer. */
static void
test_format(void)
{
    kf_outcome o;
    char buf[128], want[128];

    CU_ASSERT_FATAL(kf_outcome_parse("KRB5KRB_AP_ERR_BADKEYVER", &o));
    kf_outcome_format(&o, buf, sizeof(buf));
    ASSERT_STR(buf, "KRB_AP_ERR_BADKEYVER (44, 0x2c)");

    o = kf_outcome_from_lib(KRB5KDC_ERR_KEY_EXP);
    kf_outcome_format(&o, buf, sizeof(buf));
    ASSERT_STR(buf, "KDC_ERR_KEY_EXPIRED (23, 0x17)");

    o = kf_outcome_from_lib(0);
    kf_outcome_format(&o, buf, sizeof(buf));
    ASSERT_STR(buf, "success");
    ASSERT_STR(kf_outcome_name(&o), "success");

    o = kf_outcome_from_lib(KRB5_KDC_UNREACH);
    kf_outcome_format(&o, buf, sizeof(buf));
    snprintf(want, sizeof(want), "KRB5_KDC_UNREACH (%ld)",
             (long)KRB5_KDC_UNREACH);
    ASSERT_STR(buf, want);
    ASSERT_STR(kf_outcome_name(&o), "KRB5_KDC_UNREACH");

    /* Codes without a name still show their numbers. */
    o = kf_outcome_from_lib(ERROR_TABLE_BASE_krb5 + 30);
    kf_outcome_format(&o, buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "(30, 0x1e)"));
    CU_ASSERT_PTR_NOT_NULL(kf_outcome_name(&o));

    o = kf_outcome_from_lib(12345);
    kf_outcome_format(&o, buf, sizeof(buf));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "(12345)"));
    CU_ASSERT_PTR_NOT_NULL(kf_outcome_name(&o));

    /* A short buffer holds a terminated prefix and nothing beyond. */
    memset(buf, 'X', sizeof(buf));
    CU_ASSERT_FATAL(kf_outcome_parse("KRB_AP_ERR_SKEW", &o));
    kf_outcome_format(&o, buf, 8);
    ASSERT_STR(buf, "KRB_AP_");
    CU_ASSERT_EQUAL(buf[8], 'X');
}

/* A protocol number written in decimal with a leading zero is still
 * decimal (the header promises decimal or 0x hex), or is rejected; it
 * must never be read as octal. */
static void
test_bug_leading_zero(void)
{
    kf_outcome o;

    if (kf_outcome_parse("044", &o)) {
        CU_ASSERT_EQUAL(o.kind, KF_OUT_PROTO);
        CU_ASSERT_EQUAL(o.proto, 44);
    }
    if (kf_outcome_parse("010", &o))
        CU_ASSERT_EQUAL(o.proto, 10);
    /* "08" and "010" must agree: both decimal or both rejected. */
    CU_ASSERT_EQUAL(kf_outcome_parse("08", &o), kf_outcome_parse("010", &o));
}

/* Register the error code suites with CUnit; return 0 on success. */
int
kf_add_errcodes_suite(void)
{
    CU_pSuite s = CU_add_suite("errcodes", NULL, NULL);
    CU_pSuite bugs = CU_add_suite("errcodes (regressions)", NULL, NULL);

    if (s == NULL || bugs == NULL)
        return -1;
    if (CU_add_test(s, "RFC 4120 numbers in krb5.h", test_rfc_numbers) ==
            NULL ||
        CU_add_test(s, "kf_proto_name: well-known codes",
                    test_proto_name_known) == NULL ||
        CU_add_test(s, "kf_proto_name: unnamed codes",
                    test_proto_name_unknown) == NULL ||
        CU_add_test(s, "kf_lib_name: protocol codes",
                    test_lib_name_protocol) == NULL ||
        CU_add_test(s, "kf_lib_name: library codes", test_lib_name_library) ==
            NULL ||
        CU_add_test(s, "kf_outcome_parse: spellings", test_parse_spellings) ==
            NULL ||
        CU_add_test(s, "kf_outcome_parse: library names",
                    test_parse_library) == NULL ||
        CU_add_test(s, "kf_outcome_parse: rejects", test_parse_rejects) ==
            NULL ||
        CU_add_test(s, "round trip of every named code", test_round_trip) ==
            NULL ||
        CU_add_test(s, "kf_outcome_from_lib", test_from_lib) == NULL ||
        CU_add_test(s, "kf_outcome_matches", test_matches) == NULL ||
        CU_add_test(s, "kf_outcome_format", test_format) == NULL ||
        CU_add_test(bugs, "a leading zero is not octal",
                    test_bug_leading_zero) == NULL)
        return -1;
    return 0;
}
