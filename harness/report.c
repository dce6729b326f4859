/* Reports: a scenario shown to a reader, and runs as text or JSON. */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "personality.h"
#include "run.h"

/* Print text indented by prefix on every line. */
static void
indented(FILE *out, const char *prefix, const char *text)
{
    const char *p = text, *nl;

    while (*p != '\0') {
        nl = strchr(p, '\n');
        if (nl == NULL)
            nl = p + strlen(p);
        fprintf(out, "%s%.*s\n", prefix, (int)(nl - p), p);
        p = *nl ? nl + 1 : nl;
    }
}

void
kf_step_summary(const kf_step *st, char *buf, size_t len)
{
    size_t used, i, j;

    used = (size_t)snprintf(buf, len, "%s", kf_action_name(st->action));
    for (i = 0; i < st->n_fields && used < len; i++) {
        const kf_field *f = &st->fields[i];

        if (strcmp(f->key, "password") == 0) {
            used +=
                (size_t)snprintf(buf + used, len - used, " password=(given)");
            continue;
        }
        used += (size_t)snprintf(buf + used, len - used, " %s=", f->key);
        if (f->value != NULL) {
            used += (size_t)snprintf(buf + used, len - used, "%s", f->value);
            continue;
        }
        for (j = 0; j < f->list.n && used < len; j++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                     j ? "," : "", f->list.v[j]);
    }
}

/* Describe what one personality expects of a step. */
static void
show_views(FILE *out, const char *pname, const kf_views *vw)
{
    char buf[128];
    size_t i;

    if (vw->library.set) {
        kf_outcome_format(&vw->library.error, buf, sizeof(buf));
        fprintf(out, "      %-4s library: %s", pname, buf);
        if (vw->library.has_kdc_errors) {
            fprintf(out, " after KDC errors [");
            for (i = 0; i < vw->library.n_kdc_errors; i++)
                fprintf(out, "%s%d", i ? ", " : "",
                        vw->library.kdc_errors[i].proto);
            fprintf(out, "]");
        }
        if (vw->library.ticket_etype != 0)
            fprintf(out, ", ticket etype %d", vw->library.ticket_etype);
        if (vw->library.ticket_kvno != 0)
            fprintf(out, ", ticket kvno %d", vw->library.ticket_kvno);
        if (vw->library.http_status != 0)
            fprintf(out, ", HTTP %d", vw->library.http_status);
        if (vw->library.curl_exit >= 0)
            fprintf(out, ", curl exit %d", vw->library.curl_exit);
        if (vw->library.has_event && vw->library.event.id == 0)
            fprintf(out, ", no event 4");
        else if (vw->library.has_event)
            fprintf(out, ", event 4 from %s for %s",
                    vw->library.event.server ? vw->library.event.server : "*",
                    vw->library.event.target ? vw->library.event.target : "*");
        fprintf(out, "\n");
    }
    if (vw->service.set) {
        kf_outcome_format(&vw->service.error, buf, sizeof(buf));
        fprintf(out, "      %-4s service: %s\n", pname, buf);
    }
    for (i = 0; i < vw->n_kdc_log; i++)
        fprintf(out, "      %-4s kdc_log: %s logs /%s/\n", pname,
                vw->kdc_log[i].kdc ? vw->kdc_log[i].kdc : "a KDC",
                vw->kdc_log[i].pattern);
    if (vw->has_wire) {
        fprintf(out, "      %-4s wire:    %s", pname,
                vw->wire_exact ? "exactly" : "in order");
        for (i = 0; i < vw->n_wire; i++) {
            kf_wire_pattern_text(&vw->wire[i], buf, sizeof(buf));
            fprintf(out, "%s %s", i ? ";" : "", buf);
        }
        fprintf(out, "%s\n", vw->n_wire == 0 ? " no Kerberos message" : "");
    }
    if (vw->note != NULL)
        fprintf(out, "      %-4s note:    %s\n", pname, vw->note);
}

