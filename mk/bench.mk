# SPDX-License-Identifier: GPL-2.0
# make bench: interpreter and verifier figures.  Prints; never fails on time.

BENCH_SRCS := selftests/bench/bench.c selftests/bench/programs.c
KBPF_BENCH := $(O)/kbpf-bench

.PHONY: bench bench-native
bench: bench-native

bench-native: $(KBPF_BENCH)
	$(KBPF_BENCH)

$(KBPF_BENCH): $(BENCH_SRCS) selftests/bench/programs.h $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra $(KBPF_CORE_CFLAGS) -o $@ $(BENCH_SRCS) $(KBPF_CORE_LIB)
