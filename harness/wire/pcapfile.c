/* Reading pcap and pcapng files with libpcap, message by message. */
#define _GNU_SOURCE
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
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

/* The largest file whose pages are all mapped when it is opened. */
#define POPULATE_MAX (256 << 20)

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

/* Read the records of a classic pcap file from its bytes in memory (all
 * size of them, header included), from offset *pos on, as libpcap would.
 * Stop at the end (return 1) or at the first record libpcap would refuse
 * or change (return 0), leaving *pos at its start so that libpcap reads
 * it and what follows. */
static int
records_in_place(kf_wire_stream *s, int lt, uint32_t snaplen,
                 const uint8_t *map, size_t size, off_t *pos)
{
    int nsec = native_u32(map) == MAGIC_NSEC;
    uint32_t limit = snaplen < MAX_CAPLEN ? snaplen : MAX_CAPLEN;
    size_t off = (size_t)*pos;

    while (off < size) {
        const uint8_t *h = map + off;
        uint32_t caplen;
        int32_t sec, usec;

        if (size - off < 16)
            break;
        caplen = native_u32(h + 8);
        if (caplen > limit || size - off - 16 < caplen)
            break;
        sec = (int32_t)native_u32(h);
        usec = (int32_t)native_u32(h + 4);
        if (nsec)
            usec /= 1000;
        kf_wire_stream_packet(s, lt, sec, usec, h + 16, caplen);
        off += 16 + (size_t)caplen;
    }
    *pos = (off_t)off;
    return off == size;
}

/* Map a regular file's bytes for reading in place; return NULL if it
 * cannot be (not a regular file, empty, no memory). */
static const uint8_t *
map_file(FILE *f, size_t *size)
{
    struct stat st;
    void *map;
    int fd = fileno(f);

    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size < 24 || (uintmax_t)st.st_size > SIZE_MAX)
        return NULL;
    /* Pages mapped at once cost fewer faults; a huge file is mapped as
     * it is read. */
    map = mmap(NULL, (size_t)st.st_size, PROT_READ,
               MAP_PRIVATE | (st.st_size <= POPULATE_MAX ? MAP_POPULATE : 0),
               fd, 0);
    if (map == MAP_FAILED)
        return NULL;
    (void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    *size = (size_t)st.st_size;
    return map;
}

/* Read every record of an open capture: in place from map (size bytes,
 * NULL if none) while libpcap would read them unchanged, with libpcap
 * for the rest. */
static int
scan(FILE *f, const uint8_t *map, size_t size, const char *path, kf_wire_cb cb,
     void *arg, char **err)
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
    if (classic && map != NULL && size >= 24 && in_place_ok(map) &&
        pcap_snapshot(p) > 0) {
        if (records_in_place(s, lt, (uint32_t)pcap_snapshot(p), map, size,
                             &pos)) {
            ret = 0;
            goto cleanup;
        }
        /* libpcap reads the rest, from the record it must judge. */
        if (fseeko(f, pos, SEEK_SET) != 0) {
            *err = kf_strf("%s: cannot seek to offset %lld: %s", path,
                           (long long)pos, strerror(errno));
            goto cleanup;
        }
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

int
kf_wire_scan_pcap(const char *path, kf_wire_cb cb, void *arg, char **err)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        *err = kf_strf("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* Large reads, without locking, for what libpcap reads (pcapng). */
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    return kf_wire_scan_file(f, path, cb, arg, err);
}

int
kf_wire_scan_file(FILE *f, const char *path, kf_wire_cb cb, void *arg,
                  char **err)
{
    size_t size = 0;
    const uint8_t *map = map_file(f, &size);
    int ret = scan(f, map, size, path, cb, arg, err);

    if (map != NULL)
        munmap((void *)map, size);
    return ret;
}

int
kf_wire_scan_mem(const uint8_t *data, size_t n, const char *path,
                 kf_wire_cb cb, void *arg, char **err)
{
    FILE *f = n > 0 ? fmemopen((void *)data, n, "rb") : NULL;

    if (f == NULL) {
        *err = kf_strf("%s: not a pcap or pcapng file (%s)", path,
                       n > 0 ? strerror(errno) : "empty");
        return -1;
    }
    return scan(f, data, n, path, cb, arg, err);
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
