# SPDX-License-Identifier: GPL-2.0
#
# kbpf.ko: build, warning checks against every supported kernel, DKMS, style.
#
#   make module          build ./kbpf.ko against KDIR (KBPF_PROFILE=embedded
#                        for the small profile)
#   make module-check    W=1 + sparse (C=1) builds against KDIR, KDIR_612 and
#                        KDIR_FLAVOURS (their cloud and rt flavours), each in
#                        its own copy under $(O)/module-check; any warning
#                        fails
#   make dkms-check      dkms add/build against DKMS_CHECK_KDIRS (KDIR) from
#                        `make dist`'s tarball in /usr/src, then dkms remove
#   make style           checkpatch over kmod/ and uapi/

KBPF_KMOD_SRCS := Kbuild $(shell find kmod uapi -name '*.[ch]' -o -name Kbuild.include 2>/dev/null)
KBPF_DKMS_VERSION = $(KBPF_VERSION)
# ccache for the module builds (make check builds kbpf.ko for eight kernel
# configurations, most files unchanged from the last run): its key is the
# preprocessed source, the compiler and every flag, and it replays the
# warnings W=1 prints.  The cache lives in $(CACHE_DIR)/ccache; KBPF_CCACHE=
# builds without it.  Sparse (C=1) is never cached.
KBPF_CCACHE ?= $(shell command -v ccache 2>/dev/null)
export CCACHE_DIR ?= $(CACHE_DIR)/ccache
export CCACHE_MAXSIZE ?= 2G
KBPF_MODULE_MAKE = $(MAKE) -C $(1) M=$(2) O= $(if $(KBPF_CCACHE),CC="$(KBPF_CCACHE) gcc") \
	$(if $(KBPF_PROFILE),KBPF_PROFILE=$(KBPF_PROFILE))
# The release a kernel tree is for, e.g. 6.1.0-56-amd64.  Debian's 6.1
# headers say 6.1.x in include/config/kernel.release, so take the name of
# the headers directory (or of the kernel a /lib/modules/*/build link is in).
kbpf_kernel_release = $(patsubst linux-headers-%,%,$(notdir $(realpath $(1))))

CHECKPATCH ?= $(firstword $(wildcard \
	$(CACHE_DIR)/kunit-kernel/current/scripts/checkpatch.pl \
	/work/linux-src/scripts/checkpatch.pl \
	/usr/src/linux-headers-*-common/scripts/checkpatch.pl))

.PHONY: module module-clean module-check dkms-check dkms-install style

module:
	@test -d "$(KDIR)" || { echo "module: no kernel headers at KDIR='$(KDIR)'" >&2; exit 1; }
	+$(call KBPF_MODULE_MAKE,$(KDIR),$(CURDIR)) modules

module-clean:
	-$(call KBPF_MODULE_MAKE,$(KDIR),$(CURDIR)) clean
	rm -rf $(O)/module-check

# One build per kernel, each in a private copy of the sources so that the
# sets of objects never meet: $(O)/module-check/<headers dir name>/kbpf.ko.
# They are file targets, so that `make -j2 module-check` builds two kernels
# at once, and e2e-native and e2e-rt boot these modules instead of building
# their own; a changed source or kernel .config rebuilds them.  Any warning
# fails the build and deletes the module.
KBPF_MODULE_CHECK_DIR := $(O)/module-check
kbpf_module_check_ko = $(KBPF_MODULE_CHECK_DIR)/$(notdir $(1))/kbpf.ko

# $(1): kernel dir.
define kbpf_module_check_rule
$(call kbpf_module_check_ko,$(1)): $(KBPF_KMOD_SRCS) $(wildcard $(1)/.config)
	@test -d "$(1)" || { echo "module-check: no kernel headers at '$(1)'" >&2; exit 1; }
	@rm -rf $$(@D) && mkdir -p $$(@D)
	@cp -r Kbuild kmod uapi $$(@D)/
	@find $$(@D) -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' | xargs rm -f
	@echo "module-check: W=1 C=1 against $(1)"
	+@$$(call KBPF_MODULE_MAKE,$(1),$$(@D)) W=1 C=1 modules >$$(@D).log 2>&1 || \
		{ cat $$(@D).log; rm -f $$@; echo "module-check: build against $(1) failed" >&2; exit 1; }
	@if grep -v 'Skipping BTF generation' $$(@D).log | grep -iE 'warning|error'; then \
		rm -f $$@; \
		echo "module-check: warnings against $(1) (full log: $$(@D).log)" >&2; \
		exit 1; \
	fi
	@echo "module-check: $(1): clean"
