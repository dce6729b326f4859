/* A running lab: its directory, addresses, KDCs, hosts and actors. */
#ifndef KF_LAB_H
#define KF_LAB_H

#include <krb5/krb5.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "proc.h"
#include "scenario.h"

/* A lab's KDCs and hosts share its 127.x.y.0/24 block. */
#define KF_MAX_KDCS 64

typedef struct kf_kdc {
    const kf_kdc_def *def;
    char addr[20];
    char *dir;
    char *kdcconf; /* its KRB5_KDC_PROFILE */
    char *dbname;
    char *stash;
    char *log;       /* the KDC's own log ([logging] kdc) */
    char *clockfile; /* its clock offset, for libfaketime */
    long clock;
    bool repl_broken; /* outbound replication fails */
    kf_proc proc;
} kf_kdc;

typedef struct kf_host {
    const kf_host_def *def;
    char addr[20];
    char *dir;
    char *keytab;
    char *svclog;    /* one JSON line per request the service judged */
    char *clockfile; /* the service's clock offset, read per request */
    long clock;
    kf_proc proc;
} kf_host;

typedef struct kf_actor {
    const kf_actor_def *def;
    char addr[20]; /* the actor's own address: 127.a.b.(200 + n) */
    char *dir;
    char *ccache; /* FILE: ccache name */
    char *cert;   /* a smart-card actor's certificate and key */
    char *key;
    long clock; /* current clock offset in seconds */
} kf_actor;

typedef struct kf_lab_opts {
    bool keep; /* leave the lab directory behind */
    const char *variant;
    const char *service_bin;    /* path of krbfault-service */
    kf_personality pers;        /* the personality the services play */
    const char *kdb_module_dir; /* the directory holding fakekdc.so */
    bool capture;               /* capture the lab's traffic (capture.pcap) */
    const char *dns_bin; /* path of krbfault-dns, for labs with a dns block */
} kf_lab_opts;

typedef struct kf_lab {
    const kf_scenario *sc;
    const char *variant;
    char *dir;
    char *krb5conf; /* the lab's base krb5.conf (every KDC) */
    char *acl;
    unsigned char net[2]; /* the lab owns 127.net[0].net[1].0/24 */
    int kdc_port;
    int svc_port;        /* framed AP-REQs: the KDC port number, at hosts */
    int http_port;       /* HTTP Negotiate at hosts: 80, or 8080 */
    kf_personality pers; /* what the hosts' services play */
    time_t start;        /* the lab's notion of "now" at start */
    kf_kdc *kdcs;
    size_t n_kdcs;
    kf_host *hosts;
    size_t n_hosts;
    kf_actor *actors;
    size_t n_actors;
    char nat_addr[20];   /* 127.a.b.250: where "NAT" traffic comes from */
    char probe_name[48]; /* a principal only this lab's database holds */
    const char *kdb_module_dir; /* fakekdc's, if the KDCs use it; or NULL */
    int lockfd;                 /* holds the address block */
    bool keep;
    char *saved_env[5];
    bool env_entered;
    struct kf_capture *capture; /* running capture of the lab's block */
    char *pcap;                 /* the capture's file (in the lab directory) */
    char *capture_error;        /* why the lab's traffic is not captured */
    char dns_addr[20]; /* 127.a.b.53: the lab's DNS server, if it has one */
    char *dns_dir;     /* its zone, query log and resolver files */
    kf_proc dns_proc;  /* krbfault-dns */
    bool resolver_entered; /* this process resolves through the lab DNS */
} kf_lab;

/* The environment variables every lab process gets. */
extern const char *const kf_lab_env_names[5];

/* Build and start a lab for sc: directory, databases, KDCs, services.
 * On failure nothing is left running and *err says why. */
int kf_lab_up(const kf_scenario *sc, const kf_lab_opts *opts, kf_lab **lab_out,
              char **err);

