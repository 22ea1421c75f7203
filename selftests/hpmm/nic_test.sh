#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nic_test.sh [MODULE]: e1000e_hpa (drivers/e1000e/) on a real NIC with real
# TCP traffic. NIC 1 of qemu-env/run --nics (an e1000e at 00:11.0, behind the
# IOMMU) is bound to e1000e_hpa; the peer is qemu-env/netsrc on the host,
# reached through QEMU's user network. Its receive buffers are pages of an
# HPA pool of hpmm.ko (Documentation/hpa-nic.rst). Cases:
#
#   1. bind: the driver takes the NIC, whose DMA is translated (DMA domain);
#      its HPA pool is registered and ethtool -S shows the pool's hpa_*
#   2. integrity: a file sent over TCP arrives intact (sha256 compared);
#      no receive buffer was mapped on its own (map calls = blocks), pages
#      the stack let go of came home (reclaimed)
#   3. a socket that holds more buffers than the pool has: the pool grows
#      in inject mode; once drained, the pages come home through the
#      reclaim scan: normal mode, and the next 64 MiB take at most one
#      block more
#   4. link down/up while a transfer is in flight: it completes intact,
#      with the same pool
#   5. ring resize (ethtool -G rx/tx) while a transfer is in flight: intact,
#      with the same pool
#   6. every receive mapping of the NIC is a block of its pool (the
#      DMA-API debug kernel's dma-api/dump; SKIP without it)
#   7. rmmod while a socket holds received buffers: the driver goes at once,
#      the queued bytes are still the file's, closing the socket frees them;
#      the pool's destroy unmapped every block (no IOVA page translates,
#      the held pages orphaned to the socket, nothing deferred), no page of
#      the pool was freed to the page allocator while mapped and every one
#      was freed once unmapped (kmem:mm_page_free against hpmm's block
#      map/unmap tracepoints), and no DMA mapping of the NIC is left
#   8. the kernel logged no warning (the guest runs with panic_on_warn=1,
#      so a WARN would have ended the run already)
#
# MODULE is hpmm.ko; e1000e_hpa.ko is drivers/e1000e/build/ beside it, built
# for the running kernel (the tree's for 6.1, scripts/module-build 6.12's in
# .cache/build-6.12/ for 6.12); without it, or built for another kernel, the
# test skips. hpmm is loaded first when e1000e_hpa depends on it; without
# HPA (a driver that does not) the HPA checks skip.
# Every wait is for a state, bounded by HPMM_NIC_WAIT seconds (default
# 120). KTAP output; exit 0 pass, 1 fail, 4 skip.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ktap.sh
. "$DIR/ktap.sh"

ROOT=$(cd "$DIR/../.." && pwd)
MODULE=${1:-$ROOT/hpmm.ko}
MODDIR=$(cd "$(dirname "$MODULE")" 2>/dev/null && pwd)
KO=${HPMM_NIC_KO:-$MODDIR/drivers/e1000e/build/e1000e_hpa.ko}
NIC=1
IF=nic$NIC
DRV=e1000e_hpa
WAIT=${HPMM_NIC_WAIT:-120}
DATA_MIB=${HPMM_NIC_DATA_MIB:-64}
export HPMM_NIC_KO=$KO HPMM_NIC_WAIT=$WAIT
NICCTL=$ROOT/qemu-env/nic
HPA_DIR=/sys/kernel/debug/hpmm/hpa
HPA_STATS=$HPA_DIR/stats
DMA_DUMP=/sys/kernel/debug/dma-api/dump
TRACEFS=/sys/kernel/tracing
TRACE=$TRACEFS/instances/hpmm_nic_test

[ "$(id -u)" -eq 0 ] || ktap_skip_all "nic_test.sh: must be run as root"
[ -x "$NICCTL" ] || ktap_skip_all "nic_test.sh: $NICCTL missing"
[ -e "/sys/bus/pci/devices/$("$NICCTL" bdf $NIC)" ] ||
	ktap_skip_all "nic_test.sh: no NIC $NIC (qemu-env/run --nics 2)"
