/* Scenario documentation: render a scenario file as a Markdown page. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* Print a text block as paragraphs (it is already Markdown-safe prose). */
static void
block(FILE *out, const char *heading, const char *text)
{
    size_t len;

    if (text == NULL)
        return;
    len = strlen(text);
    fprintf(out, "\n## %s\n\n%s", heading, text);
    if (len == 0 || text[len - 1] != '\n')
        fputc('\n', out);
}

/* Print the System event 4 a Windows client logs, in a table cell. */
static void
event_cell(FILE *out, const kf_event *ev, const char *sep)
{
    if (ev->id == 0) {
        fprintf(out, "%sno System event 4 on a Windows client", sep);
        return;
    }
    fprintf(out,
            "%sWindows client: System event 4, KRB_AP_ERR_MODIFIED "
            "from `%s`",
            sep, ev->server ? ev->server : "the server");
    if (ev->target != NULL)
        fprintf(out, " for target `%s`", ev->target);
    if (ev->client_realm != NULL || ev->target_realm != NULL)
        fprintf(out, " (client realm %s, target realm %s)",
                ev->client_realm ? ev->client_realm : "-",
                ev->target_realm ? ev->target_realm : "-");
}

/* Print one personality's expectation as a table cell. */
static void
cell(FILE *out, const kf_views *vw)
{
    char buf[128];
    size_t i;
    const char *sep = "";

    if (vw->library.set) {
        kf_outcome_format(&vw->library.error, buf, sizeof(buf));
        fprintf(out, "client: %s", buf);
        if (vw->library.has_kdc_errors) {
            fprintf(out, " after KDC errors ");
            for (i = 0; i < vw->library.n_kdc_errors; i++)
                fprintf(out, "%s%d", i ? ", " : "",
                        vw->library.kdc_errors[i].proto);
        }
        if (vw->library.ticket_etype != 0)
            fprintf(out, ", ticket etype %d", vw->library.ticket_etype);
        if (vw->library.ticket_kvno != 0)
            fprintf(out, ", ticket kvno %d", vw->library.ticket_kvno);
        if (vw->library.message != NULL)
            fprintf(out, " (message contains \"%s\")", vw->library.message);
        if (vw->library.http_status != 0)
            fprintf(out, ", HTTP %d", vw->library.http_status);
        if (vw->library.curl_exit >= 0)
            fprintf(out, ", curl exits %d", vw->library.curl_exit);
        sep = "<br>";
        if (vw->library.has_event)
            event_cell(out, &vw->library.event, sep);
    }
    if (vw->service.set) {
        kf_outcome_format(&vw->service.error, buf, sizeof(buf));
        fprintf(out, "%sservice: %s", sep, buf);
        if (vw->service.message != NULL)
            fprintf(out, " (reason contains \"%s\")", vw->service.message);
        sep = "<br>";
    }
    for (i = 0; i < vw->n_kdc_log; i++) {
        fprintf(out, "%s%s logs `%s`", sep,
                vw->kdc_log[i].kdc ? vw->kdc_log[i].kdc : "a KDC",
                vw->kdc_log[i].pattern);
        sep = "<br>";
    }
    if (vw->has_wire) {
        char pat[300];

        fprintf(out, "%swire%s:", sep, vw->wire_exact ? ", exactly" : "");
        for (i = 0; i < vw->n_wire; i++) {
            kf_wire_pattern_text(&vw->wire[i], pat, sizeof(pat));
            fprintf(out, "%s %s", i ? " →" : "", pat);
        }
        if (vw->n_wire == 0)
            fprintf(out, " no Kerberos message");
        sep = "<br>";
    }
    if (vw->note != NULL)
        fprintf(out, "%s_%s_", sep, vw->note);
}

/* Print an only-list as "all" or the variant names. */
static void
only(FILE *out, const kf_strlist *l)
{
    size_t i;

    if (l->n == 0) {
        fprintf(out, "all");
        return;
    }
    for (i = 0; i < l->n; i++)
        fprintf(out, "%s%s", i ? ", " : "", l->v[i]);
}

/* Print the lab DNS: its client settings and its records, declared ones
 * first, as the zone holds them. */
