/* Lab name resolution: glibc's resolver pointed at the lab's DNS server
 * through /etc files bind-mounted in a private mount namespace. */
#ifndef KF_RESOLVER_H
#define KF_RESOLVER_H

/* Give this process a mount namespace of its own, with every mount in it
 * private, so that no mount made later reaches the host.  Idempotent.
 * Needs CAP_SYS_ADMIN (root).  Call it before starting any thread: only
 * the calling thread moves (and threads it creates later); threads that
 * already exist stay in the host's namespace.  Children started later
 * inherit the namespace.  On failure return -1 and set *err to a new
 * message. */
int kf_resolver_isolate(char **err);

/* Write the lab's resolver files into dir: resolv.conf (the one
 * nameserver dns_addr, a numeric loopback address, 127.0.0.0/8 or ::1,
 * which glibc asks on port 53; "search search_domain", or "search ." when
 * it is NULL or empty; one attempt of one second), hosts (localhost
 * only), nsswitch.conf (hosts: files dns; the rest files), host.conf and
 * gai.conf (glibc's defaults, written down) and nscd-socket (an empty
 * file).  Files are rewritten in place, so a lab already entered sees the
 * change.  On failure return -1 and set *err to a new message. */
int kf_resolver_write_etc(const char *dir, const char *dns_addr,
                          const char *search_domain, char **err);

/* Bind-mount dir's files over /etc's (over the file a symlink names, if
 * /etc's is one; host.conf and gai.conf only where /etc has them) and an
 * empty file over nscd's socket if there is one, in the private namespace
 * (kf_resolver_isolate is called first).  From then on getaddrinfo,
 * getnameinfo, gethostbyname and res_nsearch in this process, and every
 * child it starts, resolve through the lab's DNS.  Unsets HOSTALIASES,
 * LOCALDOMAIN and RES_OPTIONS in this process, which would bypass or
 * change those files.  Fails, mounting nothing, if already entered, if
 * this thread is outside the private namespace, or if a file cannot be
 * mounted.  On failure return -1 and set *err to a new message. */
int kf_resolver_enter(const char *dir, char **err);

/* Undo kf_resolver_enter (lazy unmounts): the host's files are seen
 * again, and kf_resolver_enter may be called for another lab.  Does
 * nothing when not entered. */
void kf_resolver_leave(void);

#endif /* KF_RESOLVER_H */
