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

int kbpf_dev_map_freeze(int fd, __u32 id, const char *name)
{
	struct kbpf_map_freeze_attr attr = { .hdr.size = sizeof(attr) };
	char reason[KBPF_CTL_LOG_SIZE] = "";
	int err;

	attr.map_id = id;
	attr.hdr.log_buf = (__u64)(unsigned long)reason;
	attr.hdr.log_size = sizeof(reason);
	err = kbpf_dev_ioctl(fd, KBPF_IOC_MAP_FREEZE, &attr);
	reason[sizeof(reason) - 1] = '\0';
	if (err == -EPERM || err == -EACCES)
		p_err(ERR_NO_PERM);
	else if (err)
		p_err("map '%s': cannot freeze it: %s", name,
		      reason[0] ? reason : strerror(-err));
	return err;
}
