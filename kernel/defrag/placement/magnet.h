/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MAGNET: PTEMagnet-style reservations in hpmm mappings, a placement
 * policy of DEFRAG (Documentation/magnet.rst). Shared by magnet.c and
 * magnet_debugfs.c.
 */
#ifndef _HPMM_DEFRAG_PLACEMENT_MAGNET_H
#define _HPMM_DEFRAG_PLACEMENT_MAGNET_H

#include <linux/atomic.h>
#include <linux/types.h>

struct dentry;

/* Pages in a reservation: one 64-byte cache line of PTEs, 32 KiB. */
#define MAGNET_ORDER		3
#define MAGNET_RUN_PAGES	BIT(MAGNET_ORDER)

/**
 * struct magnet_stats - MAGNET's counters (debugfs magnet/stats)
 * @reservations: order-3 runs reserved by a first fault in a group
 * @faults_from_reservation: faults served with a page of a reservation
 * @unused_reserved_now: reserved pages not mapped yet
 * @unused_reserved_peak: the most @unused_reserved_now has been
 * @shrinker_freed: unused reserved pages given back under pressure
 * @fallbacks: faults that got a single page because no run could be had
 * @released_unmap: unused reserved pages given back at munmap
 * @released_exit: unused reserved pages given back at exit or teardown
 * @private_skipped: faults in private (MAP_PRIVATE) VMAs left to DEFRAG
 * @edge_skipped: faults in a group not wholly inside the mapping
 * @maps: mappings served with reservations now
 */
struct magnet_stats {
	atomic64_t reservations;
	atomic64_t faults_from_reservation;
	atomic64_t unused_reserved_now;
	atomic64_t unused_reserved_peak;
	atomic64_t shrinker_freed;
	atomic64_t fallbacks;
	atomic64_t released_unmap;
	atomic64_t released_exit;
	atomic64_t private_skipped;
	atomic64_t edge_skipped;
	atomic64_t maps;
};

extern struct magnet_stats magnet_stats;

unsigned long magnet_shrink(unsigned long nr, u32 reason);
void magnet_reset_peak(void);

int magnet_debugfs_init(struct dentry *root);
void magnet_debugfs_exit(void);

#endif /* _HPMM_DEFRAG_PLACEMENT_MAGNET_H */
