# The tests: host unit tests built here; the runners are Python scripts.
#
# Every tests/host/test_*.c becomes one binary, linked with ALL the portable
# kernel files (PORTABLE_SRCS in kernel/kernel.mk) compiled for Linux with
# AddressSanitizer and UBSan, plus tests/host/portable_host.c. Linking
# everything together is the purity check of STYLE.md 3.9: a portable file
# that calls a kernel-only function fails to link here.
#
# See: tests/README.md

HOSTCC ?= gcc
HOSTCFLAGS ?= -O1 -g
override HOSTCFLAGS += -std=gnu11 -fsanitize=address,undefined \
    -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -Wall -Wextra -Werror -Ikernel -Iinclude -Itests/host -MMD -MP

HOST_TEST_SRCS := $(sort $(wildcard tests/host/test_*.c))
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/tests/host/%,$(HOST_TEST_SRCS))
HOST_PORTABLE_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(PORTABLE_SRCS)) \
    $(BUILD)/host/tests/host/portable_host.o

$(BUILD)/host/%.o: %.c tests/tests.mk kernel/kernel.mk | $(DEPS_STAMP)
	@echo "HOSTCC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -c $< -o $@

$(BUILD)/tests/host/%: $(BUILD)/host/tests/host/%.o $(HOST_PORTABLE_OBJS)
	@echo "HOSTLD $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $^

-include $(HOST_PORTABLE_OBJS:.o=.d) \
    $(patsubst %,$(BUILD)/host/%,$(HOST_TEST_SRCS:.c=.d))

.PHONY: host-tests
host-tests: $(HOST_TESTS)

test: all host-tests
	$(Q)$(PYTHON) tests/run_all.py

test-long: all host-tests
	$(Q)$(PYTHON) tests/run_all.py --long

bench: all
	$(Q)$(PYTHON) tests/system/bench.py

# The README's screenshot, from a screendump of a booted guest.
screenshot: all
	$(Q)$(PYTHON) tests/system/screenshot.py docs/screenshot.png
