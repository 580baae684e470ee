/*
 * The end of a timedemo, summed up in two lines.
 *
 * A demo records what the server sent; replaying it with `timedemo` runs
 * the client, the renderer and our GL on every message, one message a
 * frame, whatever the clock says. So the same demo must end in the same
 * state on Linux and on Ember, and the smallest difference in the engine's
 * floats, our GL or the platform layer shows in it:
 *
 *   quake-end: frames 301 pos (495.2 369.0 24.0) angles (-40.0 302.0 0.0)
 *     health 100 crc32 1a2b3c4d
 *
 * (one line): the host frame count, the view entity's origin and the
 * view angles (printed to 0.1, the demo's own precision is coarser), the
 * player's health and the CRC-32 of the last frame. A second line gives
 * the drawing done during the demo, for the benchmarks:
 *
 *   quake-stats: frames 300 triangles 123456 culled 789 fragments 4567890
 *     ms a frame: all 48.6 engine 9.1 vertex 4.0 setup 2.5 spans 30.2
 *     clear 0.4 upload 0.3 blit 2.1
 *
 * (one line, for the benchmarks): where a frame's time went, by the
 * time-stamp counter (video_ticks()) read around our GL's work
 * (struct emgl_stats: glEnd's vertex stage, triangle setup, the spans,
 * glClear, texture uploads) and the blit; "engine" is the rest of the
 * frame: the engine's own code, its gl* state calls and glVertex. The
 * counter's rate is measured over the demo against CLOCK_MONOTONIC.
 *
 * A demo played at its own speed (`playdemo`) ends with the rate the
 * frames were drawn at over the real clock, for the benchmarks:
 *
 *   quake-rate: 175 frames in 2431 ms (72.0 fps)
 *
 * With -demoquit on the command line, the program quits (status 0) when a
 * demo ends, so that tests and benchmarks can run `+timedemo name` alone.
 *
 * The engine has no hook for the end of a demo, so this file watches
 * cls.demoplayback and cls.timedemo after each frame: CL_StopPlayback
 * clears both, and the client's state (cl, cl_entities) is kept until the
 * next connection.
 *
 * Context: the game's one thread (the frame loop in main.c).
 * See: docs/quake.md
 */
#include "endstate.h"

#include "quakedef.h"
#include "video.h"

#include <GL/emgl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define MS_PER_S 1000.0
#define NS_PER_S 1e9

static struct {
    int playing;         /* cls.demoplayback after the last frame */
    int timed;           /* cls.timedemo when the demo started */
    int start_frame;     /* host_framecount then */
    double start_s;      /* Sys_DoubleTime() then */
    double start_real_s; /* CLOCK_MONOTONIC then (the fixed clock aside) */
    uint64_t start_ticks;
    uint64_t start_blit_ticks;
} demo;

static double real_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_S;
}

/* The time-sharing line: ms a frame for each part (see the top). */
static void print_times(const struct emgl_stats *st, int frames)
{
    uint64_t all = video_ticks() - demo.start_ticks;
    uint64_t blit = video_blit_ticks() - demo.start_blit_ticks;
    double s = real_seconds() - demo.start_real_s;

    if (all == 0 || s <= 0 || frames <= 0)
        return;
    /* ms per tick, divided among the frames */
    double k = s * MS_PER_S / (double)all / frames;
    uint64_t vertex = st->prim_ticks - st->setup_ticks - st->span_ticks;
    uint64_t gl = st->prim_ticks + st->clear_ticks + st->upload_ticks;
    uint64_t engine = all > gl + blit ? all - gl - blit : 0;

    printf(" ms a frame: all %.1f engine %.1f vertex %.1f setup %.1f spans "
           "%.1f clear %.1f upload %.1f blit %.1f",
           k * all, k * engine, k * vertex, k * st->setup_ticks,
           k * st->span_ticks, k * st->clear_ticks, k * st->upload_ticks,
           k * blit);
}

static void print_end(void)
{
    struct emgl_stats st;
    int w, h;
    uint32_t crc = video_frame_crc32(&w, &h);
    const entity_t *ent = &cl_entities[cl.viewentity];

    emgl_get_stats(&st);
    printf("quake-end: frames %d pos (%.1f %.1f %.1f) angles (%.1f %.1f "
           "%.1f) health %d crc32 %08x\n",
           host_framecount, ent->origin[0], ent->origin[1], ent->origin[2],
           cl.viewangles[PITCH], cl.viewangles[YAW], cl.viewangles[ROLL],
           cl.stats[STAT_HEALTH], crc);
    printf("quake-stats: frames %d triangles %llu culled %llu fragments "
           "%llu",
           host_framecount - demo.start_frame, (unsigned long long)st.triangles,
           (unsigned long long)st.culled, (unsigned long long)st.fragments);
    print_times(&st, host_framecount - demo.start_frame);
    printf("\n");
    fflush(stdout);
}

static void print_rate(void)
{
    int frames = host_framecount - demo.start_frame;
    double s = Sys_DoubleTime() - demo.start_s;

    printf("quake-rate: %d frames in %.0f ms (%.1f fps)\n", frames,
           s * MS_PER_S, s > 0 ? frames / s : 0.0);
    fflush(stdout);
}

void endstate_frame(void)
{
    if (cls.demoplayback && !demo.playing) {
        demo.start_frame = host_framecount;
        demo.start_s = Sys_DoubleTime();
        demo.start_real_s = real_seconds();
        demo.start_ticks = video_ticks();
        demo.start_blit_ticks = video_blit_ticks();
        demo.timed = cls.timedemo;
        emgl_reset_stats();
    } else if (!cls.demoplayback && demo.playing) {
        if (demo.timed)
            print_end();
        else
            print_rate();
        if (COM_CheckParm("-demoquit"))
            Cbuf_AddText("quit\n");
    }
    demo.playing = cls.demoplayback;
}
