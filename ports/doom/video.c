/*
 * The engine's screen (i_video.h): the 320x200 paletted buffer DOOM draws
 * into, turned into XRGB pixels and handed to the back end once a frame.
 *
 * The engine draws 8-bit palette indices into I_VideoBuffer. I_FinishUpdate
 * looks every index up in a 256-entry XRGB table (rebuilt on each
 * I_SetPalette, so damage and pickup flashes show) and presents a 320x200
 * frame, or 320x240 when the engine's aspect-ratio correction is on (its
 * default): then each run of 5 source rows becomes 6, its first row
 * repeated, which is the 4:3 shape the game had on a VGA monitor. Scaling to
 * the real screen is the back end's (Ember's call 10) job. As in Chocolate
 * Doom, colours keep 6 bits per channel, like the VGA's DAC, and the
 * loading-disk icon is drawn only into the presented frame.
 *
 * Functions named I_* have the names the engine calls; see i_video.h in the
 * engine's source for their contracts.
 *
 * See: docs/doom.md
 */
#include "i_video.h"

#include <stdint.h>
#include <string.h>

#include "backend.h"
#include "deh_str.h"
#include "endstate.h"
#include "i_system.h"
#include "i_timer.h"
#include "m_argv.h"
#include "m_config.h"
#include "tables.h"
#include "v_diskicon.h"
#include "v_video.h"
#include "w_wad.h"
#include "z_zone.h"

#define PALETTE_COLOURS  256
#define RGB_CHANNELS     3
/* An XRGB pixel: 0x00RRGGBB. */
#define XRGB_RED_SHIFT   16
#define XRGB_GREEN_SHIFT 8
/* The VGA DAC has 6 bits per channel: the low 2 bits of 8 are dropped. */
#define VGA_DAC_MASK     0xfc
/* 4:3 correction: every SRC_ROWS rows of the 320x200 frame become OUT_ROWS. */
#define STRETCH_SRC_ROWS 5
#define STRETCH_OUT_ROWS 6
/* -devparm's speed dots: one per tic taken by the frame, at most this many. */
#define FPS_DOTS_MAX     20
#define FPS_DOTS_SPACING 4
#define FPS_DOT_COLOUR   0xff

/* Variables the engine, its menus and its config file name. */
pixel_t *I_VideoBuffer = NULL;
boolean screenvisible = true;
boolean screensaver_mode = false;
int usegamma = 0;
int usemouse = 1;
int fullscreen = true;
int aspect_ratio_correct = true;
int integer_scaling = false;
int vga_porch_flash = false;
int force_software_renderer = false;
int png_screenshots = 0;
char *video_driver = "";
char *window_position = "center";
unsigned int joywait = 0;

/*
 * The port's screen state. Only the game's one thread touches it, from the
 * engine's calls, so there is no lock.
 */
static struct {
    boolean initialized; /* I_InitGraphics done, I_ShutdownGraphics not yet */
    boolean noblit;      /* -noblit: draw, but never convert or present */
    boolean fps_dots;    /* -devparm */
    int last_tic;        /* for the fps dots */
    grabmouse_callback_t grab_callback; /* kept; exclusive mode grabs anyway */
    byte rgb[PALETTE_COLOURS][RGB_CHANNELS];        /* the current palette */
    uint32_t xrgb[PALETTE_COLOURS];                 /* the same, as XRGB */
    pixel_t pixels[SCREENWIDTH * SCREENHEIGHT];     /* I_VideoBuffer */
    uint32_t frame[SCREENWIDTH * SCREENHEIGHT_4_3]; /* what is presented */
} video;

void I_GraphicsCheckCommandLine(void)
{
    video.noblit = M_ParmExists("-noblit");
}

void I_InitGraphics(void)
{
    int err = backend_screen_enter();

    if (err < 0)
        I_Error("video: can't take the screen (error %d)", err);

    I_VideoBuffer = video.pixels;
    V_RestoreBuffer();
    memset(I_VideoBuffer, 0, sizeof video.pixels);
    I_SetPalette(W_CacheLumpName(DEH_String("PLAYPAL"), PU_CACHE));
    video.initialized = true;

    /*
     * Exit hooks run newest first. The end-state hook comes after this one
     * so that it runs before it, while the last frame is still ours.
     */
    I_AtExit(I_ShutdownGraphics, true);
    endstate_register();
}

