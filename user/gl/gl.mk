# Ember's software OpenGL 1.1: a static library for Ember programs, and the
# same sources for the host unit tests.
#
# user/gl/*.c are compiled with musl-gcc into $(EMGL_LIB), which a program
# links with -I$(EMGL_INCLUDE) (for <GL/gl.h> and <GL/emgl.h>). The flags
# are the ones the Quake port uses on Linux and on Ember alike, -O2
# -ffp-contract=off, so the library computes the same floats on both sides.
# The host unit tests tests/host/test_gl_*.c link the same sources built by
# tests/tests.mk's host rule (gcc with AddressSanitizer and UBSan) instead.
# user/user.mk leaves this folder out of its list of programs.
#
# See: docs/gl.md
EMGL_INCLUDE := user/gl/include
EMGL_SRCS := $(sort $(wildcard user/gl/*.c))
EMGL_OBJ := $(BUILD)/user/gl/obj
EMGL_OBJS := $(patsubst user/gl/%.c,$(EMGL_OBJ)/%.o,$(EMGL_SRCS))
EMGL_LIB := $(BUILD)/user/gl/libemgl.a

EMGL_CC ?= musl-gcc
EMGL_CFLAGS ?= -O2 -g
override EMGL_CFLAGS += -ffp-contract=off -std=gnu11 -fPIE -Wall -Wextra \
    -Werror -Wmissing-prototypes -Wstrict-prototypes -Wvla \
    -I$(EMGL_INCLUDE) -MMD -MP

$(EMGL_OBJ)/%.o: user/gl/%.c user/gl/gl.mk | $(DEPS_STAMP)
	@echo "GLCC $<"
	$(Q)mkdir -p $(@D)
	$(Q)$(EMGL_CC) $(EMGL_CFLAGS) -c $< -o $@

$(EMGL_LIB): $(EMGL_OBJS)
	@echo "AR $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# Host tests of the GL: every tests/host/test_gl_*.c also links the GL
# sources compiled for the host.
EMGL_HOST_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(EMGL_SRCS))
EMGL_HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/tests/host/%, \
    $(sort $(wildcard tests/host/test_gl_*.c)))
# The library calls libm (sinf, expf...), which glibc keeps apart.
$(EMGL_HOST_TESTS): $(EMGL_HOST_OBJS)
$(EMGL_HOST_TESTS): override HOSTCFLAGS += -Wl,--no-as-needed -lm
$(EMGL_HOST_OBJS) $(patsubst $(BUILD)/tests/host/%,$(BUILD)/host/tests/host/%.o,$(EMGL_HOST_TESTS)): \
    override HOSTCFLAGS += -I$(EMGL_INCLUDE) -ffp-contract=off
$(EMGL_HOST_OBJS): user/gl/gl.mk

# tests/user/bench_gl.c, the benchmark `make bench` runs, and
# tests/user/test_gl.c, the Linux-against-Ember pixel comparison (user/user.mk
# builds both with the other user test programs), link the library.
$(USER_TEST_BIN)/bench_gl $(USER_TEST_BIN)/test_gl: $(EMGL_LIB)
$(USER_OBJ)/tests/user/bench_gl.o $(USER_OBJ)/tests/user/test_gl.o: \
    override USER_CFLAGS += -I$(EMGL_INCLUDE)

-include $(EMGL_OBJS:.o=.d) $(EMGL_HOST_OBJS:.o=.d)

.PHONY: gl
gl: $(EMGL_LIB)
all: $(EMGL_LIB)
