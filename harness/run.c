/* Running a scenario: play its steps in a lab and judge its expectations. */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "labdb.h"
#include "personality.h"
#include "util.h"

/* Set obs->detail from a format. */
static void
detail(kf_obs *obs, const char *fmt, const char *a, const char *b,
       const char *c)
{
    size_t len = strlen(fmt) + strlen(a) + strlen(b) + strlen(c) + 1;

    free(obs->detail);
    obs->detail = malloc(len);
    if (obs->detail != NULL)
        snprintf(obs->detail, len, fmt, a, b, c);
}

/* The KDC a step names, or the primary. */
static kf_kdc *
step_kdc(kf_lab *lab, const kf_step *st)
{
    kf_kdc *k = kf_lab_kdc(lab, kf_step_str(st, "kdc"));

    return k != NULL ? k : &lab->kdcs[0];
}

/* Let time pass for the whole lab: every KDC, host and actor clock moves
 * by the same amount. */
static int
advance_all(kf_lab *lab, long by, kf_obs *obs, char **err)
{
    size_t i;
    char num[32];

    for (i = 0; i < lab->n_kdcs; i++) {
        if (kf_lab_set_kdc_clock(lab, &lab->kdcs[i], lab->kdcs[i].clock + by,
                                 err))
            return -1;
    }
    for (i = 0; i < lab->n_hosts; i++) {
        if (kf_lab_set_host_clock(lab, &lab->hosts[i],
                                  lab->hosts[i].clock + by, err))
            return -1;
    }
    for (i = 0; i < lab->n_actors; i++)
        lab->actors[i].clock += by;
    snprintf(num, sizeof(num), "%+lds", by);
    detail(obs, "%s passed for every clock of the lab%s%s", num, "", "");
    return 0;
}

/* Run an administrative step; return -1 with *err if the lab broke. */
static int
admin_step(kf_lab *lab, const kf_step *st, kf_obs *obs, char **err)
{
    kf_kdc *k = step_kdc(lab, st);
    const char *princ = kf_step_str(st, "principal");
    const kf_field *f;
    char num[32];
    size_t i;
    long by;

    switch (st->action) {
    case KF_ACT_CHANGE_PASSWORD:
    case KF_ACT_RANDOMIZE_KEY:
        if (st->action == KF_ACT_CHANGE_PASSWORD
                ? kf_db_change_password(lab, k, princ,
                                        kf_step_str(st, "password"),
                                        kf_step_str(st, "kvno"), err)
                : kf_db_randomize_key(lab, k, princ, kf_step_str(st, "kvno"),
                                      err))
            return -1;
        snprintf(num, sizeof(num), "%d", kf_db_kvno(lab, k, princ));
        detail(obs, "new keys for %s on %s, kvno %s", princ, k->def->name,
               num);
        return 0;
    case KF_ACT_EXPORT_KEYTAB: {
        kf_host *h = kf_lab_host(lab, kf_step_str(st, "host"));
        const char *rep = kf_step_str(st, "replace");
        bool replace = rep == NULL || strcmp(rep, "true") == 0;

        const char *as = kf_step_str(st, "as");
        const char *kv = kf_step_str(st, "kvno");

        f = kf_step_field(st, "principal");
        for (i = 0; i < f->list.n; i++) {
            if (kf_db_export_keytab(lab, k, f->list.v[i], as,
                                    kv != NULL ? atoi(kv) : 0, h->keytab,
                                    replace && i == 0, err))
                return -1;
        }
        detail(obs, "keytab of %s written from %s's database (%s)",
               h->def->name, k->def->name, f->list.v[0]);
        if (as != NULL || kv != NULL) {
            char *d =
                kf_strf("%s; keys of %s written as %s kvno %s", obs->detail,
                        f->list.v[0], as != NULL ? as : f->list.v[0],
                        kv != NULL ? kv : "(their own)");

            free(obs->detail);
            obs->detail = d;
        }
        return 0;
    }
    case KF_ACT_REPLICATE: {
        kf_kdc *from = kf_lab_kdc(lab, kf_step_str(st, "from"));

        f = kf_step_field(st, "to");
        if (from->repl_broken) {
            detail(obs,
                   "nothing replicated: outbound replication of %s is "
                   "broken%s%s",
                   from->def->name, "", "");
            return 0;
        }
        for (i = 0; i < lab->n_kdcs; i++) {
            kf_kdc *to = &lab->kdcs[i];
            size_t j;
            bool named = f == NULL;

            for (j = 0; f != NULL && j < f->list.n; j++)
                named = named || strcmp(f->list.v[j], to->def->name) == 0;
            if (to == from || !named)
                continue;
            if (kf_db_replicate(lab, from, to, err))
                return -1;
        }
        detail(obs, "%s replicated to %s%s", from->def->name,
               f == NULL ? "every other KDC" : "the named KDCs", "");
        return 0;
    }
    case KF_ACT_STOP_KDC:
        kf_lab_stop_kdc(lab, k);
        detail(obs, "%s stopped: its address no longer answers%s%s",
               k->def->name, "", "");
        return 0;
    case KF_ACT_START_KDC:
        if (kf_lab_start_kdc(lab, k, err))
            return -1;
        detail(obs, "%s started again%s%s", k->def->name, "", "");
        return 0;
    case KF_ACT_BREAK_REPLICATION:
    case KF_ACT_REPAIR_REPLICATION:
        k->repl_broken = st->action == KF_ACT_BREAK_REPLICATION;
        detail(obs, "outbound replication of %s %s%s", k->def->name,
               k->repl_broken ? "broken" : "repaired", "");
        return 0;
    case KF_ACT_ADVANCE_CLOCK:
        kf_parse_duration(kf_step_str(st, "by"), &by);
        if (kf_step_str(st, "actor") == NULL &&
            kf_step_str(st, "host") == NULL && kf_step_str(st, "kdc") == NULL)
            return advance_all(lab, by, obs, err);
        if (kf_step_str(st, "kdc") != NULL) {
            if (kf_lab_set_kdc_clock(lab, k, k->clock + by, err))
                return -1;
            snprintf(num, sizeof(num), "%+lds", k->clock);
            detail(obs, "clock of %s now at %s%s", k->def->name, num, "");
        } else if (kf_step_str(st, "actor") != NULL) {
            kf_actor *a = kf_lab_actor(lab, kf_step_str(st, "actor"));

            a->clock += by;
            snprintf(num, sizeof(num), "%+lds", a->clock);
            detail(obs, "clock of %s now at %s%s", a->def->name, num, "");
        } else {
            kf_host *h = kf_lab_host(lab, kf_step_str(st, "host"));

            if (kf_lab_set_host_clock(lab, h, h->clock + by, err))
                return -1;
            snprintf(num, sizeof(num), "%+lds", h->clock);
            detail(obs, "clock of %s now at %s%s", h->def->name, num, "");
        }
        return 0;
    default:
        return 0;
    }
}

