/* Which lab component answers each step, and which personalities each
 * component can play today. */
#ifndef KF_PERSONALITY_H
#define KF_PERSONALITY_H

#include "scenario.h"

/* The parts of a lab that answer a client. */
typedef enum {
    KF_COMP_NONE,    /* the lab itself (administrative steps) */
    KF_COMP_KDC,     /* the KDCs (AS, TGS, kpasswd) */
    KF_COMP_SERVICE, /* the hosts' application service */
    KF_COMP_COUNT
} kf_component;

/* Return the name of a personality ("mit", "ad"). */
const char *kf_pers_name(kf_personality p);

/* Parse "mit" or "ad"; return false for anything else. */
bool kf_pers_parse(const char *text, kf_personality *out);

/* Return the component whose answer a step's library and service views
 * observe. */
kf_component kf_step_component(kf_action a);

/* Return the component a view observes for a step of action a: the KDC
 * for "kdc_log", else the step's component. */
kf_component kf_view_component(const char *view, kf_action a);

/* Return NULL if component c can play personality p in a lab today, else
 * why it cannot (what is missing). */
const char *kf_pers_missing(kf_component c, kf_personality p);

#endif /* KF_PERSONALITY_H */
