/* Unit tests of the service-side model: host accounts, keys_of, the
 * target fields of ap_req, http and curl, the event view, Negotiate
 * tokens, and which component plays which personality. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lab.h"
#include "labdns.h"
#include "negotiate.h"
#include "personality.h"
#include "scenario.h"

#define NAME "s.yaml"

/* A valid scenario; the cases below append to its hosts, principals,
 * steps and expectations (lines 8, 12, 16 and 20 are placeholders). */
static const char *const tmpl[] = {
    /* 1 */ "id: svc",
    /* 2 */ "title: Service",
    /* 3 */ "source: {document: 000_b1ccc18935cb57f0.txt}",
    /* 4 */ "story: A story.",
    /* 5 */ "realm: NEKOMARU.LOCAL",
    /* 6 */ "kdcs: [DC01]",
    /* 7 */ "hosts:",
    /* 8 */ "  - {name: SV01, fqdn: web.nekomaru.local}",
    /* 9 */ "principals:",
    /* 10 */ "  - {name: nekoneko, password: Neko-Pass1}",
    /* 11 */ "  - {name: web, password: Web-Pass1}",
    /* 12 */ "  - {name: HTTP/web.nekomaru.local, keys_of: web}",
    /* 13 */ "actors:",
    /* 14 */ "  - {name: nekoneko, principal: nekoneko}",
    /* 15 */ "steps:",
    /* 16 */ "  - {id: s, action: http, actor: nekoneko, host: SV01}",
    /* 17 */ "expect:",
    /* 18 */ "  - step: s",
    /* 19 */ "    mit: {library: success}",
    /* 20 */ "    ad: {library: success}",
    /* 21 */ "dns: {canonicalize: false, rdns: false}",
};

#define N_TMPL (sizeof(tmpl) / sizeof(tmpl[0]))

/* Return the template with line n (1-based) replaced by text; caller
 * frees. */
static char *
with_line(size_t n, const char *text)
{
    size_t i, len = 0, off = 0;
    char *out;

    for (i = 0; i < N_TMPL; i++)
        len += strlen(i + 1 == n ? text : tmpl[i]) + 1;
    out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    for (i = 0; i < N_TMPL; i++) {
        const char *t = i + 1 == n ? text : tmpl[i];

        memcpy(out + off, t, strlen(t));
        off += strlen(t);
        out[off++] = '\n';
    }
    out[off] = '\0';
    return out;
}

/* Load doc; return the model or NULL with *err set. */
static kf_scenario *
load(const char *doc, char **err)
{
    kf_scenario *sc = NULL;

    *err = NULL;
    if (doc == NULL ||
        kf_scenario_load_buffer(NAME, doc, strlen(doc), &sc, err) != 0)
        return NULL;
    return sc;
}

/* Assert that the template with line n replaced fails to load with an
 * error at line:col containing phrase. */
#define EXPECT_ERR(n, text, line, col, phrase)                                \
    expect_err(__LINE__, (n), (text), (line), (col), (phrase))

static void
expect_err(int at, size_t n, const char *text, int line, int col,
           const char *phrase)
{
    char *doc = with_line(n, text), *err = NULL, where[64], msg[1024];
    kf_scenario *sc = load(doc, &err);
    bool ok;

    snprintf(where, sizeof(where), "%s:%d:%d: ", NAME, line, col);
    ok = sc == NULL && err != NULL &&
         strncmp(err, where, strlen(where)) == 0 &&
         strstr(err, phrase) != NULL;
    snprintf(msg, sizeof(msg), "expected \"%s...%s...\", got %s", where,
             phrase, err != NULL ? err : "(it loaded)");
    CU_assertImplementation(ok, (unsigned int)at, msg, __FILE__, "", CU_FALSE);
    kf_scenario_free(sc);
    free(err);
    free(doc);
}

/* Load the template with line n replaced, which must be valid. */
static kf_scenario *
load_ok(size_t n, const char *text)
{
    char *doc = with_line(n, text), *err = NULL;
    kf_scenario *sc = load(doc, &err);

    if (sc == NULL)
        fprintf(stderr, "\nunexpected error: %s\n", err ? err : "?");
    CU_ASSERT_PTR_NOT_NULL(sc);
    free(err);
    free(doc);
    return sc;
}

