# The kernel: compile every .c and .S under kernel/ (and the in-kernel
# self-tests under tests/kernel/), link twice to embed the symbol table.
#
# Why two links: backtraces need names, and the names come from the linked
# kernel. The first link has an empty .ksyms section; tools/gensyms.py
# reads its symbols into build/kernel/ksyms.S; the second link adds that.
# .ksyms is the last section in kernel/arch/x86_64/linker.ld, so its size
# cannot move any other symbol, and the build checks that it did not.
#
# See: docs/boot.md

KERNEL_ELF := $(BUILD)/ember.elf

# Flags a user may change, then the ones the kernel cannot do without.
KCFLAGS ?= -O2 -g
override KCFLAGS += -std=gnu11 -ffreestanding -nostdinc \
    -isystem $(shell $(CC) -print-file-name=include) \
    -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic \
    -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
    -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wvla \
    -Ikernel -Iinclude -Itests/kernel -MMD -MP
override KASFLAGS := -Ikernel -Iinclude -MMD -MP \
    -DEMBER_FONT_FILE='"$(BUILD)/font/console.psf"'
KLDFLAGS ?=
override KLDFLAGS += -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
    -T kernel/arch/x86_64/linker.ld

# The console font, from Debian's console-setup-linux (tools/deps.sh).
FONT_SRC := /usr/share/consolefonts/Lat15-VGA16.psf.gz
FONT := $(BUILD)/font/console.psf

# Portable files: built into the kernel and into the host tests. Being on
# this list is a promise that the file touches no hardware
# (docs/conventions.md, "Portable code").
PORTABLE_SRCS := $(sort \
    kernel/bootinfo.c \
    kernel/drivers/ata_prd.c \
    kernel/drivers/keylayout.c \
    kernel/drivers/keymap.c \
    kernel/drivers/psf.c \
    kernel/fs/bcache.c \
    kernel/fs/blockdev.c \
    kernel/fs/fat32_check.c \
    kernel/fs/fat32_dir.c \
    kernel/fs/fat32_dir_add.c \
    kernel/fs/fat32_fat.c \
    kernel/fs/fat32_file.c \
    kernel/fs/fat32_guard.c \
    kernel/fs/fat32_io.c \
    kernel/fs/fat32_mount.c \
    kernel/fs/fat32_name.c \
    kernel/fs/fat32_ops.c \
    kernel/fs/fat32_path.c \
    kernel/fs/fat32_pcache.c \
    kernel/fs/fat32_rename.c \
    kernel/fs/fat32_time.c \
    kernel/fs/mbr.c \
    kernel/fs/pcache.c \
    kernel/lib/cmdline.c \
    kernel/lib/format.c \
    kernel/lib/ring.c \
    kernel/mm/bitmap.c \
    kernel/mm/heap.c \
    kernel/proc/elf.c)

KERNEL_C := $(sort $(shell find kernel tests/kernel -name '*.c'))
KERNEL_S := $(sort $(shell find kernel tests/kernel -name '*.S'))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_C) $(KERNEL_S)) \
    $(BUILD)/gen/syscall_names.c.o

# The Linux call names, generated from their one header.
$(BUILD)/gen/syscall_names.c: include/ember/syscall_linux.h \
    tools/gen-syscall-names.py
	@echo "GEN $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(PYTHON) tools/gen-syscall-names.py $< $@

$(BUILD)/gen/syscall_names.c.o: $(BUILD)/gen/syscall_names.c kernel/kernel.mk
	@echo "CC $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.c.o: %.c kernel/kernel.mk | $(DEPS_STAMP)
	@echo "CC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S kernel/kernel.mk | $(DEPS_STAMP)
	@echo "AS $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/kernel/drivers/font.S.o: $(FONT)

$(FONT): $(FONT_SRC) | $(DEPS_STAMP)
	@echo "FONT $@"
	$(Q)mkdir -p $(@D)
	$(Q)gzip -dc $< > $@

$(BUILD)/kernel/ember.pass1.elf: $(KERNEL_OBJS) kernel/arch/x86_64/linker.ld
	@echo "LD $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS)

$(BUILD)/kernel/ksyms.S: $(BUILD)/kernel/ember.pass1.elf tools/gensyms.py
	@echo "GEN $@"
	$(Q)$(PYTHON) tools/gensyms.py $(NM) $< $@

$(BUILD)/kernel/ksyms.o: $(BUILD)/kernel/ksyms.S
	@echo "AS $<"
	$(Q)$(CC) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	@echo "LD $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	$(Q)$(PYTHON) tools/gensyms.py $(NM) $@ $(BUILD)/kernel/ksyms.check.S
	$(Q)cmp -s $(BUILD)/kernel/ksyms.S $(BUILD)/kernel/ksyms.check.S || \
	    { echo "ksyms: the second link moved symbols"; rm -f $@; exit 1; }

-include $(KERNEL_OBJS:.o=.d)
