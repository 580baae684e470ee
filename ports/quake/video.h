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