/* A host runs as its machine account unless it names another. */
static void
test_host_account(void)
{
    kf_scenario *sc = load_ok(8, "  - {name: SV01, fqdn: a.b}\n"
                                 "  - {name: sv03}");

    if (sc != NULL) {
        ASSERT_STR(sc->hosts[0].account, "SV01$");
        ASSERT_STR(sc->hosts[1].account, "SV03$");
    }
    kf_scenario_free(sc);
    sc = load_ok(8, "  - {name: SV01, account: web, fqdn: a.b}");
    if (sc != NULL)
        ASSERT_STR(sc->hosts[0].account, "web");
    kf_scenario_free(sc);
    EXPECT_ERR(8, "  - {name: SV01, account: web@NEKOMARU.LOCAL}", 8, 27,
               "account 'web@NEKOMARU.LOCAL' is an account name");
}

/* keys_of names a declared owner that holds keys of its own, and the
 * holder sets none of its own. */
static void
test_keys_of(void)
{
    kf_scenario *sc = load_ok(12, tmpl[11]);

    if (sc != NULL)
        ASSERT_STR(sc->principals[2].keys_of, "web");
    kf_scenario_free(sc);
    EXPECT_ERR(12, "  - {name: HTTP/web.nekomaru.local, keys_of: webb}", 12,
               46, "takes the keys of 'webb', which is not declared");
    EXPECT_ERR(12,
               "  - {name: HTTP/web.nekomaru.local, keys_of: "
               "HTTP/web.nekomaru.local}",
               12, 46, "which is itself");
    EXPECT_ERR(12,
               "  - {name: HTTP/web.nekomaru.local, keys_of: web, "
               "password: x}",
               12, 5, "it takes no password, enctypes or kvno of its own");
    EXPECT_ERR(11, "  - {name: web, keys_of: HTTP/web.nekomaru.local}", 11, 26,
               "which holds the keys of 'web' itself");
}

/* ap_req names one of host and hostname; with hostname, service is a
 * service type. */
static void
test_ap_req_target(void)
{
    static const char hostname_step[] =
        "  - {id: s, action: ap_req, actor: nekoneko, service: HTTP, "
        "hostname: web.nekomaru.local}";
    char *doc;
    kf_scenario *sc = load_ok(16, hostname_step);

    if (sc != NULL) {
        ASSERT_STR(kf_step_str(&sc->steps[0], "hostname"),
                   "web.nekomaru.local");
        ASSERT_STR(kf_step_str(&sc->steps[0], "service"), "HTTP");
    }
    kf_scenario_free(sc);
    EXPECT_ERR(16,
               "  - {id: s, action: ap_req, actor: nekoneko, service: HTTP}",
               16, 5, "one of 'host' and 'hostname'");
    EXPECT_ERR(16,
               "  - {id: s, action: ap_req, actor: nekoneko, service: HTTP, "
               "host: SV01, hostname: web.nekomaru.local}",
               16, 5, "one of 'host' and 'hostname'");
    EXPECT_ERR(16,
               "  - {id: s, action: ap_req, actor: nekoneko, "
               "service: HTTP/web.nekomaru.local, "
               "hostname: web.nekomaru.local}",
               16, 55, "service is a service type such as HTTP");
    EXPECT_ERR(16,
               "  - {id: s, action: ap_req, actor: nekoneko, service: HTTP, "
               "hostname: web_1.local}",
               16, 71, "'web_1.local' is not a host name");
    /* Without the lab's DNS nothing may be resolved. */
    doc = with_line(16, hostname_step);
    if (doc != NULL && strstr(doc, "dns: ") != NULL) {
        char *err = NULL;

        *strstr(doc, "dns: ") = '\0';
        sc = load(doc, &err);
        CU_ASSERT_PTR_NULL(sc);
        CU_ASSERT(err != NULL &&
                  strstr(err, "s.yaml:16:71: a name to resolve needs the "
                              "lab's dns block") != NULL);
        kf_scenario_free(sc);
        free(err);
    }
    free(doc);
}

/* http and curl name one of host, hostname and url; URLs carry no port;
 * a host they name needs an fqdn. */
