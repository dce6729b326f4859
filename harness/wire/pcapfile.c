/* Reading pcap and pcapng files with libpcap, message by message. */
#define _GNU_SOURCE
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "wire.h"

int
kf_wire_scan_pcap(const char *path, kf_wire_cb cb, void *arg, char **err)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        *err = kf_strf("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* Large reads: libpcap reads a record at a time through stdio. */
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return kf_wire_scan_file(f, path, cb, arg, err);
}

int
kf_wire_scan_file(FILE *f, const char *path, kf_wire_cb cb, void *arg,
                  char **err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct pcap_pkthdr *h;
    const u_char *data;
    kf_wire_stream *s = NULL;
    pcap_t *p = NULL;
    off_t pos = 24;
    uint8_t magic[4] = {0};
    int lt, rc, ret = -1, classic;

    /* Classic pcap records are counted here (asking the file its offset
     * costs a system call per packet); pcapng's blocks are not. */
    classic = fread(magic, 1, 4, f) == 4 && fseek(f, 0, SEEK_SET) == 0 &&
              !(magic[0] == 0x0a && magic[1] == 0x0d && magic[2] == 0x0d &&
                magic[3] == 0x0a);

    p = pcap_fopen_offline_with_tstamp_precision(
        f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (p == NULL) {
        fclose(f);
        *err = kf_strf("%s: not a pcap or pcapng file (%s)", path, errbuf);
        return -1;
    }
    lt = pcap_datalink(p);
    if (!kf_wire_linktype_ok(lt)) {
        const char *name = pcap_datalink_val_to_name(lt);

        *err = kf_strf("%s: link type %d (%s) is not supported (Ethernet, "
                       "Linux cooked, raw IP and loopback are)",
                       path, lt, name != NULL ? name : "unknown");
        goto cleanup;
    }
    s = kf_wire_stream_new(cb, arg);
    if (s == NULL) {
        *err = kf_strf("%s: out of memory", path);
        goto cleanup;
    }
    for (;;) {
        if (!classic)
            pos = ftello(pcap_file(p));
        rc = pcap_next_ex(p, &h, &data);
        if (rc == PCAP_ERROR_BREAK)
            break;
        if (rc != 1) {
            *err = kf_strf("%s: truncated or malformed record at offset "
                           "%lld: %s",
                           path, (long long)pos, pcap_geterr(p));
            goto cleanup;
        }
        kf_wire_stream_packet(s, lt, (int64_t)h->ts.tv_sec,
                              (int32_t)h->ts.tv_usec, data, h->caplen);
        pos += 16 + (off_t)h->caplen;
    }
    ret = 0;

cleanup:
    kf_wire_stream_free(s);
    pcap_close(p);
    return ret;
}

/* A growing array of messages. */
struct msg_array {
    kf_wire_msg *v;
    size_t n;
    size_t cap;
    int oom;
};

/* The kf_wire_cb that appends to a msg_array. */
static void
collect(const kf_wire_msg *m, void *arg)
{
    struct msg_array *a = arg;

    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        kf_wire_msg *nv = realloc(a->v, cap * sizeof(*nv));

        if (nv == NULL) {
            a->oom = 1;
            return;
        }
        a->v = nv;
        a->cap = cap;
    }
    a->v[a->n++] = *m;
}

int
kf_wire_read_pcap(const char *path, kf_wire_msg **msgs, size_t *n, char **err)
{
    struct msg_array a = {NULL, 0, 0, 0};

    if (kf_wire_scan_pcap(path, collect, &a, err) != 0) {
        free(a.v);
        return -1;
    }
    if (a.oom) {
        free(a.v);
        *err = kf_strf("%s: out of memory", path);
        return -1;
    }
    *msgs = a.v;
    *n = a.n;
    return 0;
}