static void
dns_lines(FILE *out, const kf_scenario *sc)
{
    static const char *const types[] = {"A", "CNAME", "PTR", "SRV", "TXT"};
    size_t i;

    fprintf(out,
            "- Lab DNS: clients have dns_canonicalize_hostname = %s, "
            "rdns = %s; records in this order:\n",
            sc->dns.canonicalize, sc->dns.rdns ? "true" : "false");
    for (i = 0; i < sc->dns.n_records; i++) {
        const kf_dns_record *r = &sc->dns.records[i];
        const char *ref = r->host != NULL ? r->host : r->kdc;

        fprintf(out, "  - ");
        if (r->type == KF_RR_PTR)
            fprintf(out, "PTR of %s's address", ref);
        else
            fprintf(out, "`%s` %s", r->name, types[r->type]);
        if (r->type == KF_RR_A)
            fprintf(out, " %s's address", ref);
        if (r->target != NULL)
            fprintf(out, " `%s`", r->target);
        else if (r->type == KF_RR_SRV)
            fprintf(out, " %s (%s port)", ref, r->role);
        if (r->text != NULL)
            fprintf(out, " \"%s\"", r->text);
        if (r->only.n > 0) {
            fprintf(out, ", variants ");
            only(out, &r->only);
        }
        fprintf(out, "\n");
    }
    if (sc->dns.auto_records)
        fprintf(out, "  - then an A and a PTR record for every host's fqdn "
                     "and every KDC\n");
}

