/* krbfault-service: what its parts share (options, a judgement). */
#ifndef KF_SVC_H
#define KF_SVC_H

#include <krb5/krb5.h>
#include <stdbool.h>

#include "negotiate.h"

/* The service's settings and state. */
struct svc {
    const char *listen; /* raw AP-REQs: ADDR:PORT */
    const char *http;   /* HTTP Negotiate: ADDR:PORT, or NULL */
    const char *keytab;
    const char *log;
    const char *clockfile;
    const char *acceptor; /* "any" or a principal name (mit only) */
    const char *name;     /* the host's name in the lab */
    const char *account;  /* the account the service runs as */
    bool ad;              /* the Windows acceptor personality */
    krb5_context ctx;
    krb5_keytab adkt; /* ad: the memory keytab of the decrypting key */
    char adkt_name[64];
    unsigned long seq;
};

/* One request judged (or challenged), as the log records it. */
struct verdict {
    const char *transport; /* "raw" or "http" */
    const char *decision;  /* "accept", "reject" or "challenge" */
    krb5_error_code code;
    char *message;
    char *server; /* the ticket's server, as the ticket names it */
    int kvno;     /* the ticket's kvno and enctype, or -1 */
    int etype;
    char *client;    /* the authenticated client */
    char *key;       /* ad: the keytab entry whose key decrypted it */
    int http_status; /* 0 for raw requests */
};

/* Judge a raw AP-REQ from the peer on fd; set *out to an AP-REP or a
 * KRB-ERROR (accept.c). */
void svc_accept_raw(struct svc *s, int fd, const krb5_data *req,
                    krb5_data *out, struct verdict *v);

/* Judge an HTTP Negotiate token; set *out to the token to return (it may
 * be empty).  Return true if the client is authenticated (accept.c). */
bool svc_accept_token(struct svc *s, const kf_bytes *tok, kf_bytes *out,
                      struct verdict *v);

/* Serve one HTTP request on fd (http.c). */
void svc_http(struct svc *s, int fd, const char *peer);

/* Append the verdict to the service's log (service.c). */
void svc_log(struct svc *s, const char *peer, const struct verdict *v);

/* Free what a verdict holds. */
void svc_verdict_free(struct svc *s, struct verdict *v);

#endif /* KF_SVC_H */
