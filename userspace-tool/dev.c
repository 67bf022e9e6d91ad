// SPDX-License-Identifier: GPL-2.0
/* /dev/kbpf: opening it with a readable error, and ioctls returning -errno. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "main.h"

int kbpf_dev_try_open(void)
{
	int fd = open(KBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd >= 0 ? fd : -errno;
}

bool kbpf_dev_absent(int err)
{
	return err == -ENOENT || err == -ENXIO || err == -ENODEV;
}

int kbpf_dev_open(void)
{
	int fd = kbpf_dev_try_open();

	if (fd >= 0)
		return fd;
	if (kbpf_dev_absent(fd))
		p_err(ERR_NO_MODULE);
	else if (fd == -EACCES || fd == -EPERM)
		p_err(ERR_NO_PERM);
	else
		p_err("cannot open %s: %s", KBPF_DEVICE_PATH, strerror(-fd));
	return -1;
}

int kbpf_dev_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}
