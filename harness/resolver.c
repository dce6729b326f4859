/* Lab name resolution: glibc's resolver pointed at the lab's DNS server
 * through /etc files bind-mounted in a private mount namespace. */
#define _GNU_SOURCE
#include "resolver.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where glibc asks nscd first (_PATH_NSCDSOCKET). */
#define NSCD_SOCKET "/var/run/nscd/socket"

/* The lab file standing in for nscd's socket: connecting to it fails, so
 * glibc falls back to the NSS modules nsswitch.conf names. */
#define NSCD_MASK "nscd-socket"

/* The /etc files the lab replaces.  A required one must exist in /etc
 * (nothing can be mounted where there is no file, and /etc is never
 * written); an optional one is replaced only where it exists. */
static const struct etc_file {
    const char *name;
    bool required;
} etc_files[] = {
    {"resolv.conf", true}, {"hosts", true},     {"nsswitch.conf", true},
    {"host.conf", false},  {"gai.conf", false},
};

#define N_ETC (sizeof(etc_files) / sizeof(etc_files[0]))

/* The process's resolver state: the private namespace, once made, and the
 * mounts kf_resolver_enter made in it. */
static struct {
    bool isolated;
    dev_t ns_dev;
    ino_t ns_ino;
    char *mounts[N_ETC + 1];
    size_t n_mounts;
} state;

/* Read the identity of the calling thread's mount namespace. */
static int
thread_ns(dev_t *dev, ino_t *ino)
{
    struct stat st;

    if (stat("/proc/thread-self/ns/mnt", &st) != 0)
        return -1;
    *dev = st.st_dev;
    *ino = st.st_ino;
    return 0;
}

/* Return whether the calling thread is in the private namespace. */
static bool
in_private_ns(void)
{
    dev_t dev;
    ino_t ino;

    return state.isolated && thread_ns(&dev, &ino) == 0 &&
           dev == state.ns_dev && ino == state.ns_ino;
}

int
kf_resolver_isolate(char **err)
{
    dev_t dev;
    ino_t ino;

    if (state.isolated)
        return 0;
    if (unshare(CLONE_NEWNS) != 0) {
        int e = errno;

        *err = kf_strf("cannot give krbfault a mount namespace of its own "
                       "for the lab's resolver (unshare(CLONE_NEWNS): %s)%s",
                       strerror(e),
                       e == EPERM ? ": it needs CAP_SYS_ADMIN; run krbfault "
                                    "as root"
                                  : "");
        return -1;
    }
    /* Without this, mounts made here would propagate to the host's
     * namespace through shared peer groups (systemd makes / shared). */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        *err = kf_strf("cannot make the mounts of krbfault's namespace "
                       "private (mount --make-rprivate /): %s",
                       strerror(errno));
        return -1;
    }
    if (thread_ns(&dev, &ino) != 0) {
        *err = kf_strf("cannot read /proc/thread-self/ns/mnt: %s",
                       strerror(errno));
        return -1;
    }
    state.ns_dev = dev;
    state.ns_ino = ino;
    state.isolated = true;
    return 0;
}

/* Write text to dir/name in place (the inode stays, so a bind mount of it
 * shows the new text); return 0 or set *err. */
static int
write_file(const char *dir, const char *name, const char *text, char **err)
{
    char *path = kf_strf("%s/%s", dir, name);
    FILE *f;
    int ret = -1;

    if (path == NULL) {
        *err = strdup("out of memory");
        return -1;
    }
    f = fopen(path, "we");
    if (f == NULL) {
        *err = kf_strf("cannot write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (fputs(text, f) == EOF || fchmod(fileno(f), 0644) != 0) {
        *err = kf_strf("cannot write %s: %s", path, strerror(errno));
        fclose(f);
        goto cleanup;
    }
    if (fclose(f) != 0) {
        *err = kf_strf("cannot write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    ret = 0;

cleanup:
    free(path);
    return ret;
}

/* Return whether s is a domain name fit for a resolv.conf search line. */
static bool
valid_search(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > 253)
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] <= ' ' || s[i] == '#' || s[i] == ';' || s[i] > '~')
            return false;
    }
    return true;
}

int
kf_resolver_write_etc(const char *dir, const char *dns_addr,
                      const char *search_domain, char **err)
{
    unsigned char addr[sizeof(struct in6_addr)];
    char *resolv = NULL;
    int ret = -1;

    /* Lab traffic stays on loopback: 127.0.0.0/8 or ::1. */
    if (!(inet_pton(AF_INET, dns_addr, addr) == 1 && addr[0] == 127) &&
        !(inet_pton(AF_INET6, dns_addr, addr) == 1 &&
          IN6_IS_ADDR_LOOPBACK((struct in6_addr *)addr))) {
        *err = kf_strf("the lab DNS address `%s' is not a numeric loopback "
                       "address (127.0.0.0/8 or ::1)",
                       dns_addr);
        return -1;
    }
    if (search_domain != NULL && search_domain[0] != '\0' &&
        !valid_search(search_domain)) {
        *err = kf_strf("`%s' is not a domain name for a search line",
                       search_domain);
        return -1;
    }
    /* glibc reads nameserver, search and options (res_init.c).  "search ."
     * keeps glibc from making a search list of the host name's domain.
     * One attempt of one second: a lab server that does not answer fails
     * the lookup quickly instead of after glibc's 5 s x 2. */
    resolv = kf_strf("# krbfault lab resolver: the lab's DNS server only\n"
                     "nameserver %s\n"
                     "search %s\n"
                     "options timeout:1 attempts:1 ndots:1\n",
                     dns_addr,
                     search_domain != NULL && search_domain[0] != '\0'
                         ? search_domain
                         : ".");
    if (resolv == NULL) {
        *err = strdup("out of memory");
        return -1;
    }
    if (write_file(dir, "resolv.conf", resolv, err) != 0 ||
        write_file(dir, "hosts",
                   "# krbfault lab hosts: localhost only; every other name "
                   "is the lab DNS's\n"
                   "127.0.0.1\tlocalhost\n"
                   "::1\tlocalhost ip6-localhost ip6-loopback\n",
                   err) != 0 ||
        write_file(dir, "nsswitch.conf",
                   "# krbfault lab name service switch: /etc/hosts, then "
                   "the lab DNS\n"
                   "passwd:     files\n"
                   "group:      files\n"
                   "shadow:     files\n"
                   "gshadow:    files\n"
                   "hosts:      files dns\n"
                   "networks:   files\n"
                   "protocols:  files\n"
                   "services:   files\n"
                   "ethers:     files\n"
                   "rpc:        files\n"
                   "netgroup:   files\n"
                   "automount:  files\n"
                   "aliases:    files\n",
                   err) != 0 ||
        write_file(dir, "host.conf",
                   "# krbfault lab host.conf: every address of a name\n"
                   "multi on\n",
                   err) != 0 ||
        write_file(dir, "gai.conf",
                   "# krbfault lab gai.conf: glibc's default address "
                   "sorting (RFC 6724)\n",
                   err) != 0 ||
        write_file(dir, NSCD_MASK, "", err) != 0)
        goto cleanup;
    ret = 0;

cleanup:
    free(resolv);
    return ret;
}

