/*
 * The seed's own calls (int 0x80, numbers 1-22), kept with their numbers
 * and meanings so its programs' ABI survives: the console, whole-file
 * reads and writes, raw scancodes and translated keys, the blit, uptime,
 * descriptor calls, exclusive screen mode, and the mouse.
 *
 * Input calls are focus-aware as in the seed: only the console's
 * foreground process group receives keys and mouse motion (others get 0),
 * which is how a game in the foreground keeps its keys from a background
 * job. The blit scales the program's XRGB frame by the largest integer
 * factor that fits the screen and centres it on black.
 *
 * Context: task.
 * See: docs/syscalls.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/syscall_seed.h>
#include <ember/wait.h>

#include "drivers/console.h"
#include "drivers/fb.h"
#include "drivers/input.h"
#include "drivers/kbd.h"
#include "drivers/mouse.h"
#include "drivers/timer.h"
#include "fs/file.h"
#include "fs/tty.h"
#include "fs/vfs.h"
#include "lib/kprintf.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/screen.h"
#include "sched/sched.h"

#define BLIT_MAX_SIDE    4096
#define BLIT_PIXEL_BYTES 4  /* XRGB, one uint32_t */
#define BLIT_H_SHIFT     32 /* the blit's size: w | h << 32 */
#define HALF_SHIFT       16 /* cursor x | y << 16, mouse dx | dy << 16 */
#define HALF_MASK        0xffff
#define CLEAR_SEQUENCE   "\x1b[2J\x1b[H" /* erase the screen, cursor home */

/* Does the caller have the keyboard and mouse (the foreground group)? */
static bool has_focus(void)
{
    return proc_current_pgid() == tty_foreground();
}

long sys_seed_putc(const struct sysargs *a)
{
    char c = (char)a->arg[0];
    log_write(&c, 1);
    return 0;
}

long sys_seed_exit(const struct sysargs *a)
{
    proc_exit(wait_status_exited((int32_t)a->arg[0]));
}

long sys_seed_clear(const struct sysargs *a)
{
    (void)a;
    log_write(CLEAR_SEQUENCE, sizeof CLEAR_SEQUENCE - 1);
    return 0;
}

long sys_seed_cursor(const struct sysargs *a)
{
    unsigned x = (unsigned)(a->arg[0] & HALF_MASK);
    unsigned y = (unsigned)((a->arg[0] >> HALF_SHIFT) & HALF_MASK);
    if (x >= console_cols() || y >= console_rows())
        return -EINVAL; /* docs/syscalls.md: off the screen */
    kprintf("\x1b[%u;%uH", y + 1, x + 1);
    return 0;
}

/* Opens path and moves all of it (or len bytes) through the bounce calls. */
static long whole_file(uaddr_t u_path, int flags, uaddr_t u_buf, size_t len,
                       bool write)
{
    long fd = sysfile_open(u_path, flags);
    if (fd < 0)
        return fd;
    long n = sysfile_transfer((int)fd, u_buf, len, write);
    sysfile_close((int)fd);
    return n;
}

long sys_seed_read_file(const struct sysargs *a)
{
    return whole_file(a->arg[0], O_RDONLY, a->arg[1], (size_t)a->arg[2], false);
}

long sys_seed_write_file(const struct sysargs *a)
{
    return whole_file(a->arg[0], O_WRONLY | O_CREAT | O_TRUNC, a->arg[1],
                      (size_t)a->arg[2], true);
}

long sys_seed_scancode(const struct sysargs *a)
{
    (void)a;
    if (!has_focus())
        return 0;
    int b = kbd_read_scancode();
    return b < 0 ? 0 : b;
}

long sys_seed_yield(const struct sysargs *a)
{
    (void)a;
    sched_yield();
    return 0;
}

/* The seed's translated key: codes 0x80.. for the keys with no byte. */
static long seed_key_code(const struct key_event *ev)
{
    switch (ev->code) {
    case KEY_UP:
        return SEED_KEY_UP;
    case KEY_DOWN:
        return SEED_KEY_DOWN;
    case KEY_LEFT:
        return SEED_KEY_LEFT;
    case KEY_RIGHT:
        return SEED_KEY_RIGHT;
    case KEY_HOME:
        return SEED_KEY_HOME;
    case KEY_END:
        return SEED_KEY_END;
    case KEY_DELETE:
        return SEED_KEY_DELETE;
    }
    if ((ev->mods & KEYMAP_MOD_CTRL) && ev->ch >= 'a' && ev->ch <= 'z')
        return ev->ch - 'a' + 1; /* ctrl-a is 1 ... ctrl-z is 26 */
    if ((ev->mods & KEYMAP_MOD_CTRL) && ev->ch >= 'A' && ev->ch <= 'Z')
        return ev->ch - 'A' + 1;
    return ev->ch;
}