void
kf_doc_markdown(FILE *out, const kf_scenario *sc)
{
    size_t i, j;

    fprintf(out,
            "<!-- Generated by `krbfault doc %s` from scenarios/%s.yaml;"
            " edit the scenario, then run scripts/gen-docs. -->\n",
            sc->id, sc->id);
    fprintf(out, "# %s\n\n%s\n\n", sc->id, sc->title);
    fprintf(out, "- Source: `%s`%s%s\n", sc->document, sc->cause ? ", " : "",
            sc->cause ? sc->cause : "");
    fprintf(out, "- Tags:");
    for (i = 0; i < sc->tags.n; i++)
        fprintf(out, " `%s`", sc->tags.v[i]);
    fprintf(out, "\n");
    block(out, "Story", sc->story);
    block(out, "What an administrator sees on Windows", sc->windows);
    block(out, "What MIT's tools show", sc->mit_tools);

    fprintf(out, "\n## Lab\n\nRealm `%s`.\n\n", sc->realm);
    for (i = 0; i < sc->n_kdcs; i++)
        fprintf(out, "- KDC %s%s\n", sc->kdcs[i].name,
                i == 0 ? " (primary)" : "");
    for (i = 0; i < sc->n_hosts; i++) {
        const kf_host_def *h = &sc->hosts[i];

        fprintf(out, "- Host %s", h->name);
        if (h->fqdn != NULL)
            fprintf(out, " (`%s`)", h->fqdn);
        fprintf(out,
                ", fake service running as `%s` (MIT acceptor: %s; "
                "AD acceptor: every key of the account)",
                h->account,
                strcmp(h->acceptor, "any") == 0 ? "any key in its keytab"
                                                : h->acceptor);
        if (h->keytab.n > 0) {
            fprintf(out, "; keytab:");
            for (j = 0; j < h->keytab.n; j++)
                fprintf(out, " `%s`", h->keytab.v[j]);
        }
        if (h->clock != 0)
            fprintf(out, "; clock %+ld s", h->clock);
        fprintf(out, "\n");
    }
    for (i = 0; i < sc->n_principals; i++) {
        const kf_principal_def *p = &sc->principals[i];

        fprintf(out, "- Principal `%s`", p->name);
        if (p->account != NULL)
            fprintf(out, " (AD account `%s`)", p->account);
        if (p->keys_of != NULL)
            fprintf(out,
                    ", exactly the keys of `%s` (its kvno, enctypes "
                    "and salt)",
                    p->keys_of);
        else
            fprintf(out, "%s", p->password ? ", password" : ", random keys");
        if (p->kvno > 0)
            fprintf(out, ", kvno %d", p->kvno);
        if (p->pw_expires.set && !p->pw_expires.never)
            fprintf(out, ", password expires at lab start %+ld s",
                    p->pw_expires.offset);
        if (p->expires.set && !p->expires.never)
            fprintf(out, ", account expires at lab start %+ld s",
                    p->expires.offset);
        if (p->policy != NULL)
            fprintf(out, ", policy `%s`", p->policy);
        fprintf(out, "\n");
    }
    for (i = 0; i < sc->n_aliases; i++)
        fprintf(out,
                "- Alias `%s` for `%s` (served by fakekdc's KDB "
                "module)\n",
                sc->aliases[i].name, sc->aliases[i].target);
    if (sc->dns.set)
        dns_lines(out, sc);
    for (i = 0; i < sc->n_actors; i++) {
        const kf_actor_def *a = &sc->actors[i];

        fprintf(out, "- Client %s as `%s`", a->name, a->principal);
        if (a->clock != 0)
            fprintf(out, ", clock %+ld s", a->clock);
        if (a->kdc_timesync >= 0)
            fprintf(out, ", kdc_timesync = %d", a->kdc_timesync);
        if (a->canonicalize != NULL)
            fprintf(out, ", dns_canonicalize_hostname = %s", a->canonicalize);
        if (a->rdns >= 0)
            fprintf(out, ", rdns = %s", a->rdns ? "true" : "false");
        fprintf(out, "\n");
    }
    if (sc->n_variants > 0) {
        fprintf(out, "\nVariants (each runs in a lab of its own):\n\n");
        for (i = 0; i < sc->n_variants; i++)
            fprintf(out, "- `%s`: %s\n", sc->variants[i].id,
                    sc->variants[i].title);
    }

    fprintf(out, "\n## Steps\n\n");
    for (i = 0; i < sc->n_steps; i++) {
        const kf_step *st = &sc->steps[i];

        char buf[512];

        kf_step_summary(st, buf, sizeof(buf));
        fprintf(out, "%zu. `%s`", i + 1, buf);
        if (st->id != NULL)
            fprintf(out, " (step `%s`)", st->id);
        if (st->only.n > 0) {
            fprintf(out, ", variants ");
            only(out, &st->only);
        }
        if (st->note != NULL)
            fprintf(out, ": %s", st->note);
        fprintf(out, "\n");
    }

    fprintf(out, "\n## Expected outcomes\n\n");
    fprintf(out, "| step | variants | MIT Kerberos | Active Directory |\n");
    fprintf(out, "|---|---|---|---|\n");
    for (i = 0; i < sc->n_expects; i++) {
        const kf_expect *e = &sc->expects[i];

        fprintf(out, "| `%s` | ", e->step);
        only(out, &e->only);
        fprintf(out, " | ");
        cell(out, &e->pers[KF_PERS_MIT]);
        fprintf(out, " | ");
        cell(out, &e->pers[KF_PERS_AD]);
        fprintf(out, " |\n");
    }
    fprintf(out, "\nRuns judge both columns (`--personality mit|ad|both`)"
                 ": the MIT column against stock krb5kdc and MIT's acceptor,"
                 " the Active Directory column against the service's "
                 "Windows acceptor. Until fakekdc/ gives the lab a domain "
                 "controller personality, AD views of what a KDC answers "
                 "are skipped.\n");
    block(out, "How to diagnose it", sc->diagnose);
    block(out, "Fix", sc->fix);
    fprintf(out,
            "\n## Run it\n\n```\nkrbfault show %s\nkrbfault run %s "
            "--verbose\nkrbfault run %s --keep   # keep the lab "
            "directory to inspect\n```\n",
            sc->id, sc->id, sc->id);
}

/* Return true if an outcome list or view of vw names protocol code. */
static bool
views_name(const kf_views *vw, int code)
{
    size_t i;

    if (vw->library.set && vw->library.error.kind == KF_OUT_PROTO &&
        vw->library.error.proto == code)
        return true;
    for (i = 0; vw->library.set && i < vw->library.n_kdc_errors; i++) {
        if (vw->library.kdc_errors[i].proto == code)
            return true;
    }
    return vw->service.set && vw->service.error.kind == KF_OUT_PROTO &&
           vw->service.error.proto == code;
}

