# SPDX-License-Identifier: GPL-2.0
#
# The QEMU harness (selftests/vm/run), the end-to-end test that runs on it
# (selftests/e2e/) and the demo (scripts/demo.sh).  docs/vm.md explains them.
#
#   make e2e          boot the stock 6.1 kernel, run selftests/e2e/netfilter.sh
#   make demo         the narrated demo (the rule is in the top Makefile)
#   make vm-smoke     a smoke test of the harness itself (no kbpf needed):
#                     boots with the 9p share, and a failing command fails
#   make vm-clean     drop the cached initramfs and kernel images

VM_RUN := selftests/vm/run
# V=1: the whole boot log and timings.
VM_RUN_FLAGS := $(if $(filter 1,$(V)),-v)

.PHONY: e2e vm-smoke vm-clean module-embedded
e2e: module module-embedded kbpfctl-static examples
	selftests/e2e/run $(VM_RUN_FLAGS)

# A second kbpf.ko built for the embedded profile (KBPF_PROFILE=embedded),
# for e2e's embedded.sh, in a private copy so its objects never meet ./'s.
KBPF_EMBEDDED_DIR := $(O)/embedded
# A file target, so that e2e and e2e-rt (separate makes under `make check`)
# build it once.
module-embedded: $(KBPF_EMBEDDED_DIR)/kbpf.ko

$(KBPF_EMBEDDED_DIR)/kbpf.ko: $(KBPF_KMOD_SRCS) $(wildcard $(KDIR)/.config)
	@test -d "$(KDIR)" || { echo "module-embedded: no kernel headers at KDIR='$(KDIR)'" >&2; exit 1; }
	@rm -rf $(KBPF_EMBEDDED_DIR) && mkdir -p $(KBPF_EMBEDDED_DIR)
	@cp -r Kbuild kmod uapi $(KBPF_EMBEDDED_DIR)/
	@find $(KBPF_EMBEDDED_DIR) -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' | xargs rm -f
	+$(call KBPF_MODULE_MAKE,$(KDIR),$(KBPF_EMBEDDED_DIR)) KBPF_PROFILE=embedded modules >$(KBPF_EMBEDDED_DIR).log 2>&1 || \
		{ cat $(KBPF_EMBEDDED_DIR).log; rm -f $@; exit 1; }

# The VM needs the static kbpfctl; the top-level demo rule lists the rest.
demo: kbpfctl-static

# The harness alone: boots, runs a command, returns its status, and reports
# a failing command as a failure.
vm-smoke:
	$(VM_RUN) $(VM_RUN_FLAGS) -- 'uname -r; test -c /dev/ttyS1 && test -d "$$KBPF_REPO/selftests/vm"'
	rc=0; $(VM_RUN) $(VM_RUN_FLAGS) --no-share -- 'exit 3' || rc=$$?; test $$rc = 3

# The scheduling e2e (sched.sh) once more on Debian's PREEMPT_RT 6.12
# kernel, where bottom-half-disabled sections are preemptible: the kbpf.ko
# module-check built against its headers (W=1 and sparse change no code),
# booted with --kernel-image.
KDIR_612_RT ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-rt-amd64)))
$(if $(filter $(KDIR_612_RT),$(KBPF_MODULE_CHECK_KDIRS)),,\
	$(eval $(call kbpf_module_check_rule,$(KDIR_612_RT))))
.PHONY: e2e-rt
e2e-rt: module kbpfctl-static examples module-embedded e2e-abi-test \
	$(if $(KDIR_612_RT),$(call kbpf_module_check_ko,$(KDIR_612_RT)))
	@test -d "$(KDIR_612_RT)" || { echo "e2e-rt: no PREEMPT_RT 6.12 headers (make deps)" >&2; exit 1; }
	@test -f "/boot/vmlinuz-$(call kbpf_kernel_release,$(KDIR_612_RT))" || \
		{ echo "e2e-rt: no /boot/vmlinuz-$(call kbpf_kernel_release,$(KDIR_612_RT)) (make deps)" >&2; exit 1; }
	E2E_ONLY=sched.sh selftests/e2e/run $(VM_RUN_FLAGS) \
		--kernel-image /boot/vmlinuz-$(call kbpf_kernel_release,$(KDIR_612_RT)) \
		--module $(call kbpf_module_check_ko,$(KDIR_612_RT))

vm-clean:
	rm -rf $(CACHE_DIR)/vm $(O)/e2e

CHECK_TARGETS += vm-smoke e2e e2e-rt
