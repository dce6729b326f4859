/* Scenario files: parse YAML with libyaml and validate it into the model. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <time.h>
#include <kdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <regex.h>
#include <yaml.h>

#include "krbmsg.h"

/* Every allocation of one scenario, freed together. */
struct arena {
    void **ptrs;
    size_t n;
    size_t cap;
};

struct pctx {
    const char *file;
    yaml_document_t *doc;
    struct arena *ar;
    kf_scenario *sc;
    char *err;
};

/* Allocate zeroed memory owned by the arena, or NULL. */
static void *
aalloc(struct arena *ar, size_t size)
{
    void *p, **np;

    if (ar->n == ar->cap) {
        size_t ncap = ar->cap ? ar->cap * 2 : 64;

        np = realloc(ar->ptrs, ncap * sizeof(*np));
        if (np == NULL)
            return NULL;
        ar->ptrs = np;
        ar->cap = ncap;
    }
    p = calloc(1, size ? size : 1);
    if (p != NULL)
        ar->ptrs[ar->n++] = p;
    return p;
}

/* Copy a string into the arena. */
static char *
astrdup(struct arena *ar, const char *s)
{
    size_t len = strlen(s);
    char *p = aalloc(ar, len + 1);

    if (p != NULL)
        memcpy(p, s, len + 1);
    return p;
}

static void
arena_free(struct arena *ar)
{
    size_t i;

    if (ar == NULL)
        return;
    for (i = 0; i < ar->n; i++)
        free(ar->ptrs[i]);
    free(ar->ptrs);
    free(ar);
}

static kf_pos
node_pos(const yaml_node_t *node)
{
    kf_pos p = {(int)node->start_mark.line + 1,
                (int)node->start_mark.column + 1};
    return p;
}

/* Record the first error at a place; always return -1. */
static int
vfail_at(struct pctx *c, kf_pos p, const char *fmt, va_list ap)
{
    char msg[512];
    char *out;
    size_t len;

    if (c->err != NULL)
        return -1;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    len = strlen(c->file) + strlen(msg) + 48;
    out = malloc(len);
    if (out != NULL)
        snprintf(out, len, "%s:%d:%d: %s", c->file, p.line, p.col, msg);
    c->err = out;
    return -1;
}

/* Record the first error at a place; always return -1. */
static int
fail_at(struct pctx *c, kf_pos p, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = vfail_at(c, p, fmt, ap);
    va_end(ap);
    return ret;
}

/* Record the first error at node's place; always return -1. */
static int
fail(struct pctx *c, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    kf_pos p = {1, 1};
    int ret;

    if (node != NULL)
        p = node_pos(node);
    va_start(ap, fmt);
    ret = vfail_at(c, p, fmt, ap);
    va_end(ap);
    return ret;
}

static yaml_node_t *
node_at(struct pctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

/* Set *out to the text of a scalar node (arena copy). */
static int
get_str(struct pctx *c, yaml_node_t *n, const char *what, char **out)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "%s must be a single value, not a %s", what,
                    n->type == YAML_MAPPING_NODE ? "mapping" : "list");
    *out = astrdup(c->ar, (const char *)n->data.scalar.value);
    return *out == NULL ? fail(c, n, "out of memory") : 0;
}

/* Parse a non-empty scalar. */
static int
get_nonempty(struct pctx *c, yaml_node_t *n, const char *what, char **out)
{
    if (get_str(c, n, what, out))
        return -1;
    if (**out == '\0')
        return fail(c, n, "%s must not be empty", what);
    return 0;
}

static int
get_bool(struct pctx *c, yaml_node_t *n, const char *what, bool *out)
{
    const char *v;

    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "%s must be true or false", what);
    v = (const char *)n->data.scalar.value;
    if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
        *out = false;
    else
        return fail(c, n, "%s must be true or false, not '%s'", what, v);
    return 0;
}

static int
get_int(struct pctx *c, yaml_node_t *n, const char *what, long lo, long hi,
        long *out)
{
    const char *v;
    char *end;
    long x;

    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "%s must be a number", what);
    v = (const char *)n->data.scalar.value;
    errno = 0;
    x = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || errno != 0)
        return fail(c, n, "%s must be a whole number, not '%s'", what, v);
    if (x < lo || x > hi)
        return fail(c, n, "%s must be between %ld and %ld", what, lo, hi);
    *out = x;
    return 0;
}

/* Parse a whole number from lo to hi into an int. */
static int
get_small(struct pctx *c, yaml_node_t *n, const char *what, long lo, long hi,
          int *out)
{
    long x;

    if (get_int(c, n, what, lo, hi, &x))
        return -1;
    *out = (int)x;
    return 0;
}

bool
kf_parse_duration(const char *text, long *out)
{
    const char *p = text;
    long sign = 1, v = 0, mult = 1;
    bool digits = false;

    if (*p == '+' || *p == '-') {
        sign = (*p == '-') ? -1 : 1;
        p++;
    }
    while (isdigit((unsigned char)*p)) {
        if (v > 100000000L)
            return false;
        v = v * 10 + (*p - '0');
        digits = true;
        p++;
    }
    if (!digits)
        return false;
    switch (*p) {
    case '\0':
    case 's':
        mult = 1;
        break;
    case 'm':
        mult = 60;
        break;
    case 'h':
        mult = 3600;
        break;
    case 'd':
        mult = 86400;
        break;
    default:
        return false;
    }
    if (*p != '\0' && p[1] != '\0')
        return false;
    *out = sign * v * mult;
    return true;
}

bool
kf_parse_duration_opt(const char *text, long *out)
{
    return text != NULL && kf_parse_duration(text, out);
}

static int
get_duration(struct pctx *c, yaml_node_t *n, const char *what, long *out)
{
    if (n->type != YAML_SCALAR_NODE ||
        !kf_parse_duration((const char *)n->data.scalar.value, out))
        return fail(c, n, "%s must be a duration such as 10m, -1d, +30s or 2h",
                    what);
    return 0;
}

static int
get_reltime(struct pctx *c, yaml_node_t *n, const char *what, kf_reltime *out)
{
    if (n->type == YAML_SCALAR_NODE &&
        strcmp((const char *)n->data.scalar.value, "never") == 0) {
        out->set = true;
        out->never = true;
        return 0;
    }
    if (n->type != YAML_SCALAR_NODE ||
        !kf_parse_duration((const char *)n->data.scalar.value, &out->offset))
        return fail(c, n,
                    "%s must be 'never' or a time relative to the lab's "
                    "start such as -1d or +30d",
                    what);
    out->set = true;
    return 0;
}

/* Parse a scalar or a list of scalars into a string list. */
static int
get_strlist(struct pctx *c, yaml_node_t *n, const char *what, kf_strlist *out)
{
    yaml_node_item_t *it;
    size_t i = 0, count;

    if (n->type == YAML_SCALAR_NODE) {
        out->v = aalloc(c->ar, sizeof(char *));
        out->pos = aalloc(c->ar, sizeof(kf_pos));
        if (out->v == NULL || out->pos == NULL)
            return fail(c, n, "out of memory");
        out->n = 1;
        out->pos[0] = node_pos(n);
        return get_nonempty(c, n, what, &out->v[0]);
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(c, n, "%s must be a list", what);
    count = n->data.sequence.items.top - n->data.sequence.items.start;
    out->v = aalloc(c->ar, (count + 1) * sizeof(char *));
    out->pos = aalloc(c->ar, (count + 1) * sizeof(kf_pos));
    if (out->v == NULL || out->pos == NULL)
        return fail(c, n, "out of memory");
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);

        out->pos[i] = node_pos(item);
        if (get_nonempty(c, item, what, &out->v[i]))
            return -1;
    }
    out->n = count;
    return 0;
}

/* Parse a list of enctype names, each known to libkrb5, at most 8. */
static int
get_enctypes(struct pctx *c, yaml_node_t *n, kf_strlist *out)
{
    size_t i;

    if (get_strlist(c, n, "enctypes", out))
        return -1;
    if (out->n > 8)
        return fail(c, n, "at most 8 enctypes may be listed");
    for (i = 0; i < out->n; i++) {
        krb5_enctype e;

        if (krb5_string_to_enctype(out->v[i], &e) != 0)
            return fail_at(c, out->pos[i],
                           "'%s' is not an enctype libkrb5 knows (e.g. "
                           "aes256-cts-hmac-sha1-96, rc4-hmac)",
                           out->v[i]);
    }
    return 0;
}

/* Callback for one key of a mapping. */
typedef int (*key_fn)(struct pctx *c, const char *key, yaml_node_t *val,
                      void *obj);

/* Walk a mapping, rejecting duplicate keys and keys not in known. */
static int
walk_map(struct pctx *c, yaml_node_t *n, const char *what,
         const char *const *known, key_fn fn, void *obj)
{
    yaml_node_pair_t *p, *q;
    const char *const *k;
    char list[400];
    size_t used = 0;

    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "%s must be a mapping of keys to values", what);
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *key = node_at(c, p->key);
        const char *ks;

        if (key->type != YAML_SCALAR_NODE)
            return fail(c, key, "keys of %s must be plain words", what);
        ks = (const char *)key->data.scalar.value;
        for (q = n->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *prev = node_at(c, q->key);

            if (prev->type == YAML_SCALAR_NODE &&
                strcmp((const char *)prev->data.scalar.value, ks) == 0)
                return fail(c, key, "duplicate key '%s' in %s", ks, what);
        }
        for (k = known; *k != NULL; k++) {
            if (strcmp(*k, ks) == 0)
                break;
        }
        if (*k == NULL) {
            list[0] = '\0';
            for (k = known; *k != NULL && used < sizeof(list) - 40; k++)
                used += snprintf(list + used, sizeof(list) - used, "%s%s",
                                 k == known ? "" : ", ", *k);
            return fail(c, key, "unknown key '%s' in %s (known: %s)", ks, what,
                        list);
        }
        if (fn(c, ks, node_at(c, p->value), obj))
            return -1;
    }
    return 0;
}

/* Return the value node of key in a mapping, or NULL. */
static yaml_node_t *
map_get(struct pctx *c, yaml_node_t *n, const char *key)
{
    yaml_node_pair_t *p;

    if (n->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node_at(c, p->key);

        if (k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return node_at(c, p->value);
    }
    return NULL;
}

/* Check that a name is made of letters, digits, '-', '_' and '.'. */
static int
check_name(struct pctx *c, yaml_node_t *n, const char *what, const char *s)
{
    const char *p;

    for (p = s; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return fail(c, n,
                        "%s '%s' may hold only letters, digits, '-', '_' "
                        "and '.'",
                        what, s);
    }
    return 0;
}

/* Allocate an array of count elements of size for a sequence node. */
static void *
seq_array(struct pctx *c, yaml_node_t *n, const char *what, size_t size,
          size_t *count)
{
    void *arr;

    if (n->type != YAML_SEQUENCE_NODE) {
        fail(c, n, "%s must be a list", what);
        return NULL;
    }
    *count = n->data.sequence.items.top - n->data.sequence.items.start;
    arr = aalloc(c->ar, (*count + 1) * size);
    if (arr == NULL)
        fail(c, n, "out of memory");
    return arr;
}

/* --- kdcs --- */

/* A key_fn for mappings whose keys are read with map_get. */
static int
ignore_key(struct pctx *c, const char *key, yaml_node_t *val, void *obj)
{
    (void)c;
    (void)key;
    (void)val;
    (void)obj;
    return 0;
}

static int
parse_kdcs(struct pctx *c, yaml_node_t *n)
{
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0;

    sc->kdcs = seq_array(c, n, "kdcs", sizeof(kf_kdc_def), &sc->n_kdcs);
    if (sc->kdcs == NULL)
        return -1;
    if (sc->n_kdcs == 0)
        return fail(c, n, "kdcs must name at least one KDC");
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it), *name = item;

        if (item->type == YAML_MAPPING_NODE) {
            static const char *const known[] = {"name", "clock", NULL};
            yaml_node_t *clock = map_get(c, item, "clock");

            name = map_get(c, item, "name");
            if (walk_map(c, item, "a kdc", known, ignore_key, NULL))
                return -1;
            if (name == NULL)
                return fail(c, item, "a kdc needs a name");
            if (clock != NULL &&
                get_duration(c, clock, "clock", &sc->kdcs[i].clock))
                return -1;
            if (sc->kdcs[i].clock != 0)
                sc->kdc_clocks = true;
        }
        sc->kdcs[i].pos = node_pos(item);
        if (get_nonempty(c, name, "a kdc name", &sc->kdcs[i].name) ||
            check_name(c, name, "kdc name", sc->kdcs[i].name))
            return -1;
        if (kf_find_kdc(sc, sc->kdcs[i].name) != &sc->kdcs[i])
            return fail(c, name, "kdc '%s' is declared twice",
                        sc->kdcs[i].name);
    }
    return 0;
}