static void
test_http_target(void)
{
    kf_scenario *sc = load_ok(16, "  - {id: s, action: curl, actor: "
                                  "nekoneko, url: http://web.nekomaru.local"
                                  "/a/b, timeout: 10s}");
    char host[64], path[64];

    if (sc != NULL)
        ASSERT_STR(kf_step_str(&sc->steps[0], "url"),
                   "http://web.nekomaru.local/a/b");
    kf_scenario_free(sc);
    CU_ASSERT_TRUE(kf_parse_url("http://web.example.test", host, sizeof(host),
                                path, sizeof(path)));
    ASSERT_STR(host, "web.example.test");
    ASSERT_STR(path, "/");
    CU_ASSERT_FALSE(
        kf_parse_url("http://web.example.test:8080/", NULL, 0, NULL, 0));
    CU_ASSERT_FALSE(
        kf_parse_url("https://web.example.test/", NULL, 0, NULL, 0));
    CU_ASSERT_FALSE(
        kf_parse_url("http://u@web.example.test/", NULL, 0, NULL, 0));
    CU_ASSERT_FALSE(kf_valid_hostname("-web.test"));
    CU_ASSERT_FALSE(kf_valid_hostname("web..test"));
    CU_ASSERT_TRUE(kf_valid_hostname("sv03.nekomaru.local"));
    EXPECT_ERR(16, "  - {id: s, action: http, actor: nekoneko}", 16, 5,
               "action http names one of 'host', 'hostname' and 'url'");
    EXPECT_ERR(16,
               "  - {id: s, action: http, actor: nekoneko, "
               "url: http://web.nekomaru.local:80/}",
               16, 49, "is not an http:// URL without port");
    EXPECT_ERR(16,
               "  - {id: s, action: http, actor: nekoneko, "
               "url: http://web.nekomaru.local/, path: /x}",
               16, 83, "a url holds its path already");
    EXPECT_ERR(16,
               "  - {id: s, action: curl, actor: nekoneko, host: SV01, "
               "path: x}",
               16, 62, "'x' is not a URL path");
    EXPECT_ERR(8, "  - {name: SV01}", 16, 50,
               "host 'SV01' has no fqdn, which an HTTP request needs");
}

/* export_keytab's as and kvno rename one principal's keys. */
static void
test_export_as(void)
{
    kf_scenario *sc = load_ok(
        16, "  - {id: s, action: export_keytab, host: SV01, principal: web, "
            "as: HTTP/web.nekomaru.local, kvno: 2}");

    if (sc != NULL) {
        ASSERT_STR(kf_step_str(&sc->steps[0], "as"),
                   "HTTP/web.nekomaru.local");
        ASSERT_STR(kf_step_str(&sc->steps[0], "kvno"), "2");
    }
    kf_scenario_free(sc);
    EXPECT_ERR(16,
               "  - {id: s, action: export_keytab, host: SV01, "
               "principal: [web, nekoneko], as: x}",
               16, 5, "name one principal");
    EXPECT_ERR(16,
               "  - {id: s, action: export_keytab, host: SV01, "
               "principal: web, kvno: 0}",
               16, 70, "'0' must be a number from 1 to 255");
}

/* The library view's http_status, curl_exit and event. */
static void
test_event_view(void)
{
    kf_scenario *sc = load_ok(
        20, "    ad: {library: {error: 41, http_status: 401, curl_exit: 0, "
            "event: {id: 4, server: SV03$, target: HTTP/web.nekomaru.local,"
            " client_realm: A, target_realm: B}}}");
    const kf_lib_expect *le;

    if (sc != NULL) {
        le = &sc->expects[0].pers[KF_PERS_AD].library;
        CU_ASSERT_EQUAL(le->http_status, 401);
        CU_ASSERT_EQUAL(le->curl_exit, 0);
        CU_ASSERT_TRUE(le->has_event);
        CU_ASSERT_EQUAL(le->event.id, 4);
        ASSERT_STR(le->event.server, "SV03$");
        ASSERT_STR(le->event.target, "HTTP/web.nekomaru.local");
        ASSERT_STR(le->event.client_realm, "A");
        ASSERT_STR(le->event.target_realm, "B");
        le = &sc->expects[0].pers[KF_PERS_MIT].library;
        CU_ASSERT_EQUAL(le->curl_exit, -1);
        CU_ASSERT_FALSE(le->has_event);
    }
    kf_scenario_free(sc);
    sc = load_ok(20, "    ad: {library: {error: 44, event: none}}");
    if (sc != NULL) {
        CU_ASSERT_TRUE(sc->expects[0].pers[KF_PERS_AD].library.has_event);
        CU_ASSERT_EQUAL(sc->expects[0].pers[KF_PERS_AD].library.event.id, 0);
    }
    kf_scenario_free(sc);
    EXPECT_ERR(20, "    ad: {library: {error: 41, event: {id: 5}}}", 20, 43,
               "the only client event modelled is System event 4");
    EXPECT_ERR(20, "    ad: {library: {error: 41, event: {server: x}}}", 20,
               38, "event needs its id (4)");
    EXPECT_ERR(20, "    ad: {library: {error: 41, event: yes}}", 20, 38,
               "event is 'none' or a mapping");
    EXPECT_ERR(20, "    ad: {library: {error: 41, http_status: 99}}", 20, 44,
               "http_status must be between 100 and 599");
}

