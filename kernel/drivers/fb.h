/*
 * The linear framebuffer GRUB set up: pixels, rectangles, lines and blits.
 *
 * Colours are passed as 0x00RRGGBB and converted to the mode's own channel
 * layout; the pitch (bytes per scan line) is honoured everywhere, since it
 * can be larger than width * 4.
 *
 * Context: any task; no locking (the console and the holder of the
 * exclusive screen, kernel/proc/screen.c, are the only writers, never at
 * once).
 * See: docs/boot.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "bootinfo.h"

/* Takes the mode GRUB reported; false (no screen) unless it is 32-bpp RGB. */
bool fb_init(const struct bootinfo_fb *info);

bool fb_present(void);
uint32_t fb_width(void);
uint32_t fb_height(void);

void fb_pixel(uint32_t x, uint32_t y, uint32_t rgb);
void fb_fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t rgb);
/* Bresenham's line from (x0, y0) to (x1, y1), clipped to the screen. */
void fb_line(int x0, int y0, int x1, int y1, uint32_t rgb);
/*
 * Copies a w x h block of 0x00RRGGBB pixels (src_stride pixels apart) to
 * (x, y), clipped to the screen.
 */
void fb_blit(uint32_t x, uint32_t y, uint32_t w, uint32_t h,
             const uint32_t *src, uint32_t src_stride);
