/*
 * The end-state line of a timedemo, printed when the demo has played out.
 *
 * A DOOM demo is the players' input, tic by tic; the game replays it by
 * running the same simulation again, so any difference in the engine, the
 * compiler, the C library or the platform layer makes the game drift. At
 * the end of `-timedemo` the port prints, on stderr, one line with the map,
 * the game tic, the console player's position and angle (raw fixed-point
 * values), health, armor, kills/items/secrets with the level's totals, the
 * gameplay random index (prndindex, advanced by every P_Random call) and
 * the CRC-32 of the 64,000-byte I_VideoBuffer, the last frame drawn. Two
 * systems that print the same line replayed the same game and drew the
 * same last picture. The engine ends a timedemo through I_Error("timed ...")
 * after clearing timingdemo; that is how the hook knows the demo finished
 * rather than failed.
 *
 * For `-playdemo` (real-time replay) it prints instead, when the demo ends
 * and the engine quits, the tic rate the game sustained: "doom-rate: N tics
 * in M ms (R tics/s)", measured from the first frame drawn at or past game
 * tic 70 (past the screen wipe at the level's start, after which the engine
 * catches up on the tics the wipe took) to the end. Real-time play must
 * hold 35.
 *
 * See: docs/doom.md
 */
#include "endstate.h"

#include <stdio.h>

#include "d_loop.h"
#include "doomstat.h"
#include "i_system.h"
#include "i_timer.h"
#include "i_video.h"
#include "m_argv.h"

/*
 * Engine globals that no engine header declares (m_random.c, g_game.c).
 * We may not edit the engine, so they are declared here.
 */
extern int prndindex;
extern boolean timingdemo;

/*
 * doomtype.h makes boolean a 1-byte bool if <stdbool.h> came first, and an
 * int-sized enum otherwise, as the engine was built: player_t's layout
 * depends on it. So no file of the port includes <stdbool.h>.
 */
_Static_assert(sizeof(boolean) == sizeof(int), "boolean is not the engine's");

#define CRC32_POLY      0xedb88320u /* IEEE 802.3, bit-reversed */
#define CRC32_INIT      0xffffffffu
#define BITS_PER_BYTE   8
#define BYTE_VALUES     256
/* "E%dM%d" or "MAP%02d", with room for any two ints. */
#define MAP_NAME_MAX    32
/* The tic-rate measurement starts this many tics into the demo. */
#define RATE_START_TIC  (2 * TICRATE)
#define MS_PER_S        1000
#define RATE_HUNDREDTHS 100

static uint32_t crc_table[BYTE_VALUES];
static boolean crc_table_ready;

/* The -playdemo tic rate: where the measurement started. */
static struct {
    boolean started;
    int first_tic;
    int first_ms;
} rate;

uint32_t endstate_crc32(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint32_t crc = CRC32_INIT;

    if (!crc_table_ready) {
        for (uint32_t i = 0; i < BYTE_VALUES; i++) {
            uint32_t c = i;
            for (int k = 0; k < BITS_PER_BYTE; k++)
                c = c & 1 ? CRC32_POLY ^ c >> 1 : c >> 1;
            crc_table[i] = c;
        }
        crc_table_ready = true;
    }
    while (len-- > 0)
        crc =
            crc_table[(crc ^ *p++) & (BYTE_VALUES - 1)] ^ crc >> BITS_PER_BYTE;
    return crc ^ CRC32_INIT;
}

static void print_endstate(void)
{
    const player_t *pl = &players[consoleplayer];
    const mobj_t *mo = pl->mo;
    char map[MAP_NAME_MAX];

    /* Only a timedemo that played to its end: see the header comment. */
    if (!M_ParmExists("-timedemo") || timingdemo || I_VideoBuffer == NULL)
        return;
    if (gamemode == commercial)
        snprintf(map, sizeof map, "MAP%02d", gamemap);
    else
        snprintf(map, sizeof map, "E%dM%d", gameepisode, gamemap);

    fprintf(stderr,
            "doom-end: map %s tic %d x %d y %d z %d angle %u health %d "
            "armor %d kills %d/%d items %d/%d secrets %d/%d prndindex %d "
            "crc32 %08x\n",
            map, gametic, mo ? mo->x : 0, mo ? mo->y : 0, mo ? mo->z : 0,
            mo ? (unsigned int)mo->angle : 0u, pl->health, pl->armorpoints,
            pl->killcount, totalkills, pl->itemcount, totalitems,
            pl->secretcount, totalsecret, prndindex,
            endstate_crc32(I_VideoBuffer, SCREENWIDTH * SCREENHEIGHT));
    fflush(stderr);
}

void endstate_frame(void)
{
    if (rate.started || !demoplayback || gamestate != GS_LEVEL ||
        gametic < RATE_START_TIC)
        return;
    rate.first_tic = gametic;
    rate.first_ms = I_GetTimeMS();
    rate.started = true;
}

static void print_rate(void)
{
    if (!M_ParmExists("-playdemo") || !rate.started)
        return;

    int ms = I_GetTimeMS() - rate.first_ms;
    int tics = gametic - rate.first_tic;
    long hundredths = ms > 0 ? (long)tics * MS_PER_S * RATE_HUNDREDTHS / ms : 0;

    fprintf(stderr, "doom-rate: %d tics in %d ms (%ld.%02ld tics/s)\n", tics,
            ms, hundredths / RATE_HUNDREDTHS, hundredths % RATE_HUNDREDTHS);
    fflush(stderr);
}

void endstate_register(void)
{
    I_AtExit(print_endstate, true);
    I_AtExit(print_rate, true);
}
