# User programs: plain C on Debian's musl, built static (and static-PIE).
#
# Every folder user/<prog>/ (all its .c files) and every file user/<prog>.c
# becomes build/user/bin/<prog>, linked with the archive of user/lib/ (the
# code the programs share: key sequences, whole-file loops, usage), from
# which the linker takes only the objects a program uses; every tests/user/test_*.c becomes
# build/tests/user/bin/test_*, and so does every Ember-only self-checking
# program, tests/user/seed_*.c and hostile_*.c (run_host.py runs only the
# test_* ones on Linux; all of them go to /tests on the disk). They are linked with `musl-gcc -static`
# (Debian's musl-tools and musl-dev, installed by tools/deps.sh), which makes
# ET_EXEC files at a fixed address. Debian's musl-gcc has no rule for
# static-PIE, so that link is spelled out below: gcc -nostdlib -static-pie
# with musl's rcrt1.o (the start file that relocates the program itself),
# crti.o, crtn.o and libc.a, gcc's crtbeginS.o/crtendS.o and libgcc. Every
# object is compiled -fPIE, so one set of objects serves both links. The
# programs in USER_PIE_TESTS are also linked that way, as <name>-pie, so the
# ELF loader meets both kinds and the runner can check they agree.
#
#   make user          build/user/bin/*
#   make user-tests    build/tests/user/bin/* (run: tests/user/run_host.py)
#
# See: user/README.md, tests/user/README.md, docs/syscalls.md

USER_CC ?= musl-gcc
USER_CFLAGS ?= -O2 -g
override USER_CFLAGS += -std=gnu11 -fPIE -Wall -Wextra -Werror \
    -Iuser/include -Iuser/lib -Iinclude -MMD -MP
# Where Debian's musl-dev keeps its start files and libraries (the same path
# /usr/lib/x86_64-linux-musl/musl-gcc.specs names).
MUSL_LIB ?= /usr/lib/x86_64-linux-musl

USER_OBJ := $(BUILD)/user/obj
USER_BIN := $(BUILD)/user/bin
USER_TEST_BIN := $(BUILD)/tests/user/bin

# ---- compiling: every user C file the same way ----
$(USER_OBJ)/%.o: %.c user/user.mk | $(DEPS_STAMP)
	@echo "USERCC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

# ---- linking: the two recipes ($@ = the program, $^ = its objects) ----
USER_LINK_STATIC = $(USER_CC) -static -o $@ $^

USER_LINK_PIE = $(CC) -nostdlib -static-pie -o $@ \
    $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o \
    $$($(CC) -print-file-name=crtbeginS.o) $^ $(MUSL_LIB)/libc.a \
    $$($(CC) -print-libgcc-file-name) \
    $$($(CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o

# ---- user/lib/: what the programs share, as one archive ----
USER_LIB_SRCS := $(sort $(wildcard user/lib/*.c))
USER_LIB := $(USER_OBJ)/user/lib/libuser.a

$(USER_LIB): $(patsubst %.c,$(USER_OBJ)/%.o,$(USER_LIB_SRCS))
	@echo "AR $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# ---- user/: the programs ----
USER_PROG_DIRS := $(patsubst user/%/,%,$(filter-out user/include/ \
    user/lib/ user/gl/,$(sort $(wildcard user/*/))))
USER_PROG_FILES := $(patsubst user/%.c,%,$(sort $(wildcard user/*.c)))
USER_PROGS := $(sort $(USER_PROG_DIRS) $(USER_PROG_FILES))
USER_BINS := $(addprefix $(USER_BIN)/,$(USER_PROGS))

# One link rule per program: its folder's objects, or its single file's.
define USER_PROG_RULE
$(USER_BIN)/$(1): $(patsubst %.c,$(USER_OBJ)/%.o, \
    $(sort $(wildcard user/$(1)/*.c) $(wildcard user/$(1).c))) $(USER_LIB)
	@echo "USERLD $$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$$(USER_LINK_STATIC)
endef
$(foreach p,$(USER_PROGS),$(eval $(call USER_PROG_RULE,$(p))))

# ---- tests/user/: the differential test programs ----
USER_TEST_SRCS := $(sort $(wildcard tests/user/test_*.c))
USER_EMBER_TEST_SRCS := $(sort $(wildcard tests/user/seed_*.c \
    tests/user/hostile_*.c tests/user/bench_*.c))
USER_TEST_NAMES := $(patsubst tests/user/%.c,%,$(USER_TEST_SRCS) \
    $(USER_EMBER_TEST_SRCS))
USER_PIE_TESTS := test_process test_memory
USER_TEST_BINS := $(addprefix $(USER_TEST_BIN)/,$(USER_TEST_NAMES)) \
    $(patsubst %,$(USER_TEST_BIN)/%-pie,$(USER_PIE_TESTS))

$(USER_TEST_BIN)/%: $(USER_OBJ)/tests/user/%.o
	@echo "USERLD $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(USER_LINK_STATIC)

$(USER_TEST_BIN)/%-pie: $(USER_OBJ)/tests/user/%.o
	@echo "USERLD $@ (static-PIE)"
	$(Q)mkdir -p $(@D)
	$(Q)$(USER_LINK_PIE)

# ---- the malformed ELF corpus ----
# tests/user/malformed_elf/tiny.c, linked static and static-PIE and
# stripped, is the seed gen_malformed.py breaks; the corpus (refuse/,
# random/, MANIFEST) and the two unbroken builds go to $(ELF_CORPUS_DIR),
# which the disk rule copies to /tests/elf for tests/user/hostile_elf.c.
ELF_CORPUS_DIR := $(BUILD)/tests/elf
ELF_BASE_DIR := $(BUILD)/tests/elf-base
ELF_CORPUS := $(ELF_CORPUS_DIR)/MANIFEST
ELF_GEN := tests/user/malformed_elf/gen_malformed.py
ELF_RANDOM ?= 200

$(ELF_BASE_DIR)/tiny: $(USER_OBJ)/tests/user/malformed_elf/tiny.o
	@echo "USERLD $@ (stripped)"
	$(Q)mkdir -p $(@D)
	$(Q)$(USER_LINK_STATIC) -s

$(ELF_BASE_DIR)/tiny-pie: $(USER_OBJ)/tests/user/malformed_elf/tiny.o
	@echo "USERLD $@ (static-PIE, stripped)"
	$(Q)mkdir -p $(@D)
	$(Q)$(USER_LINK_PIE) -s

$(ELF_CORPUS): $(ELF_GEN) $(ELF_BASE_DIR)/tiny $(ELF_BASE_DIR)/tiny-pie
	@echo "GEN $(ELF_CORPUS_DIR)"
	$(Q)rm -rf $(ELF_CORPUS_DIR)
	$(Q)$(PYTHON) $(ELF_GEN) $(ELF_BASE_DIR)/tiny $(ELF_CORPUS_DIR) \
	    --pie $(ELF_BASE_DIR)/tiny-pie --random $(ELF_RANDOM) >/dev/null
	$(Q)cp $(ELF_BASE_DIR)/tiny $(ELF_BASE_DIR)/tiny-pie $(ELF_CORPUS_DIR)/

-include $(patsubst %.c,$(USER_OBJ)/%.d,$(USER_TEST_SRCS) \
    tests/user/malformed_elf/tiny.c \
    $(USER_EMBER_TEST_SRCS) \
    $(wildcard user/*.c user/*/*.c))

.PHONY: user user-tests
user: $(USER_BINS)
user-tests: $(USER_TEST_BINS)
