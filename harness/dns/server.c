/* krbfault-dns: the lab's authoritative DNS server, over UDP and TCP. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"
#include "util.h"

#define MAX_CONNS 32           /* TCP connections served at once */
#define TCP_IDLE_MS 10000      /* a silent TCP connection is closed */
#define TCP_MAX_PENDING 262144 /* unsent reply bytes before reading stops */

/* One TCP connection: the bytes read so far and the replies not yet sent
 * (RFC 7766: two-byte length framing, several queries per connection). */
struct conn {
    int fd;
    char peer[64];
    uint8_t in[2 + 65535];
    size_t have;
    uint8_t *out;
    size_t out_len, out_cap;
    bool eof; /* the peer sent all it will: close once sent */
    double last;
};

struct server {
    kf_dns_zone *zone;
    const char *zone_path;
    FILE *log;
    int udp, tcp;
    struct conn *conns[MAX_CONNS];
    unsigned long seq;
};

static volatile sig_atomic_t stop_signal, reload_signal;

/* Remember that a stop or reload signal arrived. */
static void
on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_signal = 1;
    else
        stop_signal = sig;
}

/* Load the zone file again (SIGHUP); keep the old zone if it is bad.  Say
 * which on stdout or stderr, so a harness can wait for the line. */
static void
reload_zone(struct server *s)
{
    kf_dns_zone *z = NULL;
    char *err = NULL;

    reload_signal = 0;
    if (kf_dns_zone_load(s->zone_path, &z, &err) != 0) {
        fprintf(stderr, "krbfault-dns: reload failed, zone kept: %s\n", err);
        fflush(stderr);
        free(err);
        return;
    }
    kf_dns_zone_free(s->zone);
    s->zone = z;
    printf("krbfault-dns: reloaded %s: %zu records\n", s->zone_path,
           kf_dns_zone_count(z));
    fflush(stdout);
}

static void
usage(void)
{
    fprintf(stderr, "usage: krbfault-dns --listen ADDR[:PORT] --zone FILE "
                    "--log FILE\n"
                    "       krbfault-dns --check --zone FILE\n");
    exit(2);
}

/* Parse "ADDR[:PORT]" (IPv4, port 53 by default) into sa. */
static int
parse_listen(const char *s, struct sockaddr_in *sa)
{
    char host[INET_ADDRSTRLEN];
    const char *colon = strchr(s, ':');
    size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);
    char *end;
    long port = 53;

    if (n == 0 || n >= sizeof(host))
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    if (colon != NULL) {
        errno = 0;
        port = strtol(colon + 1, &end, 10);
        if (errno != 0 || end == colon + 1 || *end != '\0' || port < 1 ||
            port > 65535)
            return -1;
    }
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* Format a peer address as "ADDR:PORT". */
static void
peer_text(const struct sockaddr_in *sa, char *buf, size_t len)
{
    char a[INET_ADDRSTRLEN] = "?";

    inet_ntop(AF_INET, &sa->sin_addr, a, sizeof(a));
    snprintf(buf, len, "%s:%u", a, (unsigned)ntohs(sa->sin_port));
}

/* Return a JSON array of strings. */
static json_object *
string_array(char **v, size_t n)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_string(v[i]));
    return a;
}

/* Add a string member, or null for NULL. */
static void
add_string(json_object *j, const char *key, const char *value)
{
    json_object_object_add(j, key,
                           value ? json_object_new_string(value) : NULL);
}

/* Append one JSON line describing a query and what it got to the log. */
static void
log_query(struct server *s, const char *peer, const char *transport,
          const kf_dns_reply *r)
{
    json_object *j = json_object_new_object();
    struct timespec ts;
    struct tm tm;
    char when[64];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (ts.tv_nsec / 1000000) % 1000);
    json_object_object_add(j, "seq", json_object_new_int64((int64_t)++s->seq));
    add_string(j, "time", when);
    add_string(j, "peer", peer);
    add_string(j, "transport", transport);
    json_object_object_add(j, "id", json_object_new_int(r->id));
    add_string(j, "qname", r->qname);
    add_string(j, "qtype", r->qtype);
    add_string(j, "rcode", r->wire != NULL ? r->rcode : "dropped");
    json_object_object_add(j, "aa", json_object_new_boolean(r->aa));
    json_object_object_add(j, "tc", json_object_new_boolean(r->tc));
    json_object_object_add(j, "edns",
                           r->edns >= 0 ? json_object_new_int(r->edns) : NULL);
    json_object_object_add(j, "answers", string_array(r->answer, r->n_answer));
    json_object_object_add(j, "authority",
                           string_array(r->authority, r->n_authority));
    if (r->note != NULL)
        add_string(j, "note", r->note);
    fprintf(s->log, "%s\n",
            json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
    fflush(s->log);
    json_object_put(j);
}