[ -f "$KO" ] ||
	ktap_skip_all "nic_test.sh: e1000e_hpa not built for kernel $(uname -r) (no $KO)"
for tool in ip ethtool ss sha256sum modinfo taskset; do
	command -v $tool >/dev/null || ktap_skip_all "nic_test.sh: no $tool"
done
# Each kernel series has its own (drivers/e1000e/README): the one beside
# MODULE must be this kernel's.
vermagic=$(modinfo -F vermagic "$KO" | cut -d' ' -f1)
[ "$vermagic" = "$(uname -r)" ] ||
	ktap_skip_all "nic_test.sh: $KO is built for kernel $vermagic, not $(uname -r)"

ktap_header
ktap_plan 8
hpmm_mount_debugfs
hpmm_kmsg_mark nic_test.sh
BDF=$("$NICCTL" bdf $NIC)
POOL=$DRV-$(echo "$BDF" | tr ':.' '--')
HPA=
modinfo -F depends "$KO" | tr ',' '\n' | grep -qx hpmm && HPA=1

# The data file lives in the project tree, where the host's netsrc reads it;
# the rest (FIFOs, which 9p refuses, and received copies) in the guest's /tmp.
DWORK=$(mktemp -d "$ROOT/.cache/nic_test.XXXXXX" 2>/dev/null) ||
	DWORK=$(mktemp -d "$DIR/.nic_test.XXXXXX")
WORK=$(mktemp -d)
LOADED_HPMM=
PIDS=()
cleanup()
{
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	[ -e "/sys/module/$DRV" ] && rmmod "$DRV" 2>/dev/null
	[ -d "$TRACE" ] && rmdir "$TRACE" 2>/dev/null
	[ -n "$LOADED_HPMM" ] && hpmm_unload >/dev/null
	rm -rf "$WORK" "$DWORK"
}
trap cleanup EXIT

# wait_for SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS.
wait_for()
{
	local n=$(($1 * 10))

	shift
	until "$@"; do
		[ $((n -= 1)) -gt 0 ] || return 1
		sleep 0.1
	done
}

size_at_least() # FILE BYTES
{
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ]
}

gone() # PID
{
	! kill -0 "$1" 2>/dev/null
}

has_carrier()
{
	[ "$(cat "/sys/class/net/$IF/carrier" 2>/dev/null)" = 1 ]
}

# The queue of received bytes of the socket connected to the source.
recv_q()
{
	ss -tnH state established "dst $("$NICCTL" src $NIC):9000" |
		awk '{ q += $1 } END { print q + 0 }'
}

queued_at_least() # BYTES
{
	[ "$(recv_q)" -ge "$1" ]
}

# transfer_start NAME: connect to the source through the NIC and ask for the
# data file; a background reader writes what arrives to $WORK/NAME.out. It
# reads 8 MiB, then waits at the gate $WORK/NAME.gate (a FIFO) until
# transfer_release, with the rest of the file in flight or queued.
transfer_start()
{
	local name=$1 fd

	mkfifo "$WORK/$name.gate" || { echo " mkfifo $WORK/$name.gate failed"; return 1; }
	exec {fd}<>"/dev/tcp/$("$NICCTL" src $NIC)/9000" || return 1
	echo "file $DATA" >&$fd
	{
		head -c 8M <&$fd &&
		read -r _ <"$WORK/$name.gate" &&
		cat <&$fd
	} >"$WORK/$name.out" &
	XFER_PID=$!
	PIDS+=("$XFER_PID")
	exec {fd}<&-
	wait_for "$WAIT" size_at_least "$WORK/$name.out" $((8 << 20)) ||
		{ echo " $name: 8 MiB did not arrive in ${WAIT}s"; return 1; }
}

transfer_release() # NAME
{
	echo go >"$WORK/$1.gate"
}

