/*
 * readv/writev's iovec and poll's pollfd, in Linux's x86_64 layouts.
 *
 * Shared by the kernel and user programs. musl's stdio writes through
 * writev, so even a plain printf reaches the kernel as an iovec array.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#define UIO_MAXIOV 1024 /* Linux's cap on iovcnt: more gets -EINVAL */

struct iovec {
    uint64_t iov_base; /* a user address */
    uint64_t iov_len;
};
_Static_assert(sizeof(struct iovec) == 16, "Linux iovec");

struct pollfd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};
_Static_assert(sizeof(struct pollfd) == 8, "Linux pollfd");

#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