/* Answer one datagram. */
static void
serve_udp(struct server *s)
{
    static uint8_t buf[65536];
    struct sockaddr_in from;
    socklen_t fromlen = sizeof(from);
    kf_dns_reply r;
    char peer[64];
    ssize_t n;

    n = recvfrom(s->udp, buf, sizeof(buf), MSG_DONTWAIT,
                 (struct sockaddr *)&from, &fromlen);
    if (n < 0 || fromlen != sizeof(from))
        return;
    peer_text(&from, peer, sizeof(peer));
    if (kf_dns_answer(s->zone, buf, (size_t)n, false, &r) != 0)
        return;
    if (r.wire != NULL)
        (void)sendto(s->udp, r.wire, r.len, MSG_DONTWAIT,
                     (struct sockaddr *)&from, fromlen);
    log_query(s, peer, "udp", &r);
    kf_dns_reply_free(&r);
}

/* Close a TCP connection and forget it. */
static void
conn_close(struct server *s, size_t i)
{
    close(s->conns[i]->fd);
    free(s->conns[i]->out);
    free(s->conns[i]);
    s->conns[i] = NULL;
}

/* Accept a TCP connection, or refuse it when every slot is taken. */
static void
serve_accept(struct server *s)
{
    struct sockaddr_in from;
    socklen_t fromlen = sizeof(from);
    struct conn *c;
    size_t i;
    int fd;

    fd = accept4(s->tcp, (struct sockaddr *)&from, &fromlen,
                 SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    for (i = 0; i < MAX_CONNS && s->conns[i] != NULL; i++)
        ;
    c = i < MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
    if (c == NULL) {
        close(fd);
        return;
    }
    c->fd = fd;
    peer_text(&from, c->peer, sizeof(c->peer));
    c->last = kf_now_ms();
    s->conns[i] = c;
}

/* Queue a framed reply on a connection; return -1 when memory runs out. */
static int
conn_queue(struct conn *c, const uint8_t *data, size_t len)
{
    uint8_t *grown;
    size_t need = c->out_len + 2 + len;

    if (need > c->out_cap) {
        grown = realloc(c->out, need);
        if (grown == NULL)
            return -1;
        c->out = grown;
        c->out_cap = need;
    }
    c->out[c->out_len] = (uint8_t)(len >> 8);
    c->out[c->out_len + 1] = (uint8_t)len;
    memcpy(c->out + c->out_len + 2, data, len);
    c->out_len = need;
    return 0;
}

/* Answer every complete query read on a connection; return -1 to close. */
static int
conn_answer(struct server *s, struct conn *c)
{
    size_t mlen;
    kf_dns_reply r;
    int ret = 0;

    while (ret == 0 && c->have >= 2) {
        mlen = ((size_t)c->in[0] << 8) | c->in[1];
        if (c->have < 2 + mlen)
            break;
        if (kf_dns_answer(s->zone, c->in + 2, mlen, true, &r) != 0)
            return -1;
        if (r.wire != NULL && r.len <= 65535)
            ret = conn_queue(c, r.wire, r.len);
        log_query(s, c->peer, "tcp", &r);
        kf_dns_reply_free(&r);
        memmove(c->in, c->in + 2 + mlen, c->have - 2 - mlen);
        c->have -= 2 + mlen;
    }
    return ret;
}

/* Handle readiness on connection i: read queries, send replies. */
static void
serve_conn(struct server *s, size_t i, short revents)
{
    struct conn *c = s->conns[i];
    ssize_t n;

    if (revents & (POLLERR | POLLNVAL)) {
        conn_close(s, i);
        return;
    }
    if (!c->eof && (revents & (POLLIN | POLLHUP))) {
        n = recv(c->fd, c->in + c->have, sizeof(c->in) - c->have, 0);
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            conn_close(s, i);
            return;
        }
        if (n == 0)
            c->eof = true;
        if (n > 0) {
            c->have += (size_t)n;
            c->last = kf_now_ms();
            if (conn_answer(s, c) != 0) {
                conn_close(s, i);
                return;
            }
        }
    }
    if (c->out_len > 0) {
        n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            conn_close(s, i);
            return;
        }
        if (n > 0) {
            memmove(c->out, c->out + n, c->out_len - (size_t)n);
            c->out_len -= (size_t)n;
            c->last = kf_now_ms();
        }
    }
    if (c->eof && c->out_len == 0)
        conn_close(s, i);
}

/* Bind the UDP and TCP sockets on sa; return 0 or print why not. */
static int
bind_sockets(struct server *s, const struct sockaddr_in *sa, const char *where)
{
    int one = 1;

    s->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->udp < 0 ||
        bind(s->udp, (const struct sockaddr *)sa, sizeof(*sa)) != 0) {
        fprintf(stderr, "krbfault-dns: cannot bind UDP %s: %s\n", where,
                strerror(errno));
        return -1;
    }
    s->tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->tcp < 0 ||
        setsockopt(s->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(s->tcp, (const struct sockaddr *)sa, sizeof(*sa)) != 0 ||
        listen(s->tcp, 16) != 0) {
        fprintf(stderr, "krbfault-dns: cannot bind TCP %s: %s\n", where,
                strerror(errno));
        return -1;
    }
    return 0;
}

