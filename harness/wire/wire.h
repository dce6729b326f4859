/* The wire library: Kerberos messages found in packets and pcap files. */
#ifndef KF_WIRE_H
#define KF_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "krbmsg.h"

struct json_object;

/* How a message crossed the network. */
typedef enum {
    KF_TR_UDP, /* one UDP datagram */
    KF_TR_TCP, /* a TCP stream, reassembled */
    KF_TR_HTTP /* an HTTP header (Negotiate) on a TCP stream */
} kf_wire_transport;

/* What wrapped the message. */
typedef enum {
    KF_CAR_RAW,    /* the bare message (TCP: after a 4-byte record mark) */
    KF_CAR_GSS,    /* a GSS-API krb5 mechanism token (RFC 4121) */
    KF_CAR_SPNEGO, /* such a token inside SPNEGO (RFC 4178) */
    KF_CAR_KPASSWD /* a kpasswd request or reply (RFC 3244) */
} kf_wire_carrier;

/* The longest message a TCP stream may carry (bigger record marks are not
 * taken for Kerberos). */
#define KF_WIRE_MAX_MSG (1u << 20)

/* One Kerberos message seen on the wire. */
typedef struct kf_wire_msg {
    int64_t sec;    /* pcap timestamp (real time) of the packet */
    int32_t usec;   /* that completed the message */
    uint64_t frame; /* that packet's number in the file, from 1 */
    char src[48];   /* addresses as text (IPv4 or IPv6) */
    char dst[48];
    uint16_t sport;
    uint16_t dport;
    kf_wire_transport transport;
    kf_wire_carrier carrier;
    char from[64]; /* names for src and dst (a lab's KDC, host or
                    * actor), or empty */
    char to[64];
    kf_krbmsg krb;
} kf_wire_msg;

/* Called for each message, in the order the messages complete. */
typedef void (*kf_wire_cb)(const kf_wire_msg *m, void *arg);

/* --- packets (stream.c) --- */

/* The state of decoding one capture: TCP streams being reassembled. */
typedef struct kf_wire_stream kf_wire_stream;

/* Start decoding packets; NULL if out of memory. */
kf_wire_stream *kf_wire_stream_new(kf_wire_cb cb, void *arg);

/* Feed one captured packet of a link type (a DLT_ value: Ethernet, Linux
 * SLL and SLL2, raw IP, BSD loopback/NULL).  Anything that is not IPv4 or
 * IPv6 UDP or TCP, or holds no Kerberos, is passed over.  Return -1 only
 * if the link type is not supported. */
int kf_wire_stream_packet(kf_wire_stream *s, int linktype, int64_t sec,
                          int32_t usec, const uint8_t *data, size_t caplen);

/* Return true if the link type is one kf_wire_stream_packet reads. */
int kf_wire_linktype_ok(int linktype);

/* Free the state (messages still incomplete are dropped). */
void kf_wire_stream_free(kf_wire_stream *s);

/* --- payloads (carrier.c); these call the stream's callback --- */

/* Look for Kerberos in one UDP payload or one record of a TCP stream: a
 * bare message or a kpasswd message.  Return the number of messages. */
int kf_wire_payload(kf_wire_stream *s, const uint8_t *p, size_t n,
                    kf_wire_transport tr);

/* Look for Kerberos in a GSS-API or SPNEGO token.  Return the number of
 * messages. */
int kf_wire_gss_token(kf_wire_stream *s, const uint8_t *p, size_t n,
                      kf_wire_transport tr, kf_wire_carrier car);

/* Look for Negotiate tokens in one HTTP header block (request or
 * response, up to and including the blank line).  Return the number of
 * messages. */
int kf_wire_http_headers(kf_wire_stream *s, const char *p, size_t n);

/* --- pcap files (pcapfile.c) --- */

/* Read every Kerberos message of a pcap or pcapng file, calling cb for
 * each.  Return 0, or -1 with *err naming the file and what is wrong
 * (caller frees). */
int kf_wire_scan_pcap(const char *path, kf_wire_cb cb, void *arg, char **err);

/* The same for an open file (closed on return); path names it in
 * errors. */
int kf_wire_scan_file(FILE *f, const char *path, kf_wire_cb cb, void *arg,
                      char **err);

/* Read every Kerberos message of a pcap file into a new array (caller
 * frees *msgs).  Return 0, or -1 with *err. */
int kf_wire_read_pcap(const char *path, kf_wire_msg **msgs, size_t *n,
                      char **err);

/* --- rendering (render.c), shared by decode and run --- */

/* Return the name of a transport ("udp", "tcp", "http") or carrier ("raw",
 * "gss", "spnego", "kpasswd"). */
const char *kf_wire_transport_name(kf_wire_transport t);
const char *kf_wire_carrier_name(kf_wire_carrier c);

/* Write a message on one line: frame, time, endpoints, transport, type
 * and every field that was read.  Return the length written. */
size_t kf_wire_msg_text(const kf_wire_msg *m, char *buf, size_t len);

/* Write a short form for verdicts: "KRB-ERROR 25 DC01->client udp". */
void kf_wire_msg_brief(const kf_wire_msg *m, char *buf, size_t len);

/* Return a message as a JSON object (error_code and a ticket's etype are
 * integers); caller puts it. */
struct json_object *kf_wire_msg_json(const kf_wire_msg *m);

/* --- live capture (capture.c) --- */

/* A capture of one lab's traffic running in its own thread. */
typedef struct kf_capture kf_capture;

/* Start capturing on the loopback interface what matches filter (a BPF
 * expression) into path.  The device opens in the capture's thread, in
 * the background (it takes the kernel some milliseconds): call
 * kf_capture_ready before the first packet that must be in the file.
 * Return 0 and set *out, or -1 with *err. */
int kf_capture_start(const char *filter, const char *path, kf_capture **out,
                     char **err);

/* Wait until the capture runs.  Return 0, or -1 with *err saying why it
 * cannot (no permission, no device); c is then freed. */
int kf_capture_ready(kf_capture *c, char **err);

/* Stop a capture: every packet sent before the call is written to the
 * file, which is then closed.  marker_addr is an address of the filtered
 * block that the capture uses to know it has seen everything. */
void kf_capture_stop(kf_capture *c, const char *marker_addr);

/* Wait for the last stopped capture to release its device (at exit). */
void kf_capture_finish(void);

/* --- the decode command (decode.c) --- */

/* krbfault decode FILE [--json]: return the exit status. */
int kf_decode_main(int argc, char **argv);

#endif /* KF_WIRE_H */
