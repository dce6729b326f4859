/* Live capture: a lab's loopback traffic written to a pcap by a thread. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "wire.h"

/* How long the thread waits for the end marker once asked to stop. */
#define STOP_WAIT_MS 2000

/* The kernel's ring.  Block-based (TPACKET_V3, which libpcap uses when
 * immediate mode is off) so it holds packets by their real size: a
 * fixed-slot ring sized for loopback's 64 KiB frames would hold only some
 * sixty, and a burst while the thread waits for a core would be lost. */
#define RING_BYTES (16 << 20)
#define BLOCK_TIMEOUT_MS 5

struct kf_capture {
    char filter[128];
    char path[4096];
    pcap_t *p;
    pcap_dumper_t *dumper;
    pthread_t thread;
    int wake[2];     /* the stop request */
    int done[2];     /* the thread's news: ready, file complete */
    char marker[40]; /* the payload that ends the capture */
    size_t marker_len;
    int seen_marker;
    int ready_seen;        /* kf_capture_ready has read the first news */
    unsigned long dropped; /* packets the kernel could not hand over */
    char err[PCAP_ERRBUF_SIZE + 128];
};

/* The thread of the last capture, which may still be closing its socket
 * (closing a packet socket waits for the kernel). */
static pthread_t closing;
static int have_closing;

/* pcap_dispatch's callback: write every packet but the end marker. */
static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
    kf_capture *c = (kf_capture *)arg;

    if (h->caplen >= c->marker_len &&
        memmem(data, h->caplen, c->marker, c->marker_len) != NULL) {
        c->seen_marker = 1;
        pcap_breakloop(c->p);
        return;
    }
    pcap_dump((u_char *)c->dumper, h, data);
}

/* Milliseconds on the monotonic clock. */
static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Free a capture whose thread is done with it. */
static void
capture_free(kf_capture *c)
{
    int i;

    if (c->dumper != NULL)
        pcap_dump_close(c->dumper);
    if (c->p != NULL)
        pcap_close(c->p);
    for (i = 0; i < 2; i++) {
        if (c->wake[i] >= 0)
            close(c->wake[i]);
        if (c->done[i] >= 0)
            close(c->done[i]);
    }
    free(c);
}

/* Open the device with the filter and the file; return 0 or -1 with
 * c->err. */
static int
activate(kf_capture *c)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct bpf_program prog;
    int rc;

    c->p = pcap_create("lo", errbuf);
    if (c->p == NULL) {
        snprintf(c->err, sizeof(c->err), "%s", errbuf);
        return -1;
    }
    pcap_set_snaplen(c->p, 262144);
    /* Nothing reads the packets before the stop, so the latency of
     * whole blocks costs nothing; the marker's block comes at most
     * BLOCK_TIMEOUT_MS after it. */
    pcap_set_immediate_mode(c->p, 0);
    pcap_set_timeout(c->p, BLOCK_TIMEOUT_MS);
    pcap_set_buffer_size(c->p, RING_BYTES);
    rc = pcap_activate(c->p);
    if (rc < 0) {
        snprintf(c->err, sizeof(c->err), "%s%s%s", pcap_statustostr(rc),
                 pcap_geterr(c->p)[0] ? ": " : "", pcap_geterr(c->p));
        return -1;
    }
    if (pcap_compile(c->p, &prog, c->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(c->err, sizeof(c->err), "filter '%s': %s", c->filter,
                 pcap_geterr(c->p));
        return -1;
    }
    rc = pcap_setfilter(c->p, &prog);
    pcap_freecode(&prog);
    if (rc != 0 || pcap_setnonblock(c->p, 1, errbuf) != 0) {
        snprintf(c->err, sizeof(c->err), "%s", pcap_geterr(c->p));
        return -1;
    }
    c->dumper = pcap_dump_open(c->p, c->path);
    if (c->dumper == NULL) {
        snprintf(c->err, sizeof(c->err), "%s", pcap_geterr(c->p));
        return -1;
    }
    return 0;
}

/* Tell the starter something: 'r' ready, 'f' failed, 'c' file complete. */
static void
tell(kf_capture *c, char what)
{
    if (write(c->done[1], &what, 1) != 1)
        perror("krbfault: capture");
}

/* The capture thread: open the device, then read the ring until the end
 * marker has passed (or the stop request has waited too long for it),
 * close the file, say so, and only then close the device. */
