// SPDX-License-Identifier: GPL-2.0
/*
 * hpmm: hugepage-backed page pools, fragmentation-resistant allocation
 * groups, PTE-magnet reservations and I/O page-fault pinning, as working and
 * measured kernel code.
 *
 * Module init creates the debugfs root, binds the DMA devices, starts each
 * component and registers /dev/hpmm last, so that user space can reach
 * nothing half built; every error unwinds what came before, in reverse.
 */
#define pr_fmt(fmt) "hpmm: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include <uapi/hpmm.h>

#include "chardev.h"
#include "dev/dev.h"
#include "hpmm.h"

struct hpmm_live_counters hpmm_live;
EXPORT_SYMBOL_NS_GPL(hpmm_live, HPMM);

const struct hpmm_component *const hpmm_components[] = {
#if IS_ENABLED(CONFIG_HPMM_HPA)
	&hpmm_hpa_component,
#endif
#if IS_ENABLED(CONFIG_HPMM_DEFRAG)
	&hpmm_defrag_component,
#endif
#if IS_ENABLED(CONFIG_HPMM_VPRI)
	&hpmm_vpri_component,
#endif
	NULL
};

const unsigned int hpmm_nr_components = ARRAY_SIZE(hpmm_components) - 1;

static struct dentry *hpmm_debugfs_root;

#ifdef CONFIG_FAULT_INJECTION
/*
 * The fail-nth sweep of module init (selftests/hpmm/fail_nth_test.c) fails
 * the Nth slab or page allocation made by hpmm_init() itself: not the module
 * loader's, whose failures in tracepoint registration WARN in 6.1 and so
 * would panic a panic_on_warn guest without telling anything about hpmm.
 */
static unsigned int init_fail_nth;
module_param(init_fail_nth, uint, 0400);
MODULE_PARM_DESC(init_fail_nth, "fail the Nth allocation of module init (testing)");
static unsigned int init_fail_nth_left;
module_param(init_fail_nth_left, uint, 0400);
MODULE_PARM_DESC(init_fail_nth_left, "what init_fail_nth had left when init ended: 0 if a failure was injected");

static void hpmm_init_fail_nth_begin(void)
{
	current->fail_nth = init_fail_nth;
}

static void hpmm_init_fail_nth_end(void)
{
	init_fail_nth_left = current->fail_nth;
	current->fail_nth = 0;
}
#else
static void hpmm_init_fail_nth_begin(void) { }
static void hpmm_init_fail_nth_end(void) { }
#endif

static int version_show(struct seq_file *m, void *unused)
{
	seq_puts(m, HPMM_VERSION_STRING "\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int status_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	seq_puts(m, "version: " HPMM_VERSION_STRING "\n");
	seq_printf(m, "abi_version: %d\n", HPMM_ABI_VERSION);
	seq_puts(m, "components: dev");
	for (i = 0; i < hpmm_nr_components; i++)
		seq_printf(m, " %s", hpmm_components[i]->name);
	seq_putc(m, '\n');
	seq_printf(m, "devices: %u\n", hpmm_dev_count());
	seq_printf(m, "live_pages: %ld\n", atomic_long_read(&hpmm_live.pages));
	seq_printf(m, "live_dma_mappings: %ld\n",
		   atomic_long_read(&hpmm_live.dma_mappings));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static void hpmm_components_exit(unsigned int n)
{
	while (n-- > 0)
		hpmm_components[n]->exit();
}

static int hpmm_components_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < hpmm_nr_components; i++) {
		ret = hpmm_components[i]->init(hpmm_debugfs_root);
		if (ret) {
			pr_err("%s: init failed: %d\n",
			       hpmm_components[i]->name, ret);
			hpmm_components_exit(i);
			return ret;
		}
	}
	return 0;
}

static int __init hpmm_init(void)
{
	int ret;

	hpmm_init_fail_nth_begin();
	hpmm_debugfs_root = debugfs_create_dir("hpmm", NULL);
	debugfs_create_file("version", 0444, hpmm_debugfs_root, NULL,
			    &version_fops);
	debugfs_create_file("status", 0444, hpmm_debugfs_root, NULL,
			    &status_fops);

	ret = hpmm_dev_init(hpmm_debugfs_root);
	if (ret)
		goto err_debugfs;
	ret = hpmm_components_init();
	if (ret)
		goto err_dev;
	ret = hpmm_chardev_init();
	if (ret)
		goto err_components;

	hpmm_init_fail_nth_end();
	pr_info("loaded, %u edu device(s)\n", hpmm_dev_count());
	return 0;

err_components:
	hpmm_components_exit(hpmm_nr_components);
err_dev:
	hpmm_dev_exit();
err_debugfs:
	debugfs_remove_recursive(hpmm_debugfs_root);
	hpmm_init_fail_nth_end();
	return ret;
}

static void __exit hpmm_exit(void)
{
	hpmm_chardev_exit();
	hpmm_components_exit(hpmm_nr_components);
	hpmm_dev_exit();
	debugfs_remove_recursive(hpmm_debugfs_root);
}

module_init(hpmm_init);
module_exit(hpmm_exit);

MODULE_DESCRIPTION("hpmm: hugepage pools, defrag groups, PTE magnets, I/O page-fault pinning");
MODULE_AUTHOR("hpmm developers");
MODULE_LICENSE("GPL");
