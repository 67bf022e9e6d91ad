# SPDX-License-Identifier: GPL-2.0
#
# The socket and trace tool of the helpers e2e test
# (selftests/e2e/helpers_test.c), static for the VM like abi_test.

E2E_HELPERS_TEST := $(O)/e2e/helpers_test

.PHONY: e2e-helpers-test
e2e-helpers-test: $(E2E_HELPERS_TEST)

$(E2E_HELPERS_TEST): selftests/e2e/helpers_test.c uapi/linux/kbpf.h
	@mkdir -p $(@D)
	$(CC) $(E2E_ABI_CFLAGS) -static -o $@ $<

e2e: $(E2E_HELPERS_TEST) progs
