#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced in the guest by the VPRI benchmarks: real overcommit needs swap and
# a memory cgroup. vpri_env_setup [ZRAM_SIZE] mounts cgroup v2 (if needed),
# enables its memory controller and puts a zram swap device in place
# (Debian's zram module, lzo-rle). vpri_env_teardown undoes the swap.

vpri_env_setup()
{
	local size=${1:-1G}

	mountpoint -q /sys/fs/cgroup ||
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control || return 1
	if ! grep -q '^/dev/zram0 ' /proc/swaps; then
		modprobe zram num_devices=1 || return 1
		echo "$size" >/sys/block/zram0/disksize || return 1
		mkswap /dev/zram0 >/dev/null || return 1
		swapon /dev/zram0 || return 1
	fi
	# Reclaim anonymous memory readily, as a host overcommitting VMs does.
	echo 100 >/proc/sys/vm/swappiness
}

vpri_env_teardown()
{
	swapoff /dev/zram0 2>/dev/null
	echo 1 >/sys/block/zram0/reset 2>/dev/null
	true
}