/* --- hosts --- */

static int
host_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_host_def *h = obj;

    if (strcmp(key, "name") == 0)
        return get_nonempty(c, v, "host name", &h->name) ||
               check_name(c, v, "host name", h->name);
    if (strcmp(key, "fqdn") == 0)
        return get_nonempty(c, v, "fqdn", &h->fqdn) ||
               check_name(c, v, "fqdn", h->fqdn);
    if (strcmp(key, "acceptor") == 0)
        return get_nonempty(c, v, "acceptor", &h->acceptor);
    if (strcmp(key, "account") == 0) {
        if (get_nonempty(c, v, "account", &h->account))
            return -1;
        if (strpbrk(h->account, "@/ \t") != NULL)
            return fail(c, v,
                        "account '%s' is an account name such as "
                        "SV01$ or web, without realm or '/'",
                        h->account);
        return 0;
    }
    if (strcmp(key, "clock") == 0)
        return get_duration(c, v, "clock", &h->clock);
    return get_strlist(c, v, "keytab", &h->keytab);
}

/* Give a host its machine account: its name in upper case and '$', as
 * Active Directory names a computer's account. */
static int
machine_account(struct pctx *c, kf_host_def *h)
{
    size_t len = strlen(h->name), i;

    h->account = aalloc(c->ar, len + 2);
    if (h->account == NULL)
        return fail_at(c, h->pos, "out of memory");
    for (i = 0; i < len; i++)
        h->account[i] = (char)toupper((unsigned char)h->name[i]);
    h->account[len] = '$';
    return 0;
}

static int
parse_hosts(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {
        "name", "fqdn", "acceptor", "account", "clock", "keytab", NULL};
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0;

    sc->hosts = seq_array(c, n, "hosts", sizeof(kf_host_def), &sc->n_hosts);
    if (sc->hosts == NULL)
        return -1;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_host_def *h = &sc->hosts[i];

        h->pos = node_pos(item);
        if (walk_map(c, item, "a host", known, host_key, h))
            return -1;
        if (h->name == NULL)
            return fail(c, item, "a host needs a name");
        if (h->acceptor == NULL)
            h->acceptor = astrdup(c->ar, "any");
        if (h->account == NULL && machine_account(c, h) != 0)
            return -1;
        if (kf_find_host(sc, h->name) != h)
            return fail(c, item, "host '%s' is declared twice", h->name);
    }
    return 0;
}

/* --- policies --- */

static int
policy_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_policy_def *p = obj;
    long x;

    if (strcmp(key, "name") == 0)
        return get_nonempty(c, v, "policy name", &p->name) ||
               check_name(c, v, "policy name", p->name);
    if (strcmp(key, "max_failures") == 0) {
        if (get_int(c, v, "max_failures", 0, 1000, &x))
            return -1;
        p->max_failures = (int)x;
        return 0;
    }
    if (strcmp(key, "min_length") == 0) {
        if (get_int(c, v, "min_length", 0, 1024, &x))
            return -1;
        p->min_length = (int)x;
        return 0;
    }
    if (strcmp(key, "failure_interval") == 0)
        return get_duration(c, v, "failure_interval", &p->failure_interval);
    return get_duration(c, v, "lockout_duration", &p->lockout_duration);
}

static int
parse_policies(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {"name",
                                        "max_failures",
                                        "failure_interval",
                                        "lockout_duration",
                                        "min_length",
                                        NULL};
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0;

    sc->policies =
        seq_array(c, n, "policies", sizeof(kf_policy_def), &sc->n_policies);
    if (sc->policies == NULL)
        return -1;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_policy_def *p = &sc->policies[i];

        p->pos = node_pos(item);
        if (walk_map(c, item, "a policy", known, policy_key, p))
            return -1;
        if (p->name == NULL)
            return fail(c, item, "a policy needs a name");
        if (kf_find_policy(sc, p->name) != p)
            return fail(c, item, "policy '%s' is declared twice", p->name);
    }
    return 0;
}

/* --- principals --- */

/* Principal flags: the scenario key, the KDB attribute, and whether true
 * means the attribute is clear (an allow_ flag). */
static const struct flag_def {
    const char *key;
    int attr;
    bool inverted;
} flags[] = {
    {"requires_preauth", KRB5_KDB_REQUIRES_PRE_AUTH, false},
    {"requires_hwauth", KRB5_KDB_REQUIRES_HW_AUTH, false},
    {"allow_tix", KRB5_KDB_DISALLOW_ALL_TIX, true},
    {"allow_svr", KRB5_KDB_DISALLOW_SVR, true},
    {"allow_tgs_req", KRB5_KDB_DISALLOW_TGT_BASED, true},
    {"allow_forwardable", KRB5_KDB_DISALLOW_FORWARDABLE, true},
    {"allow_proxiable", KRB5_KDB_DISALLOW_PROXIABLE, true},
    {"allow_renewable", KRB5_KDB_DISALLOW_RENEWABLE, true},
    {"allow_postdated", KRB5_KDB_DISALLOW_POSTDATED, true},
    {"allow_dup_skey", KRB5_KDB_DISALLOW_DUP_SKEY, true},
    {"needchange", KRB5_KDB_REQUIRES_PWCHANGE, false},
    {"ok_as_delegate", KRB5_KDB_OK_AS_DELEGATE, false},
    {"ok_to_auth_as_delegate", KRB5_KDB_OK_TO_AUTH_AS_DELEGATE, false},
    {"no_auth_data_required", KRB5_KDB_NO_AUTH_DATA_REQUIRED, false},
    {NULL, 0, false},
};

/* Parse a principal's string attributes: a mapping of names to values,
 * set with kadm5_set_string (e.g. require_auth, session_enctypes). */
static int
get_strings(struct pctx *c, yaml_node_t *n, kf_principal_def *p)
{
    yaml_node_pair_t *pair;
    size_t count, i = 0;

    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "strings must map attribute names to values");
    count = n->data.mapping.pairs.top - n->data.mapping.pairs.start;
    p->string_keys.v = aalloc(c->ar, (count + 1) * sizeof(char *));
    p->string_values.v = aalloc(c->ar, (count + 1) * sizeof(char *));
    p->string_keys.pos = aalloc(c->ar, (count + 1) * sizeof(kf_pos));
    p->string_values.pos = aalloc(c->ar, (count + 1) * sizeof(kf_pos));
    if (p->string_keys.v == NULL || p->string_values.v == NULL ||
        p->string_keys.pos == NULL || p->string_values.pos == NULL)
        return fail(c, n, "out of memory");
    for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
         pair++, i++) {
        yaml_node_t *k = node_at(c, pair->key), *v = node_at(c, pair->value);

        p->string_keys.pos[i] = node_pos(k);
        p->string_values.pos[i] = node_pos(v);
        if (get_nonempty(c, k, "a string attribute name",
                         &p->string_keys.v[i]) ||
            get_str(c, v, "a string attribute value", &p->string_values.v[i]))
            return -1;
    }
    p->string_keys.n = p->string_values.n = count;
    return 0;
}

static int
principal_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_principal_def *p = obj;
    const struct flag_def *f;
    bool b;
    long x;

    if (strcmp(key, "name") == 0) {
        if (get_nonempty(c, v, "principal name", &p->name))
            return -1;
        if (strchr(p->name, '@') != NULL)
            return fail(c, v,
                        "principal name '%s' must not name a realm: the "
                        "lab's realm is implied",
                        p->name);
        return 0;
    }
    if (strcmp(key, "account") == 0)
        return get_nonempty(c, v, "account", &p->account);
    if (strcmp(key, "password") == 0)
        return get_nonempty(c, v, "password", &p->password);
    if (strcmp(key, "kvno") == 0) {
        if (get_int(c, v, "kvno", 1, 255, &x))
            return -1;
        p->kvno = (int)x;
        return 0;
    }
    if (strcmp(key, "enctypes") == 0)
        return get_enctypes(c, v, &p->enctypes);
    if (strcmp(key, "password_expires") == 0)
        return get_reltime(c, v, "password_expires", &p->pw_expires);
    if (strcmp(key, "expires") == 0)
        return get_reltime(c, v, "expires", &p->expires);
    if (strcmp(key, "policy") == 0)
        return get_nonempty(c, v, "policy", &p->policy);
    if (strcmp(key, "strings") == 0)
        return get_strings(c, v, p);
    if (strcmp(key, "keys_of") == 0) {
        p->keys_of_pos = node_pos(v);
        return get_nonempty(c, v, "keys_of", &p->keys_of);
    }
    for (f = flags; f->key != NULL; f++) {
        if (strcmp(key, f->key) != 0)
            continue;
        if (get_bool(c, v, key, &b))
            return -1;
        if (b != f->inverted) {
            p->attr_set |= f->attr;
            p->attr_clear &= ~f->attr;
        } else {
            p->attr_clear |= f->attr;
            p->attr_set &= ~f->attr;
        }
        return 0;
    }
    return fail(c, v, "unhandled principal key '%s'", key);
}

static int
parse_principals(struct pctx *c, yaml_node_t *n)
{
    static const char *known[32];
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0, k = 0;
    const struct flag_def *f;

    if (known[0] == NULL) {
        static const char *const base[] = {
            "name",     "account",          "password", "kvno",
            "enctypes", "password_expires", "expires",  "policy",
            "strings",  "keys_of",          NULL};
        for (k = 0; base[k] != NULL; k++)
            known[k] = base[k];
        for (f = flags; f->key != NULL; f++)
            known[k++] = f->key;
        known[k] = NULL;
    }
    sc->principals = seq_array(c, n, "principals", sizeof(kf_principal_def),
                               &sc->n_principals);
    if (sc->principals == NULL)
        return -1;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_principal_def *p = &sc->principals[i];

        p->pos = node_pos(item);
        /* Like Active Directory, accounts require pre-authentication
         * unless the scenario says otherwise. */
        p->attr_set = KRB5_KDB_REQUIRES_PRE_AUTH;
        if (walk_map(c, item, "a principal", known, principal_key, p))
            return -1;
        if (p->name == NULL)
            return fail(c, item, "a principal needs a name");
        if (kf_find_principal(sc, p->name) != p)
            return fail(c, item, "principal '%s' is declared twice", p->name);
    }
    return 0;
}

/* Parse a dns_canonicalize_hostname value: true, false or fallback. */
static int
get_canonicalize(struct pctx *c, yaml_node_t *v, char **out)
{
    if (get_nonempty(c, v, "canonicalize", out))
        return -1;
    if (strcmp(*out, "true") != 0 && strcmp(*out, "false") != 0 &&
        strcmp(*out, "fallback") != 0)
        return fail(c, v,
                    "canonicalize (dns_canonicalize_hostname) is "
                    "true, false or fallback, not '%s'",
                    *out);
    return 0;
}

