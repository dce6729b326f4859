/* The scenario model: what a scenario file declares, after validation. */
#ifndef KF_SCENARIO_H
#define KF_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "errcodes.h"

/* A place in a scenario file, 1-based. */
typedef struct kf_pos {
    int line;
    int col;
} kf_pos;

/* A list of strings with the place of each. */
typedef struct kf_strlist {
    char **v;
    kf_pos *pos;
    size_t n;
} kf_strlist;

typedef struct kf_kdc_def {
    char *name;
    long clock; /* clock offset in seconds */
    kf_pos pos;
} kf_kdc_def;

typedef struct kf_host_def {
    char *name;
    char *fqdn;        /* the DNS name clients use for the host */
    char *acceptor;    /* "any" (iterate the keytab) or a principal name */
    char *account;     /* the account the service runs as (default NAME$) */
    long clock;        /* clock offset in seconds */
    kf_strlist keytab; /* principals whose keys the host starts with */
    kf_pos pos;
} kf_host_def;

typedef struct kf_policy_def {
    char *name;
    int max_failures;      /* 0: no lockout */
    long failure_interval; /* seconds */
    long lockout_duration; /* seconds; 0: until unlocked */
    int min_length;
    kf_pos pos;
} kf_policy_def;

/* An absent time, a time relative to the lab's start, or never. */
typedef struct kf_reltime {
    bool set;
    bool never;
    long offset;
} kf_reltime;

typedef struct kf_principal_def {
    char *name;          /* without realm */
    char *account;       /* the Active Directory account it stands for */
    char *password;      /* NULL: random keys */
    int kvno;            /* 0: kvno 1 */
    kf_strlist enctypes; /* empty: the realm's supported_enctypes */
    int attr_set;        /* KRB5_KDB_* attribute bits to set */
    int attr_clear;      /* ... and to clear */
    kf_reltime pw_expires;
    kf_reltime expires;
    char *policy;
    char *keys_of; /* holds exactly this principal's keys and salt */
    kf_pos keys_of_pos;
    kf_strlist string_keys; /* string attributes (e.g. require_auth) */
    kf_strlist string_values;
    kf_pos pos;
} kf_principal_def;

/* A name the lab's KDCs answer for on behalf of another: served by
 * fakekdc's KDB module, which db2 lacks. */
typedef struct kf_alias_def {
    char *name;   /* a name in the lab's realm, without the realm */
    char *target; /* a declared principal, or NAME@OTHER.REALM */
    kf_pos pos;
} kf_alias_def;

typedef struct kf_actor_def {
    char *name;
    char *principal;
    char *password;   /* the password the actor believes in */
    long clock;       /* clock offset in seconds */
    int kdc_timesync; /* -1: MIT default (on), 0 or 1 */
    bool smartcard;   /* logs on with a certificate (PKINIT) */
    kf_strlist enctypes;
    char *canonicalize; /* its dns_canonicalize_hostname; NULL: the lab's */
    int rdns;           /* its rdns: -1 the lab's, 0 or 1 */
    kf_pos pos;
} kf_actor_def;

/* A DNS record of the lab's zone. */
typedef enum {
    KF_RR_A,
    KF_RR_CNAME,
    KF_RR_PTR,
    KF_RR_SRV,
    KF_RR_TXT
} kf_rr_type;

typedef struct kf_dns_record {
    char *name; /* owner name; NULL for a PTR (the reverse name of
                 * its host's or KDC's address) */
    kf_rr_type type;
    char *host;      /* a lab host: its address (A), the owner of a PTR,
                      * the target of an SRV */
    char *kdc;       /* the same for a KDC */
    char *target;    /* CNAME, PTR and SRV target name */
    char *role;      /* SRV: whose port (kdc, kpasswd, kadmin, http) */
    int priority;    /* SRV */
    int weight;      /* SRV */
    char *text;      /* TXT */
    kf_strlist only; /* variants the record exists in; empty: all */
    kf_pos pos;
} kf_dns_record;

/* The lab's DNS: krb5.conf's name handling and the zone's records. */
typedef struct kf_dns_def {
    bool set;           /* the scenario has a dns block: the lab runs DNS */
    char *canonicalize; /* dns_canonicalize_hostname: true, false or
                         * fallback (MIT's default: true) */
    bool rdns;          /* rdns (MIT's default: true) */
    bool auto_records;  /* A and PTR records for every host and KDC */
    kf_dns_record *records;
    size_t n_records;
    kf_pos pos;
} kf_dns_def;

typedef struct kf_variant_def {
    char *id;
    char *title;
    kf_pos pos;
} kf_variant_def;

