# SPDX-License-Identifier: GPL-2.0
#
# The ABI test program of the e2e suite (selftests/e2e/abi_test.c), built
# static because the VM's initramfs has no C library.  `make e2e` (mk/vm.mk)
# builds it and selftests/e2e/run copies it into the VM.
#
#   make e2e-abi-test   $(O)/e2e/abi_test

E2E_ABI_TEST := $(O)/e2e/abi_test
E2E_ABI_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter \
		  -Wno-missing-field-initializers -Iuapi $(EXTRA_CFLAGS)

.PHONY: e2e-abi-test
e2e-abi-test: $(E2E_ABI_TEST)

$(E2E_ABI_TEST): selftests/e2e/abi_test.c uapi/linux/kbpf.h
	@mkdir -p $(@D)
	$(CC) $(E2E_ABI_CFLAGS) -static -o $@ $<

# The e2e run needs it; the rule itself is in mk/vm.mk.
e2e: $(E2E_ABI_TEST)
