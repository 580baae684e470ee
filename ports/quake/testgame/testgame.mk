# The Quake test game: build/quake/testgame/id1/pak0.pak, made from nothing.
#
# No Quake data may be used, so the tests get a game written here
# (ports/quake/testgame/): mkgame.py draws the map, textures, pictures and
# models and compiles qc/ with Debian's fteqcc, then packs everything into
# one pak. The output is the same bytes on every build;
# tests/host/test_quake_testgame.py builds it a second time and checks
# its pinned sha256 and its structure. `make quake-testgame` builds it
# alone; `make host-tests` (and so `make test`) builds it too.
#
# See: docs/quake-testgame.md

QUAKE_TESTGAME_DIR := $(BUILD)/quake/testgame
QUAKE_TESTGAME_PAK := $(QUAKE_TESTGAME_DIR)/id1/pak0.pak
QUAKE_TESTGAME_SRCS := $(sort $(wildcard ports/quake/testgame/*.py) \
    $(wildcard ports/quake/testgame/qc/*))
# The console font the generator reads (Debian's console-setup-linux).
QUAKE_TESTGAME_FONT := /usr/share/consolefonts/Lat15-VGA8.psf.gz

$(QUAKE_TESTGAME_PAK): $(QUAKE_TESTGAME_SRCS) $(QUAKE_TESTGAME_FONT) \
    ports/quake/testgame/testgame.mk | $(DEPS_STAMP)
	@echo "QUAKEGAME $@"
	$(Q)/usr/bin/python3 ports/quake/testgame/mkgame.py $(QUAKE_TESTGAME_DIR)

.PHONY: quake-testgame
quake-testgame: $(QUAKE_TESTGAME_PAK)
host-tests: $(QUAKE_TESTGAME_PAK)