/* One field of a step: a scalar or a list of scalars. */
typedef struct kf_field {
    char *key;
    char *value; /* NULL for a list */
    kf_strlist list;
    kf_pos pos;
} kf_field;

typedef enum {
    KF_ACT_KINIT,
    KF_ACT_GET_TICKET,
    KF_ACT_AP_REQ,
    KF_ACT_CHANGE_PASSWORD,
    KF_ACT_RANDOMIZE_KEY,
    KF_ACT_EXPORT_KEYTAB,
    KF_ACT_REPLICATE,
    KF_ACT_BREAK_REPLICATION,
    KF_ACT_REPAIR_REPLICATION,
    KF_ACT_ADVANCE_CLOCK,
    KF_ACT_RENEW,
    KF_ACT_STOP_KDC,
    KF_ACT_START_KDC,
    KF_ACT_KPASSWD,
    KF_ACT_S4U2PROXY,
    KF_ACT_HTTP,
    KF_ACT_CURL,
    KF_ACT_COUNT
} kf_action;

typedef struct kf_step {
    char *id;
    kf_action action;
    char *note;      /* what the step means in the story */
    kf_strlist only; /* variants the step belongs to; empty: all */
    kf_field *fields;
    size_t n_fields;
    kf_pos pos;
} kf_step;

/* The diagnostic a Windows client logs as System event 4 when a server
 * answers KRB_AP_ERR_MODIFIED.  NULL fields are not judged. */
typedef struct kf_event {
    int id;       /* 4; 0: no event */
    char *server; /* the account the KRB-ERROR names, e.g. SV03$ */
    char *target; /* the target name (SPN) the client used */
    char *client_realm;
    char *target_realm;
} kf_event;

/* What the client library must return. */
typedef struct kf_lib_expect {
    bool set;
    kf_outcome error;
    bool has_kdc_errors;
    kf_outcome *kdc_errors; /* KRB-ERRORs the library received, in order */
    size_t n_kdc_errors;
    char *message;       /* substring of the library's message */
    int ticket_etype;    /* 0: not judged */
    int ticket_kvno;     /* 0: not judged */
    char *answered_over; /* "udp" or "tcp"; NULL: not judged */
    char *answered_by;   /* the KDC that sent the last answer */
    char *trace;         /* a regex a line of libkrb5's trace must match */
    int http_status;     /* the last HTTP status; 0: not judged */
    int curl_exit;       /* curl's exit status; -1: not judged */
    bool has_event;      /* the System event 4 diagnostic is judged: */
    kf_event event;      /* id 0 means no event */
    kf_pos pos;
} kf_lib_expect;

/* What the fake application service must decide. */
typedef struct kf_svc_expect {
    bool set;
    kf_outcome error;
    char *message; /* substring of the service's reason */
    kf_pos pos;
} kf_svc_expect;

/* A line that must appear in a KDC's log during the step. */
typedef struct kf_log_expect {
    char *kdc;     /* NULL: any KDC of the lab */
    char *pattern; /* a POSIX extended regular expression */
    kf_pos pos;
} kf_log_expect;

#define KF_WIRE_MAX_LIST 16

/* One message a wire expectation looks for; unset keys match anything. */
typedef struct kf_wire_pattern {
    int type;   /* a message type (10 AS-REQ ... 30 KRB-ERROR); 0:
                 * any */
    char *from; /* a lab name (KDC, host, actor, client, nat, dns) */
    char *to;
    bool has_error;
    kf_outcome error; /* the KRB-ERROR's code */
    char *etext;      /* a regex the e-text must match */
    int etype;        /* the ticket's enc-part etype; 0: any */
    int kvno;         /* the ticket's kvno; 0: any */
    char *over;       /* "udp", "tcp" or "http" */
    char *sname;      /* regexes the server and client names (NAME@REALM)
                       * must match */
    char *cname;
    int padata[KF_WIRE_MAX_LIST]; /* padata types that must be there */
    size_t n_padata;
    int edata_padata[KF_WIRE_MAX_LIST]; /* e-data padata types, likewise */
    size_t n_edata_padata;
    bool has_etypes;
    int etypes[KF_WIRE_MAX_LIST]; /* the requested etypes, exactly */
    size_t n_etypes;
    kf_pos pos;
} kf_wire_pattern;

/* Expectations under one personality (MIT or Active Directory). */
typedef struct kf_views {
    bool set;
    kf_lib_expect library;
    kf_svc_expect service;
    kf_log_expect *kdc_log; /* every one must match a new log line */
    size_t n_kdc_log;
    bool has_wire;
    kf_wire_pattern *wire; /* messages that must cross in this order */
    size_t n_wire;
    bool wire_exact; /* ... and no other Kerberos message */
    kf_pos wire_pos;
    char *note;
    kf_pos pos;
} kf_views;

