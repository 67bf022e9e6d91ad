# SPDX-License-Identifier: GPL-2.0
#
# The kbpf core (kmod/core/*.c) as a userspace library, twice: optimised
# ($(KBPF_CORE_LIB)) for tools and benchmarks, and with ASan+UBSan
# ($(KBPF_CORE_LIB_SAN)) for tests.  `make unit` builds and runs the shared
# test cases (selftests/cases/*.c) under the sanitizers.
#
# Other fragments link the core with:
#   $(CC) $(KBPF_CORE_CFLAGS) ... $(KBPF_CORE_LIB)

KBPF_CORE_CFLAGS := -I$(CURDIR)/uapi -I$(CURDIR)/kmod/core
KBPF_CORE_WARN := -Wall -Wextra -Wno-unused-parameter -Wframe-larger-than=2048
KBPF_CORE_OPT := -O2 -g
KBPF_SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=all

KBPF_CORE_SRCS := $(wildcard kmod/core/*.c kmod/core/*/*.c)
# Until the verifier owner's files land, a shim provides kbpf_verify() and
# kbpf_prog_type_info() so the library links; it disappears by itself.
ifeq ($(wildcard kmod/core/progtype.c),)
KBPF_CORE_SRCS += selftests/unit/shim_progtype.c
endif
ifeq ($(wildcard kmod/core/verifier/verifier.c),)
KBPF_CORE_SRCS += selftests/unit/shim_verify.c
endif

KBPF_CORE_HDRS := $(wildcard kmod/core/*.h kmod/core/*/*.h) uapi/linux/kbpf.h
# kbpf-run's helper set for the bpf_conformance corpus, which the shared
# conformance suite (selftests/cases/conformance_run.c) runs with too.
KBPF_CONFORMANCE_HELPERS := userspace-tool/kbpf-run/conformance_helpers.c
KBPF_CORE_OBJS := $(patsubst %.c,$(O)/user/%.o,$(KBPF_CORE_SRCS))
KBPF_CORE_OBJS_SAN := $(patsubst %.c,$(O)/user-san/%.o,$(KBPF_CORE_SRCS))

KBPF_CORE_LIB := $(O)/user/libkbpfcore.a
KBPF_CORE_LIB_SAN := $(O)/user-san/libkbpfcore.a
export KBPF_CORE_LIB KBPF_CORE_LIB_SAN KBPF_CORE_CFLAGS

$(O)/user/%.o: %.c $(KBPF_CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KBPF_CORE_OPT) $(KBPF_CORE_WARN) $(KBPF_CORE_CFLAGS) -c -o $@ $<

$(O)/user-san/%.o: %.c $(KBPF_CORE_HDRS) $(wildcard selftests/cases/*.h) \
		   $(KBPF_CONFORMANCE_HELPERS:.c=.h)
	@mkdir -p $(dir $@)
	$(CC) $(KBPF_CORE_OPT) $(KBPF_CORE_WARN) $(KBPF_SAN_FLAGS) \
		$(KBPF_CORE_CFLAGS) -c -o $@ $<

# Each archive is made anew: ar names members by file name alone, and
# folders repeat names (log.c and verifier/log.c, helpers.c and
# verifier/helpers.c), which `ar r` into an old archive would replace.
$(KBPF_CORE_LIB): $(KBPF_CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(KBPF_CORE_LIB_SAN): $(KBPF_CORE_OBJS_SAN)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

.PHONY: core core-san
core: $(KBPF_CORE_LIB)
core-san: $(KBPF_CORE_LIB_SAN)

# ---- ahead-of-time translator ------------------------------------------
# bpf2c (userspace-tool/aot/) is used by kbpfctl, kbpf-run and kbpf-unit;
# the C header it writes next to its output is built in as a string.
KBPF_AOT_HDRS := $(wildcard userspace-tool/aot/*.h) kmod/core/kbpf_native.h
KBPF_AOT_GEN := $(O)/gen/bpf2c_header.c
KBPF_AOT_SRCS := userspace-tool/aot/bpf2c.c $(KBPF_AOT_GEN)
KBPF_AOT_USER_SRCS := $(KBPF_AOT_SRCS) userspace-tool/aot/aot_user.c

$(KBPF_AOT_GEN): kmod/core/kbpf_native.h
	@mkdir -p $(dir $@)
	{ echo '/* Generated from kmod/core/kbpf_native.h by mk/core.mk. */'; \
	  echo 'const char bpf2c_native_header[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

# ---- unit tests --------------------------------------------------------

KBPF_UNIT := $(O)/user-san/kbpf-unit
# With the userspace AOT engine (userspace-tool/aot/, mk/kbpf-run.mk), for
# `kbpf-unit --aot`.
KBPF_UNIT_SRCS = selftests/unit/main.c $(wildcard selftests/cases/*.c) \
		 $(KBPF_CONFORMANCE_HELPERS) $(KBPF_AOT_USER_SRCS)
KBPF_UNIT_OBJS = $(patsubst %.c,$(O)/user-san/%.o,$(patsubst $(O)/%,%,$(KBPF_UNIT_SRCS)))

$(O)/user-san/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KBPF_CORE_OPT) $(KBPF_SAN_FLAGS) -c -o $@ $<

$(KBPF_UNIT): $(KBPF_UNIT_OBJS) $(KBPF_CORE_LIB_SAN)
	$(CC) $(KBPF_SAN_FLAGS) -o $@ $(KBPF_UNIT_OBJS) $(KBPF_CORE_LIB_SAN) -ldl

.PHONY: unit unit-build clean-core
unit-build: $(KBPF_UNIT)

# UNIT_FILTER=substring runs only the matching suites or cases.
unit: $(KBPF_UNIT)
	$(KBPF_UNIT) $(UNIT_FILTER)

# The interpreter suites again, their programs compiled ahead of time.
.PHONY: unit-aot
unit-aot: $(KBPF_UNIT)
	$(KBPF_UNIT) --aot interp

clean-core:
	rm -rf $(O)/user $(O)/user-san

CHECK_TARGETS += unit unit-aot
CLEAN_TARGETS += clean-core
