# QUAKE: Quakespasm's engine, unmodified, on our platform layer and our GL.
#
# The engine comes from Debian's quakespasm orig tarball, fetched once into
# $(QUAKE_CACHE) (outside build/, so `make clean` keeps it) by
# tools/fetch-quake.sh; nothing of it is committed. Both programs are built
# with the same compiler and flags, `musl-gcc -static -O2 -ffp-contract=off`
# (the same libm and the same float code give the same floats on both
# systems, which the frame comparison needs):
#   make quake       build/user/bin/quake, the Ember program (part of
#                    `make`: the disk gets it as /bin/quake and an empty
#                    game folder /usr/share/games/quake/id1/)
#   make quake-host  build/quake/quake-host, the same program for Linux with
#                    the headless back end, used by the tests
# The back ends are the DOOM port's (ports/doom/backend.h): the same screen,
# keys, mouse and sleep calls. The engine objects do not depend on the back
# end, so both links share them. The engine is compiled with warnings off
# (-w: unmodified third-party code); our files keep -Werror and see the
# engine's headers through -isystem.
#
# See: docs/quake.md, ports/quake/README.md

QUAKE_CACHE := cache/quake
QUAKE_SRC := $(QUAKE_CACHE)/src/Quake
QUAKE_STAMP := $(QUAKE_CACHE)/.fetched
QUAKE_BUILD := $(BUILD)/quake
QUAKE_HOST_BIN := $(QUAKE_BUILD)/quake-host
QUAKE_EMBER_BIN := $(USER_BIN)/quake
# Where the game folder sits on Ember's disk (the engine's -basedir default
# in ports/quake/main.c, plus id1).
QUAKE_DISK_GAME := usr/share/games/quake/id1
# The test game (ports/quake/testgame/), in a folder of its own so that
# the user's game folder stays empty: quake -basedir /$(QUAKE_DISK_TEST).
QUAKE_DISK_TEST := usr/share/games/quake-test

QUAKE_CC ?= musl-gcc
QUAKE_CFLAGS ?= -O2 -g
QUAKE_INCLUDES := -Iports/quake/include -I$(EMGL_INCLUDE)
override QUAKE_ENGINE_CFLAGS := $(QUAKE_CFLAGS) -ffp-contract=off \
    -std=gnu11 -w -DNDEBUG $(QUAKE_INCLUDES) -I$(QUAKE_SRC) -MMD -MP
override QUAKE_PORT_CFLAGS := $(QUAKE_CFLAGS) -ffp-contract=off -std=gnu11 \
    -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wvla \
    $(QUAKE_INCLUDES) -Iports/quake -Iports/doom -Iuser/include -Iinclude \
    -isystem $(QUAKE_SRC) -MMD -MP
override QUAKE_LDFLAGS := -static

# The engine files we build: those of its Makefile for USE_SDL2=1 with
# every music codec off, less the platform files ours replace (gl_vidsdl,
# in_sdl, sys_sdl_unix, main_sdl, pl_linux, snd_sdl, cd_sdl, net_bsd,
# net_udp) and net_dgrm.c (the LAN driver, with no network under it).
# cd_null.c is the engine's own "no CD audio".
QUAKE_ENGINE_FILES := $(sort \
    bgmusic.c cd_null.c cfgfile.c chase.c cl_demo.c cl_input.c cl_main.c \
    cl_parse.c cl_tent.c cmd.c common.c console.c crc.c cvar.c gl_draw.c \
    gl_fog.c gl_mesh.c gl_model.c gl_refrag.c gl_rlight.c gl_rmain.c \
    gl_rmisc.c gl_screen.c gl_sky.c gl_texmgr.c gl_warp.c host.c \
    host_cmd.c image.c keys.c mathlib.c menu.c miniz.c net_loop.c \
    net_main.c pr_cmds.c pr_edict.c pr_exec.c r_alias.c r_brush.c r_part.c \
    r_sprite.c r_world.c sbar.c snd_codec.c snd_dma.c snd_mem.c snd_mix.c \
    strlcat.c strlcpy.c sv_main.c sv_move.c sv_phys.c sv_user.c view.c \
    wad.c world.c zone.c)
QUAKE_ENGINE_SRCS := $(addprefix $(QUAKE_SRC)/,$(QUAKE_ENGINE_FILES))
QUAKE_ENGINE_OBJS := $(patsubst $(QUAKE_SRC)/%.c,$(QUAKE_BUILD)/engine/%.o, \
    $(QUAKE_ENGINE_SRCS))