/* Serve until a stop signal arrives (delivered only inside ppoll). */
static void
serve(struct server *s, const sigset_t *waitmask)
{
    struct pollfd fds[2 + MAX_CONNS];
    size_t map[2 + MAX_CONNS], nfds, i;
    struct timespec tmo = {1, 0};
    double now;
    int n;

    while (!stop_signal) {
        if (reload_signal)
            reload_zone(s);
        fds[0] = (struct pollfd){.fd = s->udp, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = s->tcp, .events = POLLIN};
        nfds = 2;
        now = kf_now_ms();
        for (i = 0; i < MAX_CONNS; i++) {
            if (s->conns[i] == NULL)
                continue;
            if (now - s->conns[i]->last > TCP_IDLE_MS) {
                conn_close(s, i);
                continue;
            }
            fds[nfds].fd = s->conns[i]->fd;
            fds[nfds].events =
                (!s->conns[i]->eof && s->conns[i]->out_len < TCP_MAX_PENDING
                     ? POLLIN
                     : 0) |
                (s->conns[i]->out_len > 0 ? POLLOUT : 0);
            fds[nfds].revents = 0;
            map[nfds++] = i;
        }
        n = ppoll(fds, nfds, &tmo, waitmask);
        if (n <= 0 || stop_signal)
            continue;
        if (fds[0].revents & POLLIN)
            serve_udp(s);
        if (fds[1].revents & POLLIN)
            serve_accept(s);
        for (i = 2; i < nfds; i++) {
            if (fds[i].revents != 0 && s->conns[map[i]] != NULL)
                serve_conn(s, map[i], fds[i].revents);
        }
    }
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"zone", required_argument, NULL, 'z'},
        {"log", required_argument, NULL, 'o'},
        {"check", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    const char *listen_arg = NULL, *zone_path = NULL, *log_path = NULL;
    struct server s = {.udp = -1, .tcp = -1};
    struct sockaddr_in sa;
    struct sigaction act;
    sigset_t block, waitmask;
    bool check = false;
    char *err = NULL;
    size_t i;
    int c, ret = 1;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'l')
            listen_arg = optarg;
        else if (c == 'z')
            zone_path = optarg;
        else if (c == 'o')
            log_path = optarg;
        else if (c == 'c')
            check = true;
        else
            usage();
    }
    if (optind != argc || zone_path == NULL ||
        (!check && (listen_arg == NULL || log_path == NULL)))
        usage();
    if (!check && parse_listen(listen_arg, &sa) != 0) {
        fprintf(stderr,
                "krbfault-dns: --listen %s: expected an IPv4 address and "
                "an optional port, ADDR[:PORT]\n",
                listen_arg);
        return 2;
    }
    /* Labs live on loopback: the server never answers anywhere else. */
    if (!check && (ntohl(sa.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr,
                "krbfault-dns: --listen %s: not a loopback address "
                "(127.0.0.0/8)\n",
                listen_arg);
        return 2;
    }
    /* Everything that can be wrong with the input is found before any
     * socket is bound. */
    s.zone_path = zone_path;
    if (kf_dns_zone_load(zone_path, &s.zone, &err) != 0) {
        fprintf(stderr, "krbfault-dns: %s\n", err);
        free(err);
        return 2;
    }
    if (check) {
        printf("krbfault-dns: %s: %zu records\n", zone_path,
               kf_dns_zone_count(s.zone));
        kf_dns_zone_free(s.zone);
        return 0;
    }
    s.log = fopen(log_path, "ae");
    if (s.log == NULL) {
        fprintf(stderr, "krbfault-dns: cannot open %s: %s\n", log_path,
                strerror(errno));
        goto cleanup;
    }
    /* Stop signals are blocked except while waiting in ppoll, so one
     * arriving between two checks is never lost. */
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &waitmask);
    sigdelset(&waitmask, SIGTERM);
    sigdelset(&waitmask, SIGINT);
    sigdelset(&waitmask, SIGHUP);
    memset(&act, 0, sizeof(act));
    act.sa_handler = on_signal;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGHUP, &act, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (bind_sockets(&s, &sa, listen_arg) != 0)
        goto cleanup;
    printf("krbfault-dns: ready on %s:%u\n", inet_ntoa(sa.sin_addr),
           (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    serve(&s, &waitmask);
    ret = 0;

cleanup:
    for (i = 0; i < MAX_CONNS; i++) {
        if (s.conns[i] != NULL)
            conn_close(&s, i);
    }
    if (s.udp >= 0)
        close(s.udp);
    if (s.tcp >= 0)
        close(s.tcp);
    if (s.log != NULL)
        fclose(s.log);
    kf_dns_zone_free(s.zone);
    return ret;
}
