# Ember's build: one non-recursive makefile for the kernel, the boot ISO, the
# disk image and the tests.
#
# `make` builds build/ember.iso and build/disk.img; `make run` boots them;
# `make test` runs every test. The fragments below add their own targets:
# kernel/kernel.mk (the kernel ELF), tests/tests.mk (host tests and the
# runners), ports/quake/quake.mk (QUAKE), ports/quake/testgame/testgame.mk
# (the Quake test game).
# Everything generated goes under build/, except run/ (the disk `make run`
# keeps between runs) and cache/ (downloads kept across `make clean`).
# Missing Debian packages are installed first by tools/deps.sh.
#
# See: README.md, docs/boot.md

MAKEFLAGS += -rR
.SUFFIXES:
.DELETE_ON_ERROR:
# Keep intermediate files (objects of host tests, the first kernel link).
.SECONDARY:
.DEFAULT_GOAL := all

# Tools: -R dropped make's built-in CC, so pick one unless the user did.
define TOOL_DEFAULT
ifeq ($$(origin $(1)),default)
$(1) := $(2)
endif
ifeq ($$(origin $(1)),undefined)
$(1) := $(2)
endif
endef
$(eval $(call TOOL_DEFAULT,CC,gcc))
$(eval $(call TOOL_DEFAULT,LD,ld))
$(eval $(call TOOL_DEFAULT,NM,nm))
$(eval $(call TOOL_DEFAULT,PYTHON,python3))

BUILD := build
RUN_DIR := run

# `make V=1` shows whole commands instead of one line per step.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# The disk: its size is set here and nowhere else (tools/mkdisk.sh).
DISK_SIZE_MIB := 512

# Packages before the graph: a rule may name a file that only a Debian
# package provides (the console font under /usr/share/consolefonts), and
# make resolves such names before any order-only prerequisite could run the
# installer. So the deps check is an included makefile: make remakes it
# first, running tools/deps.sh, then restarts and reads every rule with the
# packages in place. It reruns when the script changes or after `make clean`.
DEPS_STAMP := $(BUILD)/deps.mk
$(DEPS_STAMP): tools/deps.sh
	$(Q)mkdir -p $(@D)
	$(Q)bash tools/deps.sh
	$(Q)echo "# tools/deps.sh found every package; see the Makefile" >$@
include $(DEPS_STAMP)

include kernel/kernel.mk
include user/user.mk
include user/gl/gl.mk
include tests/tests.mk
include ports/doom/doom.mk
include ports/quake/quake.mk
include ports/quake/testgame/testgame.mk

