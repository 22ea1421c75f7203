// SPDX-License-Identifier: GPL-2.0
/*
 * "none": nothing stays pinned. Every access faults, pins its page for the
 * duration of the access and unpins it when the access is over: the
 * pin/unpin-around-each-DMA model of a driver without an IOMMU fault path.
 * Pure logic.
 */
#include "../pin_set.h"

const struct vpri_policy_ops vpri_policy_none = {
	.name = "none",
	.needs_budget = false,
	.unpin_after_dma = true,
};