/* A krb5 token inside SPNEGO's initial token and inside a NegTokenResp
 * comes back out with its token id and negState. */
static void
test_tokens(void)
{
    static const uint8_t msg[] = {0x7e, 0x03, 0x02, 0x01, 0x29};
    static const uint8_t spnego_oid[] = {0x06, 0x06, 0x2b, 0x06,
                                         0x01, 0x05, 0x05, 0x02};
    kf_bytes tok = {NULL, 0}, resp = {NULL, 0};
    const uint8_t *m;
    size_t mlen, len;
    int tok_id, neg;
    uint8_t init[256], *p;

    CU_ASSERT_EQUAL(kf_krb5_token(KF_TOK_ERROR, msg, sizeof(msg), &tok), 0);
    CU_ASSERT_EQUAL(
        kf_negotiate_krb5_msg(tok.data, tok.len, &tok_id, &m, &mlen, &neg), 0);
    CU_ASSERT_EQUAL(tok_id, KF_TOK_ERROR);
    CU_ASSERT_EQUAL(neg, -1);
    CU_ASSERT(mlen == sizeof(msg) && memcmp(m, msg, mlen) == 0);

    CU_ASSERT_EQUAL(kf_spnego_resp(KF_NEG_REJECT, tok.data, tok.len, &resp),
                    0);
    CU_ASSERT_EQUAL(kf_negotiate_neg_state(resp.data, resp.len),
                    KF_NEG_REJECT);
    CU_ASSERT_EQUAL(
        kf_negotiate_krb5_msg(resp.data, resp.len, &tok_id, &m, &mlen, &neg),
        0);
    CU_ASSERT_EQUAL(neg, KF_NEG_REJECT);
    CU_ASSERT(mlen == sizeof(msg) && memcmp(m, msg, mlen) == 0);

    /* [APPLICATION 0] { SPNEGO, [0] { SEQUENCE { [2] OCTET STRING tok }}}:
     * the krb5 token is short, so every length fits one byte. */
    len = tok.len;
    p = init;
    *p++ = 0x60;
    *p++ = (uint8_t)(sizeof(spnego_oid) + 2 + 2 + 2 + 2 + len);
    memcpy(p, spnego_oid, sizeof(spnego_oid));
    p += sizeof(spnego_oid);
    *p++ = 0xa0;
    *p++ = (uint8_t)(2 + 2 + 2 + len);
    *p++ = 0x30;
    *p++ = (uint8_t)(2 + 2 + len);
    *p++ = 0xa2;
    *p++ = (uint8_t)(2 + len);
    *p++ = 0x04;
    *p++ = (uint8_t)len;
    memcpy(p, tok.data, len);
    p += len;
    CU_ASSERT_EQUAL(kf_negotiate_krb5_msg(init, (size_t)(p - init), &tok_id,
                                          &m, &mlen, &neg),
                    0);
    CU_ASSERT_EQUAL(tok_id, KF_TOK_ERROR);
    /* A truncated token is refused, not overread. */
    CU_ASSERT_EQUAL(kf_negotiate_krb5_msg(init, (size_t)(p - init) - 1,
                                          &tok_id, &m, &mlen, &neg),
                    -1);
    CU_ASSERT_EQUAL(
        kf_negotiate_krb5_msg(msg, sizeof(msg), &tok_id, &m, &mlen, &neg), -1);
    free(tok.data);
    free(resp.data);
}