void I_ShutdownGraphics(void)
{
    if (!video.initialized)
        return;
    backend_screen_leave();
    video.initialized = false;
}

void I_SetPalette(byte *doompalette)
{
    for (int i = 0; i < PALETTE_COLOURS; i++) {
        for (int c = 0; c < RGB_CHANNELS; c++)
            video.rgb[i][c] =
                gammatable[usegamma][*doompalette++] & VGA_DAC_MASK;
        video.xrgb[i] = (uint32_t)video.rgb[i][0] << XRGB_RED_SHIFT |
                        (uint32_t)video.rgb[i][1] << XRGB_GREEN_SHIFT |
                        video.rgb[i][2];
    }
}

int I_GetPaletteIndex(int r, int g, int b)
{
    int best = 0;
    int best_diff = INT32_MAX;

    for (int i = 0; i < PALETTE_COLOURS; i++) {
        int dr = r - video.rgb[i][0];
        int dg = g - video.rgb[i][1];
        int db = b - video.rgb[i][2];
        int diff = dr * dr + dg * dg + db * db;

        if (diff < best_diff) {
            best = i;
            best_diff = diff;
        }
        if (diff == 0)
            break;
    }
    return best;
}

/* -devparm: dots along the bottom row, one per tic the last frame took. */
static void draw_fps_dots(void)
{
    int now = I_GetTime();
    int tics = now - video.last_tic;
    pixel_t *row = I_VideoBuffer + (SCREENHEIGHT - 1) * SCREENWIDTH;

    video.last_tic = now;
    if (tics > FPS_DOTS_MAX)
        tics = FPS_DOTS_MAX;
    for (int i = 0; i < FPS_DOTS_MAX; i++)
        row[i * FPS_DOTS_SPACING] = i < tics ? FPS_DOT_COLOUR : 0;
}

/* One 320-pixel row of palette indices to XRGB. */
static void convert_row(uint32_t *out, const pixel_t *in)
{
    for (int x = 0; x < SCREENWIDTH; x++)
        out[x] = video.xrgb[in[x]];
}

void I_FinishUpdate(void)
{
    endstate_frame();
    if (!video.initialized || video.noblit)
        return;
    if (video.fps_dots)
        draw_fps_dots();
    V_DrawDiskIcon();

    int height = aspect_ratio_correct ? SCREENHEIGHT_4_3 : SCREENHEIGHT;
    for (int y = 0; y < height; y++) {
        int src_y =
            aspect_ratio_correct ? y * STRETCH_SRC_ROWS / STRETCH_OUT_ROWS : y;

        convert_row(video.frame + y * SCREENWIDTH,
                    I_VideoBuffer + src_y * SCREENWIDTH);
    }
    backend_present(video.frame, SCREENWIDTH, (uint32_t)height);

    V_RestoreDiskBackground();
}

void I_UpdateNoBlit(void)
{
}

void I_StartFrame(void)
{
}

void I_ReadScreen(pixel_t *scr)
{
    memcpy(scr, I_VideoBuffer, sizeof video.pixels);
}

void I_DisplayFPSDots(boolean dots_on)
{
    video.fps_dots = dots_on;
}

void I_SetGrabMouseCallback(grabmouse_callback_t func)
{
    video.grab_callback = func;
}

/* A window's title and icon, and screensaver mode: there is no window. */
void I_SetWindowTitle(const char *title)
{
    (void)title;
}

void I_InitWindowTitle(void)
{
}

void I_RegisterWindowIcon(const unsigned int *icon, int width, int height)
{
    (void)icon;
    (void)width;
    (void)height;
}

void I_InitWindowIcon(void)
{
}

void I_CheckIsScreensaver(void)
{
}

void I_BindVideoVariables(void)
{
    M_BindIntVariable("use_mouse", &usemouse);
    M_BindIntVariable("fullscreen", &fullscreen);
    M_BindIntVariable("aspect_ratio_correct", &aspect_ratio_correct);
    M_BindIntVariable("integer_scaling", &integer_scaling);
    M_BindIntVariable("vga_porch_flash", &vga_porch_flash);
    M_BindIntVariable("force_software_renderer", &force_software_renderer);
    M_BindStringVariable("video_driver", &video_driver);
    M_BindStringVariable("window_position", &window_position);
    M_BindIntVariable("usegamma", &usegamma);
    M_BindIntVariable("png_screenshots", &png_screenshots);
}
