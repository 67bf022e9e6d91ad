# SPDX-License-Identifier: GPL-2.0
#
# Clang-compiled verifier tests: selftests/verifier/NAME.bpf.c, each with an
# EXPECT header, built into $(O)/verifier-progs and run through
# `kbpfctl verify` (the core verifier in userspace) by selftests/verifier/run.
#
#   make verifier-progs   build and run them (part of `make check`)

VERIFIER_PROGS_DIR := $(O)/verifier-progs
VERIFIER_PROGS := $(patsubst selftests/verifier/%.c,$(VERIFIER_PROGS_DIR)/%.o,\
		    $(wildcard selftests/verifier/*.bpf.c))

$(VERIFIER_PROGS_DIR)/%.bpf.o: selftests/verifier/%.bpf.c uapi/linux/kbpf.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

.PHONY: verifier-progs verifier-progs-build clean-verifier-progs
verifier-progs-build: $(VERIFIER_PROGS)

verifier-progs: $(VERIFIER_PROGS) $(O)/kbpfctl
	selftests/verifier/run $(O)/kbpfctl $(VERIFIER_PROGS_DIR) $(VERIFIER_FILTER)

clean-verifier-progs:
	rm -rf $(VERIFIER_PROGS_DIR)

CHECK_TARGETS += verifier-progs
CLEAN_TARGETS += clean-verifier-progs