/* --- aliases --- */

/* Return true if s is a realm name: upper-case letters, digits, '.' and
 * '-'. */
static bool
realm_ok(const char *s)
{
    const char *p;

    for (p = s; *p != '\0'; p++) {
        if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) &&
            *p != '.' && *p != '-')
            return false;
    }
    return *s != '\0';
}

/* Check an alias's target: a declared principal (the lab's realm may be
 * written), or a name in another realm. */
static int
check_alias_target(struct pctx *c, yaml_node_t *v, const char *target)
{
    const char *at = strrchr(target, '@');
    char local[512];

    if (at == NULL)
        snprintf(local, sizeof(local), "%s", target);
    else if (at == target || !realm_ok(at + 1))
        return fail(c, v,
                    "alias target '%s' must be a declared principal or "
                    "NAME@REALM with an upper-case realm",
                    target);
    else if (strcmp(at + 1, c->sc->realm) != 0)
        return 0;
    else
        snprintf(local, sizeof(local), "%.*s", (int)(at - target), target);
    if (kf_find_principal(c->sc, local) == NULL)
        return fail(c, v,
                    "alias target '%s' is not a declared principal (a name "
                    "in another realm is written NAME@REALM)",
                    target);
    return 0;
}

static int
alias_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_alias_def *a = obj;
    char **out = strcmp(key, "name") == 0 ? &a->name : &a->target;

    if (get_nonempty(c, v, key, out))
        return -1;
    if (strpbrk(*out, " \t\r\n") != NULL)
        return fail(c, v, "alias %s '%s' must not hold blanks", key, *out);
    if (out == &a->target)
        return check_alias_target(c, v, a->target);
    if (strchr(a->name, '@') != NULL)
        return fail(c, v,
                    "alias name '%s' must not name a realm: an alias is a "
                    "name in the lab's realm",
                    a->name);
    if (kf_find_principal(c->sc, a->name) != NULL)
        return fail(c, v, "alias name '%s' is a declared principal", a->name);
    return 0;
}

static int
parse_aliases(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {"name", "target", NULL};
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0;

    sc->aliases =
        seq_array(c, n, "aliases", sizeof(kf_alias_def), &sc->n_aliases);
    if (sc->aliases == NULL)
        return -1;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_alias_def *a = &sc->aliases[i];

        a->pos = node_pos(item);
        if (walk_map(c, item, "an alias", known, alias_key, a))
            return -1;
        if (a->name == NULL || a->target == NULL)
            return fail(c, item, "an alias needs a name and a target");
        if (kf_find_alias(sc, a->name) != a)
            return fail(c, item, "alias '%s' is declared twice", a->name);
    }
    return 0;
}

/* --- actors --- */

static int
actor_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_actor_def *a = obj;
    bool b;

    if (strcmp(key, "name") == 0)
        return get_nonempty(c, v, "actor name", &a->name) ||
               check_name(c, v, "actor name", a->name);
    if (strcmp(key, "principal") == 0)
        return get_nonempty(c, v, "principal", &a->principal);
    if (strcmp(key, "password") == 0)
        return get_nonempty(c, v, "password", &a->password);
    if (strcmp(key, "clock") == 0)
        return get_duration(c, v, "clock", &a->clock);
    if (strcmp(key, "kdc_timesync") == 0) {
        if (get_bool(c, v, "kdc_timesync", &b))
            return -1;
        a->kdc_timesync = b ? 1 : 0;
        return 0;
    }
    if (strcmp(key, "smartcard") == 0)
        return get_bool(c, v, "smartcard", &a->smartcard);
    if (strcmp(key, "canonicalize") == 0)
        return get_canonicalize(c, v, &a->canonicalize);
    if (strcmp(key, "rdns") == 0) {
        if (get_bool(c, v, "rdns", &b))
            return -1;
        a->rdns = b ? 1 : 0;
        return 0;
    }
    return get_enctypes(c, v, &a->enctypes);
}

static int
parse_actors(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {
        "name",     "principal", "password",     "clock", "kdc_timesync",
        "enctypes", "smartcard", "canonicalize", "rdns",  NULL};
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0;

    sc->actors =
        seq_array(c, n, "actors", sizeof(kf_actor_def), &sc->n_actors);
    if (sc->actors == NULL)
        return -1;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_actor_def *a = &sc->actors[i];

        a->pos = node_pos(item);
        a->kdc_timesync = -1;
        a->rdns = -1;
        if (walk_map(c, item, "an actor", known, actor_key, a))
            return -1;
        if (a->name == NULL || a->principal == NULL)
            return fail(c, item, "an actor needs a name and a principal");
        if (kf_find_actor(sc, a->name) != a)
            return fail(c, item, "actor '%s' is declared twice", a->name);
    }
    return 0;
}

/* --- variants --- */

static int
variant_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_variant_def *d = obj;

    if (strcmp(key, "id") == 0)
        return get_nonempty(c, v, "variant id", &d->id) ||
               check_name(c, v, "variant id", d->id);
    return get_nonempty(c, v, "variant title", &d->title);
}

static int
parse_variants(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {"id", "title", NULL};
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0, j;

    sc->variants =
        seq_array(c, n, "variants", sizeof(kf_variant_def), &sc->n_variants);
    if (sc->variants == NULL)
        return -1;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_variant_def *d = &sc->variants[i];

        d->pos = node_pos(item);
        if (walk_map(c, item, "a variant", known, variant_key, d))
            return -1;
        if (d->id == NULL || d->title == NULL)
            return fail(c, item, "a variant needs an id and a title");
        for (j = 0; j < i; j++) {
            if (strcmp(sc->variants[j].id, d->id) == 0)
                return fail(c, item, "variant '%s' is declared twice", d->id);
        }
    }
    return 0;
}

/* --- steps --- */

/* What a step field must hold. */
enum ftype {
    F_STR,
    F_DURATION,
    F_BOOL,
    F_KVNO,
    F_COUNT,
    F_KDC,
    F_KDCS,
    F_HOST,
    F_ACTOR,
    F_PRINCIPAL,
    F_PRINCIPALS,
    F_HOSTNAME,
    F_URL,
    F_PATH,
    F_NUMBER
};

struct field_spec {
    const char *key;
    enum ftype type;
    bool required;
};

struct action_spec {
    const char *name;
    struct field_spec fields[16];
};

/* The fields each action takes, by kf_action. */
static const struct action_spec actions[KF_ACT_COUNT] = {
    [KF_ACT_KINIT] = {"kinit",
                      {{"actor", F_ACTOR, true},
                       {"kdc", F_KDC, false},
                       {"password", F_STR, false},
                       {"keytab", F_HOST, false},
                       {"principal", F_STR, false},
                       {"service", F_STR, false},
                       {"start", F_DURATION, false},
                       {"lifetime", F_DURATION, false},
                       {"renewable", F_DURATION, false},
                       {"primary", F_KDC, false},
                       {"forwardable", F_BOOL, false},
                       {"addressful", F_BOOL, false},
                       {"canonicalize", F_BOOL, false},
                       {NULL, F_STR, false}}},
    [KF_ACT_GET_TICKET] = {"get_ticket",
                           {{"actor", F_ACTOR, true},
                            {"service", F_STR, true},
                            {"kdc", F_KDC, false},
                            {"cached", F_BOOL, false},
                            {NULL, F_STR, false}}},
    [KF_ACT_AP_REQ] = {"ap_req",
                       {{"actor", F_ACTOR, true},
                        {"service", F_STR, true},
                        {"host", F_HOST, false},
                        {"hostname", F_HOSTNAME, false},
                        {"kdc", F_KDC, false},
                        {"repeat", F_COUNT, false},
                        {"cached", F_BOOL, false},
                        {"via_nat", F_BOOL, false},
                        {NULL, F_STR, false}}},
    [KF_ACT_CHANGE_PASSWORD] = {"change_password",
                                {{"principal", F_PRINCIPAL, true},
                                 {"password", F_STR, true},
                                 {"kdc", F_KDC, false},
                                 {"kvno", F_KVNO, false},
                                 {NULL, F_STR, false}}},
    [KF_ACT_RANDOMIZE_KEY] = {"randomize_key",
                              {{"principal", F_PRINCIPAL, true},
                               {"kdc", F_KDC, false},
                               {"kvno", F_KVNO, false},
                               {NULL, F_STR, false}}},
    [KF_ACT_EXPORT_KEYTAB] = {"export_keytab",
                              {{"host", F_HOST, true},
                               {"principal", F_PRINCIPALS, true},
                               {"kdc", F_KDC, false},
                               {"replace", F_BOOL, false},
                               {"as", F_STR, false},
                               {"kvno", F_NUMBER, false},
                               {NULL, F_STR, false}}},
    [KF_ACT_REPLICATE] = {"replicate",
                          {{"from", F_KDC, true},
                           {"to", F_KDCS, false},
                           {NULL, F_STR, false}}},
    [KF_ACT_BREAK_REPLICATION] = {"break_replication",
                                  {{"kdc", F_KDC, true},
                                   {NULL, F_STR, false}}},
    [KF_ACT_REPAIR_REPLICATION] = {"repair_replication",
                                   {{"kdc", F_KDC, true},
                                    {NULL, F_STR, false}}},
    [KF_ACT_ADVANCE_CLOCK] = {"advance_clock",
                              {{"by", F_DURATION, true},
                               {"actor", F_ACTOR, false},
                               {"host", F_HOST, false},
                               {"kdc", F_KDC, false},
                               {NULL, F_STR, false}}},
    [KF_ACT_RENEW] = {"renew",
                      {{"actor", F_ACTOR, true},
                       {"kdc", F_KDC, false},
                       {NULL, F_STR, false}}},
    [KF_ACT_STOP_KDC] = {"stop_kdc",
                         {{"kdc", F_KDC, true}, {NULL, F_STR, false}}},
    [KF_ACT_START_KDC] = {"start_kdc",
                          {{"kdc", F_KDC, true}, {NULL, F_STR, false}}},
    [KF_ACT_S4U2PROXY] = {"s4u2proxy",
                          {{"actor", F_ACTOR, true},
                           {"user", F_STR, true},
                           {"service", F_STR, true},
                           {"kdc", F_KDC, false},
                           {NULL, F_STR, false}}},
    [KF_ACT_HTTP] = {"http",
                     {{"actor", F_ACTOR, true},
                      {"host", F_HOST, false},
                      {"hostname", F_HOSTNAME, false},
                      {"url", F_URL, false},
                      {"path", F_PATH, false},
                      {"kdc", F_KDC, false},
                      {NULL, F_STR, false}}},
    [KF_ACT_CURL] = {"curl",
                     {{"actor", F_ACTOR, true},
                      {"host", F_HOST, false},
                      {"hostname", F_HOSTNAME, false},
                      {"url", F_URL, false},
                      {"path", F_PATH, false},
                      {"kdc", F_KDC, false},
                      {"timeout", F_DURATION, false},
                      {NULL, F_STR, false}}},
    [KF_ACT_KPASSWD] = {"kpasswd",
                        {{"actor", F_ACTOR, true},
                         {"new_password", F_STR, true},
                         {"password", F_STR, false},
                         {"kdc", F_KDC, false},
                         {"primary", F_KDC, false},
                         {NULL, F_STR, false}}},
};

const char *
kf_action_name(kf_action a)
{
    return (a >= 0 && a < KF_ACT_COUNT) ? actions[a].name : "?";
}

