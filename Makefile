# SPDX-License-Identifier: GPL-2.0
#
# hpmm: the module, the tools, the tests and the guest that runs them.
#
#   make            build hpmm.ko against KDIR (Debian's linux-headers-amd64),
#                   and e1000e_hpa.ko (drivers/e1000e/) beside it
#   make demo       build everything, boot the guest, show what hpmm finds
#   make check      host unit tests + guest kselftests in one boot of each
#                   Debian kernel of KERNELS (6.1 6.12; KERNELS=6.1 for one)
#   make check-debug  the same suite and more in a KASAN/lockdep/kmemleak guest
#   make lint       checkpatch --strict over every kernel source and header
#   make docs       Documentation/ as HTML in .cache/docs/html (kernel-doc)
#   make W=1        the module with extra warnings (must stay clean)

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

-include $(ROOT)/.cache/env.mk
# Not `uname -r`: the host kernel is not Debian's and has no headers.
KVER ?= $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	  sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
KDIR ?= /usr/src/linux-headers-$(KVER)
CHECKPATCH ?= $(ROOT)/.cache/linux-source/scripts/checkpatch.pl
# The guest kernels of make check (scripts/check).
KERNELS ?= 6.1 6.12

KERNEL_SOURCES = $(shell find $(ROOT)/kernel $(ROOT)/include -name '*.[ch]' \
		   -not -path '$(ROOT)/kernel/compat/*' | sort)
# The compat headers are where LINUX_VERSION_CODE belongs.
COMPAT_SOURCES = $(sort $(wildcard $(ROOT)/kernel/compat/*.h))
# The e1000e_hpa series of each kernel (drivers/e1000e/README).
NIC_PATCHES = $(sort $(wildcard $(ROOT)/drivers/e1000e/patches/*.patch \
		$(ROOT)/drivers/e1000e/patches-*/*.patch))
# KDIR's kernel series (6.1, 6.12): the e1000e_hpa series that nic-src writes.
KSERIES = $(shell sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p' \
	    $(KDIR)/include/config/kernel.release 2>/dev/null)

.PHONY: all module nic-src tools selftests deps check check-debug soak demo lint docs clean help

all: module

module: nic-src
	$(MAKE) -C $(KDIR) M=$(ROOT) modules

# e1000e_hpa.ko's sources: the upstream e1000e files of KDIR's kernel series
# plus that series' patches, written into the git-ignored
# drivers/e1000e/build/ (drivers/e1000e/README); a kernel without a series
# builds without the driver.
nic-src:
	@case "$(KSERIES)" in \
	6.1|6.12) $(ROOT)/drivers/e1000e/prepare --kernel $(KSERIES) \
		--out $(ROOT)/drivers/e1000e/build ;; \
	*) echo "e1000e_hpa: no series for kernel '$(KSERIES)' of $(KDIR): left out" ;; \
	esac

deps:
	$(ROOT)/scripts/install-deps

tools:
	cmake -S $(ROOT)/tools -B $(ROOT)/tools/build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(ROOT)/tools/build -j2

selftests:
	$(MAKE) -C $(ROOT)/selftests/hpmm

check: deps
	$(MAKE) -C $(ROOT) module tools selftests
	KERNELS="$(KERNELS)" $(ROOT)/scripts/check

# The debug kernel (KASAN, lockdep, kmemleak, DMA-API debug, fault
# injection): see debug-kernel/README.md; built once and cached in
# .cache/debug-kernel/.
check-debug: deps
	$(MAKE) -C $(ROOT) tools selftests
	$(ROOT)/scripts/check-debug

# The soak (not in CI): stress, fuzz and the VPRI, DEFRAG and MAGNET tests
# in rounds in the debug guest for SOAK_MINUTES (30), then the leak and
# checker scans of check-debug.
SOAK_MINUTES ?= 30
soak: deps
	$(MAKE) -C $(ROOT) tools selftests
	HPMM_SOAK_SECONDS=$$(($(SOAK_MINUTES) * 60)) $(ROOT)/scripts/check-debug

demo: deps
	$(MAKE) -C $(ROOT) module tools selftests
	$(ROOT)/scripts/demo

lint: deps
	$(CHECKPATCH) --strict --no-tree --show-types --quiet -f $(KERNEL_SOURCES)
	$(CHECKPATCH) --strict --no-tree --show-types --quiet \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $(COMPAT_SOURCES)
	$(CHECKPATCH) --strict --no-tree --show-types --quiet $(NIC_PATCHES)

# HTML documentation with the kernel's kernel-doc extension; warnings (a
# kernel-doc comment that does not parse, a directive naming something that
# is not there) are errors.
docs: deps
	sphinx-build -q -W --keep-going -b html $(ROOT)/Documentation $(ROOT)/.cache/docs/html

clean:
	$(MAKE) -C $(KDIR) M=$(ROOT) clean
	rm -rf $(ROOT)/drivers/e1000e/build $(ROOT)/drivers/e1000e/build-6.12
	rm -rf $(ROOT)/tools/build
	$(MAKE) -C $(ROOT)/selftests/hpmm clean

help:
	@sed -n 's/^#   //p' $(ROOT)/Makefile
