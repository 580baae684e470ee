/*
 * The end-state line of a timedemo: one line on stderr that sums up where
 * the replayed game ended, for comparing Ember with Linux.
 *
 * See: docs/doom.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Registers the hook that prints the line with I_AtExit(..., true). Call it
 * right after video registers I_ShutdownGraphics: hooks run newest first,
 * so the line is written while the last frame is still in I_VideoBuffer and
 * the game still holds the screen. The hook prints only when a -timedemo
 * run has reached its end (the engine then exits through I_Error); a
 * second hook prints a -playdemo run's tic rate.
 */
void endstate_register(void);

/*
 * Called by I_FinishUpdate for every frame: starts the tic-rate measurement
 * of a -playdemo run (printed as "doom-rate: ..." when it quits).
 */
void endstate_frame(void);

/* The CRC-32 of IEEE 802.3 (zlib's crc32) of len bytes at buf. */
uint32_t endstate_crc32(const void *buf, size_t len);
