/* HTTP with Negotiate authentication, as an IIS site with Windows
 * authentication answers it. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "svc.h"
#include "util.h"

#define HEAD_MAX 16384

/* Send a response with a WWW-Authenticate: Negotiate header carrying tok
 * (none if empty) and a short text body. */
static void
respond(int fd, int status, const kf_bytes *tok, const char *body)
{
    char *b64 = NULL, *resp;

    if (tok != NULL && tok->len > 0 &&
        kf_base64_encode(tok->data, tok->len, &b64) != 0) {
        free(b64);
        b64 = NULL;
    }
    resp = kf_strf("HTTP/1.1 %d %s\r\n"
                   "WWW-Authenticate: Negotiate%s%s\r\n"
                   "Content-Type: text/plain\r\n"
                   "Content-Length: %zu\r\n"
                   "Connection: close\r\n\r\n%s",
                   status, status == 200 ? "OK" : "Unauthorized",
                   b64 != NULL ? " " : "", b64 != NULL ? b64 : "",
                   strlen(body), body);
    if (resp != NULL && kf_write_all(fd, resp, strlen(resp)) != 0)
        perror("krbfault-service: write");
    free(resp);
    free(b64);
}

void
svc_http(struct svc *s, int fd, const char *peer)
{
    char head[HEAD_MAX], *auth, *body;
    struct verdict v;
    kf_bytes tok = {NULL, 0}, out = {NULL, 0};
    static const char bad[] = "HTTP/1.1 400 Bad Request\r\n"
                              "Content-Length: 0\r\n"
                              "Connection: close\r\n\r\n";

    memset(&v, 0, sizeof(v));
    v.kvno = v.etype = -1;
    v.transport = "http";
    if (kf_read_until(fd, head, sizeof(head), "\r\n\r\n", 10000) < 0 ||
        strncmp(head, "GET ", 4) != 0) {
        (void)kf_write_all(fd, bad, sizeof(bad) - 1);
        return;
    }
    auth = kf_http_header(head, "Authorization");
    if (auth == NULL || strncasecmp(auth, "Negotiate ", 10) != 0) {
        /* No credentials yet: ask for them, as IIS does. */
        v.decision = "challenge";
        v.http_status = 401;
        svc_log(s, peer, &v);
        respond(fd, 401, NULL, "Kerberos authentication required\n");
        return;
    }
    auth += 10;
    if (kf_base64_decode(auth, strlen(auth), &tok) != 0) {
        v.decision = "reject";
        v.code = KRB5KRB_ERR_GENERIC;
        v.message = strdup("the Negotiate token is not base64");
        v.http_status = 401;
        svc_log(s, peer, &v);
        respond(fd, 401, NULL, "Bad Negotiate token\n");
        svc_verdict_free(s, &v);
        return;
    }
    if (svc_accept_token(s, &tok, &out, &v)) {
        v.http_status = 200;
        body = kf_strf("Hello %s, this is %s running as %s\n",
                       v.client ? v.client : "?", s->name, s->account);
        svc_log(s, peer, &v);
        respond(fd, 200, &out, body ? body : "Hello\n");
        free(body);
    } else {
        v.http_status = 401;
        svc_log(s, peer, &v);
        respond(fd, 401, &out, "Kerberos authentication failed\n");
    }
    free(tok.data);
    free(out.data);
    svc_verdict_free(s, &v);
}
