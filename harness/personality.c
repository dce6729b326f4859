/* Which lab component answers each step, and which personalities each
 * component can play today. */
#include "personality.h"

#include <string.h>

static const char *const pers_names[KF_PERS_COUNT] = {"mit", "ad"};

/* What each component can play: NULL where it can, else what is missing.
 * The KDC gains its Active Directory personality when fakekdc/ provides
 * one; switch it on here. */
static const char *const missing[KF_COMP_COUNT][KF_PERS_COUNT] = {
    [KF_COMP_NONE] = {NULL, NULL},
    [KF_COMP_KDC] = {NULL, "needs the AD KDC personality (fakekdc/), not "
                           "built yet"},
    [KF_COMP_SERVICE] = {NULL, NULL},
};

/* The component each action's answer comes from. */
static const kf_component step_components[KF_ACT_COUNT] = {
    [KF_ACT_KINIT] = KF_COMP_KDC,     [KF_ACT_GET_TICKET] = KF_COMP_KDC,
    [KF_ACT_RENEW] = KF_COMP_KDC,     [KF_ACT_KPASSWD] = KF_COMP_KDC,
    [KF_ACT_S4U2PROXY] = KF_COMP_KDC, [KF_ACT_AP_REQ] = KF_COMP_SERVICE,
    [KF_ACT_HTTP] = KF_COMP_SERVICE,  [KF_ACT_CURL] = KF_COMP_SERVICE,
};

const char *
kf_pers_name(kf_personality p)
{
    return p >= 0 && p < KF_PERS_COUNT ? pers_names[p] : "?";
}

bool
kf_pers_parse(const char *text, kf_personality *out)
{
    int p;

    for (p = 0; p < KF_PERS_COUNT; p++) {
        if (strcmp(text, pers_names[p]) == 0) {
            *out = (kf_personality)p;
            return true;
        }
    }
    return false;
}

kf_component
kf_step_component(kf_action a)
{
    return a >= 0 && a < KF_ACT_COUNT ? step_components[a] : KF_COMP_NONE;
}

kf_component
kf_view_component(const char *view, kf_action a)
{
    if (strcmp(view, "kdc_log") == 0)
        return KF_COMP_KDC;
    return kf_step_component(a);
}

const char *
kf_pers_missing(kf_component c, kf_personality p)
{
    if (c < 0 || c >= KF_COMP_COUNT || p < 0 || p >= KF_PERS_COUNT)
        return "unknown component or personality";
    return missing[c][p];
}
