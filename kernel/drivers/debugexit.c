/*
 * The harness's exit door: isa-debug-exit, used only under `harness`.
 *
 * Outside the harness (a user's `make run`) there is no such device and a
 * write to its port would do nothing, so debugexit_exit() returns and the
 * caller halts or powers off as a real machine would.
 *
 * Context: any.
 * See: docs/boot.md
 */
#include "drivers/debugexit.h"

#include "arch/x86_64/cpu.h"
#include "lib/cmdline.h"
#include "lib/panic.h"

bool debugexit_enabled(void)
{
    return cmdline_has("harness");
}

void debugexit_exit(uint32_t code)
{
    if (debugexit_enabled())
        outl(DEBUGEXIT_PORT, code);
}

static void panic_exit(void)
{
    debugexit_exit(DEBUGEXIT_FAIL);
}

void debugexit_init(void)
{
    panic_set_exit(panic_exit);
}
