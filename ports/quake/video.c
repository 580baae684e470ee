/*
 * The engine's video (vid.h, glquake.h): a context of Ember's GL whose
 * frames go to the screen through the back end.
 *
 * VID_Init takes the screen (exclusive mode on Ember), creates a GL context
 * of -width x -height pixels (320x200 unless given) and sets the state the
 * engine expects of a fresh context. The engine draws every frame with GL
 * calls into that context's 32-bit XRGB colour buffer; GL_EndRendering,
 * where SDL would swap buffers, hands the buffer to backend_present, which
 * on Ember scales it by the largest integer factor that fits the screen
 * and centres it (the seed's blit call). -noblit skips that call, to time
 * the engine and the GL alone.
 *
 * Our GL reports version 1.1 and no extensions, so every optional path of
 * the engine (multitexture, combiners, vertex buffers, GLSL, NPOT textures,
 * anisotropy, hardware gamma) stays off: the flags and function pointers
 * it reads are defined here, false and NULL. The gamma and contrast cvars
 * exist (menus and configs set them) but change nothing yet. The video
 * mode is fixed at start, so the engine's video menu is left out (its
 * functions stay NULL, which the menu code handles).
 *
 * The console command `framecrc` prints the CRC-32 of the colour buffer
 * (the last frame drawn), which the tests compare between Linux and Ember.
 *
 * Context: the game's one thread.
 * See: docs/quake.md, docs/gl.md
 */
#include "video.h"

#include "quakedef.h"

#include "backend.h"

#include <GL/emgl.h>
#include <stdint.h>

#define VID_DEFAULT_WIDTH            320
#define VID_DEFAULT_HEIGHT           200
/* The smallest mode the engine's 2D layout fits (its console and menus). */
#define VID_MIN_WIDTH                320
#define VID_MIN_HEIGHT               200
/* Console width: a multiple of 8 pixels, a character cell. */
#define VID_CONWIDTH_MASK            (~7)
/* The engine's warp buffer (underwater view), as its own platform has it. */
#define VID_WARP_WIDTH               320
#define VID_WARP_HEIGHT              200
/* The colormap's fullbright count sits in its 2049th 32-bit word. */
#define VID_COLORMAP_FULLBRIGHT_WORD 2048
#define VID_PALETTE_COLOURS          256
/* Double-buffered, as the engine's SDL platform asks for. */
#define VID_PAGES                    2
/*
 * The engine's first GL state (its GL_SetupState): a grey clear colour,
 * and the alpha test's reference for console text and fence textures.
 */
#define VID_CLEAR_GREY               0.15f
#define VID_ALPHA_REF                0.666f
/* CRC-32, the reflected IEEE 802.3 polynomial (as zlib and PNG use). */
#define CRC32_POLY                   0xedb88320u
#define CRC32_INIT                   0xffffffffu
#define BITS_PER_BYTE                8
#define BYTE_MASK                    0xffu

viddef_t vid;
modestate_t modestate = MS_UNINIT;
qboolean scr_skipupdate;