/* Return the size of a file, 0 if it does not exist. */
static off_t
file_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? sb.st_size : 0;
}

/* Add the lines each KDC's log gained since offsets to obs. */
static void
collect_log(kf_lab *lab, const off_t *offsets, kf_obs *obs)
{
    size_t i;

    for (i = 0; i < lab->n_kdcs; i++) {
        FILE *f = fopen(lab->kdcs[i].log, "r");
        char line[2048];

        if (f == NULL)
            continue;
        if (fseeko(f, offsets[i], SEEK_SET) == 0) {
            while (fgets(line, sizeof(line), f) != NULL) {
                kf_log_line *nl;
                size_t len = strlen(line);

                if (len > 0 && line[len - 1] == '\n')
                    line[len - 1] = '\0';
                nl = realloc(obs->log, (obs->n_log + 1) * sizeof(*nl));
                if (nl == NULL)
                    break;
                obs->log = nl;
                snprintf(nl[obs->n_log].kdc, sizeof(nl[0].kdc), "%s",
                         lab->kdcs[i].def->name);
                nl[obs->n_log].line = strdup(line);
                obs->n_log++;
            }
        }
        fclose(f);
    }
}

/* Microseconds of real time (the clock pcap timestamps are taken on). */
static int64_t
wall_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Run one step of any kind. */
static int
run_step(kf_lab *lab, const kf_step *st, kf_obs *obs, char **err)
{
    kf_actor *actor = kf_lab_actor(lab, kf_step_str(st, "actor"));
    double t0 = kf_now_ms();
    off_t offsets[KF_MAX_KDCS];
    size_t i;
    int ret = 0;

    obs->wall_start_us = wall_us();
    for (i = 0; i < lab->n_kdcs; i++)
        offsets[i] = file_size(lab->kdcs[i].log);

    obs->ran = true;
    switch (st->action) {
    case KF_ACT_KINIT:
        kf_client_kinit(lab, actor, st, obs);
        break;
    case KF_ACT_GET_TICKET:
        kf_client_get_ticket(lab, actor, st, obs);
        break;
    case KF_ACT_AP_REQ:
        kf_client_ap_req(lab, actor, st, obs);
        break;
    case KF_ACT_RENEW:
        kf_client_renew(lab, actor, st, obs);
        break;
    case KF_ACT_KPASSWD:
        kf_client_kpasswd(lab, actor, st, obs);
        break;
    case KF_ACT_S4U2PROXY:
        kf_client_s4u2proxy(lab, actor, st, obs);
        break;
    case KF_ACT_HTTP:
        kf_client_http(lab, actor, st, obs);
        break;
    case KF_ACT_CURL:
        kf_client_curl(lab, actor, st, obs);
        break;
    default:
        ret = admin_step(lab, st, obs, err);
        break;
    }
    collect_log(lab, offsets, obs);
    obs->ms = kf_now_ms() - t0;
    obs->wall_end_us = wall_us() + 1;
    return ret;
}

