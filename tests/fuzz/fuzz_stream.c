/* libFuzzer target: a sequence of captured packets (link layers, IP,
 * UDP, TCP reassembly, record marks, HTTP).  Input: records of one byte
 * choosing the link type, two bytes of length, then the packet. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

static const int linktypes[] = {1, 113, 276, 0, 108, 12, 101, 228, 229};

/* Count each message found, and render it as decode and run do: the
 * text line (whole and into a short buffer, which must cut it safely)
 * and the JSON object. */
static void
seen(const kf_wire_msg *m, void *arg)
{
    char line[4096], small[40];
    json_object *j;

    (*(size_t *)arg) += (size_t)m->krb.msg_type;
    kf_wire_msg_text(m, line, sizeof(line));
    kf_wire_msg_text(m, small, sizeof(small));
    j = kf_wire_msg_json(m);
    json_object_put(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0, off = 0, len;
    kf_wire_stream *s = kf_wire_stream_new(seen, &n);
    int lt;

    if (s == NULL)
        return 0;
    while (off + 3 <= size) {
        lt = linktypes[data[off] % (sizeof(linktypes) / sizeof(int))];
        len = ((size_t)data[off + 1] << 8) | data[off + 2];
        off += 3;
        if (len > size - off)
            len = size - off;
        kf_wire_stream_packet(s, lt, 1, 0, data + off, len);
        off += len;
    }
    kf_wire_stream_free(s);
    return 0;
}