# transfer_check NAME: the reader ends, and what it got is the file.
transfer_check()
{
	local name=$1 got

	wait_for "$WAIT" gone "$XFER_PID" ||
		{ echo " $name: the transfer did not end in ${WAIT}s ($(stat -c %s "$WORK/$name.out") bytes)"; return; }
	wait "$XFER_PID" 2>/dev/null
	got=$(sha256sum <"$WORK/$name.out" | cut -d' ' -f1)
	[ "$got" = "$DATA_SHA" ] ||
		echo " $name: received $(stat -c %s "$WORK/$name.out") bytes, sha256 $got; the file's is $DATA_SHA"
	rm -f "$WORK/$name.out"
}

link_cycle()
{
	ip link set dev "$IF" down || { echo " ip link set down failed"; return; }
	[ "$(cat "/sys/class/net/$IF/operstate")" = down ] ||
		echo " operstate $(cat "/sys/class/net/$IF/operstate") after link down"
	ip link set dev "$IF" up || { echo " ip link set up failed"; return; }
	wait_for "$WAIT" has_carrier || echo " no carrier ${WAIT}s after link up"
}

# ring_set RX TX: resize the rings and check that the driver took the sizes.
ring_set()
{
	local out

	out=$(ethtool -G "$IF" rx "$1" tx "$2" 2>&1) ||
		{ echo " ethtool -G rx $1 tx $2: $out"; return; }
	out=$(ethtool -g "$IF" | awk '/^Current/ { c = 1 } c && /^RX:/ { r = $2 } c && /^TX:/ { t = $2 } END { print r, t }')
	[ "$out" = "$1 $2" ] || echo " rings are $out after ethtool -G rx $1 tx $2"
	wait_for "$WAIT" has_carrier || echo " no carrier ${WAIT}s after the resize"
}

hpa_key()
{
	sed -n "s/^$1: //p" "$HPA_STATS" 2>/dev/null
}

no_deferred_destroy()
{
	[ "$(hpa_key deferred)" = 0 ]
}

# pool_key KEY: a value of the driver's pool in hpmm's debugfs.
pool_key()
{
	sed -n "s/^$1: //p" "$HPA_DIR/pools/$POOL/stats" 2>/dev/null
}

last_key()
{
	sed -n "s/^$1: //p" "$HPA_DIR/last_destroy" 2>/dev/null
}

# pool_check WHAT: the pool is the one bound at case 1 and never failed to
# give a buffer; prints what is wrong.
pool_check()
{
	[ -n "$HPA" ] || return 0
	[ "$(pool_key pool_id)" = "$POOL_ID" ] ||
		echo " $1: pool $POOL has id '$(pool_key pool_id)', not $POOL_ID"
	[ "$(pool_key alloc_fail)" = 0 ] ||
		echo " $1: pool alloc_fail $(pool_key alloc_fail)"
}

