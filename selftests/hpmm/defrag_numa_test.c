// SPDX-License-Identifier: GPL-2.0
/*
 * DEFRAG on a NUMA machine (Documentation/defrag.rst, "NUMA"): blocks are
 * per node, an allocation gets the node it asks for or the caller's local
 * one, falls back to other nodes when its own cannot serve it, a page a
 * mapping faults in comes from the faulting CPU's node, and the group's
 * stats and blocks file say which node each block is on.
 *
 * Needs root, hpmm.ko and hpmm_test.ko and at least two online NUMA
 * nodes with memory and a CPU each (qemu-env/run --numa 2; scripts/check
 * boots such a guest for it); else SKIP.
 */
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#include "hpmm_test.h"
#include "hpmm_defrag.h"

#define DFG_DIR		HPMM_DFG_DIR
#define PAGE		4096UL
#define GROUP		"kt_numa"
#define GROUP_STATS	DFG_DIR "/groups/" GROUP "/stats"

/* The first CPU of node @nid (from its cpulist), or -1. */
static int node_cpu(int nid)
{
	char path[96];
	int cpu = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist",
		 nid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &cpu) != 1)
		cpu = -1;
	fclose(f);
	return cpu;
}

/* Online nodes 0 and 1 each with a CPU: whether the test can run. */
static bool two_nodes(void)
{
	return !access("/sys/devices/system/node/node1", F_OK) &&
	       node_cpu(0) >= 0 && node_cpu(1) >= 0;
}

static int pin_to_node(int nid)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(node_cpu(nid), &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int alloc_node(int tfd, __u64 group, unsigned int order, int node,
		      __u64 *pfn, __u64 *out_node)
{
	struct hpmm_test_defrag_alloc a = {
		.size = sizeof(a),
		.group_id = group,
		.order = order,
		.mobility = HPMM_TEST_DEFRAG_UNMOVABLE,
		.flags = node >= 0 ? HPMM_TEST_DEFRAG_NODE : 0,
		.node = node,
	};

	if (ioctl(tfd, HPMM_TEST_DEFRAG_ALLOC, &a))
		return -errno;
	*pfn = a.out_pfn;
	*out_node = a.out_node;
	return 0;
}

static long long node_blocks(int nid)
{
	char key[32];

	snprintf(key, sizeof(key), "node%d_blocks", nid);
	return hpmm_dbg_value(key, "%s", GROUP_STATS);
}

FIXTURE(numa) {
	int fd, tfd;
	__u64 id;
	cpu_set_t cpus;
};

FIXTURE_SETUP(numa)
{
	long long id;

	self->fd = -1;
	self->tfd = -1;
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(self->cpus), &self->cpus));
	if (geteuid())
		SKIP(return, "not root");
	ASSERT_EQ(0, hpmm_mount_debugfs());
	if (access(DFG_DIR, F_OK))
		SKIP(return, "hpmm is not loaded or has no defrag component");
	if (!two_nodes())
		SKIP(return, "fewer than two NUMA nodes with CPUs (qemu-env/run --numa 2)");
	self->fd = open(HPMM_DEV_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->tfd = hpmm_test_open();
	if (self->tfd < 0)
		SKIP(return, "hpmm_test.ko is not loaded");
	id = hpmm_dfg_create(self->fd, GROUP,
			     (struct hpmm_defrag_group_create){});
	ASSERT_LT(0, id) TH_LOG("create: %s", strerror((int)-id));
	self->id = id;
}

FIXTURE_TEARDOWN(numa)
{
	sched_setaffinity(0, sizeof(self->cpus), &self->cpus);
	if (self->tfd >= 0)
		close(self->tfd);
	if (self->fd >= 0)
		close(self->fd);
}

/* Asked for a node, every order comes from a block of that node. */
TEST_F(numa, allocation_gets_its_node)
{
	/* The 6.1 harness runs the body after a SKIP() in setup. */
	if (_metadata->skip)
		return;
	static const unsigned int orders[] = { 0, 3, 9 };
	__u64 pfn[2][3], nid = 0;
	unsigned int n, i;

	for (n = 0; n < 2; n++)
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, alloc_node(self->tfd, self->id, orders[i],
						n, &pfn[n][i], &nid));
			EXPECT_EQ((__u64)n, nid) TH_LOG("order %u", orders[i]);
		}
	EXPECT_LE(1, node_blocks(0));
	EXPECT_LE(1, node_blocks(1));
	EXPECT_EQ(hpmm_dbg_value("blocks", "%s", GROUP_STATS),
		  node_blocks(0) + node_blocks(1));
	for (n = 0; n < 2; n++)
		for (i = 0; i < 3; i++)
			EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[n][i],
						   orders[i]));
}

