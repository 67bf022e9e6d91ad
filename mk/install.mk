# SPDX-License-Identifier: GPL-2.0
#
# Releasing and installing kbpf.  README.md's "Install" section is the
# user's guide to these targets.
#
#   make dist            $(O)/kbpf-<version>.tar.gz: what DKMS needs to build
#                        kbpf.ko (dkms.conf, Kbuild, kmod/, uapi/, VERSION)
#   make dkms-install    install that tarball into /usr/src/kbpf-<version>,
#                        then dkms add + install for DKMS_KERNELS (default:
#                        the running kernel)
#   make dkms-uninstall  dkms remove --all, and the sources from /usr/src
#   make man             the man pages, from docs/man/*.rst (rst2man)
#   make install         kbpfctl, linux/kbpf.h, man pages, bash completion,
#                        kbpf.service, examples; PREFIX=/usr/local DESTDIR=
#   make uninstall       removes exactly what `make install` put there
#   make deb             kbpf-dkms and kbpf-tools .debs in $(O)/deb (debian/)
#   make deb-check       lintian over them, then install them into a scratch
#                        root with dpkg and run the installed kbpfctl

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/kbpf
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
INSTALL ?= install

# ---- dist ----------------------------------------------------------------

KBPF_DIST_NAME := kbpf-$(KBPF_VERSION)
KBPF_DIST := $(O)/$(KBPF_DIST_NAME).tar.gz
# Only the module's sources: tests, tools and build outputs stay out, so a
# DKMS tree holds nothing `dkms build` does not use.  Tracked files when this
# is a git checkout (never a stray object file), else what is on disk.
KBPF_DIST_FILES := $(sort Kbuild VERSION dkms.conf scripts/version.sh \
	$(or $(shell git ls-files kmod uapi 2>/dev/null), \
	     $(shell find kmod uapi -name '*.[ch]' -o -name Kbuild.include)))
# Reproducible: the commit's time, no owners, no gzip timestamp.
KBPF_DIST_MTIME := $(shell git log -1 --format=@%ct 2>/dev/null || echo @0)

.PHONY: dist dist-tree dkms-install dkms-uninstall
dist: $(KBPF_DIST)

# dist-tree DIST_DIR=DIR: the tarball's contents, unpacked into DIR.
dist-tree:
	@test -n "$(DIST_DIR)" || { echo "dist-tree: set DIST_DIR" >&2; exit 1; }
	@mkdir -p $(DIST_DIR)
	tar -cf - $(filter-out VERSION dkms.conf,$(KBPF_DIST_FILES)) | tar -xf - -C $(DIST_DIR)
	echo '$(KBPF_VERSION)' >$(DIST_DIR)/VERSION
	sed 's/#MODULE_VERSION#/$(KBPF_VERSION)/' dkms.conf >$(DIST_DIR)/dkms.conf

$(KBPF_DIST): $(KBPF_DIST_FILES) $(O)/.version
	rm -rf $(O)/dist && mkdir -p $(O)/dist
	$(MAKE) --no-print-directory dist-tree DIST_DIR=$(O)/dist/$(KBPF_DIST_NAME)
	tar -C $(O)/dist --sort=name --mtime=$(KBPF_DIST_MTIME) --owner=0 \
		--group=0 --numeric-owner -cf - $(KBPF_DIST_NAME) | gzip -9n >$@.tmp
	mv -f $@.tmp $@
	rm -rf $(O)/dist
	@echo "dist: $@"

# Kernels `make dkms-install` builds for; dkms itself skips a kernel whose
# headers are not installed and says so.
DKMS_KERNELS ?= $(shell uname -r)
KBPF_DKMS_SRC := /usr/src/$(KBPF_DIST_NAME)

dkms-install: $(KBPF_DIST)
	-$(SUDO) dkms remove kbpf/$(KBPF_VERSION) --all >/dev/null 2>&1
	$(SUDO) rm -rf $(KBPF_DKMS_SRC)
	$(SUDO) tar -xzf $(KBPF_DIST) -C /usr/src
	$(SUDO) dkms add kbpf/$(KBPF_VERSION)
	$(foreach k,$(DKMS_KERNELS),$(SUDO) dkms install kbpf/$(KBPF_VERSION) -k $(k) &&) true
	@echo "dkms-install: kbpf $(KBPF_VERSION) installed; load it with: modprobe kbpf"

dkms-uninstall:
	-$(SUDO) dkms remove kbpf/$(KBPF_VERSION) --all
	$(SUDO) rm -rf $(KBPF_DKMS_SRC)

# ---- man pages -------------------------------------------------------------