# Our platform layer, shared by both programs, and the two back ends; the
# DOOM port's clock and scancode decoder serve both games.
QUAKE_PORT_SRCS := $(sort $(wildcard ports/quake/*.c)) \
    ports/doom/backend_time.c ports/doom/scancode.c
QUAKE_PORT_OBJS := $(patsubst %.c,$(QUAKE_BUILD)/%.o,$(QUAKE_PORT_SRCS))
QUAKE_HOST_OBJS := $(QUAKE_BUILD)/ports/doom/backend_host.o
QUAKE_EMBER_OBJS := $(QUAKE_BUILD)/ports/doom/backend_ember.o

# The fetch runs once; after that the cache is only read.
$(QUAKE_STAMP): tools/fetch-quake.sh | $(DEPS_STAMP)
	@echo "FETCH $(QUAKE_CACHE)"
	$(Q)bash tools/fetch-quake.sh $(QUAKE_CACHE)

# The engine's sources appear with the fetch; this rule tells make so.
$(QUAKE_ENGINE_SRCS): | $(QUAKE_STAMP)
	@:

$(QUAKE_BUILD)/engine/%.o: $(QUAKE_SRC)/%.c ports/quake/quake.mk \
        | $(DEPS_STAMP)
	@echo "CC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(QUAKE_CC) $(QUAKE_ENGINE_CFLAGS) -c $< -o $@

$(QUAKE_BUILD)/ports/%.o: ports/%.c ports/quake/quake.mk \
        | $(DEPS_STAMP) $(QUAKE_STAMP)
	@echo "CC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(QUAKE_CC) $(QUAKE_PORT_CFLAGS) -c $< -o $@

$(QUAKE_HOST_BIN): $(QUAKE_ENGINE_OBJS) $(QUAKE_PORT_OBJS) \
        $(QUAKE_HOST_OBJS) $(EMGL_LIB)
	@echo "LD $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(QUAKE_CC) $(QUAKE_LDFLAGS) -o $@ $^ -lm

$(QUAKE_EMBER_BIN): $(QUAKE_ENGINE_OBJS) $(QUAKE_PORT_OBJS) \
        $(QUAKE_EMBER_OBJS) $(EMGL_LIB)
	@echo "LD $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(QUAKE_CC) $(QUAKE_LDFLAGS) -o $@ $^ -lm

-include $(QUAKE_ENGINE_OBJS:.o=.d) $(QUAKE_PORT_OBJS:.o=.d) \
    $(QUAKE_HOST_OBJS:.o=.d) $(QUAKE_EMBER_OBJS:.o=.d)

.PHONY: quake quake-host quake-fetch
quake: $(QUAKE_EMBER_BIN)
quake-host: $(QUAKE_HOST_BIN)
quake-fetch: $(QUAKE_STAMP)

# The QEMU tests run the Linux build too.
test test-long bench: $(QUAKE_HOST_BIN)

# `make run QUAKE_DIR=/path/to/id1` copies the user's paks (pak0.pak, and
# pak1.pak for the full game; any case) into the game folder of run/disk.img,
# making that disk from the build's first if it does not exist yet.
QUAKE_DIR ?=
QUAKE_PART_OFFSET := 1048576
ifneq ($(QUAKE_DIR),)
run run-uefi run-headless: quake-user-paks
.PHONY: quake-user-paks
quake-user-paks: all
	$(Q)mkdir -p $(RUN_DIR)
	$(Q)[ -f $(RUN_DIR)/disk.img ] || \
	    cp --sparse=always $(DISK) $(RUN_DIR)/disk.img
	$(Q)found=0; for p in "$(QUAKE_DIR)"/*; do \
	    n=$$(basename "$$p" | tr 'A-Z' 'a-z'); \
	    case "$$n" in pak[0-9].pak) ;; *) continue ;; esac; \
	    echo "QUAKE $$p -> /$(QUAKE_DISK_GAME)/$$n"; \
	    MTOOLS_SKIP_CHECK=1 mcopy -o -i \
	        "$(RUN_DIR)/disk.img@@$(QUAKE_PART_OFFSET)" "$$p" \
	        "::/$(QUAKE_DISK_GAME)/$$n" || exit 1; \
	    found=1; \
	done; [ $$found = 1 ] || \
	    { echo "quake: no pak0.pak in $(QUAKE_DIR)" >&2; exit 1; }
endif
