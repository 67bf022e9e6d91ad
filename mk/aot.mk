# SPDX-License-Identifier: GPL-2.0
#
# Ahead-of-time compilation (userspace-tool/aot/bpf2c.c, kmod/native.c):
# the tests of the native engine that need kernels.  The userspace ones are
# `make conformance-aot` (mk/conformance.mk) and `make unit-aot`
# (mk/core.mk); `make fuzz-aot` is in mk/fuzz.mk.
#
#   make aot-diff          random programs that use every operation, run by
#                          the interpreter and as native code: r0 and memory
#                          must agree (AOT_DIFF_PROGS programs)
#   make aot-module-check  generated C of every example: W=1 + sparse
#                          module builds against 6.1 and 6.12, no warning
#   make e2e-native        VM: a native module built with `kbpfctl prog
#                          build` registers, runs the example instead of the
#                          interpreter, stays pinned; on 6.1 and on 6.12

AOT_CHECK_DIR := $(O)/aot-module-check

# $(1): kernel dir.  Builds every example into $(AOT_CHECK_DIR)/<tag>.
# Programs with tail calls or bpf_loop stay in the interpreter: prog build
# skips them, saying so, and an example with nothing else is skipped here;
# any other failure fails the check.  Each build writes its own Kbuild; the
# W=1 pass builds them all, from the Kbuild lines gathered on the way.
define kbpf_aot_module_check_one
	@rm -rf $(AOT_CHECK_DIR)/$(notdir $(1)) && mkdir -p $(AOT_CHECK_DIR)/$(notdir $(1))
	@d=$(AOT_CHECK_DIR)/$(notdir $(1)); : >$$d.kbuild; for o in $(EXAMPLES_OBJS); do \
		if $(O)/kbpfctl prog build $$o -o $$d KDIR=$(1) \
			>/dev/null 2>$(AOT_CHECK_DIR)/err; then grep '^obj-m' $$d/Kbuild >>$$d.kbuild; \
		elif grep -q 'run only in the interpreter' \
			$(AOT_CHECK_DIR)/err; then \
			echo "aot-module-check: $$(basename $$o): skipped: $$(head -n 1 $(AOT_CHECK_DIR)/err)"; \
		else cat $(AOT_CHECK_DIR)/err; exit 1; fi; \
	done; cp $$d.kbuild $$d/Kbuild; grep -c '^obj-m' $$d.kbuild >$$d.count
	+@$(MAKE) -s -C $(1) M=$(AOT_CHECK_DIR)/$(notdir $(1)) W=1 C=1 clean modules \
		>$(AOT_CHECK_DIR)/$(notdir $(1)).log 2>&1 || \
		{ cat $(AOT_CHECK_DIR)/$(notdir $(1)).log; exit 1; }
	@if grep -v 'Skipping BTF generation' $(AOT_CHECK_DIR)/$(notdir $(1)).log | \
		grep -iE 'warning|error'; then \
		echo "aot-module-check: warnings in generated C against $(1)" >&2; exit 1; \
	fi
	@echo "aot-module-check: $$(cat $(AOT_CHECK_DIR)/$(notdir $(1)).count) generated modules W=1 C=1 clean against $(1)"
endef

KBPF_AOT_DIFF := $(O)/aot-diff
AOT_DIFF_PROGS ?= 1000

$(KBPF_AOT_DIFF): selftests/fuzz/aot_diff.c $(KBPF_AOT_USER_SRCS) $(KBPF_AOT_HDRS) $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) $(KBPF_CORE_CFLAGS) -o $@ \
		selftests/fuzz/aot_diff.c $(KBPF_AOT_USER_SRCS) $(KBPF_CORE_LIB) -ldl

.PHONY: aot-diff aot-module-check e2e-native
aot-diff: $(KBPF_AOT_DIFF)
	$(KBPF_AOT_DIFF) -n $(AOT_DIFF_PROGS)

aot-module-check: kbpfctl examples
	$(call kbpf_aot_module_check_one,$(KDIR))
	$(call kbpf_aot_module_check_one,$(KDIR_612))

# The 6.12 kbpf.ko is module-check's W=1 build against KDIR_612.
e2e-native: module module-embedded kbpfctl kbpfctl-static examples \
	$(call kbpf_module_check_ko,$(KDIR_612))
	selftests/e2e/native-run $(VM_RUN_FLAGS) --kdir $(KDIR) --kbpf-ko $(CURDIR)/kbpf.ko \
		--embedded-ko $(KBPF_EMBEDDED_DIR)/kbpf.ko
	selftests/e2e/native-run $(VM_RUN_FLAGS) --kdir $(KDIR_612) \
		--kbpf-ko $(call kbpf_module_check_ko,$(KDIR_612)) \
		--kernel-image /boot/vmlinuz-$(call kbpf_kernel_release,$(KDIR_612))

CHECK_TARGETS += aot-diff aot-module-check e2e-native
