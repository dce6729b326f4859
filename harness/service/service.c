/* krbfault-service: a fake application service that judges AP-REQs. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <krb5/krb5.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errcodes.h"
#include "svc.h"
#include "util.h"

static void
usage(void)
{
    fprintf(stderr,
            "usage: krbfault-service --listen ADDR:PORT [--http ADDR:PORT] "
            "--keytab FILE --log FILE --clock-file FILE "
            "[--acceptor any|PRINCIPAL] [--personality mit|ad] "
            "[--account NAME] [--name HOST]\n");
    exit(2);
}

/* Add a string member to j unless value is NULL. */
static void
add_str(json_object *j, const char *key, const char *value)
{
    if (value != NULL)
        json_object_object_add(j, key, json_object_new_string(value));
}

void
svc_log(struct svc *s, const char *peer, const struct verdict *v)
{
    json_object *j = json_object_new_object();
    kf_outcome o = kf_outcome_from_lib(v->code);
    FILE *f;

    json_object_object_add(j, "seq", json_object_new_int64((int64_t)s->seq));
    json_object_object_add(j, "time", json_object_new_int64(time(NULL)));
    add_str(j, "host", s->name);
    add_str(j, "personality", s->ad ? "ad" : "mit");
    add_str(j, "account", s->account);
    add_str(j, "transport", v->transport);
    add_str(j, "peer", peer);
    add_str(j, "decision", v->decision);
    json_object_object_add(j, "code", json_object_new_int64(v->code));
    add_str(j, "error", kf_outcome_name(&o));
    if (o.kind == KF_OUT_PROTO)
        json_object_object_add(j, "protocol_code",
                               json_object_new_int(o.proto));
    add_str(j, "message", v->message ? v->message : "");
    if (v->http_status != 0)
        json_object_object_add(j, "http_status",
                               json_object_new_int(v->http_status));
    add_str(j, "server", v->server);
    if (v->kvno >= 0)
        json_object_object_add(j, "kvno", json_object_new_int(v->kvno));
    if (v->etype >= 0)
        json_object_object_add(j, "etype", json_object_new_int(v->etype));
    add_str(j, "client", v->client);
    add_str(j, "decrypted_with", v->key);
    f = fopen(s->log, "a");
    if (f != NULL) {
        fprintf(f, "%s\n",
                json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
        fclose(f);
    }
    json_object_put(j);
}

void
svc_verdict_free(struct svc *s, struct verdict *v)
{
    (void)s;
    free(v->message);
    free(v->server);
    free(v->client);
    free(v->key);
    memset(v, 0, sizeof(*v));
}

/* Judge one framed AP-REQ and answer it. */
static void
serve_raw(struct svc *s, int fd, const char *peer)
{
    krb5_data req = {0}, out = {0};
    struct verdict v;

    if (kf_read_framed(fd, &req.data, &req.length, 65536, 10000) != 0)
        return;
    memset(&v, 0, sizeof(v));
    v.kvno = v.etype = -1;
    svc_accept_raw(s, fd, &req, &out, &v);
    svc_log(s, peer, &v);
    if (out.length > 0 && kf_write_framed(fd, out.data, out.length) != 0)
        perror("krbfault-service: write");
    svc_verdict_free(s, &v);
    krb5_free_data_contents(s->ctx, &out);
    free(req.data);
}

/* Bind and listen on ADDR:PORT. */
static int
listen_on(const char *spec)
{
    struct sockaddr_in sin;
    char addr[64];
    const char *colon = strrchr(spec, ':');
    int fd, one = 1;

    if (colon == NULL || (size_t)(colon - spec) >= sizeof(addr))
        return -1;
    memcpy(addr, spec, (size_t)(colon - spec));
    addr[colon - spec] = '\0';
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)atoi(colon + 1));
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
        return -1;
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
        listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Parse the command line into s; exit with usage on a bad one. */
