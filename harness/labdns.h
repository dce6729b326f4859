/* The lab's DNS: the zone a scenario's records make, the server that
 * answers from it, and the resolver configuration that points at it. */
#ifndef KF_LABDNS_H
#define KF_LABDNS_H

#include "lab.h"

/* Render the lab's zone for its variant: the scenario's records first, in
 * order, then (unless auto is false) an A and a PTR record for every
 * host's fqdn and every KDC's name, one absolute-name record a line in
 * presentation format.  Return NULL if out of memory; caller frees. */
char *kf_lab_render_zone(kf_lab *lab);

/* Return the port a role's SRV record names in this lab. */
int kf_lab_role_port(const kf_lab *lab, const char *role);

#endif /* KF_LABDNS_H */
