/* Running a scenario: play its steps in a lab and judge its expectations. */
#ifndef KF_RUN_H
#define KF_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "lab.h"
#include "scenario.h"
#include "wire.h"

/* One KRB-ERROR the client library received from a KDC. */
typedef struct kf_kdc_error {
    kf_outcome code;
    char kdc[64]; /* the lab KDC that sent it, or its address */
} kf_kdc_error;

/* A line a KDC wrote to its log during a step. */
typedef struct kf_log_line {
    char kdc[64];
    char *line;
} kf_log_line;

/* What was observed when a step ran. */
typedef struct kf_obs {
    bool ran;
    kf_outcome outcome; /* the library's return */
    char *message;      /* the library's message */
    kf_kdc_error *kdc_errors;
    size_t n_kdc_errors;
    char answered_by[64];  /* the last KDC whose answer the library read */
    char answered_over[8]; /* "udp" or "tcp": how that answer came */
    bool has_ticket;       /* the step got (or used) a ticket: */
    int ticket_etype;      /* its enc-part enctype (4769's
                            * TicketEncryptionType) */
    int ticket_kvno;       /* the kvno of the key it is encrypted in */
    int session_etype;     /* its session key's enctype */
    int http_status;       /* the last HTTP status the step got; 0:
                            * no HTTP exchange */
    bool has_curl;         /* curl ran: */
    int curl_exit;         /* its exit status */
    kf_event event;        /* the System event 4 diagnostic a Windows
                            * client would log (id 0: none) */
    int token_error;       /* the code of the KRB-ERROR the service
                            * answered (framed, or in its last Negotiate
                            * token); 0: none */
    char *token_server;    /* the server that KRB-ERROR names */
    bool has_service;      /* the fake service judged a request */
    kf_outcome svc_outcome;
    char *svc_message;
    char *svc_client;
    char *svc_server;
    int svc_kvno;
    kf_log_line *log; /* what the KDCs logged during the step */
    size_t n_log;
    char *detail;     /* what an administrative step did */
    char *trace;      /* path of the libkrb5 trace of the step */
    char *conf;       /* path of the krb5.conf the step used */
    char *trace_text; /* that trace, every line */
    size_t trace_len;
    int64_t wall_start_us; /* the step's start and end in real time */
    int64_t wall_end_us;   /* (microseconds, as pcap timestamps) */
    kf_wire_msg *wire;     /* the Kerberos messages captured in that */
    size_t n_wire;         /* window, endpoints named */
    double ms;
} kf_obs;

/* The verdict of one view of one expectation. */
typedef enum { KF_V_PASS, KF_V_FAIL, KF_V_SKIP } kf_verdict;

typedef struct kf_view_result {
    const char *view;   /* "library", "service", "kdc_log", "wire" */
    kf_verdict verdict; /* KF_V_SKIP: this run cannot observe the view
                         * (why says what is missing); it counts
                         * neither as passed nor as failed */
    char expected[512]; /* what the expectation asked for */
    char why[1024];     /* what was observed, and why it failed */
} kf_view_result;

typedef struct kf_expect_result {
    const kf_expect *exp;
    kf_view_result views[3 + 8];
    size_t n_views;
} kf_expect_result;

/* The result of running one variant of a scenario under a personality. */
typedef struct kf_run_result {
    const kf_scenario *sc;
    const char *variant; /* NULL: the scenario has none */
    kf_personality pers;
    kf_obs *obs; /* one per step; ran is false if skipped */
    kf_expect_result *results;
    size_t n_results;
    char *error;      /* the lab or a step broke: no verdict */
    char *lab_dir;    /* kept lab directory, or NULL */
    char *pcap;       /* the run's capture, if kept or copied */
    char *wire_skip;  /* why the wire views cannot be judged */
    bool passed;      /* no view failed and some view was judged */
    size_t n_judged;  /* views judged (passed or failed) */
    size_t n_skipped; /* views that could not be judged */
    double ms;
} kf_run_result;

typedef struct kf_run_opts {
    bool keep;
    const char *service_bin;
    const char *kdb_module_dir; /* the directory holding fakekdc.so */
    const char *dns_bin;        /* krbfault-dns, for labs with a dns block */
    kf_personality pers;
    const char *pcap_dir; /* copy each run's capture there */
} kf_run_opts;

/* Return the file name of a run's capture in a --pcap-dir:
 * ID[-VARIANT]-PERSONALITY.pcap (caller frees). */
char *kf_run_pcap_name(const kf_scenario *sc, const char *variant,
                       kf_personality pers);

/* Run one variant of sc (NULL if sc has none).  Return 0 if the run
 * happened (check result->passed), -1 if it could not. */
int kf_run_variant(const kf_scenario *sc, const char *variant,
                   const kf_run_opts *opts, kf_run_result *result);

void kf_run_result_free(kf_run_result *r);

void kf_obs_free(kf_obs *o);

/* Client steps (client.c). */
void kf_client_kinit(kf_lab *lab, kf_actor *actor, const kf_step *st,
                     kf_obs *obs);
void kf_client_get_ticket(kf_lab *lab, kf_actor *actor, const kf_step *st,
                          kf_obs *obs);
void kf_client_ap_req(kf_lab *lab, kf_actor *actor, const kf_step *st,
                      kf_obs *obs);
void kf_client_renew(kf_lab *lab, kf_actor *actor, const kf_step *st,
                     kf_obs *obs);
void kf_client_kpasswd(kf_lab *lab, kf_actor *actor, const kf_step *st,
                       kf_obs *obs);
void kf_client_s4u2proxy(kf_lab *lab, kf_actor *actor, const kf_step *st,
                         kf_obs *obs);
void kf_client_http(kf_lab *lab, kf_actor *actor, const kf_step *st,
                    kf_obs *obs);
void kf_client_curl(kf_lab *lab, kf_actor *actor, const kf_step *st,
                    kf_obs *obs);

/* Return true if some view of the variant's expectations can be judged
 * under personality p (else a run would only skip). */
bool kf_run_judgeable(const kf_scenario *sc, const char *variant,
                      kf_personality p);

/* Judge the expectations of a run from its observations. */
void kf_judge(kf_run_result *r);

/* Return the run's verdict as a word: "pass", "fail", "skip" (nothing
 * could be judged) or "error" (the lab or a step broke). */
const char *kf_run_verdict(const kf_run_result *r);

/* Describe a wire pattern in a few words: "KRB-ERROR 25 from DC01". */
void kf_wire_pattern_text(const kf_wire_pattern *wp, char *buf, size_t len);

/* Reports (report.c). */

/* Write a step's action and fields on one line (passwords hidden). */
void kf_step_summary(const kf_step *st, char *buf, size_t len);
void kf_report_text(FILE *out, const kf_run_result *r, bool verbose);
char *kf_report_json(const kf_run_result *r);
void kf_show_scenario(FILE *out, const kf_scenario *sc);

/* Render a scenario as its Markdown page (doc.c). */
void kf_doc_markdown(FILE *out, const kf_scenario *sc);

/* Render the error-code reference for a catalog (doc.c). */
void kf_codes_markdown(FILE *out, kf_scenario *const *scs, size_t n);

#endif /* KF_RUN_H */