# ---- tracing: no page of the pool is freed while mapped ---------------------
#
# A trace instance of its own records hpmm's hpa_block_map/unmap from before
# the bind, and kmem:mm_page_free filtered to the pool's blocks as they are
# when watch_blocks runs (after every case that may add one, and before the
# rmmod). free_check then replays the trace in time order.
TRACING=
trace_start()
{
	[ -d "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
	[ -d "$TRACEFS/events/kmem/mm_page_free" ] || return 1
	[ -d "$TRACE" ] || mkdir "$TRACE" || return 1
	echo 8192 >"$TRACE/buffer_size_kb" &&
	echo 1 >"$TRACE/events/hpmm/hpa_block_map/enable" &&
	echo 1 >"$TRACE/events/hpmm/hpa_block_unmap/enable" && TRACING=1
}

# The blocks mapped now, from the trace: one "PFN ORDER" line each.
mapped_blocks()
{
	awk '
		function field(k,   i) {
			for (i = 1; i <= NF; i++)
				if (index($i, k "=") == 1)
					return substr($i, length(k) + 2)
			return ""
		}
		/hpa_block_map:/ { m[field("pfn")] = field("order") }
		/hpa_block_unmap:/ { delete m[field("pfn")] }
		END { for (p in m) print p, m[p] }' "$TRACE/trace"
}

watch_blocks()
{
	local pfn order filter=

	[ -n "$TRACING" ] || return 0
	while read -r pfn order; do
		filter="$filter${filter:+ || }(pfn >= $pfn && pfn < $(printf '0x%x' $((pfn + (1 << order)))))"
	done < <(mapped_blocks)
	[ -n "$filter" ] || return 0
	echo "$filter" >"$TRACE/events/kmem/mm_page_free/filter" ||
		{ echo " cannot set the mm_page_free filter"; return; }
	echo 1 >"$TRACE/events/kmem/mm_page_free/enable"
	WATCHED=$(mapped_blocks | sort)
}

# watch_blocks until no block was mapped meanwhile (before the rmmod).
watch_all_blocks()
{
	local n

	for n in 1 2 3 4 5; do
		watch_blocks
		[ -z "$TRACING" ] || [ "$(mapped_blocks | sort)" = "$WATCHED" ] && return
	done
	echo " blocks keep being mapped: the free check may miss one"
}

# Replays the trace: "bad N mapped N ranges N pages N freed N lost N".
# bad: frees that overlap a block mapped at the time; mapped: blocks still
# mapped; ranges/pages: blocks seen and their pages; freed: pages freed
# after their block's unmap (each counted once); lost: events the buffer
# dropped.
free_check()
{
	local lost

	lost=$(awk '/^# entries-in-buffer/ && match($0, /[0-9]+\/[0-9]+/) {
			split(substr($0, RSTART, RLENGTH), a, "/")
			n = a[2] - a[1]
		}
		END { print n + 0 }' "$TRACE/trace")
	awk -v lost="$lost" '
		function hex(s,   i, n) {
			n = 0
			s = tolower(s)
			sub(/^0x/, "", s)
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		function field(k,   i) {
			for (i = 1; i <= NF; i++)
				if (index($i, k "=") == 1)
					return substr($i, length(k) + 2)
			return ""
		}
		/hpa_block_map:/ {
			r = ++nr
			start[r] = hex(field("pfn"))
			len[r] = 2 ^ field("order")
			state[r] = 1
			pages += len[r]
		}
		/hpa_block_unmap:/ {
			p = hex(field("pfn"))
			for (r = 1; r <= nr; r++)
				if (start[r] == p && state[r] == 1)
					state[r] = 2
		}
		/mm_page_free:/ {
			p = hex(field("pfn"))
			e = p + 2 ^ field("order")
			for (r = 1; r <= nr; r++) {
				if (p >= start[r] + len[r] || e <= start[r])
					continue
				if (state[r] == 1) {
					bad++
					continue
				}
				# Once unmapped, a page belongs to the allocator: it may
				# be used and freed again; count it once.
				for (q = (p > start[r] ? p : start[r]); q < e && q < start[r] + len[r]; q++)
					if (!(q in seen)) {
						seen[q] = 1
						freed++
					}
			}
		}
		END {
			for (r = 1; r <= nr; r++)
				if (state[r] == 1)
					mapped++
			printf "bad %d mapped %d ranges %d pages %d freed %d lost %d\n", \
				bad, mapped, nr, pages, freed, lost
		}' "$TRACE/trace"
}

free_count_is() # PAGES
{
	[ "$(free_check | awk '{ print $10 }')" -ge "$1" ]
}

# An skb that a reader consumed on another CPU than the one that received
# it waits in that CPU's defer list (skb_attempt_defer_free()) until the
# CPU next runs the network receive softirq: with the NIC gone, make every
# CPU receive a packet (a connection refused on the loopback).
flush_deferred_skbs()
{
	local c

	ip link set dev lo up 2>/dev/null
	for c in $(seq 0 $(($(nproc) - 1))); do
		taskset -c "$c" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null
	done
}

# The NIC's DMA-API debug entries ("TYPE SIZE DIR" lines, the size in hex;
# none without CONFIG_DMA_API_DEBUG).
dma_entries()
{
	[ -r "$DMA_DUMP" ] || return 0
	awk -v bdf="$BDF" '$1 == bdf {
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^L=/)
				l = substr($i, 3)
			if ($i ~ /^DMA_/)
				d = $i
		}
		print $3, l, d }' "$DMA_DUMP"
}

