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
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "errcodes.h"
#include "util.h"

struct svc {
    const char *listen;
    const char *keytab;
    const char *log;
    const char *clockfile;
    const char *acceptor;   /* "any" or a principal name */
    const char *name;       /* the host's name in the lab */
    krb5_context ctx;
    unsigned long seq;
};

static void
usage(void)
{
    fprintf(stderr,
            "usage: krbfault-service --listen ADDR:PORT --keytab FILE "
            "--log FILE --clock-file FILE [--acceptor any|PRINCIPAL] "
            "[--name HOST]\n");
    exit(2);
}

/* Set the context's clock to the host's offset, read per request so the
 * harness can move it while the service runs. */
static void
apply_clock(struct svc *s)
{
    FILE *f = fopen(s->clockfile, "r");
    long offset = 0;
    struct timeval tv;

    if (f != NULL) {
        if (fscanf(f, "%ld", &offset) != 1)
            offset = 0;
        fclose(f);
    }
    gettimeofday(&tv, NULL);
    krb5_set_real_time(s->ctx, (krb5_timestamp)(tv.tv_sec + offset),
                       (krb5_int32)tv.tv_usec);
}

/* Append one JSON line describing a judgement to the log. */
static void
log_judgement(struct svc *s, const char *peer, krb5_error_code code,
              const char *message, krb5_ticket *tkt)
{
    json_object *j = json_object_new_object();
    kf_outcome o = kf_outcome_from_lib(code);
    char *cname = NULL, *sname = NULL;
    FILE *f;

    json_object_object_add(j, "seq", json_object_new_int64((int64_t)s->seq));
    json_object_object_add(j, "time", json_object_new_int64(time(NULL)));
    json_object_object_add(j, "host", json_object_new_string(s->name));
    json_object_object_add(j, "peer", json_object_new_string(peer));
    json_object_object_add(j, "decision",
                           json_object_new_string(code ? "reject"
                                                       : "accept"));
    json_object_object_add(j, "code", json_object_new_int64(code));
    json_object_object_add(j, "error",
                           json_object_new_string(kf_outcome_name(&o)));
    if (o.kind == KF_OUT_PROTO)
        json_object_object_add(j, "protocol_code",
                               json_object_new_int(o.proto));
    json_object_object_add(j, "message",
                           json_object_new_string(message ? message : ""));
    if (tkt != NULL) {
        if (krb5_unparse_name(s->ctx, tkt->server, &sname) == 0)
            json_object_object_add(j, "server",
                                   json_object_new_string(sname));
        json_object_object_add(j, "kvno",
                               json_object_new_int((int)tkt->enc_part.kvno));
        json_object_object_add(j, "etype",
                               json_object_new_int(tkt->enc_part.enctype));
        if (tkt->enc_part2 != NULL &&
            krb5_unparse_name(s->ctx, tkt->enc_part2->client, &cname) == 0)
            json_object_object_add(j, "client",
                                   json_object_new_string(cname));
    }
    f = fopen(s->log, "a");
    if (f != NULL) {
        fprintf(f, "%s\n",
                json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
        fclose(f);
    }
    krb5_free_unparsed_name(s->ctx, cname);
    krb5_free_unparsed_name(s->ctx, sname);
    json_object_put(j);
}

/* Return the principal an error names as its server: the acceptor, else
 * the keytab's first entry, else a fixed name. */
static krb5_error_code
error_server(struct svc *s, krb5_keytab kt, krb5_principal acceptor,
             krb5_principal *out)
{
    krb5_kt_cursor cur;
    krb5_keytab_entry e;
    krb5_error_code ret;

    if (acceptor != NULL)
        return krb5_copy_principal(s->ctx, acceptor, out);
    if (kt != NULL && krb5_kt_start_seq_get(s->ctx, kt, &cur) == 0) {
        ret = krb5_kt_next_entry(s->ctx, kt, &e, &cur);
        krb5_kt_end_seq_get(s->ctx, kt, &cur);
        if (ret == 0) {
            ret = krb5_copy_principal(s->ctx, e.principal, out);
            krb5_free_keytab_entry_contents(s->ctx, &e);
            return ret;
        }
    }
    return krb5_parse_name(s->ctx, "krbfault/service", out);
}

/* Build a KRB-ERROR for code as MIT's acceptors do. */
static krb5_error_code
make_error(struct svc *s, krb5_error_code code, krb5_principal server,
           krb5_data *out)
{
    krb5_error err;
    krb5_timestamp now;
    krb5_int32 usec;
    const char *m = krb5_get_error_message(s->ctx, code);
    krb5_error_code ret;
    long proto = (long)code - ERROR_TABLE_BASE_krb5;

    memset(&err, 0, sizeof(err));
    krb5_us_timeofday(s->ctx, &now, &usec);
    err.stime = now;
    err.susec = usec;
    err.error = (proto >= 0 && proto <= 127) ? (krb5_ui_4)proto
                                             : (krb5_ui_4)(KRB5KRB_ERR_GENERIC -
                                                         ERROR_TABLE_BASE_krb5);
    err.server = server;
    err.text.data = (char *)m;
    err.text.length = (unsigned int)strlen(m);
    ret = krb5_mk_error(s->ctx, &err, out);
    krb5_free_error_message(s->ctx, m);
    return ret;
}

/* Judge one AP-REQ and answer it. */
static void
handle(struct svc *s, int fd, const char *peer)
{
    krb5_auth_context ac = NULL;
    krb5_principal acceptor = NULL;
    krb5_keytab kt = NULL;
    krb5_ticket *tkt = NULL;
    krb5_data req = {0}, out = {0};
    krb5_flags opts = 0;
    krb5_error_code ret;
    const char *msg = NULL;
    char ktname[1100];

    s->seq++;
    if (kf_read_framed(fd, &req.data, &req.length, 65536, 10000) != 0)
        return;
    apply_clock(s);
    snprintf(ktname, sizeof(ktname), "FILE:%s", s->keytab);
    ret = krb5_kt_resolve(s->ctx, ktname, &kt);
    if (ret == 0 && strcmp(s->acceptor, "any") != 0)
        ret = krb5_parse_name(s->ctx, s->acceptor, &acceptor);
    /* Know the peer's address, so a ticket bound to other addresses is
     * refused (KRB_AP_ERR_BADADDR), as MIT's services do. */
    if (ret == 0)
        ret = krb5_auth_con_init(s->ctx, &ac);
    if (ret == 0)
        ret = krb5_auth_con_genaddrs(s->ctx, ac, fd,
                                     KRB5_AUTH_CONTEXT_GENERATE_REMOTE_ADDR |
                                         KRB5_AUTH_CONTEXT_GENERATE_LOCAL_ADDR);
    if (ret == 0)
        ret = krb5_rd_req(s->ctx, &ac, &req, acceptor, kt, &opts, &tkt);
    if (ret == 0)
        ret = krb5_mk_rep(s->ctx, ac, &out);
    if (ret != 0) {
        msg = krb5_get_error_message(s->ctx, ret);
        krb5_principal eserver = NULL;

        if (error_server(s, kt, acceptor, &eserver) == 0)
            make_error(s, ret, eserver, &out);
        krb5_free_principal(s->ctx, eserver);
    }
    log_judgement(s, peer, ret, msg, tkt);
    if (out.length > 0 && kf_write_framed(fd, out.data, out.length) != 0)
        perror("krbfault-service: write");

    if (msg != NULL)
        krb5_free_error_message(s->ctx, msg);
    if (tkt != NULL)
        krb5_free_ticket(s->ctx, tkt);
    if (kt != NULL)
        krb5_kt_close(s->ctx, kt);
    if (ac != NULL)
        krb5_auth_con_free(s->ctx, ac);
    krb5_free_principal(s->ctx, acceptor);
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

int
main(int argc, char **argv)
{
    struct svc s;
    int i, lfd;
    krb5_error_code ret;

    memset(&s, 0, sizeof(s));
    s.acceptor = "any";
    s.name = "host";
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--listen") == 0)
            s.listen = argv[i + 1];
        else if (strcmp(argv[i], "--keytab") == 0)
            s.keytab = argv[i + 1];
        else if (strcmp(argv[i], "--log") == 0)
            s.log = argv[i + 1];
        else if (strcmp(argv[i], "--clock-file") == 0)
            s.clockfile = argv[i + 1];
        else if (strcmp(argv[i], "--acceptor") == 0)
            s.acceptor = argv[i + 1];
        else if (strcmp(argv[i], "--name") == 0)
            s.name = argv[i + 1];
        else
            usage();
    }
    if (i != argc || s.listen == NULL || s.keytab == NULL || s.log == NULL ||
        s.clockfile == NULL)
        usage();
    ret = krb5_init_context(&s.ctx);
    if (ret) {
        fprintf(stderr, "krbfault-service: cannot make a krb5 context: %s\n",
                error_message(ret));
        return 1;
    }
    lfd = listen_on(s.listen);
    if (lfd < 0) {
        fprintf(stderr, "krbfault-service: cannot listen on %s: %s\n",
                s.listen, strerror(errno));
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    printf("krbfault-service: ready on %s\n", s.listen);
    fflush(stdout);
    for (;;) {
        struct sockaddr_in peer;
        socklen_t plen = sizeof(peer);
        char pbuf[64];
        int cfd = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);

        if (cfd < 0) {
            if (errno == EINTR)
                continue;
            perror("krbfault-service: accept");
            return 1;
        }
        snprintf(pbuf, sizeof(pbuf), "%s:%u",
                 inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
        handle(&s, cfd, pbuf);
        close(cfd);
    }
}