# ---- the boot ISO ----
# The ISO carries the kernel without its DWARF sections (backtraces use the
# symbols linked into .ksyms; gdb reads build/ember.elf): 0.3 MiB for GRUB
# to read instead of 1.2 MiB. Under UEFI with 64 MiB, GRUB failed to read
# the unstripped kernel once it grew past 21504000 bytes of ISO
# ("failure reading sector 0x6f0 from cd0", test mm_memory_uefi_64m).
ISO := $(BUILD)/ember.iso
$(ISO): $(KERNEL_ELF) boot/grub.cfg Makefile | $(DEPS_STAMP)
	@echo "ISO $@"
	$(Q)rm -rf $(BUILD)/iso
	$(Q)mkdir -p $(BUILD)/iso/boot/grub
	$(Q)cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	$(Q)objcopy --strip-debug $(KERNEL_ELF) $(BUILD)/iso/boot/ember.elf
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
	    { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ---- the FAT32 disk ----
# What goes on the disk: README.txt at the root, the programs in /bin (DOOM
# among them, ports/doom/doom.mk), the user-mode test programs in /tests, the
# malformed ELF corpus in /tests/elf (user/user.mk), Freedoom's two IWADs
# in /usr/share/games/doom, a folder the engine searches by default, and
# Quake's game folder /usr/share/games/quake/id1 (ports/quake/quake.mk),
# empty: the user brings pak0.pak; the Quake test game's pak goes to
# /usr/share/games/quake-test/id1 for the tests. Empty /dev, /proc and /tmp
# are the mount points (vfs_init() makes them on a disk that lacks them, but
# each such write and its sync cost the first boot ~14 ms).
# DISK_ROOT mirrors the disk's tree.
DISK := $(BUILD)/disk.img
DISK_ROOT := $(BUILD)/diskroot
DISK_FILES := tools/disk/README.txt $(USER_BINS) $(USER_TEST_BINS) \
    $(ELF_CORPUS) $(DOOM_EMBER_BIN) $(DOOM_WADS) $(QUAKE_EMBER_BIN) \
    $(QUAKE_TESTGAME_PAK)
$(DISK): tools/mkdisk.sh $(DISK_FILES) Makefile | $(DEPS_STAMP)
	@echo "DISK $@"
	$(Q)rm -rf $(DISK_ROOT)
	$(Q)mkdir -p $(DISK_ROOT)/bin $(DISK_ROOT)/tests $(DISK_ROOT)/scratch \
	    $(DISK_ROOT)/dev $(DISK_ROOT)/proc $(DISK_ROOT)/tmp $(DISK_ROOT)/results $(DISK_ROOT)/usr/share/games/doom \
	    $(DISK_ROOT)/$(QUAKE_DISK_GAME) $(DISK_ROOT)/$(QUAKE_DISK_TEST)/id1
	$(Q)cp tools/disk/README.txt $(DISK_ROOT)/
	$(Q)cp $(USER_BINS) $(DOOM_EMBER_BIN) $(QUAKE_EMBER_BIN) $(DISK_ROOT)/bin/
	$(Q)cp $(USER_TEST_BINS) $(DISK_ROOT)/tests/
	$(Q)cp -r $(ELF_CORPUS_DIR) $(DISK_ROOT)/tests/elf
	$(Q)cp $(DOOM_WADS) $(DISK_ROOT)/usr/share/games/doom/
	$(Q)$(if $(QUAKE_TESTGAME_PAK),cp $(QUAKE_TESTGAME_PAK) \
	    $(DISK_ROOT)/$(QUAKE_DISK_TEST)/id1/,:)
	$(Q)bash tools/mkdisk.sh $@ $(DISK_SIZE_MIB) $(DISK_ROOT)

.PHONY: all deps iso disk run run-uefi run-headless debug clean clean-disk \
        test test-long test-loaded test-fresh bench bench-linux bench-compare \
        screenshot compdb
all: $(ISO) $(DISK)
deps: $(DEPS_STAMP)
iso: $(ISO)
disk: $(DISK)

# ---- running it ----
export EMBER_DISK_ROOT = $(DISK_ROOT)
run: all
	$(Q)bash tools/qemu.sh run
run-uefi: all
	$(Q)bash tools/qemu.sh run-uefi
run-headless: all
	$(Q)bash tools/qemu.sh headless
debug: all
	$(Q)bash tools/qemu.sh debug

# ---- clangd's compile database ----
# One entry per C file, with the compiler and flags of the rule that builds
# it, taken from the same variables (tools/compdb.py). clangd finds
# build/compile_commands.json by itself. DOOM's engine is left out: it is
# unpacked into build/ only when fetched.
COMPDB := $(BUILD)/compile_commands.json
compdb: | $(DEPS_STAMP)
	@echo "GEN $(COMPDB)"
	$(Q)mkdir -p $(BUILD)
	$(Q)$(PYTHON) tools/compdb.py $(COMPDB) \
	    --group "$(CC) $(KCFLAGS)" $(KERNEL_C) \
	    --group "$(HOSTCC) $(HOSTCFLAGS)" $(HOST_TEST_SRCS) \
	        tests/host/portable_host.c \
	    --group "$(USER_CC) $(USER_CFLAGS)" \
	        $(sort $(shell find user -name '*.c')) $(USER_TEST_SRCS) \
	        $(USER_EMBER_TEST_SRCS)

clean:
	rm -rf $(BUILD)
clean-disk:
	rm -rf $(RUN_DIR)
