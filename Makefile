# SPDX-License-Identifier: GPL-2.0
#
# kbpf top-level Makefile.  `make help` lists the targets.
#
# The module is built by Kbuild (see ./Kbuild) against KDIR; everything else
# (the core as a userspace library, kbpfctl, tests, VM harness) is plain make
# with outputs under $(O).

# The one version of everything built here (scripts/version.sh says how).
KBPF_VERSION := $(shell $(CURDIR)/scripts/version.sh)

# Kernel build directory: the running kernel's if it has headers, else the
# newest installed Debian 6.1 headers (a container's host kernel has none),
# of the generic flavour the VM boots (not -rt or -cloud, whose vermagic
# differs).
kbpf_generic_headers = $(lastword $(sort $(filter-out %-rt-amd64 %-cloud-amd64,\
			$(wildcard /usr/src/linux-headers-$(1).*-amd64))))
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(call kbpf_generic_headers,6.1))
KDIR_612 ?= $(call kbpf_generic_headers,6.12)

O ?= $(CURDIR)/build
CACHE_DIR ?= $(HOME)/.cache/kbpf
export O CACHE_DIR KDIR KDIR_612 KBPF_VERSION

# $(O)/.version changes only when the version does, so what embeds the
# version (kbpfctl, man pages, the tarball) depends on it and is rebuilt.
$(shell mkdir -p $(O) && { [ "$$(cat $(O)/.version 2>/dev/null)" = '$(KBPF_VERSION)' ] || \
	echo '$(KBPF_VERSION)' >$(O)/.version; })
$(O)/.version: ;

CC ?= gcc
CLANG ?= clang

.PHONY: all help deps
all: module kbpfctl

help:
	@echo 'make                 build kbpf.ko (KDIR=$(KDIR)) and kbpfctl'
	@echo 'make deps            install every Debian package needed (idempotent)'
	@echo 'make demo            build, boot a VM, load the example, show it working'
	@echo 'make check           run every test: unit, KUnit, VM e2e, dkms'
	@echo 'make bench           print interpreter and verifier figures'
	@echo 'make fuzz            run the verifier soundness fuzzer for longer'
	@echo 'make module-check    W=1 + sparse builds against 6.1 and 6.12 headers'
	@echo 'make style           checkpatch over kernel-side sources'
	@echo 'make dist            kbpf-<version>.tar.gz: the DKMS sources'
	@echo 'make dkms-install    install kbpf.ko with DKMS from that tarball'
	@echo 'make install         kbpfctl, header, man pages, completion (PREFIX= DESTDIR=)'
	@echo 'make deb             kbpf-dkms and kbpf-tools Debian packages'
	@echo 'make clean'

deps:
	./scripts/deps.sh

# Fragments that define variables others use come first; the order also sets
# the order of `make check`: fast userspace tests, then module builds, then
# the VM.  Any fragment not listed joins at the end.
MK_ORDER := core kbpf-run conformance verifier-progs kbpfctl fuzz module \
	    kunit vm e2e-abi bench
MK_FRAGMENTS := $(wildcard $(MK_ORDER:%=mk/%.mk))
include $(MK_FRAGMENTS) $(filter-out $(MK_FRAGMENTS),$(wildcard mk/*.mk))

.PHONY: check check-prebuild demo clean
# Each mk/*.mk fragment appends its test targets to CHECK_TARGETS.
# scripts/check-run runs them one by one (each as `make -j$(CHECK_JOBS)
# TARGET`), the ones that boot a VM last and alone, the time-boxed fuzzers of
# CHECK_BACKGROUND beside CHECK_BACKGROUND_WITH, and prints the time of each.
# A fragment whose test boots a VM adds it to CHECK_VM_TARGETS too.
CHECK_JOBS ?= 2
CHECK_VM_TARGETS += kunit kunit-embedded vm-smoke e2e e2e-rt e2e-native fuzz-abi-check deb-check
check:
	+@MAKE='$(MAKE)' O='$(O)' CHECK_JOBS='$(CHECK_JOBS)' \
		CHECK_TARGETS='$(CHECK_TARGETS)' CHECK_VM_TARGETS='$(CHECK_VM_TARGETS)' \
		CHECK_BACKGROUND='$(CHECK_BACKGROUND)' CHECK_BACKGROUND_WITH='$(CHECK_BACKGROUND_WITH)' \
		CHECK_KEEP_GOING=$(if $(findstring k,$(firstword -$(MAKEFLAGS))),1,0) \
		$(CURDIR)/scripts/check-run

# What the CHECK_BACKGROUND targets build, built before they start.
check-prebuild: $(CHECK_PREBUILD)

demo: module kbpfctl examples
	./scripts/demo.sh

clean: $(CLEAN_TARGETS)
	rm -rf $(O)