void
kf_show_scenario(FILE *out, const kf_scenario *sc)
{
    size_t i, j;
    char buf[512];

    fprintf(out, "%s: %s\n", sc->id, sc->title);
    fprintf(out, "source: %s%s%s\n", sc->document, sc->cause ? ", " : "",
            sc->cause ? sc->cause : "");
    fprintf(out, "tags:");
    for (i = 0; i < sc->tags.n; i++)
        fprintf(out, " %s", sc->tags.v[i]);
    fprintf(out, "\n\nStory:\n");
    indented(out, "  ", sc->story);
    if (sc->windows != NULL) {
        fprintf(out, "\nOn Windows:\n");
        indented(out, "  ", sc->windows);
    }
    if (sc->mit_tools != NULL) {
        fprintf(out, "\nWith MIT's tools:\n");
        indented(out, "  ", sc->mit_tools);
    }
    fprintf(out, "\nTopology: realm %s\n", sc->realm);
    for (i = 0; i < sc->n_kdcs; i++)
        fprintf(out, "  KDC  %s%s\n", sc->kdcs[i].name,
                i == 0 ? " (primary)" : "");
    for (i = 0; i < sc->n_hosts; i++) {
        fprintf(out, "  host %s%s%s, account %s, acceptor %s",
                sc->hosts[i].name, sc->hosts[i].fqdn ? " " : "",
                sc->hosts[i].fqdn ? sc->hosts[i].fqdn : "",
                sc->hosts[i].account, sc->hosts[i].acceptor);
        if (sc->hosts[i].clock != 0)
            fprintf(out, ", clock %+lds", sc->hosts[i].clock);
        fprintf(out, "\n");
    }
    for (i = 0; i < sc->n_principals; i++) {
        const kf_principal_def *p = &sc->principals[i];

        fprintf(out, "  principal %s%s%s%s%s%s\n", p->name,
                p->account ? " (account " : "", p->account ? p->account : "",
                p->account ? ")" : "",
                p->keys_of    ? ", the keys of "
                : p->password ? ""
                              : ", random keys",
                p->keys_of ? p->keys_of : "");
    }
    for (i = 0; i < sc->n_aliases; i++)
        fprintf(out, "  alias %s for %s (fakekdc)\n", sc->aliases[i].name,
                sc->aliases[i].target);
    for (i = 0; i < sc->n_actors; i++) {
        const kf_actor_def *a = &sc->actors[i];

        fprintf(out, "  actor %s as %s", a->name, a->principal);
        if (a->clock != 0)
            fprintf(out, ", clock %+lds", a->clock);
        if (a->kdc_timesync >= 0)
            fprintf(out, ", kdc_timesync %d", a->kdc_timesync);
        fprintf(out, "\n");
    }
    if (sc->n_variants > 0) {
        fprintf(out, "\nVariants:\n");
        for (i = 0; i < sc->n_variants; i++)
            fprintf(out, "  %s: %s\n", sc->variants[i].id,
                    sc->variants[i].title);
    }
    fprintf(out, "\nSteps:\n");
    for (i = 0; i < sc->n_steps; i++) {
        const kf_step *st = &sc->steps[i];

        kf_step_summary(st, buf, sizeof(buf));
        fprintf(out, "  %2zu. %-14s %s", i + 1, st->id ? st->id : "-", buf);
        if (st->only.n > 0) {
            fprintf(out, "  [only");
            for (j = 0; j < st->only.n; j++)
                fprintf(out, " %s", st->only.v[j]);
            fprintf(out, "]");
        }
        fprintf(out, "\n");
        if (st->note != NULL)
            fprintf(out, "      %s\n", st->note);
    }
    fprintf(out, "\nExpectations:\n");
    for (i = 0; i < sc->n_expects; i++) {
        const kf_expect *e = &sc->expects[i];

        fprintf(out, "  step %s", e->step);
        if (e->only.n > 0) {
            fprintf(out, " [only");
            for (j = 0; j < e->only.n; j++)
                fprintf(out, " %s", e->only.v[j]);
            fprintf(out, "]");
        }
        fprintf(out, "\n");
        for (j = 0; j < KF_PERS_COUNT; j++)
            show_views(out, kf_pers_name((kf_personality)j), &e->pers[j]);
    }
    if (sc->diagnose != NULL) {
        fprintf(out, "\nDiagnose:\n");
        indented(out, "  ", sc->diagnose);
    }
    if (sc->fix != NULL) {
        fprintf(out, "\nFix:\n");
        indented(out, "  ", sc->fix);
    }
}