/* The ticket of an AP-REQ, base64 both ways, and HTTP headers. */
static void
test_apreq_base64_headers(void)
{
    /* AP-REQ { pvno 5, msg-type 14, ap-options, ticket [APPLICATION 1] {},
     * authenticator {} } with empty ticket and authenticator bodies. */
    static const uint8_t apreq[] = {0x6e, 0x19, 0x30, 0x17, 0xa0, 0x03, 0x02,
                                    0x01, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x0e,
                                    0xa2, 0x03, 0x03, 0x01, 0x00, 0xa3, 0x02,
                                    0x61, 0x00, 0xa4, 0x02, 0x30, 0x00};
    const uint8_t *t;
    size_t tlen;
    char *b64 = NULL;
    kf_bytes back = {NULL, 0};
    char head[] = "HTTP/1.1 401 Unauthorized\r\n"
                  "www-authenticate:   Negotiate abc=  \r\n"
                  "Content-Length: 0\r\n\r\n";

    CU_ASSERT_EQUAL(kf_ap_req_ticket(apreq, sizeof(apreq), &t, &tlen), 0);
    CU_ASSERT(t == apreq + 21 && tlen == 2);
    CU_ASSERT_EQUAL(kf_ap_req_ticket(apreq, sizeof(apreq) - 3, &t, &tlen), -1);
    CU_ASSERT_EQUAL(kf_base64_encode(apreq, 5, &b64), 0);
    ASSERT_STR(b64, "bhkwF6A=");
    CU_ASSERT_EQUAL(kf_base64_decode(b64, strlen(b64), &back), 0);
    CU_ASSERT(back.len == 5 && memcmp(back.data, apreq, 5) == 0);
    free(back.data);
    CU_ASSERT_EQUAL(kf_base64_decode("abc", 3, &back), -1);
    CU_ASSERT_EQUAL(kf_base64_decode("a!==", 4, &back), -1);
    free(b64);
    ASSERT_STR(kf_http_header(head, "WWW-Authenticate"), "Negotiate abc=");
    CU_ASSERT_PTR_NULL(kf_http_header(head, "Authorization"));
}

/* Steps the KDC answers are skipped under ad until fakekdc/ exists; the
 * service plays both personalities. */
static void
test_personalities(void)
{
    kf_personality p;

    CU_ASSERT_EQUAL(kf_step_component(KF_ACT_KINIT), KF_COMP_KDC);
    CU_ASSERT_EQUAL(kf_step_component(KF_ACT_S4U2PROXY), KF_COMP_KDC);
    CU_ASSERT_EQUAL(kf_step_component(KF_ACT_AP_REQ), KF_COMP_SERVICE);
    CU_ASSERT_EQUAL(kf_step_component(KF_ACT_CURL), KF_COMP_SERVICE);
    CU_ASSERT_EQUAL(kf_step_component(KF_ACT_REPLICATE), KF_COMP_NONE);
    CU_ASSERT_EQUAL(kf_view_component("kdc_log", KF_ACT_AP_REQ), KF_COMP_KDC);
    CU_ASSERT_PTR_NULL(kf_pers_missing(KF_COMP_KDC, KF_PERS_MIT));
    CU_ASSERT_PTR_NOT_NULL(kf_pers_missing(KF_COMP_KDC, KF_PERS_AD));
    CU_ASSERT_PTR_NULL(kf_pers_missing(KF_COMP_SERVICE, KF_PERS_AD));
    CU_ASSERT_TRUE(kf_pers_parse("ad", &p));
    CU_ASSERT_EQUAL(p, KF_PERS_AD);
    CU_ASSERT_FALSE(kf_pers_parse("both", &p));
    ASSERT_STR(kf_pers_name(KF_PERS_MIT), "mit");
}

/* A dns block's records: what each type needs, and the zone they make in
 * a lab, declared records first and in order. */
