// SPDX-License-Identifier: GPL-2.0
/*
 * "all": a page stays pinned from its first access until the domain goes,
 * as today's device pass-through pins all guest memory (here lazily, on
 * first touch, so each page faults exactly once). Pure logic.
 */
#include "../pin_set.h"

const struct vpri_policy_ops vpri_policy_all = {
	.name = "all",
	.needs_budget = false,
	.unpin_after_dma = false,
};