/* Print the scenarios whose personality p expects code, as links. */
static void
code_scenarios(FILE *out, kf_scenario *const *scs, size_t n, int code,
               kf_personality p)
{
    size_t i, j;
    const char *sep = "";

    for (i = 0; i < n; i++) {
        for (j = 0; j < scs[i]->n_expects; j++) {
            if (views_name(&scs[i]->expects[j].pers[p], code)) {
                fprintf(out, "%s[%s](scenarios/%s.md)", sep, scs[i]->id,
                        scs[i]->id);
                sep = ", ";
                break;
            }
        }
    }
}

/* Codes MIT's KDC and acceptors do not produce without help, and why. */
static const struct {
    int code;
    const char *why;
} mit_gaps[] = {
    {0x8, "MIT's db2 database has no aliases, and fakekdc's aliases name "
          "one entry each, so an SPN cannot be registered twice yet (AD: "
          "duplicate SPN)."},
    {0x10, "MIT never offers PKINIT without a KDC certificate and answers "
           "25 (see preauth-smartcard-no-kdc-certificate); AD answers 0x10."},
    {0x12, "for an expired account MIT sends 0x1 KDC_ERR_NAME_EXP; AD sends "
           "0x12 (see as-account-expired)."},
    {0x29, "MIT acceptors answer 44, 31 or 35; Windows acceptors answer 0x29 "
           "to any ticket they cannot decrypt, and so does the lab "
           "service's ad personality."},
    {0x44, "db2 cannot hold an out-of-realm alias; the lab's KDC sends "
           "0x44 with the help of fakekdc, krbfault's own KDB module, which "
           "serves one (see as-wrong-realm)."},
    {0, NULL},
};

void
kf_codes_markdown(FILE *out, kf_scenario *const *scs, size_t n)
{
    int code;
    size_t i;

    fprintf(out, "<!-- Generated by `krbfault codes` from harness/errcodes.c"
                 " and scenarios/; run scripts/gen-docs after a change. "
                 "-->\n");
    fprintf(out, "# Kerberos error codes\n\n"
                 "The codes of RFC 4120 (and its PKINIT and FAST "
                 "extensions) that the source documents' tables list for "
                 "Windows events 4768, 4771 and 4769, what usually causes "
                 "each (after those tables, in our words), and the catalog "
                 "scenarios whose `mit:` or `ad:` expectations name them "
                 "(as the final error, a KDC error on the way, or the "
                 "service's decision). Windows shows them as Result Code "
                 "(4768), Failure Code (4771, 4769), or in System event 4 "
                 "for 0x29.\n\n");
    fprintf(out, "| hex | dec | name | meaning | usual causes | MIT | "
                 "Active Directory |\n|---|---|---|---|---|---|---|\n");
    for (code = 1; code < 128; code++) {
        const char *name = kf_proto_name(code);

        if (name == NULL)
            continue;
        fprintf(out, "| 0x%x | %d | %s | %s | %s | ", code, code, name,
                kf_proto_meaning(code),
                kf_proto_causes(code) ? kf_proto_causes(code) : "");
        code_scenarios(out, scs, n, code, KF_PERS_MIT);
        fprintf(out, " | ");
        code_scenarios(out, scs, n, code, KF_PERS_AD);
        fprintf(out, " |\n");
    }
    fprintf(out, "\n## Codes MIT does not produce without help\n\n"
                 "Stock MIT (krb5kdc on its db2 database, MIT's acceptor) "
                 "does not send these. fakekdc/, krbfault's KDB module, "
                 "already makes the lab's KDC send 0x44; the Active "
                 "Directory personality to come will make the KDC and "
                 "service answer the others as a domain controller "
                 "does.\n\n");
    for (i = 0; mit_gaps[i].why != NULL; i++)
        fprintf(out, "- 0x%x %s: %s\n", mit_gaps[i].code,
                kf_proto_name(mit_gaps[i].code), mit_gaps[i].why);
    fprintf(out, "\n0x19 KDC_ERR_PREAUTH_REQUIRED is the normal first answer "
                 "of a logon, not a failure (see "
                 "preauth-required-first-round).\n");
}
