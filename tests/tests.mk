# The tests: host unit tests built here; the runners are Python scripts.
#
# Every tests/host/test_*.c becomes one binary, linked with ALL the portable
# kernel files (PORTABLE_SRCS in kernel/kernel.mk) compiled for Linux with
# AddressSanitizer and UBSan, plus tests/host/portable_host.c. Linking
# everything together is the purity check of docs/conventions.md ("Portable
# code"): a portable file that calls a kernel-only function fails to link
# here.
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

# The FAT32 fuzzer (libFuzzer, so clang): mount, lookup and changes on
# damaged volumes. It links only the FAT32 files and its own silent half of
# lib/portable.h. Its seeds are the first sectors of real mkfs.fat images,
# made by tools/fuzz-seeds.sh. `make fuzz` runs it for FUZZ_TIME seconds and
# keeps what it finds in build/tests/fuzz/corpus; under `make test`,
# tests/host/test_fat32_fuzz.c runs it for 10 s from the seeds alone.
FUZZCC ?= clang
FUZZ_TIME ?= 30
FUZZ_DIR := $(BUILD)/tests/fuzz
FUZZ_FAT32 := $(FUZZ_DIR)/fuzz_fat32
FUZZ_FAT32_SRCS := tests/host/fuzz_fat32.c $(filter kernel/fs/%,$(PORTABLE_SRCS))
FUZZ_SEEDS := $(FUZZ_DIR)/seeds.stamp

$(FUZZ_FAT32): $(FUZZ_FAT32_SRCS) $(wildcard kernel/fs/*.h) tests/tests.mk \
    kernel/kernel.mk | $(DEPS_STAMP)
	@echo "FUZZCC $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZCC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -Wall -Wextra -Werror -Ikernel -Iinclude \
	    $(FUZZ_FAT32_SRCS) -o $@

$(FUZZ_SEEDS): tools/fuzz-seeds.sh | $(DEPS_STAMP)
	@echo "SEEDS $(FUZZ_DIR)/seeds"
	$(Q)bash tools/fuzz-seeds.sh $(FUZZ_DIR)/seeds
	$(Q)touch $@

.PHONY: fuzz
fuzz: $(FUZZ_FAT32) $(FUZZ_SEEDS)
	$(Q)mkdir -p $(FUZZ_DIR)/corpus
	$(Q)$(FUZZ_FAT32) -max_total_time=$(FUZZ_TIME) -max_len=1048576 \
	    -timeout=10 $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

host-tests: $(FUZZ_FAT32) $(FUZZ_SEEDS)

test: all host-tests
	$(Q)$(PYTHON) tests/run_all.py

test-long: all host-tests
	$(Q)$(PYTHON) tests/run_all.py --long

# The suite with two CPU-bound processes beside it: it must pass on a busy
# host too (tests/README.md).
test-loaded: all host-tests
	$(Q)$(PYTHON) tests/run_all.py --load 2

# make test in a brand-new Debian root, as CI runs it (tools/fresh-root.sh).
# Needs root; commits only: the root clones HEAD.
test-fresh:
	$(Q)bash tools/fresh-root.sh test

bench: all
	$(Q)$(PYTHON) tests/system/bench.py

# The same user-mode benchmarks on Debian's Linux 6.1 in the same QEMU, on
# the same kind of disk; bench-compare alternates the two and prints ratios.
BENCH_ROUNDS ?= 5

bench-linux: all
	$(Q)$(PYTHON) tools/linux-bench.py

bench-compare: all
	$(Q)$(PYTHON) tools/linux-bench.py --compare $(BENCH_ROUNDS)

# The README's screenshots, from screendumps of booted guests.
screenshot: all
	$(Q)$(PYTHON) tests/system/screenshot.py docs/screenshot.png \
	    docs/shell.png

# Debian's busybox, bash and zsh and busybox's test suite, for the tests of
# issue #17 (test_linux_shells.py, test_bbsuite.py): fetched once into
# cache/linux-progs by tools/fetch-linux-progs.sh, never committed.
LINUX_PROGS_STAMP := cache/linux-progs/.fetched
$(LINUX_PROGS_STAMP): | $(DEPS_STAMP)
	@echo "FETCH cache/linux-progs"
	$(Q)bash tools/fetch-linux-progs.sh cache/linux-progs
test test-long test-loaded: $(LINUX_PROGS_STAMP)