/* Give each step the messages of the lab's capture that crossed while it
 * ran, their endpoints named after the lab; or say why there are none. */
static void
collect_wire(kf_lab *lab, kf_run_result *r)
{
    const kf_scenario *sc = r->sc;
    kf_wire_msg *msgs = NULL;
    size_t n = 0, i, j;
    char *err = NULL;

    if (lab->pcap == NULL || lab->capture_error != NULL) {
        r->wire_skip = strdup(lab->capture_error != NULL
                                  ? lab->capture_error
                                  : "the lab's traffic was not captured");
        return;
    }
    if (kf_wire_read_pcap(lab->pcap, &msgs, &n, &err) != 0) {
        r->wire_skip = err;
        return;
    }
    for (i = 0; i < n; i++) {
        kf_wire_msg *m = &msgs[i];
        int64_t t = m->sec * 1000000 + m->usec;
        const char *name;

        for (j = 0; j < sc->n_steps; j++) {
            kf_obs *o = &r->obs[j];
            kf_wire_msg *nw;

            if (!o->ran || t < o->wall_start_us || t > o->wall_end_us)
                continue;
            nw = realloc(o->wire, (o->n_wire + 1) * sizeof(*nw));
            if (nw == NULL)
                break;
            o->wire = nw;
            nw[o->n_wire] = *m;
            name = kf_lab_addr_name(lab, m->src);
            snprintf(nw[o->n_wire].from, sizeof(nw[0].from), "%s",
                     name != NULL ? name : "");
            name = kf_lab_addr_name(lab, m->dst);
            snprintf(nw[o->n_wire].to, sizeof(nw[0].to), "%s",
                     name != NULL ? name : "");
            o->n_wire++;
            break;
        }
    }
    free(msgs);
}

char *
kf_run_pcap_name(const kf_scenario *sc, const char *variant,
                 kf_personality pers)
{
    return kf_strf("%s%s%s-%s.pcap", sc->id, variant ? "-" : "",
                   variant ? variant : "", pers == KF_PERS_AD ? "ad" : "mit");
}

/* Copy the run's capture into dir; return the copy's path or NULL. */
static char *
copy_pcap(const kf_lab *lab, const kf_run_result *r, const char *dir)
{
    char *name = kf_run_pcap_name(r->sc, r->variant, r->pers), *path;
    char buf[65536];
    FILE *in, *out;
    size_t k;
    int bad = 0;

    path = name != NULL ? kf_path(dir, name) : NULL;
    free(name);
    if (path == NULL)
        return NULL;
    in = fopen(lab->pcap, "rb");
    out = in != NULL ? fopen(path, "wb") : NULL;
    while (out != NULL && (k = fread(buf, 1, sizeof(buf), in)) > 0)
        bad |= fwrite(buf, 1, k, out) != k;
    if (in == NULL || out == NULL || bad || fclose(out) != 0) {
        fprintf(stderr, "krbfault: cannot copy %s to %s: %s\n", lab->pcap,
                path, strerror(errno));
        free(path);
        path = NULL;
    }
    if (in != NULL)
        fclose(in);
    return path;
}

int
kf_run_variant(const kf_scenario *sc, const char *variant,
               const kf_run_opts *opts, kf_run_result *r)
{
    kf_lab_opts lo;
    kf_lab *lab = NULL;
    char *err = NULL;
    size_t i;
    double t0 = kf_now_ms();

    memset(r, 0, sizeof(*r));
    r->sc = sc;
    r->variant = variant;
    r->pers = opts->pers;
    r->obs = calloc(sc->n_steps + 1, sizeof(kf_obs));
    if (r->obs == NULL)
        return -1;
    memset(&lo, 0, sizeof(lo));
    lo.keep = opts->keep;
    lo.variant = variant;
    lo.service_bin = opts->service_bin;
    lo.kdb_module_dir = opts->kdb_module_dir;
    lo.dns_bin = opts->dns_bin;
    lo.pers = opts->pers;
    lo.capture = true;
    if (!kf_run_judgeable(sc, variant, opts->pers)) {
        /* Every view would be skipped: building the lab proves nothing. */
        kf_judge(r);
        r->ms = kf_now_ms() - t0;
        return 0;
    }
    if (kf_lab_up(sc, &lo, &lab, &err)) {
        r->error = err;
        r->ms = kf_now_ms() - t0;
        return -1;
    }
    for (i = 0; i < sc->n_steps; i++) {
        const kf_step *st = &sc->steps[i];

        if (!kf_in_variant(&st->only, variant))
            continue;
        if (run_step(lab, st, &r->obs[i], &err)) {
            size_t len = strlen(err) + 64;

            r->error = malloc(len);
            if (r->error != NULL)
                snprintf(r->error, len, "step %zu (%s): %s", i + 1,
                         kf_action_name(st->action), err);
            free(err);
            break;
        }
    }
    kf_lab_drain(lab);
    kf_lab_capture_stop(lab);
    if (r->error == NULL)
        collect_wire(lab, r);
    if (opts->pcap_dir != NULL && lab->pcap != NULL)
        r->pcap = copy_pcap(lab, r, opts->pcap_dir);
    else if (opts->keep && lab->pcap != NULL)
        r->pcap = strdup(lab->pcap);
    if (opts->keep)
        r->lab_dir = strdup(lab->dir);
    kf_lab_down(lab);
    if (r->error == NULL)
        kf_judge(r);
    r->ms = kf_now_ms() - t0;
    return r->error != NULL ? -1 : 0;
}

