/*
 * What the rest of the port asks of video.c beyond the engine's vid.h.
 *
 * See: docs/quake.md
 */
#pragma once

#include <stdint.h>

/*
 * The CRC-32 (zlib's) of the colour buffer's XRGB pixels as stored,
 * little-endian: the last frame drawn. Sets *width and *height; returns 0
 * with both 0 when there is no GL context yet.
 */
uint32_t video_frame_crc32(int *width, int *height);

/*
 * The clock the port times its frames with (given to the GL too): the
 * CPU's time-stamp counter, which both systems let a program read; its
 * rate is unknown here, so a reader compares two readings with a real
 * clock (endstate.c does, over a whole demo).
 */
uint64_t video_ticks(void);

/* Ticks spent showing frames (the blit) since the program started. */
uint64_t video_blit_ticks(void);
