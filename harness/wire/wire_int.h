/* Inside the wire library: the decoding state shared by its files. */
#ifndef KF_WIRE_INT_H
#define KF_WIRE_INT_H

#include <string.h>

#include "wire.h"

struct flow;

/* Addresses kept written as text. */
#define KF_WIRE_NAMES 4

struct kf_wire_stream {
    kf_wire_cb cb;
    void *arg;
    struct flow **buckets; /* TCP flows, one per direction */
    size_t n_flows;
    struct flow *spare; /* ended flows, for reuse */
    size_t n_spare;
    /* The packet being read. */
    uint64_t frame;
    int64_t sec;
    int32_t usec;
    int family; /* AF_INET or AF_INET6 */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sport;
    uint16_t dport;
    kf_wire_msg scratch; /* the message being decoded */
    struct {
        int family;
        uint8_t addr[16];
        char text[48];
    } names[KF_WIRE_NAMES]; /* addresses lately written as text */
    unsigned next_name;
    int src_slot; /* the slots whose text scratch's src and dst hold, */
    int dst_slot; /* or -1 */
};

/* Return the 32-bit number at p in this machine's byte order (pcap
 * headers; hashing). */
static inline uint32_t
native_u32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

/* Decode p as one Kerberos message into s->scratch and hand it to the
 * callback with the current packet's endpoints; return 1, or 0 if p is
 * not a message. */
int kf_wire_emit(kf_wire_stream *s, const uint8_t *p, size_t n,
                 kf_wire_transport tr, kf_wire_carrier car);

#endif /* KF_WIRE_INT_H */
