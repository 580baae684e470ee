/*
 * Framebuffer drawing, straight into video memory.
 *
 * The framebuffer is reached through the direct map. Every function clips
 * to the screen, so callers can draw partly off-screen. When the mode's
 * channels are the common x8r8g8b8 layout (QEMU's, and most PCs'), pixels
 * are stored as they are; otherwise each one is repacked. Nothing here ever
 * reads video memory, which is slow on real hardware.
 *
 * Context: any task.
 * See: docs/boot.md
 */
#include "drivers/fb.h"

#include "lib/portable.h"
#include "mm/layout.h"

static struct {
    uint8_t *base; /* virtual address of pixel (0, 0) */
    uint32_t width, height, pitch;
    uint8_t red_pos, green_pos, blue_pos;
    bool native; /* channels at 16/8/0: no repacking */
} fb;

bool fb_init(const struct bootinfo_fb *info)
{
    if (!info->present || info->type != 1 || info->bpp != 32)
        return false;
    /* boot.S maps the first 4 GiB; the memory manager maps the rest. */
    if (info->addr + (uint64_t)info->pitch * info->height > BOOT_HHDM_LIMIT)
        return false;
    fb.base = hhdm_ptr(info->addr);
    fb.width = info->width;
    fb.height = info->height;
    fb.pitch = info->pitch;
    fb.red_pos = info->red_pos;
    fb.green_pos = info->green_pos;
    fb.blue_pos = info->blue_pos;
    fb.native =
        info->red_pos == 16 && info->green_pos == 8 && info->blue_pos == 0;
    return true;
}

bool fb_present(void)
{
    return fb.base != NULL;
}

uint32_t fb_width(void)
{
    return fb.width;
}

uint32_t fb_height(void)
{
    return fb.height;
}

static inline uint32_t pack(uint32_t rgb)
{
    if (fb.native)
        return rgb;
    return ((rgb >> 16) & 0xff) << fb.red_pos |
           ((rgb >> 8) & 0xff) << fb.green_pos | (rgb & 0xff) << fb.blue_pos;
}

static inline uint32_t *row(uint32_t y)
{
    return (uint32_t *)(fb.base + (uint64_t)y * fb.pitch);
}

void fb_pixel(uint32_t x, uint32_t y, uint32_t rgb)
{
    if (fb.base && x < fb.width && y < fb.height)
        row(y)[x] = pack(rgb);
}

/* Stores px over n pixels at r, two at a time where r is 8-byte aligned. */
static void fill_span(uint32_t *r, uint32_t n, uint32_t px)
{
    if (n && ((uintptr_t)r & 4)) {
        *r++ = px;
        n--;
    }
    uint64_t pair = (uint64_t)px << 32 | px;
    uint64_t *q = (uint64_t *)r;
    for (uint32_t i = 0; i < n / 2; i++)
        q[i] = pair;
    if (n & 1)
        r[n - 1] = px;
}

void fb_fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t rgb)
{
    if (!fb.base || x >= fb.width || y >= fb.height)
        return;
    if (w > fb.width - x)
        w = fb.width - x;
    if (h > fb.height - y)
        h = fb.height - y;
    uint32_t px = pack(rgb);
    /* Whole rows with no gap between them: one span. */
    if (x == 0 && w == fb.width && fb.pitch == fb.width * 4) {
        fill_span(row(y), w * h, px);
        return;
    }
    for (uint32_t j = 0; j < h; j++)
        fill_span(row(y + j) + x, w, px);
}

void fb_line(int x0, int y0, int x1, int y1, uint32_t rgb)
{
    int dx = x1 > x0 ? x1 - x0 : x0 - x1;
    int dy = y1 > y0 ? y0 - y1 : y1 - y0; /* negative */
    int sx = x0 < x1 ? 1 : -1;
    int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;

    for (;;) {
        if (x0 >= 0 && y0 >= 0)
            fb_pixel((uint32_t)x0, (uint32_t)y0, rgb);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

void fb_blit(uint32_t x, uint32_t y, uint32_t w, uint32_t h,
             const uint32_t *src, uint32_t src_stride)
{
    if (!fb.base || x >= fb.width || y >= fb.height)
        return;
    uint32_t cw = w > fb.width - x ? fb.width - x : w;
    uint32_t ch = h > fb.height - y ? fb.height - y : h;
    for (uint32_t j = 0; j < ch; j++) {
        const uint32_t *s = src + (uint64_t)j * src_stride;
        uint32_t *d = row(y + j) + x;
        if (fb.native) {
            memcpy(d, s, (size_t)cw * 4);
        } else {
            for (uint32_t i = 0; i < cw; i++)
                d[i] = pack(s[i]);
        }
    }
}
