/* kf_resolver_probe: resolves names through harness/resolver.c in one
 * long-running process, for tests/e2e/dns.sh.
 *
 * usage: kf_resolver_probe OP... where each OP is one of
 *   enter DIR ADDR SEARCH  write the lab files into DIR (SEARCH "-" for
 *                          none) and enter them
 *   leave                  leave the lab's files
 *   ai NAME                getaddrinfo (AF_INET, AI_CANONNAME): prints
 *                          "ai NAME canon CANON ADDR..." or "ai NAME fail
 *                          MESSAGE"
 *   ptr ADDR               getnameinfo (NI_NAMEREQD): "ptr ADDR NAME"
 *   hbn NAME               gethostbyname: "hbn NAME NAME ADDR..."
 *   srv NAME               res_nsearch for SRV as libkrb5 does: "srv NAME
 *                          PRIO WEIGHT PORT TARGET..."
 *   pause                  print "paused PID" and wait for a line on stdin
 *   run CMD ARG...         run a command (the rest of the line), wait
 *   thread-check           isolate while another thread runs; report both
 *                          threads' namespaces
 * Exit 0 when every operation ran (a failed lookup is output, not an
 * error), 1 when one could not. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "resolver.h"

/* Print the getaddrinfo answer for a name. */
static void
op_ai(const char *name)
{
    struct addrinfo hints, *res = NULL, *p;
    char buf[INET_ADDRSTRLEN];
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        printf("ai %s fail %s\n", name, gai_strerror(rc));
        return;
    }
    printf("ai %s canon %s", name,
           res->ai_canonname ? res->ai_canonname : "-");
    for (p = res; p != NULL; p = p->ai_next) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)p->ai_addr)->sin_addr, buf,
                  sizeof(buf));
        printf(" %s", buf);
    }
    printf("\n");
    freeaddrinfo(res);
}

/* Print the name getnameinfo finds for an address. */
static void
op_ptr(const char *addr)
{
    struct sockaddr_in sa;
    char host[NI_MAXHOST];
    int rc;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        printf("ptr %s fail not an address\n", addr);
        return;
    }
    rc = getnameinfo((struct sockaddr *)&sa, sizeof(sa), host, sizeof(host),
                     NULL, 0, NI_NAMEREQD);
    if (rc != 0)
        printf("ptr %s fail %s\n", addr, gai_strerror(rc));
    else
        printf("ptr %s %s\n", addr, host);
}

/* Print what gethostbyname finds for a name. */
static void
op_hbn(const char *name)
{
    struct hostent *h = gethostbyname(name);
    char buf[INET_ADDRSTRLEN];
    size_t i;

    if (h == NULL) {
        printf("hbn %s fail %s\n", name, hstrerror(h_errno));
        return;
    }
    printf("hbn %s %s", name, h->h_name);
    for (i = 0; h->h_addr_list[i] != NULL; i++) {
        inet_ntop(AF_INET, h->h_addr_list[i], buf, sizeof(buf));
        printf(" %s", buf);
    }
    printf("\n");
}

/* Print the SRV records res_nsearch finds, as MIT's locate_kdc asks. */
static void
op_srv(const char *name)
{
    struct __res_state st;
    unsigned char ans[4096];
    char target[NS_MAXDNAME];
    ns_msg msg;
    ns_rr rr;
    int len, i;

    memset(&st, 0, sizeof(st));
    if (res_ninit(&st) != 0) {
        printf("srv %s fail res_ninit\n", name);
        return;
    }
    len = res_nsearch(&st, name, ns_c_in, ns_t_srv, ans, sizeof(ans));
    if (len < 0 || ns_initparse(ans, len, &msg) != 0) {
        printf("srv %s fail %s\n", name, hstrerror(st.res_h_errno));
        res_nclose(&st);
        return;
    }
    printf("srv %s", name);
    for (i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
        if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 ||
            ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
            continue;
        if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr) + 6,
                      target, sizeof(target)) < 0)
            continue;
        printf(" %u %u %u %s", ns_get16(ns_rr_rdata(rr)),
               ns_get16(ns_rr_rdata(rr) + 2), ns_get16(ns_rr_rdata(rr) + 4),
               target);
    }
    printf("\n");
    res_nclose(&st);
}