static const char *
verdict_name(kf_verdict v)
{
    return v == KF_V_PASS ? "pass" : v == KF_V_FAIL ? "FAIL" : "skip";
}

/* Print, once each, why views were skipped and how many. */
static void
skip_reasons(FILE *out, const kf_run_result *r)
{
    struct {
        const char *why;
        size_t n;
    } reasons[16];
    size_t n_reasons = 0, i, j, k;

    for (i = 0; i < r->n_results; i++) {
        for (j = 0; j < r->results[i].n_views; j++) {
            const kf_view_result *v = &r->results[i].views[j];

            if (v->verdict != KF_V_SKIP)
                continue;
            for (k = 0; k < n_reasons; k++) {
                if (strcmp(reasons[k].why, v->why) == 0)
                    break;
            }
            if (k == n_reasons) {
                if (n_reasons == sizeof(reasons) / sizeof(reasons[0]))
                    continue; /* --verbose shows every one */
                reasons[n_reasons].why = v->why;
                reasons[n_reasons++].n = 0;
            }
            reasons[k].n++;
        }
    }
    for (k = 0; k < n_reasons; k++)
        fprintf(out, "    skipped %zu view%s: %s\n", reasons[k].n,
                reasons[k].n == 1 ? "" : "s", reasons[k].why);
}