/* Check one scalar reference of a step field against the lab. */
static int
check_ref(struct pctx *c, yaml_node_t *n, enum ftype type, const char *v)
{
    kf_scenario *sc = c->sc;
    long x;

    switch (type) {
    case F_KDC:
    case F_KDCS:
        if (kf_find_kdc(sc, v) == NULL)
            return fail(c, n, "no kdc named '%s' in this lab", v);
        break;
    case F_HOST:
        if (kf_find_host(sc, v) == NULL)
            return fail(c, n, "no host named '%s' in this lab", v);
        break;
    case F_ACTOR:
        if (kf_find_actor(sc, v) == NULL)
            return fail(c, n, "no actor named '%s' in this lab", v);
        break;
    case F_PRINCIPAL:
    case F_PRINCIPALS:
        if (kf_find_principal(sc, v) == NULL)
            return fail(c, n, "no principal named '%s' in this lab", v);
        break;
    case F_DURATION:
        if (!kf_parse_duration(v, &x))
            return fail(c, n, "'%s' is not a duration such as 10m or -1d", v);
        break;
    case F_BOOL:
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
            return fail(c, n, "'%s' must be true or false", v);
        break;
    case F_COUNT:
        if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 2 ||
            atoi(v) < 1 || atoi(v) > 10)
            return fail(c, n, "'%s' must be a number from 1 to 10", v);
        break;
    case F_NUMBER:
        if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 3 ||
            atoi(v) < 1 || atoi(v) > 255)
            return fail(c, n, "'%s' must be a number from 1 to 255", v);
        break;
    case F_HOSTNAME:
        if (!kf_valid_hostname(v))
            return fail(c, n,
                        "'%s' is not a host name (letters, digits, '-' "
                        "and '.', such as web.example.test)",
                        v);
        break;
    case F_URL:
        if (!kf_parse_url(v, NULL, 0, NULL, 0))
            return fail(c, n,
                        "'%s' is not an http:// URL without port or user "
                        "(the lab picks the port), such as "
                        "http://web.example.test/",
                        v);
        break;
    case F_PATH:
        if (v[0] != '/' || strpbrk(v, " \t\r\n") != NULL)
            return fail(c, n, "'%s' is not a URL path such as /index.html", v);
        break;
    case F_KVNO:
        if (strcmp(v, "keep") != 0 && strcmp(v, "next") != 0 &&
            (strspn(v, "0123456789") != strlen(v) || strlen(v) > 3 ||
             atoi(v) < 1 || atoi(v) > 255))
            return fail(c, n, "kvno must be 'keep', 'next' or 1 to 255");
        break;
    default:
        break;
    }
    return 0;
}

static int
parse_step_field(struct pctx *c, const struct action_spec *as, yaml_node_t *kn,
                 const char *key, yaml_node_t *v, kf_field *f)
{
    const struct field_spec *fs;
    size_t i;

    for (fs = as->fields; fs->key != NULL; fs++) {
        if (strcmp(fs->key, key) == 0)
            break;
    }
    if (fs->key == NULL) {
        char list[200] = "";
        size_t used = 0;
        const struct field_spec *g;

        for (g = as->fields; g->key != NULL; g++)
            used += snprintf(list + used, sizeof(list) - used, "%s%s",
                             g == as->fields ? "" : ", ", g->key);
        return fail(c, kn, "action %s takes no '%s' (it takes: %s)", as->name,
                    key, list);
    }
    f->key = astrdup(c->ar, key);
    f->pos = node_pos(v);
    if (fs->type == F_KDCS || fs->type == F_PRINCIPALS) {
        if (get_strlist(c, v, key, &f->list))
            return -1;
        for (i = 0; i < f->list.n; i++) {
            yaml_node_t *item = v;

            if (v->type == YAML_SEQUENCE_NODE)
                item = node_at(c, v->data.sequence.items.start[i]);
            if (check_ref(c, item, fs->type, f->list.v[i]))
                return -1;
        }
        return 0;
    }
    if (get_nonempty(c, v, key, &f->value))
        return -1;
    return check_ref(c, v, fs->type, f->value);
}

/* Check how a client step names the service it talks to: ap_req takes
 * host or hostname (then service is a service type such as HTTP); http
 * and curl take host, hostname or url; export_keytab's as and kvno
 * rename one principal's keys. */
static int
check_target(struct pctx *c, yaml_node_t *item, const kf_step *st)
{
    const kf_field *host = kf_step_field(st, "host");
    const kf_field *name = kf_step_field(st, "hostname");
    const kf_field *url = kf_step_field(st, "url");
    const kf_field *path = kf_step_field(st, "path");
    const char *svc = kf_step_str(st, "service");

    if (st->action == KF_ACT_EXPORT_KEYTAB &&
        (kf_step_field(st, "as") || kf_step_field(st, "kvno")) &&
        kf_step_field(st, "principal")->list.n != 1)
        return fail(c, item,
                    "export_keytab writes one principal's keys "
                    "under 'as' or 'kvno'; name one principal");
    if (st->action == KF_ACT_AP_REQ) {
        if (name != NULL && !c->sc->dns.set)
            return fail_at(c, name->pos,
                           "a name to resolve needs the lab's dns block "
                           "(nothing outside the lab may be asked)");
        if ((host != NULL) + (name != NULL) != 1)
            return fail(c, item,
                        "ap_req names the host whose service gets "
                        "the AP-REQ, or a hostname to resolve: "
                        "one of 'host' and 'hostname'");
        if (name != NULL && strpbrk(svc, "/@") != NULL)
            return fail_at(c, kf_step_field(st, "service")->pos,
                           "with 'hostname', service is a service type "
                           "such as HTTP or host, not '%s': the principal "
                           "is made from the type and the name, as "
                           "krb5_sname_to_principal does",
                           svc);
        return 0;
    }
    if (st->action != KF_ACT_HTTP && st->action != KF_ACT_CURL)
        return 0;
    if ((name != NULL || url != NULL) && !c->sc->dns.set)
        return fail_at(c, (name != NULL ? name : url)->pos,
                       "a name to resolve needs the lab's dns block "
                       "(nothing outside the lab may be asked)");
    if ((host != NULL) + (name != NULL) + (url != NULL) != 1)
        return fail(c, item,
                    "action %s names one of 'host', 'hostname' "
                    "and 'url'",
                    kf_action_name(st->action));
    if (url != NULL && path != NULL)
        return fail_at(c, path->pos, "a url holds its path already");
    if (host != NULL && kf_find_host(c->sc, host->value)->fqdn == NULL)
        return fail_at(c, host->pos,
                       "host '%s' has no fqdn, which an HTTP request needs "
                       "for its URL and service name",
                       host->value);
    return 0;
}

static int
parse_step(struct pctx *c, yaml_node_t *item, kf_step *st)
{
    static const char *const common[] = {"id", "action", "only", "note", NULL};
    yaml_node_t *actn;
    yaml_node_pair_t *p;
    const struct action_spec *as;
    const struct field_spec *fs;
    const char *an;
    int a;
    size_t count;

    st->pos = node_pos(item);
    if (item->type != YAML_MAPPING_NODE)
        return fail(c, item, "a step must be a mapping with an action");
    actn = map_get(c, item, "action");
    if (actn == NULL)
        return fail(c, item, "a step needs an action");
    if (actn->type != YAML_SCALAR_NODE)
        return fail(c, actn, "action must be a single word");
    an = (const char *)actn->data.scalar.value;
    for (a = 0; a < KF_ACT_COUNT; a++) {
        if (strcmp(actions[a].name, an) == 0)
            break;
    }
    if (a == KF_ACT_COUNT)
        return fail(c, actn,
                    "unknown action '%s' (known: kinit, get_ticket, ap_req, "
                    "http, curl, renew, kpasswd, s4u2proxy, change_password, "
                    "randomize_key, "
                    "export_keytab, replicate, break_replication, "
                    "repair_replication, stop_kdc, start_kdc, "
                    "advance_clock)",
                    an);
    st->action = (kf_action)a;
    as = &actions[a];
    count = item->data.mapping.pairs.top - item->data.mapping.pairs.start;
    st->fields = aalloc(c->ar, count * sizeof(kf_field));
    if (st->fields == NULL)
        return fail(c, item, "out of memory");
    for (p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
        const char *ks;
        const char *const *cm;
        yaml_node_pair_t *q;

        if (k->type != YAML_SCALAR_NODE)
            return fail(c, k, "keys of a step must be plain words");
        ks = (const char *)k->data.scalar.value;
        for (q = item->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *prev = node_at(c, q->key);

            if (prev->type == YAML_SCALAR_NODE &&
                strcmp((const char *)prev->data.scalar.value, ks) == 0)
                return fail(c, k, "duplicate key '%s' in a step", ks);
        }
        for (cm = common; *cm != NULL; cm++) {
            if (strcmp(*cm, ks) == 0)
                break;
        }
        if (*cm != NULL) {
            if (strcmp(ks, "id") == 0) {
                if (get_nonempty(c, v, "step id", &st->id) ||
                    check_name(c, v, "step id", st->id))
                    return -1;
            } else if (strcmp(ks, "note") == 0) {
                if (get_nonempty(c, v, "note", &st->note))
                    return -1;
            } else if (strcmp(ks, "only") == 0) {
                if (get_strlist(c, v, "only", &st->only))
                    return -1;
            }
            continue;
        }
        if (parse_step_field(c, as, k, ks, v, &st->fields[st->n_fields]))
            return -1;
        st->n_fields++;
    }
    for (fs = as->fields; fs->key != NULL; fs++) {
        if (fs->required && kf_step_field(st, fs->key) == NULL)
            return fail(c, item, "action %s needs '%s'", as->name, fs->key);
    }
    if (st->action == KF_ACT_ADVANCE_CLOCK &&
        (kf_step_field(st, "actor") != NULL) +
                (kf_step_field(st, "host") != NULL) +
                (kf_step_field(st, "kdc") != NULL) >
            1)
        return fail(c, item,
                    "advance_clock moves one clock (actor, host or "
                    "kdc), or every clock of the lab when it names "
                    "none");
    if (st->action == KF_ACT_ADVANCE_CLOCK &&
        kf_step_field(st, "actor") == NULL &&
        kf_step_field(st, "host") == NULL)
        c->sc->kdc_clocks = true;
    if (st->action == KF_ACT_KINIT && kf_step_field(st, "start") &&
        kf_step_str(st, "start")[0] == '-')
        return fail(c, item, "kinit's start must be in the future (+1h)");
    if (st->action == KF_ACT_KINIT && kf_step_field(st, "password") &&
        kf_step_field(st, "keytab"))
        return fail(c, item, "kinit takes a password or a keytab, not both");
    return check_target(c, item, st);
}

/* Check that every name of an only-list is a declared variant. */
static int
check_only(struct pctx *c, const kf_strlist *only)
{
    size_t i, j;
    kf_scenario *sc = c->sc;

    for (i = 0; i < only->n; i++) {
        for (j = 0; j < sc->n_variants; j++) {
            if (strcmp(sc->variants[j].id, only->v[i]) == 0)
                break;
        }
        if (j == sc->n_variants)
            return fail_at(c, only->pos[i], "no variant named '%s'",
                           only->v[i]);
    }
    return 0;
}

static int
parse_steps(struct pctx *c, yaml_node_t *n)
{
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0, j;

    sc->steps = seq_array(c, n, "steps", sizeof(kf_step), &sc->n_steps);
    if (sc->steps == NULL)
        return -1;
    if (sc->n_steps == 0)
        return fail(c, n, "steps must hold at least one step");
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_step *st = &sc->steps[i];

        if (parse_step(c, item, st))
            return -1;
        if (check_only(c, &st->only))
            return -1;
        for (j = 0; st->id != NULL && j < i; j++) {
            if (sc->steps[j].id != NULL &&
                strcmp(sc->steps[j].id, st->id) == 0)
                return fail(c, item, "step id '%s' is used twice", st->id);
        }
    }
    return 0;
}

