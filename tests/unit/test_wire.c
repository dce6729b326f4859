/* Unit tests of the Kerberos wire decoder, on messages libkrb5 makes. */
#include <CUnit/CUnit.h>
#include <krb5/krb5.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "krbmsg.h"

/* A krb5 context that reads no system configuration. */
static krb5_context
test_context(void)
{
    krb5_context ctx = NULL;

    setenv("KRB5_CONFIG", "/dev/null", 1);
    CU_ASSERT_EQUAL_FATAL(krb5_init_context(&ctx), 0);
    return ctx;
}

/* Encode a KRB-ERROR with krb5_mk_error. */
static krb5_data
make_error(krb5_context ctx, int code, const char *text)
{
    krb5_error err;
    krb5_data out = {0};
    krb5_principal server = NULL;

    memset(&err, 0, sizeof(err));
    CU_ASSERT_EQUAL_FATAL(
        krb5_parse_name(ctx, "HTTP/web.nekomaru.local@NEKOMARU.LOCAL",
                        &server),
        0);
    err.error = (krb5_ui_4)code;
    err.server = server;
    err.stime = 1700000000;
    err.text.data = (char *)text;
    err.text.length = (unsigned int)strlen(text);
    CU_ASSERT_EQUAL_FATAL(krb5_mk_error(ctx, &err, &out), 0);
    krb5_free_principal(ctx, server);
    return out;
}

/* A KRB-ERROR's code, e-text, server and realm are read. */
static void
test_krb_error(void)
{
    krb5_context ctx = test_context();
    krb5_data d = make_error(ctx, 44, "kvno 2 not found in keytab");
    kf_krbmsg m;

    CU_ASSERT_EQUAL_FATAL(
        kf_krbmsg_decode((const uint8_t *)d.data, d.length, &m), 0);
    CU_ASSERT_EQUAL(m.msg_type, KF_MSG_KRB_ERROR);
    CU_ASSERT_EQUAL(m.error_code, 44);
    ASSERT_STR(m.etext, "kvno 2 not found in keytab");
    ASSERT_STR(m.sname, "HTTP/web.nekomaru.local");
    ASSERT_STR(m.srealm, "NEKOMARU.LOCAL");
    ASSERT_STR(kf_krbmsg_type_name(m.msg_type), "KRB-ERROR");
    krb5_free_data_contents(ctx, &d);
    krb5_free_context(ctx);
}

/* The first AS-REQ of a logon is read: client, realm, server, etypes. */
static void
test_as_req(void)
{
    krb5_context ctx = test_context();
    krb5_principal client = NULL;
    krb5_init_creds_context icc = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_data in = {0}, req = {0}, realm = {0};
    krb5_enctype etypes[2] = {ENCTYPE_AES256_CTS_HMAC_SHA1_96,
                              ENCTYPE_ARCFOUR_HMAC};
    unsigned int flags = 0;
    kf_krbmsg m;

    CU_ASSERT_EQUAL_FATAL(
        krb5_parse_name(ctx, "nekoneko@NEKOMARU.LOCAL", &client), 0);
    CU_ASSERT_EQUAL_FATAL(krb5_get_init_creds_opt_alloc(ctx, &opt), 0);
    krb5_get_init_creds_opt_set_etype_list(opt, etypes, 2);
    CU_ASSERT_EQUAL_FATAL(
        krb5_init_creds_init(ctx, client, NULL, NULL, 0, opt, &icc), 0);
    CU_ASSERT_EQUAL_FATAL(
        krb5_init_creds_step(ctx, icc, &in, &req, &realm, &flags), 0);
    CU_ASSERT_EQUAL_FATAL(
        kf_krbmsg_decode((const uint8_t *)req.data, req.length, &m), 0);
    CU_ASSERT_EQUAL(m.msg_type, KF_MSG_AS_REQ);
    ASSERT_STR(m.cname, "nekoneko");
    ASSERT_STR(m.srealm, "NEKOMARU.LOCAL");
    ASSERT_STR(m.sname, "krbtgt/NEKOMARU.LOCAL");
    CU_ASSERT_EQUAL_FATAL(m.n_etypes, 2);
    CU_ASSERT_EQUAL(m.etypes[0], 18);
    CU_ASSERT_EQUAL(m.etypes[1], 23);
    CU_ASSERT_TRUE(m.has_kdc_options);
    CU_ASSERT_EQUAL(m.error_code, -1);
    krb5_free_data_contents(ctx, &req);
    krb5_free_data_contents(ctx, &realm);
    krb5_init_creds_free(ctx, icc);
    krb5_get_init_creds_opt_free(ctx, opt);
    krb5_free_principal(ctx, client);
    krb5_free_context(ctx);
}

/* Every truncation and many corruptions of a message are refused or
 * read without touching memory outside the buffer (ASan checks). */
static void
test_hostile(void)
{
    krb5_context ctx = test_context();
    krb5_data d = make_error(ctx, 24, "Preauthentication failed");
    kf_krbmsg m;
    uint8_t *copy;
    size_t n, i;
    unsigned seed = 1;

    for (n = 0; n < d.length; n++) {
        copy = malloc(n ? n : 1);
        memcpy(copy, d.data, n);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(copy, n, &m), -1);
        free(copy);
    }
    copy = malloc(d.length);
    for (i = 0; i < 20000; i++) {
        memcpy(copy, d.data, d.length);
        copy[rand_r(&seed) % d.length] = (uint8_t)rand_r(&seed);
        copy[rand_r(&seed) % d.length] = (uint8_t)rand_r(&seed);
        (void)kf_krbmsg_decode(copy, d.length, &m);
    }
    free(copy);
    /* Lengths claiming more than the buffer, and long-form lengths. */
    {
        static const uint8_t big[] = {0x7e, 0x84, 0x7f, 0xff, 0xff, 0xff};
        static const uint8_t deep[] = {0x7e, 0x03, 0x30, 0x01, 0xa1};
        static const uint8_t notkrb[] = {0x30, 0x03, 0x02, 0x01, 0x05};

        CU_ASSERT_EQUAL(kf_krbmsg_decode(big, sizeof(big), &m), -1);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(deep, sizeof(deep), &m), -1);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(notkrb, sizeof(notkrb), &m), -1);
        CU_ASSERT_EQUAL(kf_krbmsg_decode(NULL, 0, &m), -1);
    }
    krb5_free_data_contents(ctx, &d);
    krb5_free_context(ctx);
}

/* Names of padata types. */
static void
test_names(void)
{
    ASSERT_STR(kf_padata_name(2), "PA-ENC-TIMESTAMP");
    ASSERT_STR(kf_padata_name(19), "PA-ETYPE-INFO2");
    ASSERT_STR(kf_padata_name(136), "PA-FX-FAST");
    CU_ASSERT_PTR_NULL(kf_padata_name(9999));
    ASSERT_STR(kf_krbmsg_type_name(99), "?");
}

int
kf_add_wire_suite(void)
{
    CU_pSuite s = CU_add_suite("wire decoder", NULL, NULL);

    if (s == NULL || CU_add_test(s, "KRB-ERROR", test_krb_error) == NULL ||
        CU_add_test(s, "AS-REQ", test_as_req) == NULL ||
        CU_add_test(s, "hostile input", test_hostile) == NULL ||
        CU_add_test(s, "names", test_names) == NULL)
        return -1;
    return 0;
}
