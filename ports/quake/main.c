/*
 * The program's entry: arguments, the engine's heap, the clock and the
 * frame loop.
 *
 * main() checks the game data first (pak_check.c), so that with no pak the
 * user reads one line saying where pak0.pak goes and the program exits
 * with status 1 before it takes the screen. Then it hands the engine its
 * heap (QUAKE_DEFAULT_HEAP_KIB, or -heapsize in KiB as the engine's own
 * option) and runs Host_Frame forever; Sys_Quit and Sys_Error end it.
 *
 * Two clocks. The real one is CLOCK_MONOTONIC, and between frames the loop
 * sleeps until the next frame is due at host_maxfps (nanosleep through the
 * scheduler, no busy wait); a timedemo runs flat out. The fixed-step one
 * (-fixedclock) makes every frame exactly 1/72 s long and time advance only
 * with frames, so that a scripted run is the same on Linux and on Ember:
 * host_framerate alone is not enough, because console notify lines, the
 * cursor blink and the menus read realtime, which follows Sys_DoubleTime.
 *
 * main() also prints the FPU control state it started with (MXCSR and the
 * x87 control word): the frame comparison needs both systems to start
 * alike, and Ember sets both at execve (kernel/proc/exec.c).
 *
 * Context: the game's one thread.
 * See: docs/quake.md
 */
#include "quakedef.h"

#include "backend.h"
#include "endstate.h"
#include "pak_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The game folder's parent, as the engine's -basedir. */
#define QUAKE_DEFAULT_BASEDIR  "/usr/share/games/quake"
/*
 * The engine's heap: 48 MiB fits the default 256 MiB guest with room for
 * our GL's textures and buffers; the engine needs about 5.3 MiB at least.
 */
#define QUAKE_DEFAULT_HEAP_KIB (48 * 1024)
#define QUAKE_KIB              1024
/*
 * Our default texture filter: nearest texel, nearest mipmap level, as
 * Quake's own software renderer drew (the engine's default is trilinear,
 * which our GL draws as bilinear on the nearest level). A bilinear fetch
 * reads four texels and mixes them: it made the world's textures cost
 * about twice as much per pixel under QEMU (docs/quake.md, section 7).
 * A user's config.cfg or console can still set gl_texturemode.
 */
#define QUAKE_TEXTUREMODE      "GL_NEAREST_MIPMAP_NEAREST"
/* The fixed-step clock: 72 frames a second, Quake's own frame rate. */
#define QUAKE_FIXED_HZ         72.0
#define QUAKE_MSG_BYTES        512
#define MS_PER_S               1000.0
#define NS_PER_S               1e9

/* Quakespasm's default; our loop sleeps until the next frame instead. */
cvar_t sys_throttle = {
    .name = "sys_throttle", .string = "0.02", .flags = CVAR_ARCHIVE};
/* host.c's frame-rate cap, which no engine header declares. */
extern cvar_t host_maxfps;
/* Only a listen server: there is no network for a dedicated one. */
qboolean isDedicated;

static quakeparms_t parms;

static struct {
    int fixed;           /* -fixedclock given */
    uint64_t frames;     /* frames run in fixed-step mode */
    double real_base;    /* CLOCK_MONOTONIC at the first reading, s */
    int real_base_taken; /* real_base is set */
} clock_state;

double Sys_DoubleTime(void)
{
    struct timespec ts;

    if (clock_state.fixed)
        return (double)clock_state.frames / QUAKE_FIXED_HZ;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_S;

    if (!clock_state.real_base_taken) {
        clock_state.real_base = now;
        clock_state.real_base_taken = 1;
    }
    return now - clock_state.real_base;
}

void Sys_Sleep(unsigned long msecs)
{
    backend_sleep_ms((uint32_t)msecs);
}

void Sys_Init(void)
{
    parms.basedir = QUAKE_DEFAULT_BASEDIR;
    parms.userdir = parms.basedir;
    parms.numcpus = 1;
}

/* Prints the FPU control state the program started with. */
static void print_fpu_state(void)
{
    uint32_t mxcsr;
    uint16_t fcw;

    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(fcw));
    printf("quake: fpu at start: mxcsr 0x%04x, x87 control word 0x%04x\n",
           mxcsr, fcw);
}

/* The folder the engine will search: -basedir's, or ours. */
static const char *game_basedir(void)
{
    int i = COM_CheckParm("-basedir");

    return i && i < com_argc - 1 ? com_argv[i + 1] : QUAKE_DEFAULT_BASEDIR;
}

/* Exits with status 1 if the game's paks are missing or damaged. */
static void check_game_data(void)
{
    char msg[QUAKE_MSG_BYTES];
    const char *base = game_basedir();

    if (pak_check_game(base, GAMENAME, msg, sizeof msg) < 0) {
        fprintf(stderr, "quake: %s\n", msg);
        exit(1);
    }
    int i = COM_CheckParm("-game");

    if (i && i < com_argc - 1 &&
        pak_check_game(base, com_argv[i + 1], msg, sizeof msg) == -EINVAL) {
        fprintf(stderr, "quake: %s\n", msg);
        exit(1);
    }
}

/* Sleeps until the next frame is due at host_maxfps, if that is >= 1 ms. */
static void sleep_until_next_frame(double frame_start)
{
    if (cls.timedemo || host_maxfps.value <= 0)
        return;
    double left = 1.0 / host_maxfps.value - (Sys_DoubleTime() - frame_start);
    uint32_t ms = (uint32_t)(left * MS_PER_S);

    if (left > 0 && ms > 0)
        backend_sleep_ms(ms);
}

int main(int argc, char *argv[])
{
    print_fpu_state();
    host_parms = &parms;
    parms.argc = argc;
    parms.argv = argv;
    COM_InitArgv(argc, argv);
    if (COM_CheckParm("-dedicated")) {
        fprintf(stderr, "quake: -dedicated needs a network; there is none\n");
        return 1;
    }
    clock_state.fixed = COM_CheckParm("-fixedclock") != 0;
    Sys_Init();
    check_game_data();

    parms.memsize = QUAKE_DEFAULT_HEAP_KIB * QUAKE_KIB;
    int i = COM_CheckParm("-heapsize");

    if (i && i < com_argc - 1)
        parms.memsize = Q_atoi(com_argv[i + 1]) * QUAKE_KIB;
    parms.membase = malloc((size_t)parms.memsize);
    if (parms.membase == NULL)
        Sys_Error("Not enough memory for a heap of %d KiB",
                  parms.memsize / QUAKE_KIB);

    Sys_Printf("Initializing QuakeSpasm v%s on Ember's platform layer\n",
               QUAKESPASM_VER_STRING);
    Host_Init();
    /* Before the first frame runs quake.rc, so that configs override it. */
    Cvar_Set("gl_texturemode", QUAKE_TEXTUREMODE);

    double old = Sys_DoubleTime();
    for (;;) {
        if (clock_state.fixed) {
            clock_state.frames++;
            Host_Frame((float)(1.0 / QUAKE_FIXED_HZ));
            endstate_frame();
            continue;
        }
        double now = Sys_DoubleTime();

        Host_Frame((float)(now - old));
        endstate_frame();
        old = now;
        sleep_until_next_frame(now);
    }
}
