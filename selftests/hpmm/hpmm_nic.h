/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NIC of qemu-env/run --nics for the C selftests that drive e1000e_hpa
 * (drivers/e1000e/, Documentation/hpa-nic.rst) themselves: fail_nth_test
 * (probe, a ring resize, remove) and fuzz_test (its ethtool interfaces).
 * nic_test.sh and qemu-env/nic do the same in shell.
 *
 * NIC i is PCI 0000:00:1i.0; e1000e_hpa.ko is built beside hpmm.ko, in
 * drivers/e1000e/build/. A NIC is bound through driver_override, so that
 * no other driver takes it; nic_release() parks it again.
 */
#ifndef HPMM_NIC_H
#define HPMM_NIC_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#define HPMM_NIC_DRIVER		"e1000e_hpa"
#define HPMM_NIC_PARKED		"hpmm_nic_parked"
#define HPMM_NIC_BDF		"0000:00:11.0"	/* NIC 1, as nic_test.sh */
#define HPMM_NIC_PCI		"/sys/bus/pci"

/* Copies @src into @out, truncated to @size - 1 characters. */
static inline void hpmm_nic_copy(char *out, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(out, src, n);
	out[n] = '\0';
}

static inline int hpmm_nic_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : n == (ssize_t)strlen(val) ? 0 : -EIO;
	close(fd);
	return n;
}

/*
 * The running kernel's release, for a SKIP that says which kernel has no
 * e1000e_hpa.ko (each kernel series builds its own: drivers/e1000e/README).
 */
static inline const char *hpmm_nic_kernel(void)
{
	static struct utsname u;

	return uname(&u) ? "?" : u.release;
}

/* Whether the NIC exists (an Intel device at @bdf). */
static inline bool hpmm_nic_present(const char *bdf)
{
	char path[PATH_MAX], buf[16] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/vendor", bdf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && !strncmp(buf, "0x8086", 6);
}

/* The driver bound to @bdf, "" when none. */
static inline void hpmm_nic_driver(const char *bdf, char *out, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *slash;
	ssize_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	slash = strrchr(link, '/');
	hpmm_nic_copy(out, slash ? slash + 1 : link, size);
}

static inline bool hpmm_nic_bound(const char *bdf)
{
	char drv[64];

	hpmm_nic_driver(bdf, drv, sizeof(drv));
	return !strcmp(drv, HPMM_NIC_DRIVER);
}

/*
 * Loads e1000e_hpa.ko from beside @hpmm_ko (hpmm.ko, already loaded) and
 * takes @bdf from whatever driver has it: unbound, its driver_override set
 * to e1000e_hpa, so that a bind (or nothing else) probes it.
 * 0, -ENOENT when the driver is not built, or -errno.
 */
static inline int hpmm_nic_prepare(const char *hpmm_ko, const char *bdf)
{
	char path[PATH_MAX], drv[64];
	const char *slash = strrchr(hpmm_ko, '/');
	int fd, ret;

	hpmm_nic_driver(bdf, drv, sizeof(drv));
	if (drv[0]) {
		snprintf(path, sizeof(path), HPMM_NIC_PCI "/drivers/%s/unbind",
			 drv);
		ret = hpmm_nic_write(path, bdf);
		if (ret)
			return ret;
	}
	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/driver_override",
		 bdf);
	ret = hpmm_nic_write(path, HPMM_NIC_DRIVER);
	if (ret)
		return ret;
	if (!access(HPMM_NIC_PCI "/drivers/" HPMM_NIC_DRIVER, F_OK))
		return 0;
	snprintf(path, sizeof(path), "%.*sdrivers/e1000e/build/%s.ko",
		 slash ? (int)(slash - hpmm_ko + 1) : 0, hpmm_ko,
		 HPMM_NIC_DRIVER);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	ret = syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST ?
	      -errno : 0;
	close(fd);
	/* A NIC with driver_override set to it was probed at load: unbind. */
	if (!ret && hpmm_nic_bound(bdf))
		ret = hpmm_nic_write(HPMM_NIC_PCI "/drivers/" HPMM_NIC_DRIVER
				     "/unbind", bdf);
	return ret;
}