/* Add one view result to an expectation result. */
static kf_view_result *
add_view(kf_expect_result *er, const char *view)
{
    kf_view_result *v = &er->views[er->n_views++];

    v->view = view;
    v->verdict = KF_V_PASS;
    v->expected[0] = '\0';
    v->why[0] = '\0';
    return v;
}

/* Return true if a line of the step's libkrb5 trace matches pattern;
 * else fail the view. */
static bool
trace_has(const kf_obs *o, const char *pattern, kf_view_result *v)
{
    regex_t re;
    char *copy, *line, *save = NULL;
    bool found = false;
    size_t u = strlen(v->expected);

    snprintf(v->expected + u, sizeof(v->expected) - u, ", trace has /%s/",
             pattern);
    if (o->trace_text == NULL ||
        regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
        v->verdict = KF_V_FAIL;
        return false;
    }
    copy = strdup(o->trace_text);
    for (line = copy ? strtok_r(copy, "\n", &save) : NULL;
         line != NULL && !found; line = strtok_r(NULL, "\n", &save))
        found = regexec(&re, line, 0, NULL, 0) == 0;
    regfree(&re);
    free(copy);
    if (!found) {
        u = strlen(v->why);
        snprintf(v->why + u, sizeof(v->why) - u,
                 "; no trace line matches /%s/", pattern);
        v->verdict = KF_V_FAIL;
    }
    return found;
}

/* Judge the ticket a step got against an expectation's ticket_etype and
 * ticket_kvno. */
static void
judge_ticket(const kf_lib_expect *le, const kf_obs *o, kf_view_result *v)
{
    size_t u = strlen(v->expected);

    if (le->ticket_etype != 0)
        u += (size_t)snprintf(v->expected + u, sizeof(v->expected) - u,
                              ", ticket etype %d", le->ticket_etype);
    if (le->ticket_kvno != 0)
        snprintf(v->expected + u, sizeof(v->expected) - u, ", ticket kvno %d",
                 le->ticket_kvno);
    if (!o->has_ticket) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why), "the step got no ticket");
        return;
    }
    u = strlen(v->why);
    snprintf(v->why + u, sizeof(v->why) - u,
             "; ticket etype %d, kvno %d, session key etype %d",
             o->ticket_etype, o->ticket_kvno, o->session_etype);
    if ((le->ticket_etype != 0 && le->ticket_etype != o->ticket_etype) ||
        (le->ticket_kvno != 0 && le->ticket_kvno != o->ticket_kvno))
        v->verdict = KF_V_FAIL;
}

