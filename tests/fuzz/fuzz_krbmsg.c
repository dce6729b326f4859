/* libFuzzer target: one Kerberos message, GSS-API token or HTTP header. */
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* Count what was found, so nothing is optimised away. */
static void
seen(const kf_wire_msg *m, void *arg)
{
    (*(size_t *)arg) += (size_t)m->krb.msg_type;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kf_krbmsg m;
    size_t n = 0;
    kf_wire_stream *s = kf_wire_stream_new(seen, &n);

    (void)kf_krbmsg_decode(data, size, &m);
    if (s != NULL) {
        kf_wire_payload(s, data, size, KF_TR_UDP);
        kf_wire_gss_token(s, data, size, KF_TR_HTTP, KF_CAR_GSS);
        kf_wire_http_headers(s, (const char *)data, size);
        kf_wire_stream_free(s);
    }
    return 0;
}
