/* Reading pcap and pcapng files, message by message: classic pcap records
 * in place while libpcap would pass them unchanged, libpcap for the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "wire_int.h"

/* Classic pcap's magic numbers (microsecond and nanosecond timestamps),
 * in the byte order of this machine. */
#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du

/* The largest record read in place: libpcap's MAXIMUM_SNAPLEN, its limit
 * for every link type kf_wire_stream_packet reads. */
#define MAX_CAPLEN 262144u

/* The bytes read at once. */
#define BLOCK (1u << 20)

/* Return true if a classic pcap file's header (24 bytes at p) is one
 * whose records can be read in place: this machine's byte order and
 * version 2.4, which libpcap reads without changing anything. */
static int
in_place_ok(const uint8_t *p)
{
    uint32_t magic = native_u32(p);
    uint16_t major, minor;

    memcpy(&major, p + 4, 2);
    memcpy(&minor, p + 6, 2);
    return (magic == MAGIC_USEC || magic == MAGIC_NSEC) && major == 2 &&
           minor == 4;
}

/* A file's records in memory, to be read in place: read in large
 * blocks. */
struct blocks {
    FILE *f;
    uint8_t *buf; /* BLOCK bytes */
    size_t len;   /* bytes in buf */
    size_t at;    /* where the next record starts in buf */
    off_t base;   /* the file offset of buf[0] */
    int eof;      /* the file has no more (or cannot be read) */
};

/* Read more of the file until want bytes (at most BLOCK) are available
 * at b->at; return 1, or 0 if the file ends (or fails) before. */
static int
refill(struct blocks *b, size_t want)
{
    size_t n;

    while (b->len - b->at < want) {
        if (b->eof)
            return 0;
        /* Keep the record begun, at the start of the block. */
        memmove(b->buf, b->buf + b->at, b->len - b->at);
        b->base += (off_t)b->at;
        b->len -= b->at;
        b->at = 0;
        n = fread(b->buf + b->len, 1, BLOCK - b->len, b->f);
        b->len += n;
        b->eof = n == 0;
    }
    return 1;
}

/* Return 1 if want bytes are available at b->at, reading more if
 * needed, or 0 if the file ends before. */
static inline int
have(struct blocks *b, size_t want)
{
    return b->len - b->at >= want || refill(b, want);
}

/* Read the records of a classic pcap file (positioned after its header)
 * in blocks, as libpcap would.  Stop at its end (return 1) or at the
 * first record libpcap would refuse or change (return 0), setting *pos
 * to that record's offset for libpcap to read it and what follows. */
static int
records_in_place(kf_wire_stream *s, int lt, uint32_t snaplen, int nsec,
                 struct blocks *b, off_t *pos)
{
    uint32_t limit = snaplen < MAX_CAPLEN ? snaplen : MAX_CAPLEN, caplen;
    const uint8_t *h;
    int32_t sec, usec;
    int done = 0;

    for (;;) {
        if (!have(b, 16)) {
            done = b->len == b->at; /* the end, between records */
            break;
        }
        h = b->buf + b->at;
        caplen = native_u32(h + 8);
        if (caplen > limit || !have(b, 16 + (size_t)caplen))
            break;
        h = b->buf + b->at; /* have may have moved it */
        sec = (int32_t)native_u32(h);
        usec = (int32_t)native_u32(h + 4);
        if (nsec)
            usec /= 1000;
        kf_wire_stream_packet(s, lt, sec, usec, h + 16, caplen);
        b->at += 16 + (size_t)caplen;
    }
    *pos = b->base + (off_t)b->at;
    return done;
}

/* Read the records of a classic pcap file in place while they are ones
 * libpcap passes unchanged, read in large blocks (not mapped: a file
 * another process truncates would end a mapping's reader with SIGBUS);
 * return 1 if that read them all, 0 with
 * *pos at the record libpcap must read next (and f there), -1 with
 * *err. */
static int
fast_records(kf_wire_stream *s, pcap_t *p, FILE *f, const uint8_t hdr[24],
             const char *path, off_t *pos, char **err)
{
    struct blocks b = {f, NULL, 0, 0, 24, 0};
    int done;

    /* A file libpcap reads as it is, that can be sought back into. */
    if (!in_place_ok(hdr) || pcap_snapshot(p) <= 0 || ftello(f) != 24)
        return 0;
    if ((b.buf = malloc(BLOCK)) == NULL)
        return 0;
    done = records_in_place(s, pcap_datalink(p), (uint32_t)pcap_snapshot(p),
                            native_u32(hdr) == MAGIC_NSEC, &b, pos);
    free(b.buf);
    if (done)
        return 1;
    if (fseeko(f, *pos, SEEK_SET) != 0) {
        *err = kf_strf("%s: cannot seek to offset %lld: %s", path,
                       (long long)*pos, strerror(errno));
        return -1;
    }
    clearerr(f);
    return 0;
}

int
kf_wire_scan_pcap(const char *path, kf_wire_cb cb, void *arg, char **err)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        *err = kf_strf("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* No locking: the stream is this thread's.  Blocks are read past the
     * stdio buffer; what libpcap reads (pcapng) comes in large reads. */
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    __fsetlocking(f, FSETLOCKING_BYCALLER);
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
    uint8_t hdr[24] = {0};
    size_t got;
    int lt, rc, ret = -1, classic;

    /* Classic pcap records are counted here (asking the file its offset
     * costs a system call per packet); pcapng's blocks are not. */
    got = fread(hdr, 1, sizeof(hdr), f);
    classic = got >= 4 && fseek(f, 0, SEEK_SET) == 0 &&
              !(hdr[0] == 0x0a && hdr[1] == 0x0d && hdr[2] == 0x0d &&
                hdr[3] == 0x0a);

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
    if (classic && got == sizeof(hdr)) {
        rc = fast_records(s, p, f, hdr, path, &pos, err);
        if (rc != 0) {
            ret = rc > 0 ? 0 : -1;
            goto cleanup;
        }
    }
    /* libpcap reads the rest (all of a file it changes or refuses). */
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