void
kf_report_text(FILE *out, const kf_run_result *r, bool verbose)
{
    const kf_scenario *sc = r->sc;
    char buf[512], oc[128];
    size_t i, j;

    const char *verdict = kf_run_verdict(r);

    fprintf(out, "%s %s%s%s%s (%s) %.0f ms",
            strcmp(verdict, "error") == 0  ? "ERROR"
            : strcmp(verdict, "pass") == 0 ? "PASS "
            : strcmp(verdict, "skip") == 0 ? "SKIP "
                                           : "FAIL ",
            sc->id, r->variant ? " [" : "", r->variant ? r->variant : "",
            r->variant ? "]" : "", kf_pers_name(r->pers), r->ms);
    if (r->error == NULL && r->n_skipped > 0)
        fprintf(out, ", %zu of %zu views skipped", r->n_skipped,
                r->n_skipped + r->n_judged);
    fprintf(out, "\n");
    if (r->error != NULL)
        indented(out, "    ", r->error);
    /* What each step observed: always with --verbose, else only where
     * something failed (a run that could judge nothing shows its
     * reasons below, not its steps). */
    if (verbose || strcmp(verdict, "fail") == 0 ||
        strcmp(verdict, "error") == 0) {
        for (i = 0; i < sc->n_steps; i++) {
            const kf_obs *o = &r->obs[i];
            const kf_step *st = &sc->steps[i];

            if (!o->ran)
                continue;
            kf_step_summary(st, buf, sizeof(buf));
            fprintf(out, "    step %-14s %s\n", st->id ? st->id : "-", buf);
            if (o->detail != NULL) {
                fprintf(out, "         -> %s\n", o->detail);
                continue;
            }
            kf_outcome_format(&o->outcome, oc, sizeof(oc));
            fprintf(out, "         -> %s%s%s%s", oc, o->message ? ": \"" : "",
                    o->message ? o->message : "", o->message ? "\"" : "");
            if (o->answered_by[0] != '\0')
                fprintf(out, " (last KDC answer from %s over %s)",
                        o->answered_by, o->answered_over);
            fprintf(out, "\n");
            if (o->has_ticket)
                fprintf(out,
                        "            ticket: etype %d, kvno %d, "
                        "session key etype %d\n",
                        o->ticket_etype, o->ticket_kvno, o->session_etype);
            if (o->http_status != 0 && !o->has_curl)
                fprintf(out, "            HTTP %d\n", o->http_status);
            if (o->has_curl)
                fprintf(out, "            HTTP %d, curl exit %d\n",
                        o->http_status, o->curl_exit);
            if (o->token_error != 0)
                fprintf(out,
                        "            the service's KRB-ERROR: %d, "
                        "naming %s\n",
                        o->token_error,
                        o->token_server ? o->token_server : "?");
            if (o->event.id != 0)
                fprintf(out,
                        "            a Windows client would log System "
                        "event 4: KRB_AP_ERR_MODIFIED from %s, target "
                        "%s\n",
                        o->event.server ? o->event.server : "?",
                        o->event.target ? o->event.target : "?");
            if (o->n_kdc_errors > 0) {
                fprintf(out, "            KDC errors:");
                for (j = 0; j < o->n_kdc_errors; j++)
                    fprintf(out, " %s(%d) from %s;",
                            kf_outcome_name(&o->kdc_errors[j].code),
                            o->kdc_errors[j].code.proto, o->kdc_errors[j].kdc);
                fprintf(out, "\n");
            }
            for (j = 0; verbose && j < o->n_log; j++)
                fprintf(out, "            %s log: %.200s\n", o->log[j].kdc,
                        o->log[j].line);
            for (j = 0; verbose && j < o->n_wire; j++) {
                char line[2048];

                kf_wire_msg_text(&o->wire[j], line, sizeof(line));
                fprintf(out, "            wire: %s\n", line);
            }
            if (o->has_service) {
                kf_outcome_format(&o->svc_outcome, oc, sizeof(oc));
                fprintf(out, "            service: %s%s%s%s\n", oc,
                        o->svc_message && *o->svc_message ? ": \"" : "",
                        o->svc_message ? o->svc_message : "",
                        o->svc_message && *o->svc_message ? "\"" : "");
            }
        }
    }
    for (i = 0; i < r->n_results; i++) {
        const kf_expect_result *er = &r->results[i];

        for (j = 0; j < er->n_views; j++) {
            const kf_view_result *v = &er->views[j];

            /* Without --verbose: failures in full, passes only in a run
             * that failed, skips summed up by reason below. */
            if (!verbose && (v->verdict == KF_V_SKIP ||
                             (v->verdict == KF_V_PASS && r->passed)))
                continue;
            fprintf(out,
                    "    expect %-12s %-8s %s  expected %s; observed %s\n",
                    er->exp->step, v->view, verdict_name(v->verdict),
                    v->expected, v->why);
        }
    }
    if (!verbose)
        skip_reasons(out, r);
    if (r->pcap != NULL)
        fprintf(out, "    capture: %s\n", r->pcap);
    if (r->lab_dir != NULL)
        fprintf(out, "    lab kept at %s\n", r->lab_dir);
}

/* A JSON object describing an outcome. */
static json_object *
outcome_json(const kf_outcome *o, const char *message)
{
    json_object *j = json_object_new_object();
    char hex[16];

    json_object_object_add(j, "name",
                           json_object_new_string(kf_outcome_name(o)));
    json_object_object_add(j, "code", json_object_new_int64(o->lib));
    if (o->kind == KF_OUT_PROTO) {
        const char *mit = kf_lib_name(o->lib);

        snprintf(hex, sizeof(hex), "0x%x", o->proto);
        json_object_object_add(j, "protocol_code",
                               json_object_new_int(o->proto));
        json_object_object_add(j, "hex", json_object_new_string(hex));
        if (mit != NULL)
            json_object_object_add(j, "library_name",
                                   json_object_new_string(mit));
    } else if (o->kind == KF_OUT_LIBRARY) {
        const char *mit = kf_lib_name(o->lib);

        if (mit != NULL)
            json_object_object_add(j, "library_name",
                                   json_object_new_string(mit));
    }
    if (message != NULL)
        json_object_object_add(j, "message", json_object_new_string(message));
    return j;
}

