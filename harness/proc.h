/* Child processes of a lab: spawn, wait for a ready line, drain, stop. */
#ifndef KF_PROC_H
#define KF_PROC_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct kf_proc {
    pid_t pid;     /* 0 when not running */
    int outfd;     /* read end of the child's stdout and stderr */
    int logfd;     /* where that output is copied */
    char name[64]; /* for messages, e.g. "krb5kdc DC01" */
} kf_proc;

/* A hook called with the pid of every child just after it is started, so
 * the lab's guardian learns it. */
typedef void (*kf_proc_hook)(pid_t pid, void *data);

/* Start argv[0] (an absolute path) with exactly envp, stdin from
 * /dev/null and stdout and stderr into a pipe copied to logpath.  The
 * child is killed if this process dies. */
int kf_proc_spawn(kf_proc *p, const char *name, char *const argv[],
                  char *const envp[], const char *logpath, kf_proc_hook hook,
                  void *hook_data, char **err);

/* Read the child's output until a line contains marker.  Fail if the child
 * exits or timeout_ms passes first; the message then shows the output. */
int kf_proc_wait_ready(kf_proc *p, const char *marker, int timeout_ms,
                       char **err);

/* Copy whatever output the child has written so far to its log. */
void kf_proc_drain(kf_proc *p);

/* Ask the child to stop (SIGTERM) without waiting. */
void kf_proc_terminate(kf_proc *p);

/* Stop the child: SIGTERM, then SIGKILL if it has not exited within
 * grace_ms; reap it and close its descriptors. */
void kf_proc_stop(kf_proc *p, int grace_ms);

/* Wait up to timeout_ms for the child to exit, copying its output to its
 * log, and kill it if it has not.  Set *status to its wait status; return
 * 0 if it exited by itself, -1 if it was killed. */
int kf_proc_wait_exit(kf_proc *p, int timeout_ms, int *status);

/* Return the path of an executable: $env_override if set, else the first
 * of the candidates that exists, else NULL. */
const char *kf_find_program(const char *env_override,
                            const char *const *candidates);

/* The same for a file that need only be readable (a library). */
const char *kf_find_file(const char *env_override,
                         const char *const *candidates);

#endif /* KF_PROC_H */
