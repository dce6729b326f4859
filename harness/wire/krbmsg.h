/* Kerberos messages on the wire: a bounds-checked RFC 4120 decoder. */
#ifndef KF_KRBMSG_H
#define KF_KRBMSG_H

#include <stddef.h>
#include <stdint.h>

#define KF_MSG_MAX_ETYPES 16
#define KF_MSG_MAX_PADATA 16

/* Message types (RFC 4120 section 5.10 application tags). */
enum {
    KF_MSG_AS_REQ = 10,
    KF_MSG_AS_REP = 11,
    KF_MSG_TGS_REQ = 12,
    KF_MSG_TGS_REP = 13,
    KF_MSG_AP_REQ = 14,
    KF_MSG_AP_REP = 15,
    KF_MSG_KRB_PRIV = 21,
    KF_MSG_KRB_ERROR = 30
};

/* What one Kerberos message says, as far as it can be read without keys.
 * Absent fields are empty strings, -1 or 0 counts. */
typedef struct kf_krbmsg {
    int msg_type;    /* one of KF_MSG_* */
    char cname[256]; /* client name, components joined by / */
    char crealm[128];
    char sname[256]; /* server name (of a reply or AP-REQ: its
                      * ticket's) */
    char srealm[128];
    uint32_t kdc_options; /* KDC-REQ kdc-options, bit 0 the MSB */
    int has_kdc_options;
    int etypes[KF_MSG_MAX_ETYPES]; /* requested etypes (KDC-REQ) */
    size_t n_etypes;
    int padata[KF_MSG_MAX_PADATA]; /* padata types (KDC-REQ, KDC-REP) */
    size_t n_padata;
    int has_ticket;      /* a ticket: the reply's, the AP-REQ's, or
                          * the TGT in a TGS-REQ's PA-TGS-REQ */
    char tkt_sname[256]; /* that ticket's server and realm */
    char tkt_srealm[128];
    int ticket_etype;    /* enc-part etype of the ticket, or -1 */
    int ticket_kvno;     /* kvno of the ticket's key, or -1 */
    int has_addl_ticket; /* a KDC-REQ's first additional ticket
                          * (S4U2Proxy's evidence, user-to-user) */
    char addl_sname[256];
    char addl_srealm[128];
    int addl_etype;
    int addl_kvno;
    int enc_etype;   /* the reply's (or authenticator's) etype */
    int error_code;  /* KRB-ERROR error-code, or -1 */
    char etext[256]; /* KRB-ERROR e-text */
    int edata_padata[KF_MSG_MAX_PADATA]; /* padata types in e-data */
    size_t n_edata_padata;
} kf_krbmsg;

/* Decode one Kerberos message (no framing).  Return 0 on success, -1 if
 * buf does not hold one. */
int kf_krbmsg_decode(const uint8_t *buf, size_t len, kf_krbmsg *out);

/* The same, decoding straight into *m, whose contents are undefined when
 * -1 is returned (for hot loops that reuse one message). */
int kf_krbmsg_decode_into(const uint8_t *buf, size_t len, kf_krbmsg *m);

/* Return true if a byte can start a message kf_krbmsg_decode reads. */
int kf_krbmsg_first_byte(uint8_t b);

/* Return the name of a message type ("AS-REQ", ...), or "?". */
const char *kf_krbmsg_type_name(int msg_type);

/* The same, setting *len to the name's length (renderers copy names
 * without measuring them). */
const char *kf_krbmsg_type_name_len(int msg_type, size_t *len);

/* Return the message type named ("AS-REQ", "krb-error", ...; any case),
 * or -1. */
int kf_krbmsg_type_parse(const char *name);

/* Return the name of a padata type ("PA-ENC-TIMESTAMP", ...) or NULL. */
const char *kf_padata_name(int type);

/* Return the label of a padata type in text, its name and number
 * ("PA-ENC-TIMESTAMP(2)"), setting *len to its length; NULL for a type
 * with no name. */
const char *kf_padata_label(int type, size_t *len);

/* Return the padata type named (with or without "PA-", any case), or
 * -1. */
int kf_padata_parse(const char *name);

/* Return the name of KDC option bit (0 the MSB: "forwardable" is 1), or
 * NULL for a bit with no name. */
const char *kf_kdc_option_name(int bit);

/* The same, setting *len to the name's length when there is one. */
const char *kf_kdc_option_name_len(int bit, size_t *len);

#endif /* KF_KRBMSG_H */