/* Judge the library view of one expectation. */
static void
judge_library(const kf_lib_expect *le, const kf_obs *o, kf_view_result *v)
{
    char want[96], got[96];
    size_t i;

    kf_outcome_format(&le->error, want, sizeof(want));
    kf_outcome_format(&o->outcome, got, sizeof(got));
    snprintf(v->expected, sizeof(v->expected), "%s", want);
    if (le->has_kdc_errors) {
        size_t u = strlen(v->expected);

        u += (size_t)snprintf(v->expected + u, sizeof(v->expected) - u,
                              " after KDC errors [");
        for (i = 0; i < le->n_kdc_errors && u < sizeof(v->expected) - 8; i++)
            u += (size_t)snprintf(v->expected + u, sizeof(v->expected) - u,
                                  "%s%d", i ? ", " : "",
                                  le->kdc_errors[i].proto);
        snprintf(v->expected + u, sizeof(v->expected) - u, "]");
    }
    if (!kf_outcome_matches(&le->error, &o->outcome)) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why), "the library returned %s", got);
        return;
    }
    snprintf(v->why, sizeof(v->why), "%s", got);
    if (le->has_kdc_errors) {
        bool same = le->n_kdc_errors == o->n_kdc_errors;
        size_t used = strlen(v->why);

        for (i = 0; same && i < le->n_kdc_errors; i++)
            same =
                kf_outcome_matches(&le->kdc_errors[i], &o->kdc_errors[i].code);
        used += snprintf(v->why + used, sizeof(v->why) - used,
                         "; KDC errors seen [");
        for (i = 0; i < o->n_kdc_errors && used < sizeof(v->why) - 40; i++)
            used +=
                snprintf(v->why + used, sizeof(v->why) - used, "%s%d from %s",
                         i ? ", " : "", o->kdc_errors[i].code.proto,
                         o->kdc_errors[i].kdc);
        snprintf(v->why + used, sizeof(v->why) - used, "]");
        if (!same) {
            v->verdict = KF_V_FAIL;
            return;
        }
    }
    if (le->message != NULL &&
        (o->message == NULL || strstr(o->message, le->message) == NULL)) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why),
                 "the library's message \"%s\" does not contain \"%s\"",
                 o->message ? o->message : "", le->message);
        return;
    }
    if (le->answered_by != NULL) {
        size_t u = strlen(v->expected), w = strlen(v->why);

        snprintf(v->expected + u, sizeof(v->expected) - u,
                 ", last answer from %s", le->answered_by);
        snprintf(v->why + w, sizeof(v->why) - w, "; last answer from %s",
                 o->answered_by[0] ? o->answered_by : "no KDC");
        if (strcmp(le->answered_by, o->answered_by) != 0) {
            v->verdict = KF_V_FAIL;
            return;
        }
    }
    if (le->trace != NULL && !trace_has(o, le->trace, v))
        return;
    if (le->answered_over != NULL) {
        size_t u = strlen(v->expected), w = strlen(v->why);

        snprintf(v->expected + u, sizeof(v->expected) - u,
                 ", last answer over %s", le->answered_over);
        snprintf(v->why + w, sizeof(v->why) - w, "; last answer over %s",
                 o->answered_over[0] ? o->answered_over : "nothing");
        if (strcmp(le->answered_over, o->answered_over) != 0) {
            v->verdict = KF_V_FAIL;
            return;
        }
    }
    if (le->ticket_etype != 0 || le->ticket_kvno != 0)
        judge_ticket(le, o, v);
}

/* Judge the service view of one expectation. */
static void
judge_service(const kf_svc_expect *se, const kf_obs *o, kf_view_result *v)
{
    char want[96], got[96];

    kf_outcome_format(&se->error, v->expected, sizeof(v->expected));
    if (!o->has_service) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why),
                 "the service judged no request in this step");
        return;
    }
    kf_outcome_format(&se->error, want, sizeof(want));
    kf_outcome_format(&o->svc_outcome, got, sizeof(got));
    if (!kf_outcome_matches(&se->error, &o->svc_outcome)) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why), "the service decided %s (%s)", got,
                 o->svc_message ? o->svc_message : "");
        return;
    }
    snprintf(v->why, sizeof(v->why), "%s%s%s%s", got,
             o->svc_message && *o->svc_message ? ": \"" : "",
             o->svc_message && *o->svc_message ? o->svc_message : "",
             o->svc_message && *o->svc_message ? "\"" : "");
    if (se->message != NULL && (o->svc_message == NULL ||
                                strstr(o->svc_message, se->message) == NULL)) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why),
                 "the service's reason \"%s\" does not contain \"%s\"",
                 o->svc_message ? o->svc_message : "", se->message);
    }
}

/* Judge one kdc_log expectation: some line the named KDC (or any) logged
 * during the step must match the pattern. */
static void
judge_log(const kf_log_expect *le, const kf_obs *o, kf_view_result *v)
{
    regex_t re;
    size_t i;

    snprintf(v->expected, sizeof(v->expected), "%s logs /%s/",
             le->kdc != NULL ? le->kdc : "a KDC", le->pattern);
    if (regcomp(&re, le->pattern, REG_EXTENDED | REG_NOSUB) != 0) {
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why), "the pattern does not compile");
        return;
    }
    for (i = 0; i < o->n_log; i++) {
        if (le->kdc != NULL && strcmp(le->kdc, o->log[i].kdc) != 0)
            continue;
        if (regexec(&re, o->log[i].line, 0, NULL, 0) == 0)
            break;
    }
    regfree(&re);
    if (i < o->n_log) {
        snprintf(v->why, sizeof(v->why), "%s: %s", o->log[i].kdc,
                 o->log[i].line);
        return;
    }
    v->verdict = KF_V_FAIL;
    snprintf(v->why, sizeof(v->why),
             "no such line among the %zu lines the "
             "KDCs logged in the step",
             o->n_log);
}

/* Judge the HTTP status, curl's exit status and the System event 4
 * diagnostic of a library expectation. */
