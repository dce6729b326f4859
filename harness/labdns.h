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

/* Write the lab's DNS files into lab->dns_dir: the zone (zone) and the
 * resolver's view of /etc (etc/), naming the server lab->dns_addr and the
 * realm's domain as search domain.  Return 0, or -1 with *err. */
int kf_lab_dns_files(kf_lab *lab, char **err);

/* Point this process, and every process it starts, at the lab's DNS
 * (the server must be ready).  Return 0, or -1 with *err. */
int kf_lab_dns_enter(kf_lab *lab, char **err);

/* Undo kf_lab_dns_enter, if it was done. */
void kf_lab_dns_leave(kf_lab *lab);

#endif /* KF_LABDNS_H */