/* Without a node, the caller's CPU's node: order 0 through the cache too. */
TEST_F(numa, allocation_gets_the_local_node)
{
	if (_metadata->skip)
		return;
	__u64 pfn[2][2], nid = 0;
	unsigned int n, i;

	for (n = 0; n < 2; n++) {
		ASSERT_EQ(0, pin_to_node(n));
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, alloc_node(self->tfd, self->id, i ? 2 : 0,
						-1, &pfn[n][i], &nid));
			EXPECT_EQ((__u64)n, nid) TH_LOG("order %u on a CPU of node %u",
						 i ? 2 : 0, n);
		}
	}
	for (n = 0; n < 2; n++)
		for (i = 0; i < 2; i++)
			EXPECT_EQ(0, hpmm_dfg_free(self->tfd, pfn[n][i],
						   i ? 2 : 0));
}

/*
 * A group at its limit of one block, on node 0: an allocation that asks
 * for node 1 cannot get a block there, so it falls back to the room the
 * group has on node 0 instead of failing; with no room anywhere it fails.
 */
TEST_F(numa, allocation_falls_back_to_another_node)
{
	if (_metadata->skip)
		return;
	struct hpmm_defrag_group_set set = {
		.size = sizeof(set),
		.group_id = self->id,
		.fields = HPMM_DEFRAG_GROUP_LIMIT,
		.limit = 1,
	};
	__u64 first = 0, second = 0, nid = 0, big = 0;

	ASSERT_EQ(0, ioctl(self->fd, HPMM_DEFRAG_IOCTL_GROUP_SET, &set));
	ASSERT_EQ(0, alloc_node(self->tfd, self->id, 0, 0, &first, &nid));
	ASSERT_EQ(0ULL, nid);
	ASSERT_EQ(1, node_blocks(0));
	ASSERT_EQ(0, alloc_node(self->tfd, self->id, 0, 1, &second, &nid));
	EXPECT_EQ(0ULL, nid);
	EXPECT_EQ(0, node_blocks(1));
	/* A 2 MiB run needs a block the limit does not allow: ENOMEM. */
	EXPECT_EQ(-ENOMEM, alloc_node(self->tfd, self->id, 9, 1, &big, &nid));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, first, 0));
	EXPECT_EQ(0, hpmm_dfg_free(self->tfd, second, 0));
}

/* A page a mapping faults in comes from the faulting CPU's node. */
TEST_F(numa, fault_gets_the_local_node)
{
	if (_metadata->skip)
		return;
	const size_t pages = 1024;
	unsigned int n;
	char *m;
	size_t i;

	ASSERT_EQ(0, hpmm_dfg_map(self->fd, self->id,
				  HPMM_DEFRAG_PLACEMENT_PAGE));
	m = mmap(NULL, 2 * pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	for (n = 0; n < 2; n++) {
		long long before = node_blocks(n);

		ASSERT_EQ(0, pin_to_node(n));
		for (i = n * pages; i < (n + 1) * pages; i++)
			m[i * PAGE] = 1;
		/* 4 MiB faulted on node n: at least 2 blocks more there. */
		EXPECT_LE(before + 2, node_blocks(n)) TH_LOG("node %u", n);
	}
	ASSERT_EQ(0, munmap(m, 2 * pages * PAGE));
}

/* The first node number with no node, or -1. */
static int absent_node(void)
{
	char path[64];
	int n;

	for (n = 2; n < 1024; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d",
			 n);
		if (access(path, F_OK))
			return n;
	}
	return -1;
}

/* A node that is not online, or a flag that does not exist: EINVAL. */
TEST_F(numa, bad_node_is_refused)
{
	if (_metadata->skip)
		return;
	const int bad[] = { -1, absent_node(), 1024, INT32_MAX, INT32_MIN };
	struct hpmm_test_defrag_alloc a = {
		.size = sizeof(a),
		.group_id = self->id,
		.mobility = HPMM_TEST_DEFRAG_UNMOVABLE,
		.flags = 2,
	};
	unsigned int i;

	EXPECT_EQ(-1, ioctl(self->tfd, HPMM_TEST_DEFRAG_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	a.flags = HPMM_TEST_DEFRAG_NODE;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.node = bad[i];
		EXPECT_EQ(-1, ioctl(self->tfd, HPMM_TEST_DEFRAG_ALLOC, &a))
			TH_LOG("node %d", bad[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0, node_blocks(0) + node_blocks(1));
}

TEST_HARNESS_MAIN
