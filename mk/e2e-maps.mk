# SPDX-License-Identifier: GPL-2.0
#
# The map test program of the e2e suite (selftests/e2e/maps_test.c), built
# static like abi_test; selftests/e2e/run copies it into the VM.
#
#   make e2e-maps-test   $(O)/e2e/maps_test

E2E_MAPS_TEST := $(O)/e2e/maps_test

.PHONY: e2e-maps-test
e2e-maps-test: $(E2E_MAPS_TEST)

$(E2E_MAPS_TEST): selftests/e2e/maps_test.c uapi/linux/kbpf.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -Wextra -Wno-unused-parameter -Iuapi $(EXTRA_CFLAGS) \
		-static -o $@ $<

e2e: $(E2E_MAPS_TEST)
