/* Small helpers shared across files: messages, time, framed sockets. */
#define _GNU_SOURCE
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *
kf_strf(const char *fmt, ...)
{
    va_list ap;
    char *out;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return NULL;
    out = malloc((size_t)len + 1);
    if (out == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(out, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return out;
}

double
kf_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int
kf_read_full(int fd, void *buf, size_t len, int timeout_ms)
{
    size_t got = 0;

    while (got < len) {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t n;

        if (poll(&pfd, 1, timeout_ms) <= 0)
            return -1;
        n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

ssize_t
kf_read_until(int fd, char *buf, size_t size, const char *stop, int timeout_ms)
{
    size_t used = 0;

    buf[0] = '\0';
    while (used + 1 < size) {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t n;

        if (poll(&pfd, 1, timeout_ms) <= 0)
            return -1;
        n = read(fd, buf + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (n == 0 && stop != NULL))
            return -1;
        if (n == 0)
            return (ssize_t)used;
        used += (size_t)n;
        buf[used] = '\0';
        if (stop != NULL && strstr(buf, stop) != NULL)
            return (ssize_t)used;
    }
    return stop != NULL ? -1 : (ssize_t)used;
}

void
kf_env_save(const char *const *names, char **saved, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *old = getenv(names[i]);

        saved[i] = old != NULL ? strdup(old) : NULL;
    }
}

void
kf_env_restore(const char *const *names, char **saved, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (saved[i] != NULL)
            setenv(names[i], saved[i], 1);
        else
            unsetenv(names[i]);
        free(saved[i]);
        saved[i] = NULL;
    }
}

int
kf_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int
kf_write_framed(int fd, const void *data, uint32_t len)
{
    uint32_t be = htonl(len);

    if (write(fd, &be, 4) != 4 || write(fd, data, len) != (ssize_t)len)
        return -1;
    return 0;
}

int
kf_read_framed(int fd, char **data_out, uint32_t *len_out, uint32_t max,
               int timeout_ms)
{
    uint32_t be, len;
    char *data;

    *data_out = NULL;
    if (kf_read_full(fd, &be, 4, timeout_ms) != 0)
        return -1;
    len = ntohl(be);
    if (len == 0 || len > max)
        return -1;
    data = malloc(len);
    if (data == NULL)
        return -1;
    if (kf_read_full(fd, data, len, timeout_ms) != 0) {
        free(data);
        return -1;
    }
    *data_out = data;
    *len_out = len;
    return 0;
}