/* --- expectations --- */

static int
get_outcome(struct pctx *c, yaml_node_t *n, const char *what, kf_outcome *out)
{
    const char *v;

    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "%s must be an error name, a code or 'success'",
                    what);
    v = (const char *)n->data.scalar.value;
    if (!kf_outcome_parse(v, out))
        return fail(c, n,
                    "'%s' is not a known Kerberos error (write an RFC 4120 "
                    "name such as KRB_AP_ERR_SKEW, a code such as 37 or "
                    "0x25, or 'success')",
                    v);
    return 0;
}

static int
event_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_event *ev = obj;
    long id;

    if (strcmp(key, "id") == 0) {
        if (get_int(c, v, "event id", 0, 100000, &id))
            return -1;
        if (id != 4)
            return fail(c, v,
                        "the only client event modelled is System "
                        "event 4 (KRB_AP_ERR_MODIFIED): id 4");
        ev->id = 4;
        return 0;
    }
    if (strcmp(key, "server") == 0)
        return get_nonempty(c, v, "server", &ev->server);
    if (strcmp(key, "target") == 0)
        return get_nonempty(c, v, "target", &ev->target);
    if (strcmp(key, "client_realm") == 0)
        return get_nonempty(c, v, "client_realm", &ev->client_realm);
    return get_nonempty(c, v, "target_realm", &ev->target_realm);
}

/* Parse the System event 4 expectation: 'none', or {id: 4, server,
 * target, client_realm, target_realm}. */
static int
get_event(struct pctx *c, yaml_node_t *v, kf_lib_expect *le)
{
    static const char *const known[] = {
        "id", "server", "target", "client_realm", "target_realm", NULL};

    le->has_event = true;
    if (v->type == YAML_SCALAR_NODE &&
        strcmp((const char *)v->data.scalar.value, "none") == 0)
        return 0;
    if (v->type != YAML_MAPPING_NODE)
        return fail(c, v,
                    "event is 'none' or a mapping such as {id: 4, "
                    "server: SV03$, target: HTTP/web.example.test}");
    if (walk_map(c, v, "event", known, event_key, &le->event))
        return -1;
    if (le->event.id == 0)
        return fail(c, v, "event needs its id (4)");
    return 0;
}

static int
lib_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_lib_expect *le = obj;
    yaml_node_item_t *it;
    size_t i = 0;

    if (strcmp(key, "error") == 0)
        return get_outcome(c, v, "error", &le->error);
    if (strcmp(key, "message") == 0)
        return get_nonempty(c, v, "message", &le->message);
    if (strcmp(key, "ticket_etype") == 0) {
        krb5_enctype e;
        long n;

        if (v->type == YAML_SCALAR_NODE &&
            krb5_string_to_enctype((char *)v->data.scalar.value, &e) == 0) {
            le->ticket_etype = e;
            return 0;
        }
        if (get_int(c, v, "ticket_etype", 1, 0xffff, &n))
            return -1;
        le->ticket_etype = (int)n;
        return 0;
    }
    if (strcmp(key, "answered_by") == 0) {
        if (get_nonempty(c, v, "answered_by", &le->answered_by))
            return -1;
        if (kf_find_kdc(c->sc, le->answered_by) == NULL)
            return fail(c, v, "no kdc named '%s' in this lab",
                        le->answered_by);
        return 0;
    }
    if (strcmp(key, "trace") == 0) {
        regex_t re;

        if (get_nonempty(c, v, "trace", &le->trace))
            return -1;
        if (regcomp(&re, le->trace, REG_EXTENDED | REG_NOSUB) != 0)
            return fail(c, v, "'%s' is not a valid regular expression",
                        le->trace);
        regfree(&re);
        return 0;
    }
    if (strcmp(key, "answered_over") == 0) {
        if (get_nonempty(c, v, "answered_over", &le->answered_over))
            return -1;
        if (strcmp(le->answered_over, "udp") != 0 &&
            strcmp(le->answered_over, "tcp") != 0)
            return fail(c, v, "answered_over must be udp or tcp");
        return 0;
    }
    if (strcmp(key, "ticket_kvno") == 0)
        return get_small(c, v, key, 1, 255, &le->ticket_kvno);
    if (strcmp(key, "http_status") == 0)
        return get_small(c, v, key, 100, 599, &le->http_status);
    if (strcmp(key, "curl_exit") == 0)
        return get_small(c, v, key, 0, 255, &le->curl_exit);
    if (strcmp(key, "event") == 0)
        return get_event(c, v, le);
    if (v->type != YAML_SEQUENCE_NODE)
        return fail(c, v, "kdc_errors must be a list of error codes");
    le->has_kdc_errors = true;
    le->n_kdc_errors =
        v->data.sequence.items.top - v->data.sequence.items.start;
    le->kdc_errors =
        aalloc(c->ar, (le->n_kdc_errors + 1) * sizeof(kf_outcome));
    if (le->kdc_errors == NULL)
        return fail(c, v, "out of memory");
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);

        if (get_outcome(c, item, "a kdc error", &le->kdc_errors[i]))
            return -1;
        if (le->kdc_errors[i].kind != KF_OUT_PROTO)
            return fail(c, item, "kdc_errors lists protocol errors only");
    }
    return 0;
}

static int
svc_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_svc_expect *se = obj;

    if (strcmp(key, "error") == 0)
        return get_outcome(c, v, "error", &se->error);
    return get_nonempty(c, v, "message", &se->message);
}

/* Parse one kdc_log item: a pattern, or {kdc: NAME, line: PATTERN}. */
static int
log_item(struct pctx *c, yaml_node_t *n, kf_log_expect *le)
{
    static const char *const known[] = {"kdc", "line", NULL};
    yaml_node_t *kdc, *line;
    regex_t re;
    int rc;

    le->pos = node_pos(n);
    if (n->type == YAML_MAPPING_NODE) {
        if (walk_map(c, n, "a kdc_log entry", known, ignore_key, NULL))
            return -1;
        kdc = map_get(c, n, "kdc");
        line = map_get(c, n, "line");
        if (line == NULL)
            return fail(c, n, "a kdc_log entry needs a line pattern");
        if (kdc != NULL) {
            if (get_nonempty(c, kdc, "kdc", &le->kdc))
                return -1;
            if (kf_find_kdc(c->sc, le->kdc) == NULL)
                return fail(c, kdc, "no kdc named '%s' in this lab", le->kdc);
        }
        n = line;
    }
    if (get_nonempty(c, n, "a kdc_log pattern", &le->pattern))
        return -1;
    rc = regcomp(&re, le->pattern, REG_EXTENDED | REG_NOSUB);
    if (rc != 0)
        return fail(c, n, "'%s' is not a valid regular expression",
                    le->pattern);
    regfree(&re);
    return 0;
}

/* Parse a kdc_log view: one item or a list of them. */
static int
parse_kdc_log(struct pctx *c, yaml_node_t *v, kf_views *vw)
{
    yaml_node_item_t *it;
    size_t count = 1, i = 0;

    if (v->type == YAML_SEQUENCE_NODE)
        count = v->data.sequence.items.top - v->data.sequence.items.start;
    vw->kdc_log = aalloc(c->ar, (count + 1) * sizeof(kf_log_expect));
    if (vw->kdc_log == NULL)
        return fail(c, v, "out of memory");
    vw->n_kdc_log = count;
    if (v->type != YAML_SEQUENCE_NODE)
        return log_item(c, v, &vw->kdc_log[0]);
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++, i++) {
        if (log_item(c, node_at(c, *it), &vw->kdc_log[i]))
            return -1;
    }
    return 0;
}

/* --- the wire view --- */

/* Return the enctype libkrb5 calls name, or -1. */
static int
etype_by_name(const char *name)
{
    krb5_enctype e;

    return krb5_string_to_enctype((char *)name, &e) == 0 ? (int)e : -1;
}

/* Parse a number from 1 to 65535, or a name lookup knows (what it
 * returns when it is not -1); hint says which names are meant. */
static int
get_named_number(struct pctx *c, yaml_node_t *v, const char *what,
                 int (*lookup)(const char *), const char *hint, int *out)
{
    const char *text;
    long n;
    int t;

    if (v->type == YAML_SCALAR_NODE) {
        text = (const char *)v->data.scalar.value;
        if ((t = lookup(text)) > 0) {
            *out = t;
            return 0;
        }
        if (!isdigit((unsigned char)text[0]))
            return fail(c, v, "%s: '%s' is not %s", what, text, hint);
    }
    if (get_int(c, v, what, 1, 0xffff, &n))
        return -1;
    *out = (int)n;
    return 0;
}

/* Parse an enctype by name or number. */
static int
get_etype(struct pctx *c, yaml_node_t *v, const char *what, int *out)
{
    return get_named_number(c, v, what, etype_by_name,
                            "an enctype libkrb5 knows (write a name such as "
                            "aes256-cts-hmac-sha1-96 or rc4-hmac, or a "
                            "number such as 18)",
                            out);
}

/* Parse a padata type by name (PA-ENC-TIMESTAMP or ENC-TIMESTAMP) or
 * number. */
static int
get_padata_type(struct pctx *c, yaml_node_t *v, const char *what, int *out)
{
    return get_named_number(c, v, what, kf_padata_parse,
                            "a padata type krbfault knows (write a name such "
                            "as PA-ENC-TIMESTAMP or PA-ETYPE-INFO2, or a "
                            "number)",
                            out);
}

/* Parse one value or a list of values with fn into out[KF_WIRE_MAX_LIST]. */
static int
get_int_list(struct pctx *c, yaml_node_t *v, const char *what,
             int (*fn)(struct pctx *, yaml_node_t *, const char *, int *),
             int *out, size_t *n)
{
    yaml_node_item_t *it;

    *n = 0;
    if (v->type == YAML_SCALAR_NODE) {
        *n = 1;
        return fn(c, v, what, &out[0]);
    }
    if (v->type != YAML_SEQUENCE_NODE)
        return fail(c, v, "%s must be a value or a list of values", what);
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        if (*n == KF_WIRE_MAX_LIST)
            return fail(c, v, "%s lists at most %d values", what,
                        KF_WIRE_MAX_LIST);
        if (fn(c, node_at(c, *it), what, &out[(*n)++]))
            return -1;
    }
    return 0;
}

/* Check a regular expression of the wire view. */
static int
get_regex(struct pctx *c, yaml_node_t *v, const char *what, char **out)
{
    regex_t re;

    if (get_nonempty(c, v, what, out))
        return -1;
    if (regcomp(&re, *out, REG_EXTENDED | REG_NOSUB) != 0)
        return fail(c, v, "%s: '%s' is not a valid regular expression", what,
                    *out);
    regfree(&re);
    return 0;
}

/* Check that a name is an endpoint the lab names on the wire. */
static int
get_endpoint(struct pctx *c, yaml_node_t *v, const char *what, char **out)
{
    const char *n;

    if (get_nonempty(c, v, what, out))
        return -1;
    n = *out;
    if (kf_find_kdc(c->sc, n) != NULL || kf_find_host(c->sc, n) != NULL ||
        kf_find_actor(c->sc, n) != NULL || strcmp(n, "client") == 0 ||
        strcmp(n, "nat") == 0 || strcmp(n, "dns") == 0)
        return 0;
    return fail(c, v,
                "%s: '%s' is not a KDC, host or actor of this lab, nor "
                "client (libkrb5's KDC requests), nat or dns",
                what, n);
}

