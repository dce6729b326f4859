/* What the client steps share: an actor's context and trace, the service's
 * record of a request, the System event 4 diagnostic. */
#ifndef KF_CLIENT_H
#define KF_CLIENT_H

#include <krb5/krb5.h>
#include <stdio.h>
#include <sys/types.h>

#include "run.h"

/* What the trace callback collects during one step. */
struct kf_tracer {
    kf_lab *lab;
    kf_obs *obs;
    FILE *file;
    char last_from[64];
    bool answered; /* a KDC answered the request now in flight */
};

/* Make the actor's context for a step: its config, pinned KDC, clock and
 * a trace.  On failure the step's outcome records why. */
krb5_error_code kf_actor_context(kf_lab *lab, kf_actor *actor,
                                 const kf_step *st, struct kf_tracer *t,
                                 kf_obs *obs, krb5_context *ctx_out);

/* Keep what the library learned of the KDC's time, as a ccache would, and
 * release the context. */
void kf_actor_done(kf_actor *actor, krb5_context ctx, struct kf_tracer *t);

/* Learn from the lines other processes or contexts wrote to the step's
 * trace file from offset on. */
void kf_trace_file_parse(struct kf_tracer *t, long offset);

/* Set the step's library outcome and (if none yet) its message. */
void kf_obs_outcome(krb5_context ctx, kf_obs *obs, krb5_error_code code);

/* Record the enctype and kvno of an encoded ticket the step sent. */
void kf_obs_ticket_bytes(krb5_context ctx, const void *data, size_t len,
                         kf_obs *obs);

/* Record the KRB-ERROR the service answered: its code and server. */
void kf_obs_krb_error(krb5_context ctx, const krb5_error *kerr, kf_obs *obs);

/* Record the System event 4 diagnostic a Windows client logs when kerr is
 * KRB_AP_ERR_MODIFIED: the account kerr names, the target the client
 * used, and the client's and the target's realms. */
void kf_obs_event(krb5_context ctx, const krb5_error *kerr,
                  krb5_const_principal client, krb5_const_principal target,
                  kf_obs *obs);

/* Return the size of a host's service log now. */
off_t kf_service_log_size(const kf_host *h);

/* Read the service's judgement of the step's request: the last accept or
 * reject its log gained after offset. */
void kf_service_view(const kf_host *h, off_t offset, kf_obs *obs);

/* Resolve hostname through the lab's resolver (getaddrinfo) and copy its
 * first IPv4 address into addr; return 0 or an errno-style code with
 * *why set. */
int kf_resolve_first(const char *hostname, char *addr, size_t len,
                     const char **why);

/* Connect over TCP to addr:port from the address from (NULL: any);
 * return the socket or -1 with errno set. */
int kf_connect_from(const char *addr, int port, const char *from);

/* The environment GSS-API's own contexts read, set for one step. */
struct kf_gss_env {
    char *saved[3];
};

/* Point KRB5_CONFIG, KRB5_TRACE and KRB5CCNAME at the step's files. */
void kf_gss_env_enter(struct kf_gss_env *e, const char *conf,
                      const char *trace, const char *ccache);

/* Restore what kf_gss_env_enter changed. */
void kf_gss_env_leave(struct kf_gss_env *e);

#endif /* KF_CLIENT_H */
