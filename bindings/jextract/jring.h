/*
 * Input of jextract for jring's bindings (see ../regenerate): the kernel UAPI for io_uring and NVMe passthrough,
 * plus the libc calls and constants jring needs. Only declarations listed in includes.txt are generated.
 */
#define _GNU_SOURCE 1

/*
 * With _GNU_SOURCE, glibc declares the address parameter of bind, connect, accept, getsockname, sendto, recvfrom...
 * as a GNU transparent union (__SOCKADDR_ARG), which jextract would model as a union passed by value. Read
 * <sys/socket.h> in its POSIX form, so that these parameters come out as plain `struct sockaddr *`; its include
 * guard keeps that form when later headers include it again. (The GNU-only accept4 and sendmmsg are lost.)
 */
#include <features.h>
#undef __USE_GNU
#include <sys/socket.h>
#define __USE_GNU 1

/* libc: syscalls, memory mapping, files, ioctl, sockets */
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>

/* kernel UAPI */
#include <linux/io_uring.h>
#include <linux/nvme_ioctl.h>
#include <linux/time_types.h>
#include <linux/openat2.h>
#include <linux/falloc.h>
#include <linux/sockios.h>
#include <linux/futex.h>
#include <linux/stat.h>