/* Stop one KDC (it becomes unreachable), or start it again. */
void kf_lab_stop_kdc(kf_lab *lab, kf_kdc *k);
int kf_lab_start_kdc(kf_lab *lab, kf_kdc *k, char **err);

/* Run a tool to its end as a lab process: the guardian knows it, it dies
 * with the lab, and it is killed after timeout_ms.  Its output goes to
 * outpath.  Return 0 with its wait status, or -1 with *err. */
int kf_lab_run_tool(kf_lab *lab, const char *name, char *const argv[],
                    char *const envp[], const char *outpath, int timeout_ms,
                    int *status, char **err);

/* Stop every process of the lab and remove its directory unless kept. */
void kf_lab_down(kf_lab *lab);

/* Stop every lab's processes now (from a signal handler). */
void kf_lab_emergency_stop(void);

kf_kdc *kf_lab_kdc(kf_lab *lab, const char *name);
kf_host *kf_lab_host(kf_lab *lab, const char *name);

/* Return the host whose address is addr, or NULL. */
kf_host *kf_lab_host_by_addr(kf_lab *lab, const char *addr);
kf_actor *kf_lab_actor(kf_lab *lab, const char *name);

/* Return the KDC whose address:port is addr ("127.x.y.z:88"), or NULL. */
kf_kdc *kf_lab_kdc_by_addr(kf_lab *lab, const char *addr);

/* Write a krb5.conf for an actor (NULL: the lab's defaults) that reaches
 * only pin (NULL: every KDC, the primary first) and names primary (NULL:
 * the lab's first KDC when pin is NULL) as primary_kdc.  Return its
 * path. */
char *kf_lab_client_conf(kf_lab *lab, const kf_actor *actor, const kf_kdc *pin,
                         const kf_kdc *primary, char **err);

/* Render the krb5.conf of an actor (NULL: the lab's defaults) that
 * reaches only pin (NULL: every KDC, the primary first); caller frees. */
char *kf_lab_render_krb5_conf(const kf_lab *lab, const kf_actor *actor,
                              const kf_kdc *pin, const kf_kdc *primary);

/* Return true if the lab's KDCs must use fakekdc's KDB module: the
 * scenario declares aliases, or KRBFAULT_FAKEKDC=always asks for it. */
bool kf_lab_wants_fakekdc(const kf_scenario *sc);

/* Render the alias file fakekdc reads (one "ALIAS CANONICAL" a line, in
 * full); caller frees. */
char *kf_lab_render_aliases(const kf_lab *lab);

/* Render the kdc.conf of one KDC; caller frees. */
char *kf_lab_render_kdc_conf(const kf_lab *lab, const kf_kdc *k);

/* Make a krb5 context that reads only conf. */
krb5_error_code kf_lab_context(kf_lab *lab, const char *conf,
                               krb5_context *ctx_out);

/* Set a host's clock offset; its service reads it per request. */
int kf_lab_set_host_clock(kf_lab *lab, kf_host *h, long offset, char **err);

/* Set a KDC's clock offset; the running KDC follows it (libfaketime). */
int kf_lab_set_kdc_clock(kf_lab *lab, kf_kdc *k, long offset, char **err);

/* Stop the lab's capture, if it runs: its pcap then holds every packet
 * sent so far. */
void kf_lab_capture_stop(kf_lab *lab);

/* Return the lab's name for an address: a KDC's, host's or actor's name,
 * "client" (127.0.0.1, where libkrb5's KDC requests come from), "nat",
 * "dns" (.53 of the block); NULL if it is none of these. */
const char *kf_lab_addr_name(const kf_lab *lab, const char *addr);

/* Copy everything a KDC's processes have printed into their logs. */
void kf_lab_drain(kf_lab *lab);

/* With KRBFAULT_TIMING set, print the time since the previous phase. */
void kf_lab_phase(kf_lab *lab, const char *what);

/* Return a newly allocated "dir/name". */
char *kf_path(const char *dir, const char *name);

#endif /* KF_LAB_H */
