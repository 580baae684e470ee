# DOOM: Chocolate Doom's engine, unmodified, on our platform layer.
#
# The engine comes from Debian's chocolate-doom source package and the data
# from its freedoom package, fetched once into $(DOOM_CACHE) (outside build/,
# so `make clean` keeps them) by tools/fetch-doom.sh. Nothing of either is
# committed. Everything is built with `musl-gcc -static`, for both targets:
#   make doom       build/user/bin/doom, the Ember program (Ember back end),
#                   part of `make`: the disk gets it as /bin/doom and the
#                   WADs in /usr/share/games/doom/
#   make doom-host  build/doom/doom-host, the same program for Linux with the
#                   headless host back end, used by the demo tests
# The engine objects do not depend on the back end, so both links share them;
# only backend_host.o and backend_ember.o differ. The engine is compiled with
# warnings off (-w: unmodified third-party code); our own files keep -Werror.
#
# See: docs/doom.md, ports/doom/README.md

DOOM_CACHE := cache/doom
comma := ,
DOOM_SRC := $(DOOM_CACHE)/src
DOOM_STAMP := $(DOOM_CACHE)/.fetched
DOOM_BUILD := $(BUILD)/doom
DOOM_HOST_BIN := $(DOOM_BUILD)/doom-host
DOOM_EMBER_BIN := $(USER_BIN)/doom
DOOM_WADS := $(DOOM_CACHE)/wads/freedoom1.wad $(DOOM_CACHE)/wads/freedoom2.wad

DOOM_CC ?= musl-gcc
DOOM_CFLAGS ?= -O2 -g
DOOM_INCLUDES := -Iports/doom/include
override DOOM_ENGINE_CFLAGS := $(DOOM_CFLAGS) -std=gnu11 -w $(DOOM_INCLUDES) \
    -I$(DOOM_SRC)/src -I$(DOOM_SRC)/src/doom -MMD -MP
# The engine's headers come in as system headers, so that -Werror judges our
# code and not theirs.
override DOOM_PORT_CFLAGS := $(DOOM_CFLAGS) -std=gnu11 -Wall -Wextra \
    -Werror -Wmissing-prototypes -Wstrict-prototypes -Wvla $(DOOM_INCLUDES) \
    -Iuser/include -Iinclude -isystem $(DOOM_SRC)/src \
    -isystem $(DOOM_SRC)/src/doom -MMD -MP
override DOOM_LDFLAGS := -static

# The engine files we build: 28 of src/ (the rest is SDL video, input,
# sound, music, networking, joystick, globbing and ENDOOM, which our files
# replace, plus what only those use; and w_file_stdc.c, which our
# wad_file.c replaces to refuse truncated WADs clearly) and every file of src/doom/ except
# doom_icon.c, which d_main.c #includes.
DOOM_ENGINE_COMMON := $(sort \
    d_event.c d_iwad.c d_loop.c d_mode.c deh_io.c deh_main.c deh_mapping.c \
    deh_str.c deh_text.c i_main.c i_system.c m_argv.c m_bbox.c m_cheat.c \
    m_config.c m_controls.c m_fixed.c m_misc.c sha1.c tables.c v_diskicon.c \
    v_video.c w_checksum.c w_file.c w_main.c w_merge.c w_wad.c \
    z_zone.c)
DOOM_ENGINE_GAME := $(sort \
    am_map.c d_items.c d_main.c d_net.c deh_ammo.c deh_bexstr.c deh_cheat.c \
    deh_doom.c deh_frame.c deh_misc.c deh_ptr.c deh_sound.c deh_thing.c \
    deh_weapon.c doomdef.c doomstat.c dstrings.c f_finale.c f_wipe.c \
    g_game.c hu_lib.c hu_stuff.c info.c m_menu.c m_random.c p_ceilng.c \
    p_doors.c p_enemy.c p_floor.c p_inter.c p_lights.c p_map.c p_maputl.c \
    p_mobj.c p_plats.c p_pspr.c p_saveg.c p_setup.c p_sight.c p_spec.c \
    p_switch.c p_telept.c p_tick.c p_user.c r_bsp.c r_data.c r_draw.c \
    r_main.c r_plane.c r_segs.c r_sky.c r_things.c s_sound.c sounds.c \
    st_lib.c st_stuff.c statdump.c wi_stuff.c)
