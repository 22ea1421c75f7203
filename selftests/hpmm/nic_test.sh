#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nic_test.sh [MODULE]: e1000e_hpa (drivers/e1000e/) on a real NIC with real
# TCP traffic. NIC 1 of qemu-env/run --nics (an e1000e at 00:11.0, behind the
# IOMMU) is bound to e1000e_hpa; the peer is qemu-env/netsrc on the host,
# reached through QEMU's user network. Cases:
#
#   1. bind: the driver takes the NIC, whose DMA is translated (DMA domain)
#   2. integrity: a file sent over TCP arrives intact (sha256 compared)
#   3. link down/up while a transfer is in flight: it completes intact
#   4. ring resize (ethtool -G rx/tx) while a transfer is in flight: intact
#   5. rmmod while a socket holds received buffers: the driver goes, the
#      queued bytes are still the file's, closing the socket frees them;
#      with HPA (hpmm's debugfs present) every pool destroy completes with
#      no IOVA left mapped
#   6. the kernel logged no warning (the guest runs with panic_on_warn=1,
#      so a WARN would have ended the run already)
#
# MODULE is hpmm.ko; e1000e_hpa.ko is drivers/e1000e/build/ beside it (so a
# tree without the driver, as check-debug's copy, skips). hpmm is loaded
# first only when e1000e_hpa depends on it. Every wait is for a state,
# bounded by HPMM_NIC_WAIT seconds (default 120). KTAP output; exit 0 pass,
# 1 fail, 4 skip.

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
HPA_STATS=/sys/kernel/debug/hpmm/hpa/stats

[ "$(id -u)" -eq 0 ] || ktap_skip_all "nic_test.sh: must be run as root"
[ -x "$NICCTL" ] || ktap_skip_all "nic_test.sh: $NICCTL missing"
[ -e "/sys/bus/pci/devices/$("$NICCTL" bdf $NIC)" ] ||
	ktap_skip_all "nic_test.sh: no NIC $NIC (qemu-env/run --nics 2)"
case $(uname -r) in
6.1.*) ;;
*) ktap_skip_all "nic_test.sh: e1000e_hpa is 6.1's e1000e, not built for kernel $(uname -r)" ;;
esac
[ -f "$KO" ] || ktap_skip_all "nic_test.sh: $KO not built"
for tool in ip ethtool ss sha256sum modinfo; do
	command -v $tool >/dev/null || ktap_skip_all "nic_test.sh: no $tool"
done

ktap_header
ktap_plan 6
hpmm_mount_debugfs
hpmm_kmsg_mark nic_test.sh

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

# ---- 1. bind ------------------------------------------------------------------
errors=""
if modinfo -F depends "$KO" | tr ',' '\n' | grep -qx hpmm; then
	if [ ! -e /sys/module/hpmm ]; then
		errors=$(hpmm_load "$MODULE")
		[ -n "$errors" ] || LOADED_HPMM=1
	fi
fi
if [ -z "$errors" ]; then
	out=$("$NICCTL" bind $NIC $DRV 2>&1) || errors=" qemu-env/nic bind $NIC $DRV: $out"
fi
if [ -z "$errors" ]; then
	drv=$(ethtool -i "$IF" | sed -n 's/^driver: //p')
	[ "$drv" = $DRV ] || errors=" $IF is driven by $drv"
	type=$(cat "/sys/bus/pci/devices/$("$NICCTL" bdf $NIC)/iommu_group/type" 2>/dev/null)
	case $type in
	DMA|DMA-FQ) ;;
	*) errors="$errors iommu domain type '$type' (not translated)" ;;
	esac
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
	)
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "file integrity over TCP (${DATA_MIB} MiB)" "$errors"
fi

# ---- 3. link down/up in flight ------------------------------------------------
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
	)
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "link down/up during a transfer" "$errors"
fi

# ---- 4. ring resize in flight -------------------------------------------------
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
	)
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "ring resize during a transfer" "$errors"
fi

# ---- 5. rmmod with buffers held by a socket -----------------------------------
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
		out=$(rmmod $DRV 2>&1) || { echo " rmmod $DRV: $out"; exit; }
		[ ! -e /sys/module/$DRV ] || echo " /sys/module/$DRV still present"
		[ ! -e "/sys/bus/pci/devices/$("$NICCTL" bdf $NIC)/net" ] ||
			echo " the NIC still has an interface"
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
		echo "held $q" >"$WORK/held"
	)
	held=$(sed -n 's/^held //p' "$WORK/held" 2>/dev/null)
	[ -z "$held" ] || ktap_diag "rmmod with $held bytes queued in a socket"
	ktap_diag "$((SECONDS - t0)) s"
	ktap_result "rmmod while a socket holds received buffers" "$errors"
fi

# ---- 6. kernel log ------------------------------------------------------------
problems=$(hpmm_kmsg_problems)
ktap_result "kernel log clean" "${problems:+$'\n'$problems}"

ktap_finish