# ---- 1. bind ------------------------------------------------------------------
errors=""
if [ -n "$HPA" ] && [ ! -e /sys/module/hpmm ]; then
	errors=$(hpmm_load "$MODULE")
	[ -n "$errors" ] || LOADED_HPMM=1
fi
if [ -n "$HPA" ] && [ -z "$errors" ]; then
	trace_start || ktap_diag "no tracefs kmem:mm_page_free: the free check of case 7 is left out"
fi
if [ -z "$errors" ]; then
	out=$("$NICCTL" bind $NIC $DRV 2>&1) || errors=" qemu-env/nic bind $NIC $DRV: $out"
fi
if [ -z "$errors" ]; then
	drv=$(ethtool -i "$IF" | sed -n 's/^driver: //p')
	[ "$drv" = $DRV ] || errors=" $IF is driven by $drv"
	type=$(cat "/sys/bus/pci/devices/$BDF/iommu_group/type" 2>/dev/null)
	case $type in
	DMA|DMA-FQ) ;;
	*) errors="$errors iommu domain type '$type' (not translated)" ;;
	esac
fi
if [ -z "$errors" ] && [ -n "$HPA" ]; then
	POOL_ID=$(pool_key pool_id)
	[ -n "$POOL_ID" ] || errors="$errors no HPA pool $POOL in $HPA_DIR/pools"
	ethtool -S "$IF" | grep -q '^ *hpa_blocks:' ||
		errors="$errors no hpa_* statistics in ethtool -S $IF"
	[ "$(pool_key device)" = "$BDF" ] ||
		errors="$errors pool device '$(pool_key device)'"
fi
ktap_result "bind $DRV to NIC $NIC" "$errors"
bound=$([ -z "$errors" ] && echo 1)

# The data: random bytes in the project tree, which the host's netsrc reads.
DATA=$DWORK/data
DATA_SHA=
if [ -n "$bound" ]; then
	head -c "${DATA_MIB}M" /dev/urandom >"$DATA"
	DATA_SHA=$(sha256sum <"$DATA" | cut -d' ' -f1)
fi

# ---- 2. integrity -------------------------------------------------------------
if [ -z "$bound" ]; then
	ktap_skip "file integrity over TCP" "$DRV not bound"
else
	t0=$SECONDS
	errors=$(
		exec 3<>"/dev/tcp/$("$NICCTL" src $NIC)/9000" || { echo " cannot connect"; exit; }
		echo "file $DATA" >&3
		got=$(sha256sum <&3 | cut -d' ' -f1)
		[ "$got" = "$DATA_SHA" ] || echo " sha256 $got, the file's is $DATA_SHA"
		[ -n "$HPA" ] || exit 0
		pool_check integrity
		# One map call per block or single page: none per buffer.
		ranges=$(($(pool_key blocks) + $(pool_key fallback_pages)))
		[ "$(pool_key map_calls)" = "$ranges" ] ||
			echo " pool map_calls $(pool_key map_calls) for $ranges mapped ranges"
		[ "$(pool_key unmap_calls)" = 0 ] ||
			echo " pool unmap_calls $(pool_key unmap_calls) while alive"
		# 64 MiB is thousands of buffers: the stack's came home.
		[ "$(pool_key reclaimed)" -gt 0 ] ||
			echo " no page came home through the reclaim scan"
	)
	watch_blocks
	[ -z "$HPA" ] || ktap_diag "pool: $(pool_key blocks) blocks, $(pool_key allocs) allocations, $(pool_key reclaimed) pages reclaimed, $(pool_key map_calls) map calls"
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "file integrity over TCP (${DATA_MIB} MiB)" "$errors"
fi