/* The engine's optional GL paths: all off with a GL 1.1 and no extensions. */
qboolean gl_mtexable, gl_packed_pixels, gl_texture_env_combine;
qboolean gl_texture_env_add, gl_swap_control, gl_anisotropy_able;
qboolean gl_texture_NPOT, gl_vbo_able, gl_glsl_able;
qboolean gl_glsl_gamma_able, gl_glsl_alias_able;
float gl_max_anisotropy;
GLint gl_max_texture_units;
int gl_stencilbits;
PFNGLMULTITEXCOORD2FARBPROC GL_MTexCoord2fFunc;
PFNGLACTIVETEXTUREARBPROC GL_SelectTextureFunc;
PFNGLCLIENTACTIVETEXTUREARBPROC GL_ClientActiveTextureFunc;
PFNGLBINDBUFFERARBPROC GL_BindBufferFunc;
PFNGLBUFFERDATAARBPROC GL_BufferDataFunc;
PFNGLBUFFERSUBDATAARBPROC GL_BufferSubDataFunc;
PFNGLDELETEBUFFERSARBPROC GL_DeleteBuffersFunc;
PFNGLGENBUFFERSARBPROC GL_GenBuffersFunc;
QS_PFNGLCREATESHADERPROC GL_CreateShaderFunc;
QS_PFNGLDELETESHADERPROC GL_DeleteShaderFunc;
QS_PFNGLDELETEPROGRAMPROC GL_DeleteProgramFunc;
QS_PFNGLSHADERSOURCEPROC GL_ShaderSourceFunc;
QS_PFNGLCOMPILESHADERPROC GL_CompileShaderFunc;
QS_PFNGLGETSHADERIVPROC GL_GetShaderivFunc;
QS_PFNGLGETSHADERINFOLOGPROC GL_GetShaderInfoLogFunc;
QS_PFNGLGETPROGRAMIVPROC GL_GetProgramivFunc;
QS_PFNGLGETPROGRAMINFOLOGPROC GL_GetProgramInfoLogFunc;
QS_PFNGLCREATEPROGRAMPROC GL_CreateProgramFunc;
QS_PFNGLATTACHSHADERPROC GL_AttachShaderFunc;
QS_PFNGLLINKPROGRAMPROC GL_LinkProgramFunc;
QS_PFNGLBINDATTRIBLOCATIONFUNC GL_BindAttribLocationFunc;
QS_PFNGLUSEPROGRAMPROC GL_UseProgramFunc;
QS_PFNGLGETATTRIBLOCATIONPROC GL_GetAttribLocationFunc;
QS_PFNGLVERTEXATTRIBPOINTERPROC GL_VertexAttribPointerFunc;
QS_PFNGLENABLEVERTEXATTRIBARRAYPROC GL_EnableVertexAttribArrayFunc;
QS_PFNGLDISABLEVERTEXATTRIBARRAYPROC GL_DisableVertexAttribArrayFunc;
QS_PFNGLGETUNIFORMLOCATIONPROC GL_GetUniformLocationFunc;
QS_PFNGLUNIFORM1IPROC GL_Uniform1iFunc;
QS_PFNGLUNIFORM1FPROC GL_Uniform1fFunc;
QS_PFNGLUNIFORM3FPROC GL_Uniform3fFunc;
QS_PFNGLUNIFORM4FPROC GL_Uniform4fFunc;
QS_PFNGENERATEMIPMAP GL_GenerateMipmap;

cvar_t vid_gamma = {.name = "gamma", .string = "1", .flags = CVAR_ARCHIVE};
cvar_t vid_contrast = {
    .name = "contrast", .string = "1", .flags = CVAR_ARCHIVE};

static struct {
    struct emgl_context *ctx; /* NULL until VID_Init */
    int noblit;               /* -noblit: draw, never present */
    int screen_taken;         /* backend_screen_enter succeeded */
    uint64_t frames;          /* frames ended since start */
    uint64_t blit_ticks;      /* video_ticks() spent in backend_present */
} video;

uint64_t video_ticks(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

uint64_t video_blit_ticks(void)
{
    return video.blit_ticks;
}

/* Reads -name N, or def if absent or below min. */
static int size_parm(const char *name, int def, int min)
{
    int i = COM_CheckParm(name);

    if (i == 0 || i >= com_argc - 1)
        return def;
    int v = Q_atoi(com_argv[i + 1]);

    return v >= min ? v : def;
}

/* The state the engine expects of a fresh context (its GL_SetupState). */
static void setup_gl_state(void)
{
    glClearColor(VID_CLEAR_GREY, VID_CLEAR_GREY, VID_CLEAR_GREY, 0);
    glCullFace(GL_BACK);
    glFrontFace(GL_CW);
    glEnable(GL_TEXTURE_2D);
    glEnable(GL_ALPHA_TEST);
    glAlphaFunc(GL_GREATER, VID_ALPHA_REF);
    glPolygonMode(GL_FRONT_AND_BACK, GL_FILL);
    glShadeModel(GL_FLAT);
    glHint(GL_PERSPECTIVE_CORRECTION_HINT, GL_NICEST);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    glTexEnvf(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
    glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
    glDepthRange(0, 1);
    glDepthFunc(GL_LEQUAL);
}

/* CRC-32 of n bytes, bit by bit: a few ms a frame, for tests only. */
static uint32_t crc32_bytes(const uint8_t *p, size_t n)
{
    uint32_t crc = CRC32_INIT;

    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < BITS_PER_BYTE; b++)
            crc = crc & 1 ? crc >> 1 ^ CRC32_POLY : crc >> 1;
    }
    return ~crc;
}