/* Find where a lab file goes for /etc path: path itself, or the file it
 * names if it is a symlink.  Set *target to a new string, or to NULL when
 * path does not exist and is optional; return 0, or -1 with *err set. */
static int
mount_target(const char *path, bool required, char **target, char **err)
{
    struct stat st;
    char resolved[PATH_MAX];

    *target = NULL;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT && !required)
            return 0;
        *err = kf_strf("%s: %s: the lab's file cannot be mounted where "
                       "there is none (and /etc is never written)",
                       path, strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        if (realpath(path, resolved) == NULL || stat(resolved, &st) != 0) {
            if (!required)
                return 0;
            *err = kf_strf("%s is a symlink to a file that does not exist "
                           "(%s): the lab's file cannot be mounted over it",
                           path, strerror(errno));
            return -1;
        }
        path = resolved;
    }
    if (S_ISDIR(st.st_mode)) {
        *err = kf_strf("%s is a directory, not a file", path);
        return -1;
    }
    *target = strdup(path);
    if (*target == NULL) {
        *err = strdup("out of memory");
        return -1;
    }
    return 0;
}

/* Bind-mount src over target and remember it; return 0 or set *err. */
static int
bind_over(const char *src, char *target, char **err)
{
    if (mount(src, target, NULL, MS_BIND, NULL) != 0) {
        *err = kf_strf("cannot mount %s over %s: %s", src, target,
                       strerror(errno));
        free(target);
        return -1;
    }
    state.mounts[state.n_mounts++] = target;
    return 0;
}

int
kf_resolver_enter(const char *dir, char **err)
{
    char *src = NULL, *etc = NULL, *target = NULL;
    struct stat st;
    size_t i;
    int ret = -1;

    if (kf_resolver_isolate(err) != 0)
        return -1;
    if (!in_private_ns()) {
        *err = strdup("this thread is not in krbfault's private mount "
                      "namespace (kf_resolver_isolate ran in another "
                      "thread): refusing to mount over the host's /etc");
        return -1;
    }
    if (state.n_mounts > 0) {
        *err = strdup("the lab resolver is already entered (leave it "
                      "first)");
        return -1;
    }
    for (i = 0; i < N_ETC; i++) {
        free(src);
        free(etc);
        src = kf_strf("%s/%s", dir, etc_files[i].name);
        etc = kf_strf("/etc/%s", etc_files[i].name);
        if (src == NULL || etc == NULL) {
            *err = strdup("out of memory");
            goto cleanup;
        }
        if (stat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
            *err = kf_strf("%s: not a file (kf_resolver_write_etc writes "
                           "it)",
                           src);
            goto cleanup;
        }
        if (mount_target(etc, etc_files[i].required, &target, err) != 0)
            goto cleanup;
        if (target != NULL && bind_over(src, target, err) != 0)
            goto cleanup;
    }
    /* A running nscd would answer host lookups from its cache of the
     * host's resolver: make its socket unreachable.  The variables glibc
     * reads beside resolv.conf would change the lab's view: HOSTALIASES
     * maps names before DNS is asked, LOCALDOMAIN replaces the search
     * list, RES_OPTIONS the options. */
    unsetenv("HOSTALIASES");
    unsetenv("LOCALDOMAIN");
    unsetenv("RES_OPTIONS");
    free(src);
    src = kf_strf("%s/%s", dir, NSCD_MASK);
    if (src == NULL) {
        *err = strdup("out of memory");
        goto cleanup;
    }
    if (lstat(NSCD_SOCKET, &st) == 0) {
        if (mount_target(NSCD_SOCKET, true, &target, err) != 0 ||
            bind_over(src, target, err) != 0)
            goto cleanup;
    }
    ret = 0;

cleanup:
    free(src);
    free(etc);
    if (ret != 0)
        kf_resolver_leave();
    return ret;
}

void
kf_resolver_leave(void)
{
    /* Never unmount anything from a thread outside the private namespace:
     * there the same paths are the host's. */
    if (state.n_mounts == 0 || !in_private_ns())
        return;
    while (state.n_mounts > 0) {
        state.n_mounts--;
        umount2(state.mounts[state.n_mounts], MNT_DETACH);
        free(state.mounts[state.n_mounts]);
        state.mounts[state.n_mounts] = NULL;
    }
}