static int
wire_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_wire_pattern *wp = obj;
    long n;

    if (strcmp(key, "type") == 0) {
        if (v->type != YAML_SCALAR_NODE ||
            (wp->type =
                 kf_krbmsg_type_parse((const char *)v->data.scalar.value)) < 0)
            return fail(c, v,
                        "type must be one of AS-REQ, AS-REP, TGS-REQ, "
                        "TGS-REP, AP-REQ, AP-REP, KRB-PRIV, KRB-ERROR");
        return 0;
    }
    if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0)
        return get_endpoint(c, v, key, key[0] == 'f' ? &wp->from : &wp->to);
    if (strcmp(key, "error") == 0) {
        if (get_outcome(c, v, "error", &wp->error))
            return -1;
        if (wp->error.kind != KF_OUT_PROTO)
            return fail(c, v,
                        "error: a KRB-ERROR carries a protocol error "
                        "code, not a library outcome");
        wp->has_error = true;
        return 0;
    }
    if (strcmp(key, "etext") == 0 || strcmp(key, "sname") == 0 ||
        strcmp(key, "cname") == 0)
        return get_regex(c, v, key,
                         key[0] == 'e'   ? &wp->etext
                         : key[0] == 's' ? &wp->sname
                                         : &wp->cname);
    if (strcmp(key, "etype") == 0)
        return get_etype(c, v, "etype", &wp->etype);
    if (strcmp(key, "kvno") == 0) {
        if (get_int(c, v, "kvno", 0, 0x7fffffff, &n))
            return -1;
        wp->kvno = (int)n;
        return 0;
    }
    if (strcmp(key, "over") == 0) {
        if (get_nonempty(c, v, "over", &wp->over))
            return -1;
        if (strcmp(wp->over, "udp") != 0 && strcmp(wp->over, "tcp") != 0 &&
            strcmp(wp->over, "http") != 0)
            return fail(c, v, "over must be udp, tcp or http");
        return 0;
    }
    if (strcmp(key, "padata") == 0)
        return get_int_list(c, v, "padata", get_padata_type, wp->padata,
                            &wp->n_padata);
    if (strcmp(key, "edata_padata") == 0)
        return get_int_list(c, v, "edata_padata", get_padata_type,
                            wp->edata_padata, &wp->n_edata_padata);
    wp->has_etypes = true;
    return get_int_list(c, v, "etypes", get_etype, wp->etypes, &wp->n_etypes);
}

/* Parse one message pattern of a wire view. */
static int
wire_pattern(struct pctx *c, yaml_node_t *n, kf_wire_pattern *wp)
{
    static const char *const known[] = {
        "type", "from",  "to",    "error",  "etext",        "etype",  "kvno",
        "over", "sname", "cname", "padata", "edata_padata", "etypes", NULL};

    wp->pos = node_pos(n);
    if (walk_map(c, n, "a wire message", known, wire_key, wp))
        return -1;
    if (wp->has_error || wp->etext != NULL || wp->n_edata_padata > 0) {
        if (wp->type != 0 && wp->type != KF_MSG_KRB_ERROR)
            return fail(c, n,
                        "error, etext and edata_padata belong to a "
                        "KRB-ERROR, not a %s",
                        kf_krbmsg_type_name(wp->type));
        wp->type = KF_MSG_KRB_ERROR;
    }
    if (wp->has_etypes && wp->type != 0 && wp->type != KF_MSG_AS_REQ &&
        wp->type != KF_MSG_TGS_REQ)
        return fail(c, n,
                    "etypes (the requested enctypes) belong to an "
                    "AS-REQ or TGS-REQ, not a %s",
                    kf_krbmsg_type_name(wp->type));
    return 0;
}

/* Parse a wire view: a list of message patterns, or {exact, messages}. */
static int
parse_wire(struct pctx *c, yaml_node_t *v, kf_views *vw)
{
    static const char *const known[] = {"exact", "messages", NULL};
    yaml_node_item_t *it;
    yaml_node_t *list = v, *ex;
    size_t i = 0;

    vw->has_wire = true;
    vw->wire_pos = node_pos(v);
    if (v->type == YAML_MAPPING_NODE) {
        if (walk_map(c, v, "wire", known, ignore_key, NULL))
            return -1;
        ex = map_get(c, v, "exact");
        list = map_get(c, v, "messages");
        if (ex != NULL && get_bool(c, ex, "exact", &vw->wire_exact))
            return -1;
        if (list == NULL)
            return fail(c, v, "wire needs the messages it expects");
    }
    if (list->type != YAML_SEQUENCE_NODE)
        return fail(c, list,
                    "wire must be a list of messages (or "
                    "{exact: true, messages: [...]})");
    vw->n_wire =
        list->data.sequence.items.top - list->data.sequence.items.start;
    if (vw->n_wire == 0 && !vw->wire_exact)
        return fail(c, list,
                    "wire lists at least one message (write "
                    "{exact: true, messages: []} for none at all)");
    vw->wire = aalloc(c->ar, (vw->n_wire + 1) * sizeof(kf_wire_pattern));
    if (vw->wire == NULL)
        return fail(c, v, "out of memory");
    for (it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++, i++) {
        if (wire_pattern(c, node_at(c, *it), &vw->wire[i]))
            return -1;
    }
    return 0;
}

static int
views_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    static const char *const lib_known[] = {
        "error",       "kdc_errors",    "message",     "ticket_etype",
        "ticket_kvno", "answered_over", "answered_by", "trace",
        "http_status", "curl_exit",     "event",       NULL};
    static const char *const svc_known[] = {"error", "message", NULL};
    kf_views *vw = obj;

    if (strcmp(key, "note") == 0)
        return get_nonempty(c, v, "note", &vw->note);
    if (strcmp(key, "kdc_log") == 0)
        return parse_kdc_log(c, v, vw);
    if (strcmp(key, "wire") == 0)
        return parse_wire(c, v, vw);
    if (strcmp(key, "library") == 0) {
        vw->library.set = true;
        vw->library.curl_exit = -1;
        vw->library.pos = node_pos(v);
        if (v->type == YAML_SCALAR_NODE)
            return get_outcome(c, v, "library", &vw->library.error);
        if (walk_map(c, v, "library", lib_known, lib_key, &vw->library))
            return -1;
        if (map_get(c, v, "error") == NULL)
            return fail(c, v, "library needs an error (or 'success')");
        return 0;
    }
    vw->service.set = true;
    vw->service.pos = node_pos(v);
    if (v->type == YAML_SCALAR_NODE)
        return get_outcome(c, v, "service", &vw->service.error);
    if (walk_map(c, v, "service", svc_known, svc_key, &vw->service))
        return -1;
    if (map_get(c, v, "error") == NULL)
        return fail(c, v, "service needs an error (or 'success')");
    return 0;
}

static int
expect_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    static const char *const views_known[] = {"library", "service", "kdc_log",
                                              "wire",    "note",    NULL};
    kf_expect *e = obj;
    kf_views *vw;

    if (strcmp(key, "step") == 0)
        return get_nonempty(c, v, "step", &e->step);
    if (strcmp(key, "only") == 0)
        return get_strlist(c, v, "only", &e->only);
    vw = &e->pers[strcmp(key, "mit") == 0 ? KF_PERS_MIT : KF_PERS_AD];
    vw->set = true;
    vw->pos = node_pos(v);
    if (walk_map(c, v, key, views_known, views_key, vw))
        return -1;
    if (!vw->library.set && !vw->service.set && vw->n_kdc_log == 0 &&
        !vw->has_wire)
        return fail(c, v,
                    "%s: must expect something of the library, the "
                    "service, the KDC log or the wire",
                    key);
    return 0;
}

static int
parse_expects(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {"step", "only", "mit", "ad", NULL};
    kf_scenario *sc = c->sc;
    yaml_node_item_t *it;
    size_t i = 0, j;

    sc->expects = seq_array(c, n, "expect", sizeof(kf_expect), &sc->n_expects);
    if (sc->expects == NULL)
        return -1;
    if (sc->n_expects == 0)
        return fail(c, n, "expect must hold at least one expectation");
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_expect *e = &sc->expects[i];

        e->pos = node_pos(item);
        if (walk_map(c, item, "an expectation", known, expect_key, e))
            return -1;
        if (e->step == NULL)
            return fail(c, item, "an expectation needs the step it judges");
        for (j = 0; j < sc->n_steps; j++) {
            if (sc->steps[j].id != NULL &&
                strcmp(sc->steps[j].id, e->step) == 0)
                break;
        }
        if (j == sc->n_steps)
            return fail(c, map_get(c, item, "step"), "no step with id '%s'",
                        e->step);
        e->step_index = j;
        if (!e->pers[KF_PERS_MIT].set || !e->pers[KF_PERS_AD].set)
            return fail(c, item,
                        "an expectation states both personalities: 'mit:' "
                        "(what MIT Kerberos does) and 'ad:' (what an Active "
                        "Directory domain controller does)");
        if (check_only(c, &e->only))
            return -1;
    }
    return 0;
}

/* --- kdc.conf settings --- */

/* The kdc.conf relations a scenario may set, and the section each goes to:
 * 'd' for [kdcdefaults], 'l' for [libdefaults] (read by the KDCs only),
 * 'r' for the realm's block. */
static const struct kdc_setting {
    const char *key;
    char section;
} kdc_settings[] = {
    {"kdc_max_dgram_reply_size", 'd'},
    {"permitted_enctypes", 'l'},
    {"supported_enctypes", 'r'},
    {"max_life", 'r'},
    {"max_renewable_life", 'r'},
    {"default_principal_flags", 'r'},
    {"reject_bad_transit", 'r'},
    {"restrict_anonymous_to_tgt", 'r'},
    {"disable_pac", 'r'},
    {NULL, 0},
};

char
kf_kdc_setting_section(const char *key)
{
    const struct kdc_setting *k;

    for (k = kdc_settings; k->key != NULL; k++) {
        if (strcmp(k->key, key) == 0)
            return k->section;
    }
    return 0;
}

/* Parse kdc_settings: a mapping of known kdc.conf relations to values. */
static int
parse_kdc_settings(struct pctx *c, yaml_node_t *n)
{
    kf_scenario *sc = c->sc;
    yaml_node_pair_t *p;
    size_t count, i = 0;

    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n,
                    "kdc_settings must map kdc.conf relations to "
                    "values");
    count = n->data.mapping.pairs.top - n->data.mapping.pairs.start;
    sc->kdc_keys.v = aalloc(c->ar, (count + 1) * sizeof(char *));
    sc->kdc_values.v = aalloc(c->ar, (count + 1) * sizeof(char *));
    sc->kdc_keys.pos = aalloc(c->ar, (count + 1) * sizeof(kf_pos));
    sc->kdc_values.pos = aalloc(c->ar, (count + 1) * sizeof(kf_pos));
    if (sc->kdc_keys.v == NULL || sc->kdc_values.v == NULL ||
        sc->kdc_keys.pos == NULL || sc->kdc_values.pos == NULL)
        return fail(c, n, "out of memory");
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
         p++, i++) {
        yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
        const char *q;

        if (get_nonempty(c, k, "a kdc.conf relation", &sc->kdc_keys.v[i]))
            return -1;
        if (kf_kdc_setting_section(sc->kdc_keys.v[i]) == 0)
            return fail(c, k,
                        "kdc_settings cannot set '%s' (it can set: "
                        "kdc_max_dgram_reply_size, permitted_enctypes, "
                        "supported_enctypes, max_life, max_renewable_life, "
                        "default_principal_flags, reject_bad_transit, "
                        "restrict_anonymous_to_tgt, disable_pac)",
                        sc->kdc_keys.v[i]);
        if (get_nonempty(c, v, "a kdc.conf value", &sc->kdc_values.v[i]))
            return -1;
        for (q = sc->kdc_values.v[i]; *q != '\0'; q++) {
            if (*q == '\n' || *q == '{' || *q == '}' || *q == '[' || *q == ']')
                return fail(c, v,
                            "a kdc.conf value is one line without "
                            "braces or brackets");
        }
        sc->kdc_keys.pos[i] = node_pos(k);
        sc->kdc_values.pos[i] = node_pos(v);
    }
    sc->kdc_keys.n = sc->kdc_values.n = count;
    return 0;
}