static void
judge_client_extras(const kf_lib_expect *le, const kf_obs *o,
                    kf_view_result *v)
{
    size_t u = strlen(v->expected), w = strlen(v->why);
    const kf_event *we = &le->event, *ge = &o->event;

    if (le->http_status != 0) {
        u += (size_t)snprintf(v->expected + u, sizeof(v->expected) - u,
                              ", HTTP %d", le->http_status);
        w += (size_t)snprintf(v->why + w, sizeof(v->why) - w, "; HTTP %d",
                              o->http_status);
        if (o->http_status != le->http_status)
            v->verdict = KF_V_FAIL;
    }
    if (le->curl_exit >= 0) {
        u += (size_t)snprintf(v->expected + u, sizeof(v->expected) - u,
                              ", curl exit %d", le->curl_exit);
        if (o->has_curl)
            w += (size_t)snprintf(v->why + w, sizeof(v->why) - w,
                                  "; curl exit %d", o->curl_exit);
        else
            w += (size_t)snprintf(v->why + w, sizeof(v->why) - w,
                                  "; curl did not run");
        if (!o->has_curl || o->curl_exit != le->curl_exit)
            v->verdict = KF_V_FAIL;
    }
    if (!le->has_event)
        return;
    if (we->id == 0)
        snprintf(v->expected + u, sizeof(v->expected) - u, ", no event 4");
    else
        snprintf(v->expected + u, sizeof(v->expected) - u,
                 ", event 4 from %s for %s", we->server ? we->server : "*",
                 we->target ? we->target : "*");
    if (ge->id == 0)
        snprintf(v->why + w, sizeof(v->why) - w, "; no event 4");
    else
        snprintf(v->why + w, sizeof(v->why) - w,
                 "; event 4: server %s, target %s, client realm %s, target "
                 "realm %s",
                 ge->server ? ge->server : "?", ge->target ? ge->target : "?",
                 ge->client_realm ? ge->client_realm : "?",
                 ge->target_realm ? ge->target_realm : "?");
    if (we->id != ge->id ||
        (we->id != 0 &&
         ((we->server && (!ge->server || strcmp(we->server, ge->server))) ||
          (we->target && (!ge->target || strcmp(we->target, ge->target))) ||
          (we->client_realm && (!ge->client_realm ||
                                strcmp(we->client_realm, ge->client_realm))) ||
          (we->target_realm && (!ge->target_realm ||
                                strcmp(we->target_realm, ge->target_realm))))))
        v->verdict = KF_V_FAIL;
}

/* Mark a view skipped if the component it observes cannot play the run's
 * personality, or failed if its step did not run; return true if the
 * view is still to be judged. */
static bool
view_open(const kf_run_result *r, const kf_expect *e, const kf_obs *o,
          kf_view_result *v)
{
    const kf_step *st = &r->sc->steps[e->step_index];
    kf_component comp = kf_view_component(v->view, st->action);
    const char *missing;

    /* A client step bound for the service that a KDC stopped (the ticket
     * was refused) was answered by the KDC. */
    if (comp == KF_COMP_SERVICE && strcmp(v->view, "library") == 0 && o->ran &&
        !o->has_service && o->n_kdc_errors > 0)
        comp = KF_COMP_KDC;
    missing = kf_pers_missing(comp, r->pers);

    if (missing != NULL) {
        v->verdict = KF_V_SKIP;
        snprintf(v->expected, sizeof(v->expected), "a %s view of step %s",
                 v->view, e->step);
        snprintf(v->why, sizeof(v->why), "%s", missing);
        return false;
    }
    if (!o->ran) {
        snprintf(v->expected, sizeof(v->expected), "a run of step %s",
                 e->step);
        v->verdict = KF_V_FAIL;
        snprintf(v->why, sizeof(v->why),
                 "step '%s' did not run in this variant", e->step);
        return false;
    }
    return true;
}