DOOM_ENGINE_SRCS := $(addprefix $(DOOM_SRC)/src/,$(DOOM_ENGINE_COMMON)) \
    $(addprefix $(DOOM_SRC)/src/doom/,$(DOOM_ENGINE_GAME))
DOOM_ENGINE_OBJS := $(patsubst $(DOOM_SRC)/%.c,$(DOOM_BUILD)/engine/%.o, \
    $(DOOM_ENGINE_SRCS))

# Our platform layer, shared by both programs, and the two back ends.
DOOM_PORT_SRCS := $(sort $(filter-out ports/doom/backend_%.c, \
    $(wildcard ports/doom/*.c))) ports/doom/backend_time.c
DOOM_PORT_OBJS := $(patsubst %.c,$(DOOM_BUILD)/%.o,$(DOOM_PORT_SRCS))
DOOM_HOST_OBJS := $(DOOM_BUILD)/ports/doom/backend_host.o
DOOM_EMBER_OBJS := $(DOOM_BUILD)/ports/doom/backend_ember.o

# The fetch runs once; after that the cache is only read.
$(DOOM_STAMP): | $(DEPS_STAMP)
	@echo "FETCH $(DOOM_CACHE)"
	$(Q)bash tools/fetch-doom.sh $(DOOM_CACHE)

# The engine's sources appear with the fetch; this rule tells make so, so a
# first `make -j2 doom` fetches before it compiles.
$(DOOM_ENGINE_SRCS) $(DOOM_WADS): | $(DOOM_STAMP)
	@:

$(DOOM_BUILD)/engine/%.o: $(DOOM_SRC)/%.c ports/doom/doom.mk | $(DEPS_STAMP)
	@echo "CC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(DOOM_CC) $(DOOM_ENGINE_CFLAGS) -c $< -o $@

$(DOOM_BUILD)/ports/doom/%.o: ports/doom/%.c ports/doom/doom.mk \
        | $(DEPS_STAMP) $(DOOM_STAMP)
	@echo "CC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(DOOM_CC) $(DOOM_PORT_CFLAGS) -c $< -o $@

$(DOOM_HOST_BIN): $(DOOM_ENGINE_OBJS) $(DOOM_PORT_OBJS) $(DOOM_HOST_OBJS)
	@echo "LD $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(DOOM_CC) $(DOOM_LDFLAGS) -o $@ $^

$(DOOM_EMBER_BIN): $(DOOM_ENGINE_OBJS) $(DOOM_PORT_OBJS) $(DOOM_EMBER_OBJS)
	@echo "LD $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(DOOM_CC) $(DOOM_LDFLAGS) -o $@ $^

-include $(DOOM_ENGINE_OBJS:.o=.d) $(DOOM_PORT_OBJS:.o=.d) \
    $(DOOM_HOST_OBJS:.o=.d) $(DOOM_EMBER_OBJS:.o=.d)

# The demo test: all 8 Freedoom demos on Linux, printing their end states.
.PHONY: doom doom-host doom-fetch test-doom-host
doom: $(DOOM_EMBER_BIN)
doom-host: $(DOOM_HOST_BIN)
doom-fetch: $(DOOM_STAMP)
test-doom-host: $(DOOM_HOST_BIN)
	$(Q)bash tests/host/doom_timedemo.sh $(DOOM_HOST_BIN) $(DOOM_CACHE)/wads

# `make run-doom` boots straight into DOOM (init runs it, and powers off when
# it quits), for a DOOM session without the shell; DOOM_ARGS adds engine options,
# commas for spaces: make run-doom DOOM_ARGS=-iwad,freedoom1.wad
DOOM_ARGS ?=
.PHONY: run-doom
run-doom: all
	$(Q)EMBER_CMDLINE="init=/bin/init,-C,/scratch,/bin/doom$(if \
	    $(DOOM_ARGS),$(comma)$(DOOM_ARGS))" bash tools/qemu.sh run

# The QEMU tests (tests/system/test_doom.py) compare Ember's end states with
# the Linux build's, made at test time.
test test-long bench: $(DOOM_HOST_BIN)