/* Return the inode of a thread's mount namespace. */
static unsigned long
ns_of(pid_t tid)
{
    char path[64];
    struct stat st;

    snprintf(path, sizeof(path), "/proc/self/task/%d/ns/mnt", (int)tid);
    return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static pid_t other_tid;
static int ready_pipe[2], release_pipe[2];

/* A thread that exists before isolation and waits to be released. */
static void *
bystander(void *arg)
{
    char c;

    (void)arg;
    other_tid = (pid_t)syscall(SYS_gettid);
    if (write(ready_pipe[1], "x", 1) != 1 || read(release_pipe[0], &c, 1) != 1)
        return NULL;
    return NULL;
}

/* Isolate while a second thread exists and report where both are. */
static int
op_thread_check(void)
{
    pthread_t t;
    unsigned long before, main_after, other_after;
    char *err = NULL, c;
    pid_t self = (pid_t)syscall(SYS_gettid);

    if (pipe(ready_pipe) != 0 || pipe(release_pipe) != 0 ||
        pthread_create(&t, NULL, bystander, NULL) != 0)
        return -1;
    if (read(ready_pipe[0], &c, 1) != 1)
        return -1;
    before = ns_of(self);
    if (kf_resolver_isolate(&err) != 0) {
        fprintf(stderr, "kf_resolver_probe: %s\n", err);
        free(err);
        return -1;
    }
    main_after = ns_of(self);
    other_after = ns_of(other_tid);
    printf("thread-check caller %s, other thread %s\n",
           main_after != before ? "moved" : "stayed",
           other_after != before ? "moved" : "stayed");
    if (write(release_pipe[1], "x", 1) != 1)
        return -1;
    pthread_join(t, NULL);
    return 0;
}

/* Run argv as a child and wait for it. */
static int
op_run(char **argv)
{
    pid_t pid;
    int status;

    fflush(stdout);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    printf("run exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    return 0;
}

int
main(int argc, char **argv)
{
    char *err = NULL, line[64];
    int i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 1; i < argc; i++) {
        const char *op = argv[i];

        if (strcmp(op, "enter") == 0 && i + 3 < argc) {
            const char *search = strcmp(argv[i + 3], "-") ? argv[i + 3] : 0;

            if (kf_resolver_write_etc(argv[i + 1], argv[i + 2], search,
                                      &err) != 0 ||
                kf_resolver_enter(argv[i + 1], &err) != 0) {
                fprintf(stderr, "kf_resolver_probe: %s\n", err);
                free(err);
                return 1;
            }
            printf("entered %s\n", argv[i + 1]);
            i += 3;
        } else if (strcmp(op, "leave") == 0) {
            kf_resolver_leave();
            printf("left\n");
        } else if (strcmp(op, "ai") == 0 && i + 1 < argc) {
            op_ai(argv[++i]);
        } else if (strcmp(op, "ptr") == 0 && i + 1 < argc) {
            op_ptr(argv[++i]);
        } else if (strcmp(op, "hbn") == 0 && i + 1 < argc) {
            op_hbn(argv[++i]);
        } else if (strcmp(op, "srv") == 0 && i + 1 < argc) {
            op_srv(argv[++i]);
        } else if (strcmp(op, "pause") == 0) {
            printf("paused %d\n", (int)getpid());
            if (fgets(line, sizeof(line), stdin) == NULL)
                return 1;
        } else if (strcmp(op, "thread-check") == 0) {
            if (op_thread_check() != 0)
                return 1;
        } else if (strcmp(op, "run") == 0 && i + 1 < argc) {
            return op_run(argv + i + 1) == 0 ? 0 : 1;
        } else {
            fprintf(stderr, "kf_resolver_probe: bad operation `%s'\n", op);
            return 1;
        }
    }
    return 0;
}
