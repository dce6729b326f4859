/* Child processes of a lab: spawn, wait for a ready line, drain, stop. */
#define _GNU_SOURCE
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
kf_proc_spawn(kf_proc *p, const char *name, char *const argv[],
              char *const envp[], const char *logpath, kf_proc_hook hook,
              void *hook_data, char **err)
{
    int fds[2], logfd, devnull;
    pid_t parent = getpid(), pid;

    memset(p, 0, sizeof(*p));
    p->pid = 0;
    p->outfd = p->logfd = -1;
    snprintf(p->name, sizeof(p->name), "%s", name);
    logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0) {
        *err = kf_strf("cannot create %s: %s", logpath, strerror(errno));
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) != 0) {
        close(logfd);
        *err = kf_strf("cannot make a pipe: %s", strerror(errno));
        return -1;
    }
    /* vfork: the parent's large address space is not copied.  The child
     * makes only system calls (prctl, sigprocmask, open, dup2) before
     * execve, which Linux allows though POSIX promises less. */
    pid = vfork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        close(logfd);
        *err = kf_strf("cannot start %s: %s", name, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        sigset_t none;

        /* Die with the harness, even if it is killed with SIGKILL. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        execve(argv[0], argv, envp);
        if (write(2, "cannot execute ", 15) > 0 &&
            write(2, argv[0], strlen(argv[0])) > 0)
            (void)write(2, "\n", 1);
        _exit(127);
    }
    close(fds[1]);
    p->pid = pid;
    p->outfd = fds[0];
    p->logfd = logfd;
    if (hook != NULL)
        hook(pid, hook_data);
    return 0;
}

int
kf_proc_wait_ready(kf_proc *p, const char *marker, int timeout_ms, char **err)
{
    char buf[8192];
    size_t used = 0;
    double deadline = kf_now_ms() + timeout_ms;
    const char *why = "timed out";
    ssize_t n;

    for (;;) {
        struct pollfd pfd = {p->outfd, POLLIN, 0};
        double left = deadline - kf_now_ms();
        int r;

        if (left <= 0)
            break;
        r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n = read(p->outfd, buf + used, sizeof(buf) - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            why = "exited";
            break;
        }
        if (write(p->logfd, buf + used, (size_t)n) < 0)
            break;
        used += (size_t)n;
        buf[used] = '\0';
        if (strstr(buf, marker) != NULL) {
            fcntl(p->outfd, F_SETFL, fcntl(p->outfd, F_GETFL) | O_NONBLOCK);
            return 0;
        }
        if (used == sizeof(buf) - 1) {
            /* Keep the tail, which may hold a partial marker. */
            memmove(buf, buf + used / 2, used - used / 2);
            used -= used / 2;
        }
    }
    buf[used] = '\0';
    {
        size_t len = strlen(p->name) + used + 160;
        char *m = malloc(len);

        if (m != NULL)
            snprintf(m, len, "%s %s before it printed '%s'; its output:\n%s",
                     p->name, why, marker, used ? buf : "(nothing)\n");
        *err = m;
    }
    return -1;
}

void
kf_proc_drain(kf_proc *p)
{
    char buf[8192];
    ssize_t n;

    if (p->outfd < 0)
        return;
    while ((n = read(p->outfd, buf, sizeof(buf))) > 0) {
        if (write(p->logfd, buf, (size_t)n) < 0)
            break;
    }
}

void
kf_proc_terminate(kf_proc *p)
{
    if (p->pid > 0)
        kill(p->pid, SIGTERM);
}

void
kf_proc_stop(kf_proc *p, int grace_ms)
{
    double deadline;
    int status;

    if (p->pid > 0) {
        kill(p->pid, SIGTERM);
        deadline = kf_now_ms() + grace_ms;
        /* The pipe reaches end of file when the child has exited. */
        while (p->outfd >= 0) {
            struct pollfd pfd = {p->outfd, POLLIN, 0};
            double left = deadline - kf_now_ms();
            char buf[4096];
            ssize_t n;

            if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
                break;
            n = read(p->outfd, buf, sizeof(buf));
            if (n == 0)
                break;
            if (n > 0 && write(p->logfd, buf, (size_t)n) < 0)
                break;
        }
        if (waitpid(p->pid, &status, WNOHANG) == 0) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &status, 0);
        }
        p->pid = 0;
    }
    if (p->outfd >= 0)
        close(p->outfd);
    if (p->logfd >= 0)
        close(p->logfd);
    p->outfd = p->logfd = -1;
}

int
kf_proc_wait_exit(kf_proc *p, int timeout_ms, int *status)
{
    double deadline = kf_now_ms() + timeout_ms;
    int rc = 0;

    *status = 0;
    if (p->pid <= 0)
        return -1;
    /* The pipe reaches end of file when the child has exited. */
    while (p->outfd >= 0) {
        struct pollfd pfd = {p->outfd, POLLIN, 0};
        double left = deadline - kf_now_ms();
        char buf[4096];
        ssize_t n;
        int r;

        if (left <= 0) {
            rc = -1;
            break;
        }
        r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = -1;
            break;
        }
        n = read(p->outfd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break;
        if (write(p->logfd, buf, (size_t)n) < 0)
            break;
    }
    if (rc != 0)
        kill(p->pid, SIGKILL);
    waitpid(p->pid, status, 0);
    p->pid = 0;
    close(p->outfd);
    close(p->logfd);
    p->outfd = p->logfd = -1;
    return rc;
}

/* Return $env_override if set, else the first candidate access() allows
 * with mode, else NULL. */
static const char *
find_path(const char *env_override, const char *const *candidates, int mode)
{
    const char *v = env_override != NULL ? getenv(env_override) : NULL;

    if (v != NULL && *v != '\0')
        return v;
    for (; *candidates != NULL; candidates++) {
        if (access(*candidates, mode) == 0)
            return *candidates;
    }
    return NULL;
}

const char *
kf_find_program(const char *env_override, const char *const *candidates)
{
    return find_path(env_override, candidates, X_OK);
}

const char *
kf_find_file(const char *env_override, const char *const *candidates)
{
    return find_path(env_override, candidates, R_OK);
}
