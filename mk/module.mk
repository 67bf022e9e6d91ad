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
#   make dkms-check      dkms add/build against the 6.1 and 6.12 headers from
#                        `make dist`'s tarball in /usr/src, then dkms remove
#   make style           checkpatch over kmod/ and uapi/

KBPF_KMOD_SRCS := Kbuild $(shell find kmod uapi -name '*.[ch]' -o -name Kbuild.include 2>/dev/null)
KBPF_DKMS_VERSION = $(KBPF_VERSION)
KBPF_MODULE_MAKE = $(MAKE) -C $(1) M=$(2) O= $(if $(KBPF_PROFILE),KBPF_PROFILE=$(KBPF_PROFILE))
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
	$(call KBPF_MODULE_MAKE,$(KDIR),$(CURDIR)) modules

module-clean:
	-$(call KBPF_MODULE_MAKE,$(KDIR),$(CURDIR)) clean
	rm -rf $(O)/module-check

# One build per kernel, each in a private copy of the sources so that the
# two sets of objects never meet.  $(1): kernel dir, $(2): tag.
define kbpf_module_check_one
	@test -d "$(1)" || { echo "module-check: no kernel headers at '$(1)'" >&2; exit 1; }
	@rm -rf $(O)/module-check/$(2) && mkdir -p $(O)/module-check/$(2)
	@cp -r Kbuild kmod uapi $(O)/module-check/$(2)/
	@find $(O)/module-check/$(2) -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' | xargs rm -f
	@echo "module-check: W=1 C=1 against $(1)"
	@$(call KBPF_MODULE_MAKE,$(1),$(O)/module-check/$(2)) W=1 C=1 modules \
		>$(O)/module-check/$(2).log 2>&1 || \
		{ cat $(O)/module-check/$(2).log; echo "module-check: build against $(1) failed" >&2; exit 1; }
	@if grep -v 'Skipping BTF generation' $(O)/module-check/$(2).log | \
		grep -iE 'warning|error'; then \
		echo "module-check: warnings against $(1) (full log: $(O)/module-check/$(2).log)" >&2; \
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

module-check:
	$(call kbpf_module_check_one,$(KDIR),$(notdir $(KDIR)))
	$(call kbpf_module_check_one,$(KDIR_612),$(notdir $(KDIR_612)))
	$(foreach k,$(KDIR_FLAVOURS),$(call kbpf_module_check_one,$(k),$(notdir $(k)))$(kbpf_newline))

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

# From the release tarball, as a user installs it (mk/install.mk).
dkms-check: dist
	-@$(SUDO) dkms remove -m kbpf -v $(KBPF_DKMS_VERSION) --all >/dev/null 2>&1
	@$(SUDO) rm -rf $(KBPF_DKMS_SRC)
	@$(SUDO) tar -xzf $(KBPF_DIST) -C /usr/src
	@$(SUDO) dkms add -m kbpf -v $(KBPF_DKMS_VERSION)
	$(call kbpf_dkms_build_one,$(KDIR))
	$(call kbpf_dkms_build_one,$(KDIR_612))
	$(foreach k,$(KDIR_FLAVOURS),$(call kbpf_dkms_build_one,$(k))$(kbpf_newline))
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
	@echo "dkms-check: kbpf $(KBPF_DKMS_VERSION) builds with dkms for $(notdir $(KDIR) $(KDIR_612) $(KDIR_FLAVOURS))"

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
KBPF_STYLE_TABLE_IGNORES := COMPLEX_MACRO,SPACING,BRACKET_SPACE,MACRO_ARG_UNUSED,MULTISTATEMENT_MACRO_USE_DO_WHILE,TRAILING_SEMICOLON,MACRO_WITH_FLOW_CONTROL

style:
	@test -n "$(CHECKPATCH)" || { echo "style: checkpatch.pl not found (make kunit-kernel unpacks it)" >&2; exit 1; }
	perl $(CHECKPATCH) --no-tree --quiet --show-types \
		-f $(filter-out Kbuild %/Kbuild.include kmod/compat/% $(KBPF_STYLE_USERSPACE) $(KBPF_STYLE_TABLES),$(KBPF_KMOD_SRCS))
	perl $(CHECKPATCH) --no-tree --quiet --show-types --ignore COMPLEX_MACRO \
		-f $(filter kmod/compat/%.h,$(KBPF_KMOD_SRCS))
	perl $(CHECKPATCH) --no-tree --quiet --show-types \
		--ignore $(KBPF_STYLE_TABLE_IGNORES) -f $(KBPF_STYLE_TABLES)
	perl $(CHECKPATCH) --no-tree --quiet --show-types \
		--ignore $(KBPF_STYLE_TABLE_IGNORES) -f $(KBPF_STYLE_KTESTS)

CHECK_TARGETS += module-check dkms-check
CLEAN_TARGETS += module-clean