static void
parse_args(struct svc *s, int argc, char **argv)
{
    const char *pers = "mit";
    int i;

    s->acceptor = "any";
    s->name = "host";
    for (i = 1; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];

        if (strcmp(o, "--listen") == 0)
            s->listen = v;
        else if (strcmp(o, "--http") == 0)
            s->http = v;
        else if (strcmp(o, "--keytab") == 0)
            s->keytab = v;
        else if (strcmp(o, "--log") == 0)
            s->log = v;
        else if (strcmp(o, "--clock-file") == 0)
            s->clockfile = v;
        else if (strcmp(o, "--acceptor") == 0)
            s->acceptor = v;
        else if (strcmp(o, "--name") == 0)
            s->name = v;
        else if (strcmp(o, "--account") == 0)
            s->account = v;
        else if (strcmp(o, "--personality") == 0)
            pers = v;
        else
            usage();
    }
    if (i != argc || s->listen == NULL || s->keytab == NULL ||
        s->log == NULL || s->clockfile == NULL ||
        (strcmp(pers, "mit") != 0 && strcmp(pers, "ad") != 0))
        usage();
    s->ad = strcmp(pers, "ad") == 0;
    if (s->account == NULL)
        s->account = s->name;
}

int
main(int argc, char **argv)
{
    struct svc s;
    struct pollfd pfd[2];
    int nfd = 1;
    krb5_error_code ret;

    memset(&s, 0, sizeof(s));
    parse_args(&s, argc, argv);
    ret = krb5_init_context(&s.ctx);
    if (ret) {
        fprintf(stderr, "krbfault-service: cannot make a krb5 context: %s\n",
                error_message(ret));
        return 1;
    }
    snprintf(s.adkt_name, sizeof(s.adkt_name), "MEMORY:krbfault-ad-%ld",
             (long)getpid());
    if (s.ad && krb5_kt_resolve(s.ctx, s.adkt_name, &s.adkt) != 0) {
        fprintf(stderr, "krbfault-service: cannot make a memory keytab\n");
        return 1;
    }
    pfd[0].fd = listen_on(s.listen);
    pfd[1].fd = s.http != NULL ? listen_on(s.http) : -1;
    if (pfd[0].fd < 0 || (s.http != NULL && pfd[1].fd < 0)) {
        fprintf(stderr, "krbfault-service: cannot listen on %s: %s\n",
                pfd[0].fd < 0 ? s.listen : s.http, strerror(errno));
        return 1;
    }
    if (s.http != NULL)
        nfd = 2;
    pfd[0].events = pfd[1].events = POLLIN;
    signal(SIGPIPE, SIG_IGN);
    printf("krbfault-service: ready on %s%s%s (%s acceptor, account %s)\n",
           s.listen, s.http ? " and HTTP on " : "", s.http ? s.http : "",
           s.ad ? "ad" : "mit", s.account);
    fflush(stdout);
    for (;;) {
        struct sockaddr_in peer;
        socklen_t plen = sizeof(peer);
        char pbuf[64];
        int i, cfd;

        if (poll(pfd, (nfds_t)nfd, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("krbfault-service: poll");
            return 1;
        }
        for (i = 0; i < nfd; i++) {
            if (!(pfd[i].revents & POLLIN))
                continue;
            cfd = accept4(pfd[i].fd, (struct sockaddr *)&peer, &plen,
                          SOCK_CLOEXEC);
            if (cfd < 0) {
                if (errno == EINTR)
                    continue;
                perror("krbfault-service: accept");
                return 1;
            }
            snprintf(pbuf, sizeof(pbuf), "%s:%u", inet_ntoa(peer.sin_addr),
                     ntohs(peer.sin_port));
            s.seq++;
            if (i == 0)
                serve_raw(&s, cfd, pbuf);
            else
                svc_http(&s, cfd, pbuf);
            close(cfd);
        }
    }
}
