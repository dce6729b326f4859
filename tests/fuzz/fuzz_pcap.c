/* libFuzzer target: a whole pcap or pcapng file, read with libpcap. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wire.h"

static void
seen(const kf_wire_msg *m, void *arg)
{
    (*(size_t *)arg) += (size_t)m->krb.msg_type;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f;
    char *err = NULL;
    size_t n = 0;

    if (size == 0)
        return 0;
    f = fmemopen((void *)data, size, "rb");
    if (f == NULL)
        return 0;
    (void)kf_wire_scan_file(f, "fuzz.pcap", seen, &n, &err);
    free(err);
    return 0;
}