# ---- 3. a socket that holds its buffers: inject mode, then home -------------
if [ -z "$bound" ] || [ -z "$HPA" ]; then
	ktap_skip "a socket holds its buffers: inject mode, pages come home" \
		"$([ -z "$bound" ] && echo "$DRV not bound" || echo "$DRV without HPA")"
else
	t0=$SECONDS
	errors=$(
		old_rmem=$(sysctl -n net.ipv4.tcp_rmem)
		blocks0=$(pool_key blocks)
		# More buffers than the pool has (2 per page), plus the ring's.
		target=$((($(pool_key pages) + 256) * 2 * 1448))
		[ "$target" -ge $((2 << 20)) ] || target=$((2 << 20))
		# A receive buffer that holds that much (truesize: 2 KiB each).
		sysctl -qw net.ipv4.tcp_rmem="4096 $((target * 2)) $((target * 4))"
		exec 3<>"/dev/tcp/$("$NICCTL" src $NIC)/9000" || { echo " cannot connect"; exit; }
		sysctl -qw net.ipv4.tcp_rmem="$old_rmem"
		echo "file $DATA" >&3
		wait_for "$WAIT" queued_at_least "$target" ||
			{ echo " only $(recv_q) bytes queued after ${WAIT}s, waited for $target"; exit; }
		held=$(pool_key inflight)
		blocks=$(pool_key blocks)
		mode=$(pool_key mode)
		# Grown beyond its first block while the socket holds them:
		# inject mode until recycling refills the backup ring.
		[ "$blocks" -gt "$blocks0" ] ||
			echo " held: the pool did not grow ($blocks0 blocks, $(recv_q) bytes held)"
		[ "$mode" = inject ] || echo " held: mode $mode with $blocks blocks"
		got=$(sha256sum <&3 | cut -d' ' -f1)
		exec 3<&-
		[ "$got" = "$DATA_SHA" ] || echo " drained: sha256 $got, the file's is $DATA_SHA"
		# Another transfer: the allocations run dry, the scan brings the
		# drained pages home, the backup ring refills: normal mode. The
		# pool grows by one block at most: when it first runs dry, the
		# scan may not be due yet (scan_interval), later it always is.
		blocks1=$(pool_key blocks)
		reclaimed=$(pool_key reclaimed)
		exec 3<>"/dev/tcp/$("$NICCTL" src $NIC)/9000" || { echo " cannot connect"; exit; }
		echo "file $DATA" >&3
		got=$(sha256sum <&3 | cut -d' ' -f1)
		exec 3<&-
		[ "$got" = "$DATA_SHA" ] || echo " after: sha256 $got, the file's is $DATA_SHA"
		back=$(($(pool_key reclaimed) - reclaimed))
		[ "$back" -ge "$held" ] ||
			echo " after: $back pages reclaimed, $held were out while held"
		[ "$(pool_key mode)" = normal ] || echo " after: mode $(pool_key mode)"
		[ "$(pool_key blocks)" -le $((blocks1 + 1)) ] ||
			echo " after: the pool grew from $blocks1 to $(pool_key blocks) blocks"
		pool_check hold
		echo "held $target bytes: $held pages out, $blocks0 -> $blocks blocks, mode $mode; then $back pages reclaimed, mode $(pool_key mode), $(pool_key blocks) blocks" >"$WORK/hold"
	)
	watch_blocks
	[ ! -s "$WORK/hold" ] || ktap_diag "$(cat "$WORK/hold")"
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "a socket holds its buffers: inject mode, pages come home" "$errors"
fi

# ---- 4. link down/up in flight ------------------------------------------------
if [ -z "$bound" ]; then
	ktap_skip "link down/up during a transfer" "$DRV not bound"