uint32_t video_frame_crc32(int *width, int *height)
{
    const uint32_t *px = emgl_framebuffer();

    *width = emgl_width();
    *height = emgl_height();
    if (px == NULL)
        return 0;
    return crc32_bytes((const uint8_t *)px,
                       (size_t)*width * (size_t)*height * sizeof *px);
}

/* `framecrc`: the CRC-32 of the last frame's XRGB pixels, little-endian. */
static void framecrc_f(void)
{
    int w, h;
    uint32_t crc = video_frame_crc32(&w, &h);

    if (w == 0) {
        Con_Printf("framecrc: no frame\n");
        return;
    }
    Con_Printf("framecrc: frame %llu %dx%d crc32 %08x\n",
               (unsigned long long)video.frames, w, h, crc);
}

/*
 * `vid_unlock`, which the engine runs after reading its configs: the mode
 * is fixed at start, so there is nothing to unlock.
 */
static void vid_unlock_f(void)
{
}

void VID_Init(void)
{
    int width = size_parm("-width", VID_DEFAULT_WIDTH, VID_MIN_WIDTH);
    int height = size_parm("-height", VID_DEFAULT_HEIGHT, VID_MIN_HEIGHT);

    Cvar_RegisterVariable(&vid_gamma);
    Cvar_RegisterVariable(&vid_contrast);
    Cmd_AddCommand("framecrc", framecrc_f);
    Cmd_AddCommand("vid_unlock", vid_unlock_f);
    video.noblit = COM_CheckParm("-noblit") != 0;

    if (width > EMGL_MAX_SIZE || height > EMGL_MAX_SIZE)
        Sys_Error("VID_Init: %dx%d is larger than %dx%d", width, height,
                  EMGL_MAX_SIZE, EMGL_MAX_SIZE);
    emgl_set_clock(video_ticks);
    video.ctx = emgl_create_context(width, height);
    if (video.ctx == NULL)
        Sys_Error("VID_Init: no memory for a %dx%d GL context", width, height);
    int err = backend_screen_enter();

    if (err < 0)
        Sys_Error("VID_Init: can't take the screen (error %d)", err);
    video.screen_taken = 1;

    vid.width = (unsigned)width;
    vid.height = (unsigned)height;
    vid.conwidth = vid.width & VID_CONWIDTH_MASK;
    vid.conheight = vid.conwidth * vid.height / vid.width;
    vid.numpages = VID_PAGES;
    vid.maxwarpwidth = VID_WARP_WIDTH;
    vid.maxwarpheight = VID_WARP_HEIGHT;
    vid.colormap = host_colormap;
    vid.fullbright =
        VID_PALETTE_COLOURS -
        LittleLong(((int *)vid.colormap)[VID_COLORMAP_FULLBRIGHT_WORD]);
    vid.recalc_refdef = 1;
    modestate = MS_FULLSCREEN;

    Con_SafePrintf("GL_VENDOR: %s\n", (const char *)glGetString(GL_VENDOR));
    Con_SafePrintf("GL_RENDERER: %s\n", (const char *)glGetString(GL_RENDERER));
    Con_SafePrintf("GL_VERSION: %s\n", (const char *)glGetString(GL_VERSION));
    Con_SafePrintf("Video mode %dx%d initialized%s\n", width, height,
                   video.noblit ? " (-noblit: frames are not shown)" : "");
    setup_gl_state();
}

void VID_Shutdown(void)
{
    if (video.screen_taken) {
        backend_screen_leave();
        video.screen_taken = 0;
    }
}

void GL_BeginRendering(int *x, int *y, int *width, int *height)
{
    *x = 0;
    *y = 0;
    *width = (int)vid.width;
    *height = (int)vid.height;
}

void GL_EndRendering(void)
{
    video.frames++;
    if (scr_skipupdate || video.noblit || !video.screen_taken)
        return;
    uint64_t t0 = video_ticks();

    backend_present(emgl_framebuffer(), (uint32_t)emgl_width(),
                    (uint32_t)emgl_height());
    video.blit_ticks += video_ticks() - t0;
}

/* The mode is fixed at start: no toggling, locking or cvars to sync. */
void VID_Toggle(void)
{
}

void VID_Lock(void)
{
}

void VID_SyncCvars(void)
{
}

void *VID_GetWindow(void)
{
    return NULL;
}

qboolean VID_HasMouseOrInputFocus(void)
{
    return true;
}

qboolean VID_IsMinimized(void)
{
    return false;
}