endef

define kbpf_newline


endef

# Debian 12's other flavours of the same kernels: cloud (a smaller config)
# and PREEMPT_RT (sleeping spinlocks), newest of each series.
KDIR_FLAVOURS ?= $(foreach f,cloud rt,$(foreach s,6.1.* 6.12.*,\
	$(lastword $(sort $(wildcard /usr/src/linux-headers-$(s)-$(f)-amd64)))))

KBPF_MODULE_CHECK_KDIRS := $(KDIR) $(KDIR_612) $(KDIR_FLAVOURS)
$(foreach k,$(sort $(KBPF_MODULE_CHECK_KDIRS)),$(eval $(call kbpf_module_check_rule,$(k))))

module-check: $(foreach k,$(KBPF_MODULE_CHECK_KDIRS),$(call kbpf_module_check_ko,$(k)))

# dkms needs root and writes to /usr/src and /var/lib/dkms; it leaves both
# as it found them.  $(1): kernel dir.
define kbpf_dkms_build_one
	@echo "dkms-check: build against $(1)"
	@$(SUDO) dkms build -m kbpf -v $(KBPF_DKMS_VERSION) \
		-k $(call kbpf_kernel_release,$(1)) --kernelsourcedir $(1) || \
		{ $(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all >/dev/null 2>&1; \
		  $(SUDO) rm -rf $(KBPF_DKMS_SRC); \
		  echo "dkms-check: dkms build against $(1) failed" >&2; exit 1; }
	@test -f /var/lib/dkms/kbpf/$(KBPF_DKMS_VERSION)/$(call kbpf_kernel_release,$(1))/x86_64/module/kbpf.ko* || \
		{ $(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all >/dev/null 2>&1; \
		  $(SUDO) rm -rf $(KBPF_DKMS_SRC); \
		  echo "dkms-check: no kbpf.ko built for $(1)" >&2; exit 1; }
	@v=$$(modinfo -F version /var/lib/dkms/kbpf/$(KBPF_DKMS_VERSION)/$(call kbpf_kernel_release,$(1))/x86_64/module/kbpf.ko*); \
	test "$$v" = "$(KBPF_DKMS_VERSION)" || \
		{ $(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all >/dev/null 2>&1; \
		  $(SUDO) rm -rf $(KBPF_DKMS_SRC); \
		  echo "dkms-check: kbpf.ko for $(1) says version '$$v', not $(KBPF_DKMS_VERSION)" >&2; exit 1; }
endef

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
KBPF_DKMS_SRC = /usr/src/kbpf-$(KBPF_DKMS_VERSION)

# The kernels dkms-check builds for.  What it tests is the packaging: the
# tarball holds every source the build needs, dkms.conf's MAKE line, module
# name, location, version and BUILD_EXCLUSIVE rules; none of that depends on
# the kernel.  Whether the sources build against every flavour is
# module-check's question (all six header sets, W=1 and sparse), and
# deb-check runs the same dkms.conf over the same sources for 6.12, so one
# kernel here is enough.  DKMS_CHECK_KDIRS="$(KDIR) $(KDIR_612)
# $(KDIR_FLAVOURS)" builds for all six (about 40 s each).
DKMS_CHECK_KDIRS ?= $(KDIR)

# From the release tarball, as a user installs it (mk/install.mk).
dkms-check: dist
	-@$(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all >/dev/null 2>&1
	@$(SUDO) rm -rf $(KBPF_DKMS_SRC)
	@$(SUDO) tar -xzf $(KBPF_DIST) -C /usr/src
	@$(SUDO) dkms add -m kbpf -v $(KBPF_DKMS_VERSION)
	$(foreach k,$(DKMS_CHECK_KDIRS),$(call kbpf_dkms_build_one,$(k))$(kbpf_newline))
	@mkdir -p $(O)/dkms-untested-kernel
	@rc=0; out=$$($(SUDO) dkms build -m kbpf -v $(KBPF_DKMS_VERSION) -k 99.0.0-untested \
		--kernelsourcedir $(O)/dkms-untested-kernel 2>&1) || rc=$$?; \
	if [ $$rc != 77 ] || ! echo "$$out" | grep -q 'BUILD_EXCLUSIVE directive which does not match'; then \
		$(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all >/dev/null 2>&1; \
		$(SUDO) rm -rf $(KBPF_DKMS_SRC); \
		echo "dkms-check: an untested kernel is not skipped with DKMS's BUILD_EXCLUSIVE message (exit $$rc): $$out" >&2; exit 1; \
	fi
	@echo "dkms-check: an untested kernel (99.0.0) is skipped: BUILD_EXCLUSIVE"
	@$(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all
	@$(SUDO) rm -rf $(KBPF_DKMS_SRC)
	@echo "dkms-check: kbpf $(KBPF_DKMS_VERSION) builds with dkms for $(notdir $(DKMS_CHECK_KDIRS))"

# compat.h's table macros expand to one or two array entries by design,
# which checkpatch cannot tell from a missing pair of parentheses.
# The userspace half of the environment is not kernel code.
KBPF_STYLE_USERSPACE := kmod/core/env_user.c kmod/core/env_user.h
# Files built around the opcode X-macro and the interpreter's label table:
# list-valued macros, `label:` inside macros and `[X] = &&label` are what
# checkpatch misreads here, as it does in the kernel's own kernel/bpf/core.c.
KBPF_STYLE_TABLES := kmod/core/isa.h kmod/core/interp.c kmod/core/prog.c
# Test tables compiled into kbpf_kunit.ko: their macros expand to lists of
# instructions, which checkpatch reads as complex values.
KBPF_STYLE_KTESTS := $(wildcard selftests/cases/*.[ch] selftests/kunit/*.c)
# Tool code compiled into kbpf_kunit.ko too (kbpf-run's conformance helper
# set): kernel code by the same rules as kmod/.
KBPF_STYLE_KTOOLS := $(KBPF_CONFORMANCE_HELPERS) $(KBPF_CONFORMANCE_HELPERS:.c=.h)
KBPF_STYLE_TABLE_IGNORES := COMPLEX_MACRO,SPACING,BRACKET_SPACE,MACRO_ARG_UNUSED,MULTISTATEMENT_MACRO_USE_DO_WHILE,TRAILING_SEMICOLON,MACRO_WITH_FLOW_CONTROL

# checkpatch takes about a second per file: STYLE_JOBS of them at once, a
# few files each.  $(1): extra checkpatch options, $(2): files.
STYLE_JOBS ?= 2
kbpf_checkpatch = printf '%s\n' $(2) | xargs -r -P $(STYLE_JOBS) -n 4 \
	perl $(CHECKPATCH) --no-tree --quiet --show-types $(1) -f

style:
	@test -n "$(CHECKPATCH)" || { echo "style: checkpatch.pl not found (make kunit-kernel unpacks it)" >&2; exit 1; }
	$(call kbpf_checkpatch,,$(filter-out Kbuild %/Kbuild.include kmod/compat/% $(KBPF_STYLE_USERSPACE) $(KBPF_STYLE_TABLES),$(KBPF_KMOD_SRCS)) $(KBPF_STYLE_KTOOLS))
	$(call kbpf_checkpatch,--ignore COMPLEX_MACRO,$(filter kmod/compat/%.h,$(KBPF_KMOD_SRCS)))
	$(call kbpf_checkpatch,--ignore $(KBPF_STYLE_TABLE_IGNORES),$(KBPF_STYLE_TABLES))
	$(call kbpf_checkpatch,--ignore $(KBPF_STYLE_TABLE_IGNORES),$(KBPF_STYLE_KTESTS))

CHECK_TARGETS += module-check dkms-check
CLEAN_TARGETS += module-clean