RST2MAN ?= rst2man
KBPF_MAN_SRCS := $(wildcard docs/man/*.rst)
# docs/man/kbpfctl.8.rst -> $(O)/man/kbpfctl.8
KBPF_MANS := $(patsubst docs/man/%.rst,$(O)/man/%,$(KBPF_MAN_SRCS))

.PHONY: man
man: $(KBPF_MANS)

$(O)/man/%: docs/man/%.rst $(O)/.version
	@mkdir -p $(@D)
	@command -v $(RST2MAN) >/dev/null || { echo "man: $(RST2MAN) not found (apt install python3-docutils)" >&2; exit 1; }
	sed 's/@VERSION@/$(KBPF_VERSION)/' $< | $(RST2MAN) --strict - >$@.tmp
	mv -f $@.tmp $@

# ---- install ---------------------------------------------------------------

# What `make install` puts where; `make uninstall` removes the same list.
KBPF_INSTALLED = $(DESTDIR)$(SBINDIR)/kbpfctl \
	$(DESTDIR)$(INCLUDEDIR)/linux/kbpf.h \
	$(foreach m,$(notdir $(KBPF_MANS)),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m)) \
	$(DESTDIR)$(BASHCOMPDIR)/kbpfctl \
	$(DESTDIR)$(SYSTEMDUNITDIR)/kbpf.service \
	$(DESTDIR)$(DOCDIR)/kbpf.yaml \
	$(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(KBPF_EXAMPLE_FILES))
KBPF_EXAMPLE_FILES := $(notdir $(wildcard examples/*.bpf.c)) kbpf.conf modules-load.d-kbpf.conf

.PHONY: install uninstall
install: $(O)/kbpfctl man
	$(INSTALL) -D -m 0755 $(O)/kbpfctl $(DESTDIR)$(SBINDIR)/kbpfctl
	$(INSTALL) -D -m 0644 uapi/linux/kbpf.h $(DESTDIR)$(INCLUDEDIR)/linux/kbpf.h
	$(foreach m,$(KBPF_MANS),$(INSTALL) -D -m 0644 $(m) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)) &&) true
	$(INSTALL) -D -m 0644 scripts/kbpfctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/kbpfctl
	@mkdir -p $(DESTDIR)$(SYSTEMDUNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		scripts/kbpf.service >$(DESTDIR)$(SYSTEMDUNITDIR)/kbpf.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/kbpf.service
	$(INSTALL) -D -m 0644 docs/netlink/kbpf.yaml $(DESTDIR)$(DOCDIR)/kbpf.yaml
	$(INSTALL) -d $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -m 0644 $(wildcard examples/*.bpf.c) examples/kbpf.conf \
		examples/modules-load.d-kbpf.conf $(DESTDIR)$(DOCDIR)/examples/

uninstall:
	rm -f $(KBPF_INSTALLED)
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

# ---- Debian packages -----------------------------------------------------

# dpkg-buildpackage runs in a private copy of the tracked files (plus
# debian/changelog stamped with this version), never in the work tree.
KBPF_DEB_DIR := $(O)/deb
KBPF_DEB_TREE := $(KBPF_DEB_DIR)/$(KBPF_DIST_NAME)
KBPF_DEBS = $(wildcard $(KBPF_DEB_DIR)/kbpf-dkms_$(KBPF_VERSION)_all.deb \
		       $(KBPF_DEB_DIR)/kbpf-tools_$(KBPF_VERSION)_*.deb)

.PHONY: deb deb-check deb-clean
DEB_JOBS ?= 2
deb: $(O)/.version
	rm -rf $(KBPF_DEB_DIR) && mkdir -p $(KBPF_DEB_TREE)
	git ls-files -z | xargs -0 tar -cf - | tar -xf - -C $(KBPF_DEB_TREE)
	echo '$(KBPF_VERSION)' >$(KBPF_DEB_TREE)/VERSION
	sed '1s/([^)]*)/($(KBPF_VERSION))/' debian/changelog >$(KBPF_DEB_TREE)/debian/changelog
	cd $(KBPF_DEB_TREE) && dpkg-buildpackage -us -uc -b -J$(DEB_JOBS) \
		>$(KBPF_DEB_DIR)/build.log 2>&1 || \
		{ tail -n 40 $(KBPF_DEB_DIR)/build.log; echo "deb: dpkg-buildpackage failed (log: $(KBPF_DEB_DIR)/build.log)" >&2; exit 1; }
	@ls $(KBPF_DEB_DIR)/*.deb

# KBPF_DEB_KERNELS: releases in /boot the packaged module is built for by
# DKMS and booted on (the ynl checks run on the last one).  Default: the
# 6.12 of KDIR_612 only.  What deb-check tests (the packages, their DKMS
# build, modprobe, the alias, the service, ynl) is the same on 6.1, where
# dkms-check builds through the same dkms.conf and e2e loads the module;
# each kernel costs a DKMS build and a boot (about a minute).
# KBPF_DEB_KERNELS="6.1.0-57-amd64 6.12.117+deb12-amd64" tests both; the
# PREEMPT_RT kernel passes too (6.12.117+deb12-rt-amd64).
KBPF_DEB_KERNELS ?= $(if $(KDIR_612),$(call kbpf_kernel_release,$(KDIR_612)))
deb-check: deb $(O)/examples/drop_icmp_echo.bpf.o
	selftests/pkg/deb_test.sh $(KBPF_DEB_DIR) $(KBPF_VERSION) \
		$(O)/examples/drop_icmp_echo.bpf.o $(KBPF_DEB_KERNELS)

deb-clean:
	rm -rf $(KBPF_DEB_DIR)

CHECK_TARGETS += deb-check
