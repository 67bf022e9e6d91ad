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

.PHONY: e2e vm-smoke vm-clean
e2e: module kbpfctl-static examples
	selftests/e2e/run $(VM_RUN_FLAGS)

# The VM needs the static kbpfctl; the top-level demo rule lists the rest.
demo: kbpfctl-static

# The harness alone: boots, runs a command, returns its status, and reports
# a failing command as a failure.
vm-smoke:
	$(VM_RUN) $(VM_RUN_FLAGS) -- 'uname -r; test -c /dev/ttyS1 && test -d "$$KBPF_REPO/selftests/vm"'
	rc=0; $(VM_RUN) $(VM_RUN_FLAGS) --no-share -- 'exit 3' || rc=$$?; test $$rc = 3

vm-clean:
	rm -rf $(CACHE_DIR)/vm $(O)/e2e

CHECK_TARGETS += vm-smoke e2e