typedef enum { KF_PERS_MIT = 0, KF_PERS_AD = 1, KF_PERS_COUNT } kf_personality;

typedef struct kf_expect {
    char *step;
    size_t step_index; /* index into steps of the first step with that id */
    kf_strlist only;
    kf_views pers[KF_PERS_COUNT];
    kf_pos pos;
} kf_expect;

typedef struct kf_scenario {
    char *file;
    char *id;
    char *title;
    char *document; /* seed file name */
    char *cause;    /* the cause of that document it reproduces */
    kf_strlist tags;
    char *story;
    char *windows;   /* what an administrator sees on Windows */
    char *mit_tools; /* what they see with MIT's tools */
    char *diagnose;
    char *fix;
    char *realm;
    kf_kdc_def *kdcs; /* the first is the primary */
    size_t n_kdcs;
    kf_host_def *hosts;
    size_t n_hosts;
    kf_policy_def *policies;
    size_t n_policies;
    kf_principal_def *principals;
    size_t n_principals;
    kf_actor_def *actors;
    size_t n_actors;
    kf_alias_def *aliases; /* served by fakekdc (lab.c) */
    size_t n_aliases;
    kf_variant_def *variants;
    size_t n_variants;
    kf_step *steps;
    size_t n_steps;
    bool kdc_clocks;     /* some KDC's clock is set or moved */
    kf_dns_def dns;      /* the lab's DNS (dns.set: it has one) */
    kf_strlist kdc_keys; /* kdc.conf settings the scenario adds */
    kf_strlist kdc_values;
    kf_expect *expects;
    size_t n_expects;
    void *arena; /* every allocation above */
} kf_scenario;

/* Load and validate a scenario file.  On failure return non-zero and set
 * *err_out to "file:line:column: what is wrong" (caller frees). */
int kf_scenario_load(const char *path, kf_scenario **sc_out, char **err_out);

/* Load from a memory buffer; name is used in messages. */
int kf_scenario_load_buffer(const char *name, const char *buf, size_t len,
                            kf_scenario **sc_out, char **err_out);

void kf_scenario_free(kf_scenario *sc);

/* Return the name of an action as written in scenario files. */
const char *kf_action_name(kf_action a);

/* Return the field of a step, or NULL. */
const kf_field *kf_step_field(const kf_step *st, const char *key);

/* Return the scalar value of a step field, or NULL. */
const char *kf_step_str(const kf_step *st, const char *key);

/* Return true if a step or expectation with this only-list runs in
 * variant (NULL: the scenario has no variants). */
bool kf_in_variant(const kf_strlist *only, const char *variant);

/* Parse a duration ("10m", "+10m", "-1d", "30s", "2h", "90") into seconds.
 * Return false on malformed text. */
bool kf_parse_duration(const char *text, long *out);

/* Parse an optional duration: return false if text is NULL or invalid,
 * else store the seconds. */
bool kf_parse_duration_opt(const char *text, long *out);

/* Return the kdc.conf section a kdc_settings key goes to: 'd' for
 * [kdcdefaults], 'l' for [libdefaults], 'r' for the realm, 0 if the key
 * may not be set. */
char kf_kdc_setting_section(const char *key);

/* Return the DNS name of a KDC: its name and the realm, in lower case
 * ("dc01.nekomaru.local"); caller frees. */
char *kf_kdc_dns_name(const kf_scenario *sc, const kf_kdc_def *k);

/* Return true if name is a DNS host name (letters, digits and '-' in
 * dot-separated labels). */
bool kf_valid_hostname(const char *name);

/* Split an http:// URL without port or user into its host and path ("/"
 * if none); host and path may be NULL.  Return false if url is not one. */
bool kf_parse_url(const char *url, char *host, size_t hlen, char *path,
                  size_t plen);

/* Look up definitions by name; return NULL if absent. */
const kf_kdc_def *kf_find_kdc(const kf_scenario *sc, const char *name);
const kf_host_def *kf_find_host(const kf_scenario *sc, const char *name);
const kf_actor_def *kf_find_actor(const kf_scenario *sc, const char *name);
const kf_principal_def *kf_find_principal(const kf_scenario *sc,
                                          const char *name);
const kf_policy_def *kf_find_policy(const kf_scenario *sc, const char *name);
const kf_alias_def *kf_find_alias(const kf_scenario *sc, const char *name);

#endif /* KF_SCENARIO_H */