static void *
run(void *arg)
{
    kf_capture *c = arg;
    struct pollfd pfd[2];
    double deadline = 0;
    char b;

    if (activate(c) != 0) {
        tell(c, 'f');
        return NULL;
    }
    tell(c, 'r');
    pfd[0].fd = pcap_get_selectable_fd(c->p);
    pfd[0].events = POLLIN;
    pfd[1].fd = c->wake[0];
    pfd[1].events = POLLIN;
    while (!c->seen_marker) {
        int timeout = deadline > 0 ? 20 : -1;

        if (poll(pfd, 2, timeout) < 0)
            continue;
        if ((pfd[1].revents & POLLIN) && deadline == 0) {
            if (read(c->wake[0], &b, 1) < 0)
                b = 0;
            deadline = now_ms() + STOP_WAIT_MS;
            pfd[1].fd = -1;
        }
        while (!c->seen_marker &&
               pcap_dispatch(c->p, -1, on_packet, (u_char *)c) > 0)
            ;
        if (deadline > 0 && now_ms() > deadline)
            break;
    }
    {
        struct pcap_stat st;

        if (pcap_stats(c->p, &st) == 0)
            c->dropped = (unsigned long)st.ps_drop + st.ps_ifdrop;
    }
    pcap_dump_close(c->dumper);
    c->dumper = NULL;
    tell(c, 'c');
    return NULL;
}

/* Wait for the thread of an earlier capture to finish closing. */
static void
join_closing(void)
{
    if (have_closing) {
        pthread_join(closing, NULL);
        have_closing = 0;
    }
}

int
kf_capture_start(const char *filter, const char *path, kf_capture **out,
                 char **err)
{
    kf_capture *c = calloc(1, sizeof(*c));
    unsigned tag = 0;

    if (c == NULL) {
        *err = kf_strf("out of memory");
        return -1;
    }
    join_closing();
    c->wake[0] = c->wake[1] = c->done[0] = c->done[1] = -1;
    snprintf(c->filter, sizeof(c->filter), "%s", filter);
    snprintf(c->path, sizeof(c->path), "%s", path);
    if (getrandom(&tag, sizeof(tag), 0) != sizeof(tag))
        tag ^= (unsigned)getpid() ^ (unsigned)time(NULL);
    snprintf(c->marker, sizeof(c->marker), "krbfault-capture-end-%08x", tag);
    c->marker_len = strlen(c->marker);
    if (pipe2(c->wake, O_CLOEXEC) != 0 || pipe2(c->done, O_CLOEXEC) != 0) {
        *err = kf_strf("cannot make a pipe");
        capture_free(c);
        return -1;
    }
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        *err = kf_strf("cannot start the capture thread");
        capture_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* Read the thread's next news; 0 if it cannot be read. */
static char
news(kf_capture *c)
{
    char b;

    return read(c->done[0], &b, 1) == 1 ? b : 0;
}

int
kf_capture_ready(kf_capture *c, char **err)
{
    c->ready_seen = 1;
    if (news(c) == 'r')
        return 0;
    pthread_join(c->thread, NULL);
    *err = kf_strf("%s", c->err[0] ? c->err : "the capture thread failed");
    capture_free(c);
    return -1;
}

/* Send the end marker from addr to itself, over UDP. */
static void
send_marker(const kf_capture *c, const char *addr)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    inet_pton(AF_INET, addr, &sin.sin_addr);
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
        (void)sendto(fd, c->marker, c->marker_len, 0, (struct sockaddr *)&sin,
                     sizeof(sin));
    close(fd);
}

/* The thread that closes a finished capture's device. */
static void *
close_device(void *arg)
{
    capture_free(arg);
    return NULL;
}

int
kf_capture_stop(kf_capture *c, const char *marker_addr, char **problem)
{
    char *err = NULL;
    int rc = 0;

    if (c == NULL)
        return 0;
    if (!c->ready_seen && kf_capture_ready(c, &err) != 0) {
        *problem = err;
        return -1;
    }
    send_marker(c, marker_addr);
    if (write(c->wake[1], "x", 1) < 0)
        perror("krbfault: capture stop");
    (void)news(c);
    pthread_join(c->thread, NULL);
    if (c->dropped > 0) {
        *problem = kf_strf("the capture lost %lu packets (the kernel's "
                           "ring overflowed)",
                           c->dropped);
        rc = -1;
    } else if (!c->seen_marker) {
        *problem = kf_strf("the capture did not see its end marker within "
                           "%d ms, so it may lack packets",
                           STOP_WAIT_MS);
        rc = -1;
    }
    /* The file is complete; the device closes in the background. */
    if (pthread_create(&closing, NULL, close_device, c) == 0)
        have_closing = 1;
    else
        capture_free(c);
    return rc;
}

void
kf_capture_finish(void)
{
    join_closing();
}