/* --- dns --- */

/* Record types and their names. */
static const char *const rr_names[] = {"A",   "CNAME", "PTR",
                                       "SRV", "TXT",   NULL};

/* Return true if name is a DNS owner name: dot-separated labels of
 * letters, digits, '-' and '_' (as in _kerberos._udp). */
static bool
valid_owner(const char *name)
{
    const char *p, *label = name;

    if (*name == '\0' || strlen(name) > 253)
        return false;
    for (p = name;; p++) {
        if (*p == '.' || *p == '\0') {
            if (p == label || p - label > 63)
                return false;
            if (*p == '\0')
                return true;
            label = p + 1;
        } else if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
            return false;
        }
    }
}

static int
record_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_dns_record *r = obj;
    long x;
    int t;
    char *type;

    if (strcmp(key, "name") == 0) {
        if (get_nonempty(c, v, "name", &r->name))
            return -1;
        if (!valid_owner(r->name))
            return fail(c, v,
                        "'%s' is not a DNS name (labels of letters, "
                        "digits, '-' and '_', without a final dot)",
                        r->name);
        return 0;
    }
    if (strcmp(key, "type") == 0) {
        if (get_nonempty(c, v, "type", &type))
            return -1;
        for (t = 0; rr_names[t] != NULL; t++) {
            if (strcmp(rr_names[t], type) == 0)
                break;
        }
        if (rr_names[t] == NULL)
            return fail(c, v,
                        "record type '%s' is not one of A, CNAME, "
                        "PTR, SRV, TXT",
                        type);
        r->type = (kf_rr_type)t;
        return 0;
    }
    if (strcmp(key, "host") == 0)
        return get_nonempty(c, v, "host", &r->host) ||
               check_ref(c, v, F_HOST, r->host);
    if (strcmp(key, "kdc") == 0)
        return get_nonempty(c, v, "kdc", &r->kdc) ||
               check_ref(c, v, F_KDC, r->kdc);
    if (strcmp(key, "target") == 0) {
        if (get_nonempty(c, v, "target", &r->target))
            return -1;
        if (!kf_valid_hostname(r->target))
            return fail(c, v, "target '%s' is not a host name", r->target);
        return 0;
    }
    if (strcmp(key, "role") == 0) {
        if (get_nonempty(c, v, "role", &r->role))
            return -1;
        if (strcmp(r->role, "kdc") != 0 && strcmp(r->role, "kpasswd") != 0 &&
            strcmp(r->role, "kadmin") != 0 && strcmp(r->role, "http") != 0)
            return fail(c, v,
                        "role is kdc, kpasswd, kadmin or http (the "
                        "lab port the SRV record names), not '%s'",
                        r->role);
        return 0;
    }
    if (strcmp(key, "priority") == 0 || strcmp(key, "weight") == 0) {
        if (get_int(c, v, key, 0, 65535, &x))
            return -1;
        *(key[0] == 'p' ? &r->priority : &r->weight) = (int)x;
        return 0;
    }
    if (strcmp(key, "text") == 0) {
        if (get_nonempty(c, v, "text", &r->text))
            return -1;
        if (strpbrk(r->text, "\"\\\n") != NULL)
            return fail(c, v,
                        "a TXT record's text holds no quotes, "
                        "backslashes or line breaks");
        return 0;
    }
    return get_strlist(c, v, "only", &r->only);
}

/* Derive an SRV record's role from its service label (_kerberos, ...). */
static const char *
srv_role(const char *name)
{
    if (strncmp(name, "_kerberos-adm.", 14) == 0)
        return "kadmin";
    if (strncmp(name, "_kerberos.", 10) == 0 ||
        strncmp(name, "_kerberos-master.", 17) == 0)
        return "kdc";
    if (strncmp(name, "_kpasswd.", 9) == 0)
        return "kpasswd";
    if (strncmp(name, "_http.", 6) == 0)
        return "http";
    return NULL;
}

/* Check that a record has what its type needs and nothing else. */
static int
check_record(struct pctx *c, yaml_node_t *item, kf_dns_record *r)
{
    const char *t = rr_names[r->type];
    int refs = (r->host != NULL) + (r->kdc != NULL);

    if (map_get(c, item, "type") == NULL)
        return fail(c, item,
                    "a record needs a type (A, CNAME, PTR, SRV or "
                    "TXT)");
    if (r->type == KF_RR_PTR ? r->name != NULL : r->name == NULL)
        return fail(c, item,
                    r->type == KF_RR_PTR
                        ? "a PTR record names no owner: its owner is the "
                          "reverse name of its host's or kdc's address"
                        : "a %s record needs a name",
                    t);
    if ((r->type == KF_RR_A || r->type == KF_RR_PTR) && refs != 1)
        return fail(c, item,
                    "a %s record names one host or kdc (whose "
                    "address it %s)",
                    t, r->type == KF_RR_A ? "holds" : "reverses");
    if (r->type == KF_RR_SRV && refs + (r->target != NULL) != 1)
        return fail(c, item,
                    "an SRV record points at one host, kdc or "
                    "target");
    if ((r->type == KF_RR_CNAME || r->type == KF_RR_PTR) && r->target == NULL)
        return fail(c, item, "a %s record needs a target", t);
    if ((r->type == KF_RR_CNAME || r->type == KF_RR_TXT) && refs != 0)
        return fail(c, item, "a %s record names no host or kdc", t);
    if (r->type == KF_RR_TXT ? r->text == NULL : r->text != NULL)
        return fail(c, item,
                    r->type == KF_RR_TXT ? "a TXT record needs a text"
                                         : "only a TXT record has a text");
    if (r->type != KF_RR_SRV &&
        (r->role != NULL || map_get(c, item, "priority") != NULL ||
         map_get(c, item, "weight") != NULL))
        return fail(c, item,
                    "only an SRV record has a role, priority or "
                    "weight");
    if (r->type == KF_RR_SRV && r->host != NULL &&
        kf_find_host(c->sc, r->host)->fqdn == NULL)
        return fail(c, item,
                    "host '%s' has no fqdn for the SRV record to "
                    "point at",
                    r->host);
    if (r->type == KF_RR_SRV && r->role == NULL &&
        (r->role = (char *)srv_role(r->name)) == NULL)
        return fail(c, item,
                    "say which port the SRV record names (role: "
                    "kdc, kpasswd, kadmin or http): its name "
                    "starts with no service krbfault knows");
    return check_only(c, &r->only);
}

static int
dns_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    static const char *const rec_known[] = {
        "name",     "type",   "host", "kdc",  "target", "role",
        "priority", "weight", "text", "only", NULL};
    kf_dns_def *d = obj;
    yaml_node_item_t *it;
    size_t i = 0;

    if (strcmp(key, "canonicalize") == 0)
        return get_canonicalize(c, v, &d->canonicalize);
    if (strcmp(key, "rdns") == 0)
        return get_bool(c, v, "rdns", &d->rdns);
    if (strcmp(key, "auto") == 0)
        return get_bool(c, v, "auto", &d->auto_records);
    d->records =
        seq_array(c, v, "records", sizeof(kf_dns_record), &d->n_records);
    if (d->records == NULL)
        return -1;
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = node_at(c, *it);
        kf_dns_record *r = &d->records[i];

        r->pos = node_pos(item);
        r->weight = 100;
        if (walk_map(c, item, "a record", rec_known, record_key, r) ||
            check_record(c, item, r))
            return -1;
    }
    return 0;
}

/* Parse the dns block: the lab then runs a DNS server every process of
 * the lab resolves through. */
static int
parse_dns(struct pctx *c, yaml_node_t *n)
{
    static const char *const known[] = {"canonicalize", "rdns", "auto",
                                        "records", NULL};
    kf_dns_def *d = &c->sc->dns;

    d->set = true;
    d->pos = node_pos(n);
    d->canonicalize = astrdup(c->ar, "true");
    d->rdns = true;
    d->auto_records = true;
    return walk_map(c, n, "dns", known, dns_key, d);
}

char *
kf_kdc_dns_name(const kf_scenario *sc, const kf_kdc_def *k)
{
    size_t n = strlen(k->name) + strlen(sc->realm) + 2, i;
    char *out = malloc(n);

    if (out == NULL)
        return NULL;
    snprintf(out, n, "%s.%s", k->name, sc->realm);
    for (i = 0; out[i] != '\0'; i++)
        out[i] = (char)tolower((unsigned char)out[i]);
    return out;
}

/* --- the top level --- */

static int
source_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    kf_scenario *sc = obj;

    if (strcmp(key, "document") == 0)
        return get_nonempty(c, v, "document", &sc->document);
    return get_nonempty(c, v, "cause", &sc->cause);
}

static int
top_key(struct pctx *c, const char *key, yaml_node_t *v, void *obj)
{
    static const char *const src_known[] = {"document", "cause", NULL};
    kf_scenario *sc = obj;

    if (strcmp(key, "id") == 0) {
        const char *p;

        if (get_nonempty(c, v, "id", &sc->id))
            return -1;
        for (p = sc->id; *p != '\0'; p++) {
            if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
                *p != '-')
                return fail(c, v, "id '%s' may hold only a-z, 0-9 and '-'",
                            sc->id);
        }
        return 0;
    }
    if (strcmp(key, "title") == 0)
        return get_nonempty(c, v, "title", &sc->title);
    if (strcmp(key, "source") == 0)
        return walk_map(c, v, "source", src_known, source_key, sc);
    if (strcmp(key, "tags") == 0)
        return get_strlist(c, v, "tags", &sc->tags);
    if (strcmp(key, "story") == 0)
        return get_nonempty(c, v, "story", &sc->story);
    if (strcmp(key, "windows") == 0)
        return get_nonempty(c, v, "windows", &sc->windows);
    if (strcmp(key, "mit_tools") == 0)
        return get_nonempty(c, v, "mit_tools", &sc->mit_tools);
    if (strcmp(key, "diagnose") == 0)
        return get_nonempty(c, v, "diagnose", &sc->diagnose);
    if (strcmp(key, "fix") == 0)
        return get_nonempty(c, v, "fix", &sc->fix);
    if (strcmp(key, "realm") == 0) {
        if (get_nonempty(c, v, "realm", &sc->realm))
            return -1;
        if (!realm_ok(sc->realm))
            return fail(c, v,
                        "realm '%s' must be upper case letters, "
                        "digits, '.' and '-'",
                        sc->realm);
        return 0;
    }
    /* The lab sections are parsed in dependency order by parse_doc. */
    return 0;
}

/* Check a principal that holds another's keys: the owner is declared,
 * holds its own keys, and the copy sets none of its own. */
static int
check_keys_of(struct pctx *c, const kf_principal_def *p)
{
    const kf_principal_def *o = kf_find_principal(c->sc, p->keys_of);

    if (o == NULL || o == p)
        return fail_at(c, p->keys_of_pos,
                       "principal '%s' takes the keys of '%s', which is %s",
                       p->name, p->keys_of,
                       o == NULL ? "not declared" : "itself");
    if (o->keys_of != NULL)
        return fail_at(c, p->keys_of_pos,
                       "principal '%s' takes the keys of '%s', which holds "
                       "the keys of '%s' itself: name the owner",
                       p->name, o->name, o->keys_of);
    if (p->password != NULL || p->enctypes.n > 0 || p->kvno > 0)
        return fail_at(c, p->pos,
                       "principal '%s' holds the keys of '%s' (their "
                       "password, salt, enctypes and kvno): it takes no "
                       "password, enctypes or kvno of its own",
                       p->name, o->name);
    return 0;
}