/* Add a string member unless value is NULL. */
static void
add_opt(json_object *j, const char *key, const char *value)
{
    if (value != NULL)
        json_object_object_add(j, key, json_object_new_string(value));
}

/* A JSON object for one step's observations. */
static json_object *
step_json(const kf_step *st, const kf_obs *o, bool kept)
{
    json_object *j = json_object_new_object(), *arr;
    size_t k;

    json_object_object_add(j, "id",
                           st->id ? json_object_new_string(st->id) : NULL);
    json_object_object_add(j, "action",
                           json_object_new_string(kf_action_name(st->action)));
    json_object_object_add(j, "ran", json_object_new_boolean(o->ran));
    if (!o->ran)
        return j;
    json_object_object_add(j, "duration_ms", json_object_new_double(o->ms));
    if (o->detail != NULL) {
        json_object_object_add(j, "detail", json_object_new_string(o->detail));
        return j;
    }
    json_object_object_add(j, "library",
                           outcome_json(&o->outcome, o->message));
    arr = json_object_new_array();
    for (k = 0; k < o->n_kdc_errors; k++) {
        json_object *e = outcome_json(&o->kdc_errors[k].code, NULL);

        json_object_object_add(e, "kdc",
                               json_object_new_string(o->kdc_errors[k].kdc));
        json_object_array_add(arr, e);
    }
    json_object_object_add(j, "kdc_errors", arr);
    if (o->answered_by[0] != '\0') {
        json_object_object_add(j, "answered_by",
                               json_object_new_string(o->answered_by));
        json_object_object_add(j, "answered_over",
                               json_object_new_string(o->answered_over));
    }
    if (o->has_ticket) {
        json_object *t = json_object_new_object();
        char name[64];

        json_object_object_add(t, "etype",
                               json_object_new_int(o->ticket_etype));
        if (krb5_enctype_to_name(o->ticket_etype, FALSE, name, sizeof(name)) ==
            0)
            json_object_object_add(t, "etype_name",
                                   json_object_new_string(name));
        json_object_object_add(t, "kvno", json_object_new_int(o->ticket_kvno));
        json_object_object_add(t, "session_etype",
                               json_object_new_int(o->session_etype));
        json_object_object_add(j, "ticket", t);
    }
    if (o->http_status != 0)
        json_object_object_add(j, "http_status",
                               json_object_new_int(o->http_status));
    if (o->has_curl)
        json_object_object_add(j, "curl_exit",
                               json_object_new_int(o->curl_exit));
    if (o->token_error != 0) {
        kf_outcome te = kf_outcome_from_lib(
            (krb5_error_code)(ERROR_TABLE_BASE_krb5 + o->token_error));
        json_object *t = outcome_json(&te, NULL);

        add_opt(t, "server", o->token_server);
        json_object_object_add(j, "service_krb_error", t);
    }
    if (o->event.id != 0) {
        json_object *ev = json_object_new_object();

        json_object_object_add(ev, "id", json_object_new_int(o->event.id));
        add_opt(ev, "server", o->event.server);
        add_opt(ev, "target", o->event.target);
        add_opt(ev, "client_realm", o->event.client_realm);
        add_opt(ev, "target_realm", o->event.target_realm);
        json_object_object_add(j, "event", ev);
    }
    if (o->has_service) {
        json_object *s = outcome_json(&o->svc_outcome, o->svc_message);

        json_object_object_add(
            s, "decision",
            json_object_new_string(
                o->svc_outcome.kind == KF_OUT_SUCCESS ? "accept" : "reject"));
        if (o->svc_client != NULL)
            json_object_object_add(s, "client",
                                   json_object_new_string(o->svc_client));
        if (o->svc_server != NULL)
            json_object_object_add(s, "server",
                                   json_object_new_string(o->svc_server));
        json_object_object_add(j, "service", s);
    }
    if (o->n_log > 0) {
        json_object *logs = json_object_new_array();
        size_t k2;

        for (k2 = 0; k2 < o->n_log; k2++) {
            json_object *l = json_object_new_object();

            json_object_object_add(l, "kdc",
                                   json_object_new_string(o->log[k2].kdc));
            json_object_object_add(l, "line",
                                   json_object_new_string(o->log[k2].line));
            json_object_array_add(logs, l);
        }
        json_object_object_add(j, "kdc_log", logs);
    }
    if (o->n_wire > 0 || o->detail == NULL) {
        json_object *w = json_object_new_array();

        for (k = 0; k < o->n_wire; k++)
            json_object_array_add(w, kf_wire_msg_json(&o->wire[k]));
        json_object_object_add(j, "wire", w);
    }
    if (o->trace != NULL && kept)
        json_object_object_add(j, "trace", json_object_new_string(o->trace));
    return j;
}