else
	t0=$SECONDS
	errors=$(
		transfer_start flap || exit
		# Once with the reader stopped (the window full, data in the
		# ring and in flight), once with it reading.
		link_cycle
		transfer_release flap
		link_cycle
		transfer_check flap
		pool_check "link down/up"
	)
	watch_blocks
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "link down/up during a transfer" "$errors"
fi

# ---- 5. ring resize in flight -------------------------------------------------
if [ -z "$bound" ]; then
	ktap_skip "ring resize during a transfer" "$DRV not bound"
else
	t0=$SECONDS
	errors=$(
		transfer_start ring || exit
		ring_set 64 64
		ring_set 4096 4096
		transfer_release ring
		ring_set 512 128
		ring_set 256 256
		transfer_check ring
		pool_check "ring resize"
	)
	watch_blocks
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "ring resize during a transfer" "$errors"
fi

# ---- 6. the NIC's receive mappings are its pool's blocks ----------------------
if [ -z "$bound" ] || [ -z "$HPA" ] || [ ! -r "$DMA_DUMP" ]; then
	ktap_skip "every receive mapping of the NIC is a pool block" \
		"$([ -r "$DMA_DUMP" ] && echo "$DRV not bound or without HPA" || echo "no DMA-API debug ($DMA_DUMP)")"