/* Return true if text matches a POSIX extended regular expression. */
static bool
wire_re(const char *pattern, const char *text)
{
    regex_t re;
    bool ok;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Return true if every type of want is among have. */
static bool
has_types(const int *want, size_t nw, const int *have, size_t nh)
{
    size_t i, j;

    for (i = 0; i < nw; i++) {
        for (j = 0; j < nh && have[j] != want[i]; j++)
            ;
        if (j == nh)
            return false;
    }
    return true;
}

bool
kf_run_judgeable(const kf_scenario *sc, const char *variant, kf_personality p)
{
    size_t i;

    for (i = 0; i < sc->n_expects; i++) {
        const kf_expect *e = &sc->expects[i];
        const kf_views *vw = &e->pers[p];
        kf_action a = sc->steps[e->step_index].action;

        if (!kf_in_variant(&e->only, variant))
            continue;
        if ((vw->library.set || vw->service.set) &&
            kf_pers_missing(kf_step_component(a), p) == NULL)
            return true;
        if (vw->has_wire &&
            kf_pers_missing(kf_view_component("wire", a), p) == NULL)
            return true;
        if (vw->n_kdc_log > 0 &&
            kf_pers_missing(kf_view_component("kdc_log", a), p) == NULL)
            return true;
    }
    return false;
}

/* Return true if a captured message has what a pattern asks for. */
static bool
wire_matches(const kf_wire_pattern *wp, const kf_wire_msg *m)
{
    const kf_krbmsg *k = &m->krb;
    char name[400];
    size_t i;

    if ((wp->type != 0 && k->msg_type != wp->type) ||
        (wp->from != NULL && strcmp(wp->from, m->from) != 0) ||
        (wp->to != NULL && strcmp(wp->to, m->to) != 0) ||
        (wp->over != NULL &&
         strcmp(wp->over, kf_wire_transport_name(m->transport)) != 0) ||
        (wp->has_error && k->error_code != wp->error.proto) ||
        (wp->etext != NULL && !wire_re(wp->etext, k->etext)) ||
        (wp->etype != 0 && (!k->has_ticket || k->ticket_etype != wp->etype)) ||
        (wp->kvno != 0 && (!k->has_ticket || k->ticket_kvno != wp->kvno)))
        return false;
    if (!has_types(wp->padata, wp->n_padata, k->padata, k->n_padata) ||
        !has_types(wp->edata_padata, wp->n_edata_padata, k->edata_padata,
                   k->n_edata_padata))
        return false;
    if (wp->has_etypes) {
        if (wp->n_etypes != k->n_etypes)
            return false;
        for (i = 0; i < k->n_etypes; i++) {
            if (k->etypes[i] != wp->etypes[i])
                return false;
        }
    }
    snprintf(name, sizeof(name), "%s@%s", k->sname, k->srealm);
    if (wp->sname != NULL && !wire_re(wp->sname, name))
        return false;
    snprintf(name, sizeof(name), "%s%s%s", k->cname, k->crealm[0] ? "@" : "",
             k->crealm);
    return wp->cname == NULL || wire_re(wp->cname, name);
}

void
kf_wire_pattern_text(const kf_wire_pattern *wp, char *buf, size_t len)
{
    size_t u = 0, i;

#define ADD(...)                                                              \
    do {                                                                      \
        if (u < len)                                                          \
            u += (size_t)snprintf(buf + u, len - u, __VA_ARGS__);             \
    } while (0)
    buf[0] = '\0';
    ADD("%s", wp->type != 0 ? kf_krbmsg_type_name(wp->type) : "any");
    if (wp->has_error)
        ADD(" %d", wp->error.proto);
    if (wp->from != NULL)
        ADD(" from %s", wp->from);
    if (wp->to != NULL)
        ADD(" to %s", wp->to);
    if (wp->over != NULL)
        ADD(" over %s", wp->over);
    if (wp->etype != 0)
        ADD(" etype %d", wp->etype);
    if (wp->kvno != 0)
        ADD(" kvno %d", wp->kvno);
    if (wp->sname != NULL)
        ADD(" sname /%s/", wp->sname);
    if (wp->cname != NULL)
        ADD(" cname /%s/", wp->cname);
    if (wp->etext != NULL)
        ADD(" etext /%s/", wp->etext);
    for (i = 0; i < wp->n_padata; i++)
        ADD("%s%d", i ? "," : " padata ", wp->padata[i]);
    for (i = 0; i < wp->n_edata_padata; i++)
        ADD("%s%d", i ? "," : " edata ", wp->edata_padata[i]);
    for (i = 0; wp->has_etypes && i < wp->n_etypes; i++)
        ADD("%s%d", i ? "," : " etypes ", wp->etypes[i]);
#undef ADD
}

/* Judge the wire view: the step's captured messages must hold the
 * patterns in order (with exact, be exactly them). */
static void
judge_wire(const kf_views *vw, const kf_obs *o, const char *skip,
           kf_view_result *v)
{
    size_t u = 0, i, j = 0, matched[KF_WIRE_MAX_LIST * 4], nm = 0;
    char one[300];
    bool ok = true;

    u = (size_t)snprintf(v->expected, sizeof(v->expected), "%s",
                         vw->wire_exact ? "exactly " : "");
    for (i = 0; i < vw->n_wire && u < sizeof(v->expected); i++) {
        kf_wire_pattern_text(&vw->wire[i], one, sizeof(one));
        u += (size_t)snprintf(v->expected + u, sizeof(v->expected) - u, "%s%s",
                              i ? "; " : "", one);
    }
    if (vw->n_wire == 0)
        snprintf(v->expected + u, sizeof(v->expected) - u,
                 "no Kerberos message");
    if (skip != NULL) {
        v->verdict = KF_V_SKIP;
        snprintf(v->why, sizeof(v->why), "%s", skip);
        return;
    }
    for (i = 0; i < vw->n_wire; i++) {
        if (vw->wire_exact)
            ok = i < o->n_wire && wire_matches(&vw->wire[i], &o->wire[i]);
        else {
            while (j < o->n_wire && !wire_matches(&vw->wire[i], &o->wire[j]))
                j++;
            ok = j < o->n_wire;
        }
        if (!ok)
            break;
        if (nm < sizeof(matched) / sizeof(matched[0]))
            matched[nm++] = vw->wire_exact ? i : j;
        j++;
    }
    if (ok && vw->wire_exact && o->n_wire != vw->n_wire)
        ok = false;
    u = 0;
    if (!ok) {
        v->verdict = KF_V_FAIL;
        if (i < vw->n_wire) {
            kf_wire_pattern_text(&vw->wire[i], one, sizeof(one));
            u = (size_t)snprintf(
                v->why, sizeof(v->why), "no message %s for #%zu (%s); ",
                vw->wire_exact ? "in its place" : "in order", i + 1, one);
        } else {
            u = (size_t)snprintf(v->why, sizeof(v->why),
                                 "%zu messages, not %zu; ", o->n_wire,
                                 vw->n_wire);
        }
    }
    if (u < sizeof(v->why))
        u += (size_t)snprintf(v->why + u, sizeof(v->why) - u,
                              "%zu messages:", o->n_wire);
    for (i = 0; i < o->n_wire && u < sizeof(v->why); i++) {
        bool hit = false;

        for (j = 0; ok && j < nm; j++)
            hit = hit || matched[j] == i;
        kf_wire_msg_brief(&o->wire[i], one, sizeof(one));
        u += (size_t)snprintf(v->why + u, sizeof(v->why) - u, "%s %s%s%s",
                              i ? ";" : "", hit ? "[" : "", one,
                              hit ? "]" : "");
    }
}

void
kf_judge(kf_run_result *r)
{
    const kf_scenario *sc = r->sc;
    size_t i;

    r->results = calloc(sc->n_expects + 1, sizeof(kf_expect_result));
    r->passed = r->results != NULL;
    for (i = 0; r->results != NULL && i < sc->n_expects; i++) {
        const kf_expect *e = &sc->expects[i];
        const kf_views *vw = &e->pers[r->pers];
        const kf_obs *o = &r->obs[e->step_index];
        kf_expect_result *er;
        kf_view_result *v;
        size_t j;

        if (!kf_in_variant(&e->only, r->variant))
            continue;
        er = &r->results[r->n_results++];
        er->exp = e;
        if (vw->library.set &&
            view_open(r, e, o, v = add_view(er, "library"))) {
            judge_library(&vw->library, o, v);
            judge_client_extras(&vw->library, o, v);
        }
        if (vw->service.set && view_open(r, e, o, v = add_view(er, "service")))
            judge_service(&vw->service, o, v);
        if (vw->has_wire && view_open(r, e, o, v = add_view(er, "wire")))
            judge_wire(vw, o, r->wire_skip, v);
        for (j = 0; j < vw->n_kdc_log && er->n_views < 11; j++) {
            v = add_view(er, "kdc_log");
            if (view_open(r, e, o, v))
                judge_log(&vw->kdc_log[j], o, v);
        }
    }
    for (i = 0; i < r->n_results; i++) {
        size_t j;

        for (j = 0; j < r->results[i].n_views; j++) {
            kf_verdict v = r->results[i].views[j].verdict;

            if (v == KF_V_SKIP) {
                r->n_skipped++;
                continue;
            }
            r->n_judged++;
            if (v != KF_V_PASS)
                r->passed = false;
        }
    }
    /* A run that judged nothing proves nothing: it passes only if some
     * view was judged; one that could judge none is a skip. */
    if (r->n_results == 0 || r->n_judged == 0)
        r->passed = false;
}

const char *
kf_run_verdict(const kf_run_result *r)
{
    if (r->error != NULL)
        return "error";
    if (r->passed)
        return "pass";
    if (r->n_results > 0 && r->n_judged == 0 && r->n_skipped > 0)
        return "skip";
    return "fail";
}

void
kf_obs_free(kf_obs *o)
{
    size_t i;

    for (i = 0; i < o->n_log; i++)
        free(o->log[i].line);
    free(o->log);
    free(o->message);
    free(o->kdc_errors);
    free(o->svc_message);
    free(o->svc_client);
    free(o->svc_server);
    free(o->detail);
    free(o->trace);
    free(o->trace_text);
    free(o->conf);
    free(o->token_server);
    free(o->event.server);
    free(o->event.target);
    free(o->event.client_realm);
    free(o->event.target_realm);
    free(o->wire);
    memset(o, 0, sizeof(*o));
}

void
kf_run_result_free(kf_run_result *r)
{
    size_t i;

    if (r->obs != NULL) {
        for (i = 0; i < r->sc->n_steps; i++)
            kf_obs_free(&r->obs[i]);
    }
    free(r->obs);
    free(r->results);
    free(r->error);
    free(r->lab_dir);
    free(r->pcap);
    free(r->wire_skip);
    memset(r, 0, sizeof(*r));
}