char *
kf_report_json(const kf_run_result *r)
{
    const kf_scenario *sc = r->sc;
    json_object *doc = json_object_new_object(), *steps, *exps;
    char *text;
    size_t i, k;

    json_object_object_add(doc, "scenario", json_object_new_string(sc->id));
    json_object_object_add(doc, "file", json_object_new_string(sc->file));
    json_object_object_add(doc, "variant",
                           r->variant ? json_object_new_string(r->variant)
                                      : NULL);
    json_object_object_add(doc, "personality",
                           json_object_new_string(kf_pers_name(r->pers)));
    json_object_object_add(
        doc, "passed", json_object_new_boolean(r->passed && r->error == NULL));
    json_object_object_add(doc, "verdict",
                           json_object_new_string(kf_run_verdict(r)));
    json_object_object_add(doc, "views_judged",
                           json_object_new_int64((int64_t)r->n_judged));
    json_object_object_add(doc, "views_skipped",
                           json_object_new_int64((int64_t)r->n_skipped));
    json_object_object_add(doc, "error",
                           r->error ? json_object_new_string(r->error) : NULL);
    json_object_object_add(doc, "duration_ms", json_object_new_double(r->ms));
    json_object_object_add(doc, "lab_dir",
                           r->lab_dir ? json_object_new_string(r->lab_dir)
                                      : NULL);
    json_object_object_add(doc, "pcap",
                           r->pcap ? json_object_new_string(r->pcap) : NULL);
    json_object_object_add(doc, "wire_skipped",
                           r->wire_skip ? json_object_new_string(r->wire_skip)
                                        : NULL);
    steps = json_object_new_array();
    for (i = 0; r->obs != NULL && i < sc->n_steps; i++) {
        if (kf_in_variant(&sc->steps[i].only, r->variant))
            json_object_array_add(steps, step_json(&sc->steps[i], &r->obs[i],
                                                   r->lab_dir != NULL));
    }
    json_object_object_add(doc, "steps", steps);
    exps = json_object_new_array();
    for (i = 0; i < r->n_results; i++) {
        const kf_expect_result *er = &r->results[i];
        json_object *e = json_object_new_object(), *views;

        json_object_object_add(e, "step",
                               json_object_new_string(er->exp->step));
        views = json_object_new_array();
        for (k = 0; k < er->n_views; k++) {
            json_object *v = json_object_new_object();

            json_object_object_add(v, "view",
                                   json_object_new_string(er->views[k].view));
            json_object_object_add(
                v, "verdict",
                json_object_new_string(
                    er->views[k].verdict == KF_V_PASS   ? "pass"
                    : er->views[k].verdict == KF_V_FAIL ? "fail"
                                                        : "skip"));
            json_object_object_add(
                v, "expected", json_object_new_string(er->views[k].expected));
            json_object_object_add(v, "observation",
                                   json_object_new_string(er->views[k].why));
            json_object_array_add(views, v);
        }
        json_object_object_add(e, "views", views);
        json_object_array_add(exps, e);
    }
    json_object_object_add(doc, "expectations", exps);
    text = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
    json_object_put(doc);
    return text;
}