else
	errors=$(
		blocks=$(pool_key blocks)
		single=$(pool_key fallback_pages)
		read -r nb ns other < <(dma_entries | awk '
			$3 == "DMA_FROM_DEVICE" && $2 == "200000" { b++; next }
			$3 == "DMA_FROM_DEVICE" && $2 == "1000" { s++; next }
			$3 == "DMA_FROM_DEVICE" { o++ }
			END { print b + 0, s + 0, o + 0 }')
		[ "$nb $ns $other" = "$blocks $single 0" ] ||
			echo " receive mappings of $BDF: $nb of 2 MiB, $ns of 4 KiB, $other others; the pool has $blocks blocks and $single single pages"
	)
	ktap_diag "DMA-API entries of $BDF: $(dma_entries | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
	ktap_result "every receive mapping of the NIC is a pool block" "$errors"
fi

# ---- 7. rmmod with buffers held by a socket -----------------------------------
if [ -z "$bound" ]; then
	ktap_skip "rmmod while a socket holds received buffers" "$DRV not bound"
else
	t0=$SECONDS
	errors=$(
		old_rmem=$(sysctl -n net.ipv4.tcp_rmem)
		# A socket that holds megabytes, not the 128 KiB default.
		sysctl -qw net.ipv4.tcp_rmem="4096 4194304 8388608"
		exec 3<>"/dev/tcp/$("$NICCTL" src $NIC)/9000" || { echo " cannot connect"; exit; }
		sysctl -qw net.ipv4.tcp_rmem="$old_rmem"
		echo "file $DATA" >&3
		wait_for "$WAIT" queued_at_least $((1 << 20)) ||
			{ echo " only $(recv_q) bytes queued after ${WAIT}s"; exit; }
		q=$(recv_q)
		if [ -n "$HPA" ]; then
			watch_all_blocks
			inflight=$(pool_key inflight)
			pages=$(pool_key pages)
			ranges=$(($(pool_key blocks) + $(pool_key fallback_pages)))
			destroyed=$(hpa_key destroyed)
		fi
		out=$(rmmod $DRV 2>&1) || { echo " rmmod $DRV: $out"; exit; }
		[ ! -e /sys/module/$DRV ] || echo " /sys/module/$DRV still present"
		[ ! -e "/sys/bus/pci/devices/$BDF/net" ] ||
			echo " the NIC still has an interface"
		if [ -n "$HPA" ]; then
			# Destroyed before rmmod returned: nothing deferred.
			[ ! -e "$HPA_DIR/pools/$POOL" ] ||
				echo " pool $POOL still registered after rmmod ($(pool_key destroy_state))"
			[ "$(hpa_key destroyed)" = $((destroyed + 1)) ] ||
				echo " destroys $(hpa_key destroyed), were $destroyed"
			[ "$(last_key name)" = "$POOL" ] ||
				echo " last destroy is of '$(last_key name)'"
			[ "$(last_key deferred)" = 0 ] || echo " the destroy was deferred"
			[ "$(last_key blocks)" = "$ranges" ] ||
				echo " $(last_key blocks) ranges unmapped, the pool had $ranges"
			[ "$(last_key iova_checked)" = "$pages" ] ||
				echo " $(last_key iova_checked) IOVA pages looked up, the pool had $pages"
			[ "$(last_key iova_skipped)" = 0 ] || echo " IOVA check skipped"
			[ "$(last_key iova_mapped)" = 0 ] ||
				echo " $(last_key iova_mapped) IOVA pages still translate after the destroy"
			[ "$(last_key withheld)" = 0 ] ||
				echo " $(last_key withheld) pages withheld"
			orphaned=$(last_key orphaned)
			[ "$orphaned" -gt 0 ] ||
				echo " no page held by the socket at the destroy (orphaned 0, inflight was $inflight)"
			[ $(($(last_key pages_freed) + orphaned)) = "$pages" ] ||
				echo " $(last_key pages_freed) pages freed + $orphaned orphaned, the pool had $pages"
			[ -z "$(dma_entries)" ] ||
				echo " DMA-API entries of $BDF after rmmod: $(dma_entries | tr '\n' ';')"
		fi
		# The held bytes are still the file's first bytes.
		got=$(head -c "$q" <&3 | sha256sum | cut -d' ' -f1)
		want=$(head -c "$q" "$DATA" | sha256sum | cut -d' ' -f1)
		[ "$got" = "$want" ] || echo " the $q bytes held across rmmod differ from the file's"
		exec 3<&-
		if [ -f "$HPA_STATS" ]; then
			wait_for "$WAIT" no_deferred_destroy ||
				echo " an HPA destroy still waits for pages ${WAIT}s after the socket closed"
			[ "$(hpa_key iova_mapped)" = 0 ] ||
				echo " hpa iova_mapped $(hpa_key iova_mapped) after the destroy"
		fi
		if [ -n "$HPA" ] && [ -n "$TRACING" ]; then
			# The socket's pages were freed as it closed (close()
			# returns once the socket is gone) or wait in a CPU's
			# defer list, the others at the rmmod. Once free, they
			# are the page allocator's and are freed again and
			# again: stop recording soon.
			for n in 1 2 3 4 5 6 7 8 9 10; do
				flush_deferred_skbs
				free_count_is "$pages" && break
				sleep 0.5
			done
			echo 0 >"$TRACE/events/kmem/mm_page_free/enable"
			read -r _ bad _ mapped _ nr _ total _ freed _ lost < <(free_check)
			[ "$bad" = 0 ] || echo " $bad frees of pool pages while their block was mapped"
			[ "$mapped" = 0 ] || echo " $mapped blocks never unmapped"
			[ "$lost" = 0 ] || echo " the trace lost $lost events"
			[ "$freed" = "$total" ] ||
				echo " $freed of the $total pages of $nr blocks freed after their unmap"
			echo "trace: $nr blocks mapped and unmapped, $freed of $total pages freed after the unmap, $bad while mapped" >"$WORK/trace"
		fi
		echo "held $q ${orphaned:-}" >"$WORK/held"
	)
	read -r held orphaned < <(sed -n 's/^held //p' "$WORK/held" 2>/dev/null)
	[ -z "$held" ] || ktap_diag "rmmod with $held bytes queued in a socket${orphaned:+, $orphaned pool pages orphaned to it}"
	[ ! -s "$WORK/trace" ] || ktap_diag "$(cat "$WORK/trace")"
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "rmmod while a socket holds received buffers" "$errors"
fi

# ---- 8. kernel log ------------------------------------------------------------
problems=$(hpmm_kmsg_problems)
ktap_result "kernel log clean" "${problems:+$'\n'$problems}"

ktap_finish