static void
test_dns_records(void)
{
    kf_scenario *sc =
        load_ok(21, "dns:\n"
                    "  canonicalize: fallback\n"
                    "  records:\n"
                    "    - {name: web.nekomaru.local, type: A, host: SV01}\n"
                    "    - {name: www.nekomaru.local, type: CNAME, "
                    "target: web.nekomaru.local}\n"
                    "    - {type: PTR, kdc: DC01, target: old.nekomaru.local, "
                    "only: [v2]}\n"
                    "    - {name: _kerberos._udp.nekomaru.local, type: SRV, "
                    "kdc: DC01}\n"
                    "    - {name: _kerberos.nekomaru.local, type: TXT, "
                    "text: NEKOMARU.LOCAL}\n"
                    "variants:\n"
                    "  - {id: v1, title: one}\n"
                    "  - {id: v2, title: two}");
    kf_lab lab;
    kf_kdc kdc;
    kf_host host;
    char *zone, *p;

    if (sc == NULL)
        return;
    CU_ASSERT_TRUE(sc->dns.set);
    ASSERT_STR(sc->dns.canonicalize, "fallback");
    CU_ASSERT_TRUE(sc->dns.rdns);
    CU_ASSERT_EQUAL(sc->dns.n_records, 5);
    ASSERT_STR(sc->dns.records[3].role, "kdc");
    memset(&lab, 0, sizeof(lab));
    memset(&kdc, 0, sizeof(kdc));
    memset(&host, 0, sizeof(host));
    lab.sc = sc;
    lab.variant = "v1";
    lab.kdc_port = 88;
    lab.http_port = 80;
    lab.kdcs = &kdc;
    lab.n_kdcs = 1;
    lab.hosts = &host;
    lab.n_hosts = 1;
    kdc.def = &sc->kdcs[0];
    snprintf(kdc.addr, sizeof(kdc.addr), "127.9.8.1");
    host.def = &sc->hosts[0];
    snprintf(host.addr, sizeof(host.addr), "127.9.8.2");
    zone = kf_lab_render_zone(&lab);
    CU_ASSERT_PTR_NOT_NULL(zone);
    if (zone != NULL) {
        /* The comment line, then the records in order. */
        p = strchr(zone, '\n') + 1;
        ASSERT_STR(p, "web.nekomaru.local. 0 IN A 127.9.8.2\n"
                      "www.nekomaru.local. 0 IN CNAME web.nekomaru.local.\n"
                      "_kerberos._udp.nekomaru.local. 0 IN SRV 0 100 88 "
                      "dc01.nekomaru.local.\n"
                      "_kerberos.nekomaru.local. 0 IN TXT "
                      "\"NEKOMARU.LOCAL\"\n"
                      "web.nekomaru.local. 0 IN A 127.9.8.2\n"
                      "2.8.9.127.in-addr.arpa. 0 IN PTR "
                      "web.nekomaru.local.\n"
                      "dc01.nekomaru.local. 0 IN A 127.9.8.1\n"
                      "1.8.9.127.in-addr.arpa. 0 IN PTR "
                      "dc01.nekomaru.local.\n");
    }
    free(zone);
    lab.variant = "v2";
    zone = kf_lab_render_zone(&lab);
    CU_ASSERT(zone != NULL && strstr(zone, "CNAME web.nekomaru.local.\n"
                                           "1.8.9.127.in-addr.arpa. 0 IN PTR "
                                           "old.nekomaru.local.\n") != NULL);
    free(zone);
    kf_scenario_free(sc);

    EXPECT_ERR(21,
               "dns: {records: [{name: a.b, type: PTR, host: SV01, "
               "target: c.d}]}",
               21, 17, "a PTR record names no owner");
    EXPECT_ERR(21, "dns: {records: [{name: a.b, type: A}]}", 21, 17,
               "a A record names one host or kdc");
    EXPECT_ERR(21, "dns: {records: [{name: a.b, type: MX}]}", 21, 35,
               "record type 'MX' is not one of A, CNAME, PTR, SRV, TXT");
    EXPECT_ERR(21, "dns: {records: [{name: _x.a.b, type: SRV, kdc: DC01}]}",
               21, 17, "say which port the SRV record names");
    EXPECT_ERR(21, "dns: {records: [{name: a.b, type: A, host: SV09}]}", 21,
               44, "no host named 'SV09' in this lab");
    EXPECT_ERR(21, "dns: {canonicalize: maybe}", 21, 21,
               "canonicalize (dns_canonicalize_hostname) is true, false or "
               "fallback");
    EXPECT_ERR(21,
               "dns: {records: [{name: a.b, type: TXT, text: x, "
               "only: v9}]}",
               21, 55, "no variant named 'v9'");
}

int
kf_add_apmod_suite(void)
{
    static const CU_TestInfo tests[] = {
        {"host account", test_host_account},
        {"keys_of", test_keys_of},
        {"ap_req target", test_ap_req_target},
        {"http and curl target", test_http_target},
        {"export_keytab as", test_export_as},
        {"event view", test_event_view},
        {"negotiate tokens", test_tokens},
        {"ap-req, base64, headers", test_apreq_base64_headers},
        {"personalities", test_personalities},
        {"dns records and zone", test_dns_records},
        CU_TEST_INFO_NULL,
    };

    return kf_test_suite("service model", tests);
}