static inline int hpmm_nic_bind(const char *bdf)
{
	return hpmm_nic_write(HPMM_NIC_PCI "/drivers/" HPMM_NIC_DRIVER "/bind",
			      bdf);
}

static inline int hpmm_nic_unbind(const char *bdf)
{
	if (!hpmm_nic_bound(bdf))
		return 0;
	return hpmm_nic_write(HPMM_NIC_PCI "/drivers/" HPMM_NIC_DRIVER
			      "/unbind", bdf);
}

/*
 * Unbinds @bdf, parks it (driver_override to no driver) and unloads
 * e1000e_hpa, so that hpmm can be unloaded. 0 or -errno.
 */
static inline int hpmm_nic_release(const char *bdf)
{
	char path[PATH_MAX];
	int i, ret = hpmm_nic_unbind(bdf);

	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/driver_override",
		 bdf);
	hpmm_nic_write(path, HPMM_NIC_PARKED);
	for (i = 0; i < 100; i++) {
		if (!syscall(SYS_delete_module, HPMM_NIC_DRIVER, O_NONBLOCK) ||
		    errno == ENOENT)
			return ret;
		usleep(20000);
	}
	return ret ? ret : -EBUSY;
}

/*
 * Holds @bdf enabled (PCI "enable" in sysfs: a pci_enable_device() of its
 * own, which needs the device unbound), or lets go of it. While held, a
 * driver's pci_enable_device() and pci_disable_device() only count, so the
 * firmware's interrupt routing (ACPI _PRT) is not evaluated in between.
 */
static inline int hpmm_nic_hold_enabled(const char *bdf, bool hold)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/enable", bdf);
	return hpmm_nic_write(path, hold ? "1" : "0");
}

/*
 * Lets drivers that bind @bdf from now on use MSI and MSI-X, or not (PCI
 * "msi_bus" in sysfs, which for a device without a subordinate bus sets its
 * no_msi): without them e1000e falls back to the legacy interrupt, whose
 * descriptor and /proc/irq entries live as long as the device is enabled.
 */
static inline int hpmm_nic_allow_msi(const char *bdf, bool allow)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/msi_bus", bdf);
	return hpmm_nic_write(path, allow ? "1" : "0");
}

/* The interface of @bdf, bound; 0 or -ENOENT. */
static inline int hpmm_nic_ifname(const char *bdf, char *out, size_t size)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), HPMM_NIC_PCI "/devices/%s/net", bdf);
	dir = opendir(path);
	if (!dir)
		return -ENOENT;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		hpmm_nic_copy(out, d->d_name, size);
		ret = 0;
		break;
	}
	closedir(dir);
	return ret;
}

/* Sets interface @ifname up or down through @sock (AF_INET, datagram). */
static inline int hpmm_nic_set_up(int sock, const char *ifname, bool up)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	hpmm_nic_copy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(sock, SIOCGIFFLAGS, &ifr))
		return -errno;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return ioctl(sock, SIOCSIFFLAGS, &ifr) ? -errno : 0;
}

/* One SIOCETHTOOL command on @ifname; 0 or -errno. */
static inline int hpmm_nic_ethtool(int sock, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	hpmm_nic_copy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ifr.ifr_data = cmd;
	return ioctl(sock, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* Resizes the rings (ethtool -G rx @rx tx @tx); 0 or -errno. */
static inline int hpmm_nic_set_rings(int sock, const char *ifname,
				     __u32 rx, __u32 tx)
{
	struct ethtool_ringparam r = { .cmd = ETHTOOL_GRINGPARAM };
	int ret = hpmm_nic_ethtool(sock, ifname, &r);

	if (ret)
		return ret;
	r.cmd = ETHTOOL_SRINGPARAM;
	r.rx_pending = rx;
	r.tx_pending = tx;
	return hpmm_nic_ethtool(sock, ifname, &r);
}

#endif /* HPMM_NIC_H */