long sys_seed_key(const struct sysargs *a)
{
    (void)a;
    struct key_event ev;
    if (!has_focus())
        return 0;
    while (kbd_read_event(&ev)) {
        if (!(ev.flags & KEYMAP_EV_PRESS))
            continue; /* releases are for the raw call */
        long k = seed_key_code(&ev);
        if (k)
            return k;
    }
    return 0;
}

/* Draws one source row, scaled, into the framebuffer at (x0, y). */
static void blit_row(const uint32_t *src, uint32_t w, uint32_t scale,
                     uint32_t x0, uint32_t y, uint32_t *out)
{
    for (uint32_t i = 0; i < w; i++) {
        for (uint32_t k = 0; k < scale; k++)
            out[i * scale + k] = src[i];
    }
    for (uint32_t k = 0; k < scale; k++)
        fb_blit(x0, y + k, w * scale, 1, out, w * scale);
}

long sys_seed_blit(const struct sysargs *a)
{
    uaddr_t u_pixels = a->arg[0];
    uint32_t w = (uint32_t)a->arg[1];
    uint32_t h = (uint32_t)(a->arg[1] >> BLIT_H_SHIFT);
    if (w == 0 || h == 0 || w > BLIT_MAX_SIDE || h > BLIT_MAX_SIDE)
        return -EINVAL;
    if (!user_range_ok(u_pixels, (uint64_t)w * h * BLIT_PIXEL_BYTES))
        return -EFAULT;
    if (!fb_present())
        return -ENODEV;
    uint32_t sx = fb_width() / w, sy = fb_height() / h;
    uint32_t scale = sx < sy ? sx : sy;
    if (scale == 0)
        scale = 1; /* larger than the screen: clipped, unscaled */
    uint32_t x0 = fb_width() > w * scale ? (fb_width() - w * scale) / 2 : 0;
    uint32_t y0 = fb_height() > h * scale ? (fb_height() - h * scale) / 2 : 0;
    uint32_t *row = kmalloc((size_t)w * BLIT_PIXEL_BYTES);
    uint32_t *wide = kmalloc((size_t)w * scale * BLIT_PIXEL_BYTES);
    long err = row && wide ? 0 : -ENOMEM;
    for (uint32_t y = 0; err == 0 && y < h; y++) {
        err = user_copy_in(row, u_pixels + (uint64_t)y * w * BLIT_PIXEL_BYTES,
                           (size_t)w * BLIT_PIXEL_BYTES);
        if (err == 0)
            blit_row(row, w, scale, x0, y0 + y * scale, wide);
    }
    kfree(wide);
    kfree(row);
    return err;
}

long sys_seed_uptime(const struct sysargs *a)
{
    (void)a;
    return (long)timer_uptime_ms();
}

long sys_seed_open(const struct sysargs *a)
{
    return sysfile_open(a->arg[0], (int)a->arg[1]);
}

long sys_seed_read(const struct sysargs *a)
{
    return sysfile_transfer((int)a->arg[0], a->arg[1], (size_t)a->arg[2],
                            false);
}

long sys_seed_seek(const struct sysargs *a)
{
    return sysfile_seek((int)a->arg[0], (int64_t)a->arg[1], (int)a->arg[2]);
}

long sys_seed_close(const struct sysargs *a)
{
    return sysfile_close((int)a->arg[0]);
}

long sys_seed_screen_enter(const struct sysargs *a)
{
    (void)a;
    return screen_take(proc_current());
}

long sys_seed_screen_leave(const struct sysargs *a)
{
    (void)a;
    return screen_release(proc_current()) ? 0 : -EPERM;
}

long sys_seed_mkdir(const struct sysargs *a)
{
    return syspath_mkdir(a->arg[0]);
}

long sys_seed_remove(const struct sysargs *a)
{
    char *path;
    long err = syspath_copy(a->arg[0], &path);
    if (err < 0)
        return err;
    const struct vfs_node *cwd = proc_current()->cwd;
    err = vfs_unlink(cwd, path);
    if (err == -EISDIR)
        err = vfs_rmdir(cwd, path);
    kfree(path);
    return err;
}

long sys_seed_rename(const struct sysargs *a)
{
    return syspath_rename(a->arg[0], a->arg[1]);
}

long sys_seed_mouse_delta(const struct sysargs *a)
{
    (void)a;
    int32_t dx, dy;
    uint8_t buttons;
    mouse_read_motion(&dx, &dy, &buttons);
    if (!has_focus())
        return 0;
    return (long)((uint64_t)(uint16_t)(int16_t)dx |
                  (uint64_t)(uint16_t)(int16_t)dy << HALF_SHIFT);
}

long sys_seed_mouse_buttons(const struct sysargs *a)
{
    (void)a;
    return has_focus() ? mouse_buttons() : 0;
}
