/* A burst of packets while the capture thread waits is captured whole. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

/* Datagrams in the burst: far more than a fixed-slot ring of 64 KiB
 * frames holds, and sent faster than a busy machine schedules the
 * capture thread. */
#define BURST 2000

/* A minimal KRB-ERROR (error-code 25, realm R, server krbtgt/R), so the
 * decoder counts each datagram as one message. */
static const unsigned char krb_error[] = {
    0x7e, 0x46, 0x30, 0x44, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x03, 0x02,
    0x01, 0x1e, 0xa4, 0x11, 0x18, 0x0f, 0x32, 0x30, 0x32, 0x36, 0x31, 0x32,
    0x30, 0x31, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0xa5, 0x03, 0x02,
    0x01, 0x00, 0xa6, 0x03, 0x02, 0x01, 0x19, 0xa9, 0x03, 0x1b, 0x01, 0x52,
    0xaa, 0x16, 0x30, 0x14, 0xa0, 0x03, 0x02, 0x01, 0x02, 0xa1, 0x0d, 0x30,
    0x0b, 0x1b, 0x06, 0x6b, 0x72, 0x62, 0x74, 0x67, 0x74, 0x1b, 0x01, 0x52};

/* Send the burst from one address of the block to another's discard
 * port; nothing listens, which does not matter to the capture. */
static int
send_burst(const char *from, const char *to)
{
    struct sockaddr_in src, dst;
    int fd, i;

    memset(&src, 0, sizeof(src));
    memset(&dst, 0, sizeof(dst));
    src.sin_family = dst.sin_family = AF_INET;
    dst.sin_port = htons(9);
    inet_pton(AF_INET, from, &src.sin_addr);
    inet_pton(AF_INET, to, &dst.sin_addr);
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
        perror("capture-burst: socket");
        return -1;
    }
    for (i = 0; i < BURST; i++)
        (void)sendto(fd, krb_error, sizeof(krb_error), 0,
                     (struct sockaddr *)&dst, sizeof(dst));
    close(fd);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[4096], filter[64], *err = NULL;
    kf_capture *c = NULL;
    kf_wire_msg *msgs = NULL;
    size_t n = 0;
    int rc;

    /* 127.15.x is below the blocks labs take (16 and up). */
    snprintf(filter, sizeof(filter), "net 127.15.%d.0/24",
             (int)(getpid() % 250));
    snprintf(path, sizeof(path), "%s/capture-burst-%d.pcap", dir,
             (int)getpid());
    if (kf_capture_start(filter, path, &c, &err) != 0 ||
        kf_capture_ready(c, &err) != 0) {
        printf("capture-burst: cannot capture (%s): skipped\n", err);
        free(err);
        return 77;
    }
    {
        char from[32], to[32], marker[32];
        int b = (int)(getpid() % 250);

        snprintf(from, sizeof(from), "127.15.%d.200", b);
        snprintf(to, sizeof(to), "127.15.%d.1", b);
        snprintf(marker, sizeof(marker), "127.15.%d.254", b);
        if (send_burst(from, to) != 0)
            return 1;
        rc = kf_capture_stop(c, marker, &err);
    }
    kf_capture_finish();
    if (rc != 0) {
        printf("FAIL: the capture says: %s\n", err);
        free(err);
        unlink(path);
        return 1;
    }
    if (kf_wire_read_pcap(path, &msgs, &n, &err) != 0) {
        printf("FAIL: %s\n", err);
        free(err);
        unlink(path);
        return 1;
    }
    free(msgs);
    unlink(path);
    if (n != BURST) {
        printf("FAIL: %zu of the %d messages sent were captured\n", n, BURST);
        return 1;
    }
    printf("ok: all %d messages of the burst were captured\n", BURST);
    return 0;
}
