// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf.ko: an alternate BPF runtime.  Module init brings the parts up from
 * the inside out, so that nothing can reach a part before it exists:
 * interpreter stacks, the object registry, netfilter namespaces, then the
 * two ways in (/dev/kbpf and the "kbpf" netlink family).  Exit runs the
 * ladder backwards; unhooking every namespace drops all attachments before
 * the registry frees the programs and maps.  Object events (events.h) need
 * no step of their own: genl subscribes once its family is registered, last,
 * and unsubscribes before it unregisters, first, both under the registry
 * lock the events are sent under.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <net/genetlink.h>

#include "env.h"
#include "registry.h"
#include "netfilter.h"
#include "chardev.h"
#include "genl.h"
#include "maps.h"
#include "pool.h"

static int __init kbpf_init(void)
{
	int err;

	err = kbpf_pool_setup();
	if (err)
		goto err_pool;
	err = kbpf_env_init();
	if (err)
		goto err_env;
	err = kbpf_maps_init();
	if (err)
		goto err_registry;
	err = kbpf_registry_init();
	if (err)
		goto err_registry;
	err = kbpf_nf_init();
	if (err)
		goto err_nf;
	err = kbpf_chardev_init();
	if (err)
		goto err_chardev;
	err = kbpf_genl_init();
	if (err)
		goto err_genl;

	pr_info("%s (abi %u) loaded\n", KBPF_VERSION, KBPF_ABI_VERSION);
	return 0;

err_genl:
	kbpf_chardev_exit();
err_chardev:
	kbpf_nf_exit();
err_nf:
	kbpf_registry_exit();
err_registry:
	kbpf_env_exit();
err_env:
	kbpf_pool_teardown();
err_pool:
	pr_err("failed to load: %d\n", err);
	return err;
}

static void __exit kbpf_exit(void)
{
	kbpf_genl_exit();
	kbpf_chardev_exit();
	kbpf_nf_exit();
	kbpf_registry_exit();
	kbpf_env_exit();
	kbpf_pool_teardown();
	pr_info("unloaded\n");
}

module_init(kbpf_init);
module_exit(kbpf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kbpf: an alternate BPF runtime with netfilter hooks");
MODULE_AUTHOR("The kbpf authors");
MODULE_VERSION(KBPF_VERSION);
MODULE_ALIAS_GENL_FAMILY(KBPF_GENL_NAME);
/* Opening /dev/kbpf (a static node from modules.devname) loads the module. */
MODULE_ALIAS_MISCDEV(KBPF_MISC_MINOR);
MODULE_ALIAS("devname:" KBPF_DEVICE_NAME);
