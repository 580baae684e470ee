/*
 * Checks the game's pak files before the engine reads them, so that a
 * missing or damaged one is one clear line rather than a late engine error.
 *
 * See: docs/quake.md
 */
#pragma once

#include <stddef.h>

/*
 * Checks the folder basedir/game: pak0.pak must exist, and every pakN.pak
 * from 0 up to the first missing one must hold a whole pak (the "PACK"
 * header, its directory and every file's bytes inside the file's length).
 * Returns 0 if they do; otherwise writes one line saying what is wrong
 * (naming the file and, when pak0.pak is missing, where to put it) into
 * msg (msg_len bytes) and returns -ENOENT (no pak0.pak), -EIO (unreadable)
 * or -EINVAL (damaged or truncated).
 */
int pak_check_game(const char *basedir, const char *game, char *msg,
                   size_t msg_len);
