# SPDX-License-Identifier: GPL-2.0
#
# KUnit: kbpf_kunit.ko run inside kbpf.ko on a QEMU test kernel.
#
#   make kunit-kernel   build the test kernel once into $(CACHE_DIR)/kunit-kernel
#                       (Debian's linux-source-6.12 + selftests/kunit/kernel.config)
#   make kunit          build both modules against it, boot it, run the suites,
#                       parse the KTAP output with kunit.py; part of `make check`
#   make kunit-embedded the same suites in modules built for the embedded
#                       profile (every allocation from the pool); part of
#                       `make check`
#   KUNIT_DEBUG=1       use a second kernel with lockdep, KASAN and UBSAN
#   V=1                 show the module build and the VM console

KUNIT_RUN_FLAGS := $(if $(filter 1,$(V)),-v)

.PHONY: kunit kunit-embedded kunit-kernel clean-kunit
kunit-kernel:
	./selftests/kunit/kernel.sh

kunit:
	./selftests/kunit/run $(KUNIT_RUN_FLAGS)

kunit-embedded:
	KBPF_PROFILE=embedded ./selftests/kunit/run $(KUNIT_RUN_FLAGS)

# The cached kernel survives `make clean`; delete $(CACHE_DIR) to drop it.
clean-kunit:
	rm -rf $(O)/kunit $(O)/kunit-embedded

CHECK_TARGETS += kunit kunit-embedded
CLEAN_TARGETS += clean-kunit

# checkpatch as part of `make check`: the script comes from the test kernel's
# source tree, which kunit-kernel unpacks and caches.
.PHONY: style-check
style-check: kunit-kernel
	$(MAKE) --no-print-directory style \
		CHECKPATCH="$$(./selftests/kunit/kernel.sh --print-kdir)/scripts/checkpatch.pl"

CHECK_TARGETS += style-check