/* Check cross references that need the whole lab. */
static int
check_lab(struct pctx *c)
{
    kf_scenario *sc = c->sc;
    size_t i, j;

    /* The lab's DNS server takes 127.x.y.53. */
    if (sc->dns.set && sc->n_kdcs + sc->n_hosts > 52)
        return fail_at(c, sc->dns.pos,
                       "a lab with a dns block holds at most 52 KDCs and "
                       "hosts together (its DNS server has address 53)");
    /* Each KDC and host gets an address of the lab's 127.x.y.0/24. */
    if (sc->n_kdcs + sc->n_hosts > 199 || sc->n_kdcs > 64 || sc->n_actors > 50)
        return fail_at(c, sc->kdcs[0].pos,
                       "a lab holds at most 64 KDCs, 199 KDCs and hosts "
                       "together, and 50 actors");
    for (i = 0; i < sc->n_principals; i++) {
        kf_principal_def *p = &sc->principals[i];

        if (p->policy != NULL && kf_find_policy(sc, p->policy) == NULL)
            return fail_at(c, p->pos,
                           "principal '%s' names policy '%s', which is not "
                           "declared",
                           p->name, p->policy);
        if (p->keys_of != NULL && check_keys_of(c, p))
            return -1;
    }
    for (i = 0; i < sc->n_actors; i++) {
        if (!sc->dns.set &&
            (sc->actors[i].canonicalize != NULL || sc->actors[i].rdns >= 0))
            return fail_at(c, sc->actors[i].pos,
                           "actor '%s' sets canonicalize or rdns, which "
                           "need the lab's dns block (nothing outside the "
                           "lab may be asked)",
                           sc->actors[i].name);
        if (kf_find_principal(sc, sc->actors[i].principal) == NULL &&
            kf_find_alias(sc, sc->actors[i].principal) == NULL)
            return fail_at(c, sc->actors[i].pos,
                           "actor '%s' is principal '%s', which is not "
                           "declared (as a principal or an alias)",
                           sc->actors[i].name, sc->actors[i].principal);
    }
    for (i = 0; i < sc->n_hosts; i++) {
        for (j = 0; j < sc->hosts[i].keytab.n; j++) {
            if (kf_find_principal(sc, sc->hosts[i].keytab.v[j]) == NULL)
                return fail_at(c, sc->hosts[i].keytab.pos[j],
                               "host '%s' keytab names principal '%s', "
                               "which is not declared",
                               sc->hosts[i].name, sc->hosts[i].keytab.v[j]);
        }
    }
    return 0;
}

static int
parse_doc(struct pctx *c, yaml_node_t *root)
{
    static const char *const known[] = {
        "id",         "title",  "source",    "tags",  "story",  "windows",
        "diagnose",   "fix",    "realm",     "kdcs",  "hosts",  "policies",
        "principals", "actors", "variants",  "steps", "expect", "kdc_settings",
        "aliases",    "dns",    "mit_tools", NULL};
    static const char *const required[] = {"id",     "title", "source",
                                           "realm",  "kdcs",  "steps",
                                           "expect", "story", NULL};
    kf_scenario *sc = c->sc;
    const char *const *r;
    yaml_node_t *n;

    if (root == NULL)
        return fail(c, NULL, "the file is empty");
    if (walk_map(c, root, "a scenario", known, top_key, sc))
        return -1;
    for (r = required; *r != NULL; r++) {
        if (map_get(c, root, *r) == NULL)
            return fail(c, root, "a scenario needs '%s'", *r);
    }
    if (sc->document == NULL)
        return fail(c, map_get(c, root, "source"),
                    "source needs the document it comes from");
    if ((n = map_get(c, root, "kdcs")) && parse_kdcs(c, n))
        return -1;
    if ((n = map_get(c, root, "hosts")) && parse_hosts(c, n))
        return -1;
    if ((n = map_get(c, root, "kdc_settings")) && parse_kdc_settings(c, n))
        return -1;
    if ((n = map_get(c, root, "policies")) && parse_policies(c, n))
        return -1;
    if ((n = map_get(c, root, "principals")) && parse_principals(c, n))
        return -1;
    if ((n = map_get(c, root, "aliases")) && parse_aliases(c, n))
        return -1;
    if ((n = map_get(c, root, "actors")) && parse_actors(c, n))
        return -1;
    if ((n = map_get(c, root, "variants")) && parse_variants(c, n))
        return -1;
    if ((n = map_get(c, root, "dns")) && parse_dns(c, n))
        return -1;
    if (check_lab(c))
        return -1;
    if (parse_steps(c, map_get(c, root, "steps")))
        return -1;
    return parse_expects(c, map_get(c, root, "expect"));
}

/* Record a libyaml error at its place; reader errors (bad encoding) carry
 * only a byte offset, which is turned into a line and column. */
static void
syntax_error(struct pctx *c, yaml_parser_t *parser, const char *buf,
             size_t len)
{
    kf_pos p;
    size_t i;

    p.line = (int)parser->problem_mark.line + 1;
    p.col = (int)parser->problem_mark.column + 1;
    if (parser->error == YAML_READER_ERROR) {
        p.line = p.col = 1;
        for (i = 0; i < parser->problem_offset && i < len; i++) {
            if (buf[i] == '\n') {
                p.line++;
                p.col = 1;
            } else {
                p.col++;
            }
        }
    }
    fail_at(c, p, "YAML syntax: %s%s%s",
            parser->problem ? parser->problem : "malformed",
            parser->context ? " " : "",
            parser->context ? parser->context : "");
}

/* Fail if the file holds a second YAML document. */
static int
second_document(struct pctx *c, yaml_parser_t *parser, const char *buf,
                size_t len)
{
    yaml_document_t doc;
    yaml_node_t *root;
    int ret = 0;

    if (!yaml_parser_load(parser, &doc)) {
        syntax_error(c, parser, buf, len);
        return -1;
    }
    root = yaml_document_get_root_node(&doc);
    if (root != NULL)
        ret = fail_at(c, node_pos(root),
                      "a scenario file holds one YAML document; remove "
                      "this second one");
    yaml_document_delete(&doc);
    return ret;
}

int
kf_scenario_load_buffer(const char *name, const char *buf, size_t len,
                        kf_scenario **sc_out, char **err_out)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    struct pctx c;
    kf_scenario *sc = NULL;
    struct arena *ar;
    int ret = -1;
    bool have_doc = false;

    *sc_out = NULL;
    *err_out = NULL;
    memset(&c, 0, sizeof(c));
    c.file = name;
    ar = calloc(1, sizeof(*ar));
    if (ar == NULL || !yaml_parser_initialize(&parser)) {
        free(ar);
        *err_out = strdup("out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        syntax_error(&c, &parser, buf, len);
        goto cleanup;
    }
    have_doc = true;
    sc = aalloc(ar, sizeof(*sc));
    if (sc == NULL)
        goto cleanup;
    sc->arena = ar;
    sc->file = astrdup(ar, name);
    c.doc = &doc;
    c.ar = ar;
    c.sc = sc;
    if (parse_doc(&c, yaml_document_get_root_node(&doc)))
        goto cleanup;
    if (second_document(&c, &parser, buf, len))
        goto cleanup;
    *sc_out = sc;
    ar = NULL;
    ret = 0;

cleanup:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    arena_free(ar);
    if (ret != 0)
        *err_out = c.err != NULL ? c.err : strdup("out of memory");
    return ret;
}

int
kf_scenario_load(const char *path, kf_scenario **sc_out, char **err_out)
{
    FILE *f;
    char *buf = NULL, *nb;
    size_t len = 0, cap = 0, got;
    int ret;

    *sc_out = NULL;
    f = fopen(path, "rb");
    if (f == NULL) {
        size_t n = strlen(path) + 128;

        *err_out = malloc(n);
        if (*err_out != NULL)
            snprintf(*err_out, n, "%s: cannot open: %s", path,
                     strerror(errno));
        return -1;
    }
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (1u << 24)) {
                free(buf);
                fclose(f);
                *err_out = strdup("scenario file larger than 16 MiB");
                return -1;
            }
            nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                *err_out = strdup("out of memory");
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        size_t n = strlen(path) + 128;

        *err_out = malloc(n);
        if (*err_out != NULL)
            snprintf(*err_out, n, "%s: cannot read: %s", path,
                     strerror(errno));
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    ret = kf_scenario_load_buffer(path, buf, len, sc_out, err_out);
    free(buf);
    return ret;
}

void
kf_scenario_free(kf_scenario *sc)
{
    if (sc != NULL)
        arena_free(sc->arena);
}

const kf_field *
kf_step_field(const kf_step *st, const char *key)
{
    size_t i;

    for (i = 0; i < st->n_fields; i++) {
        if (strcmp(st->fields[i].key, key) == 0)
            return &st->fields[i];
    }
    return NULL;
}

const char *
kf_step_str(const kf_step *st, const char *key)
{
    const kf_field *f = kf_step_field(st, key);

    return f != NULL ? f->value : NULL;
}

bool
kf_in_variant(const kf_strlist *only, const char *variant)
{
    size_t i;

    if (only->n == 0 || variant == NULL)
        return true;
    for (i = 0; i < only->n; i++) {
        if (strcmp(only->v[i], variant) == 0)
            return true;
    }
    return false;
}

/* Find name in an array of structs whose first member is a char *. */
#define FIND(arr, n, key)                                                     \
    do {                                                                      \
        size_t i_;                                                            \
        for (i_ = 0; i_ < (n); i_++) {                                        \
            if ((arr)[i_].key != NULL && strcmp((arr)[i_].key, name) == 0)    \
                return &(arr)[i_];                                            \
        }                                                                     \
        return NULL;                                                          \
    } while (0)

const kf_kdc_def *
kf_find_kdc(const kf_scenario *sc, const char *name)
{
    FIND(sc->kdcs, sc->n_kdcs, name);
}

const kf_host_def *
kf_find_host(const kf_scenario *sc, const char *name)
{
    FIND(sc->hosts, sc->n_hosts, name);
}

const kf_actor_def *
kf_find_actor(const kf_scenario *sc, const char *name)
{
    FIND(sc->actors, sc->n_actors, name);
}

const kf_principal_def *
kf_find_principal(const kf_scenario *sc, const char *name)
{
    FIND(sc->principals, sc->n_principals, name);
}

const kf_policy_def *
kf_find_policy(const kf_scenario *sc, const char *name)
{
    FIND(sc->policies, sc->n_policies, name);
}

bool
kf_valid_hostname(const char *name)
{
    const char *p = name, *label = name;

    if (*name == '\0' || strlen(name) > 253)
        return false;
    for (;; p++) {
        if (*p == '.' || *p == '\0') {
            if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
                return false;
            if (*p == '\0')
                return true;
            label = p + 1;
        } else if (!isalnum((unsigned char)*p) && *p != '-') {
            return false;
        }
    }
}

bool
kf_parse_url(const char *url, char *host, size_t hlen, char *path, size_t plen)
{
    const char *h, *slash;
    char name[256];
    size_t n;

    if (strncmp(url, "http://", 7) != 0)
        return false;
    h = url + 7;
    slash = strchr(h, '/');
    n = slash != NULL ? (size_t)(slash - h) : strlen(h);
    if (n == 0 || n >= sizeof(name))
        return false;
    memcpy(name, h, n);
    name[n] = '\0';
    if (!kf_valid_hostname(name))
        return false;
    if (slash != NULL && strpbrk(slash, " \t\r\n") != NULL)
        return false;
    if (host != NULL)
        snprintf(host, hlen, "%s", name);
    if (path != NULL)
        snprintf(path, plen, "%s", slash != NULL ? slash : "/");
    return true;
}

const kf_alias_def *
kf_find_alias(const kf_scenario *sc, const char *name)
{
    FIND(sc->aliases, sc->n_aliases, name);
}
