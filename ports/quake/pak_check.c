/*
 * The pak check: pak0.pak must be there, and each pak must be whole.
 *
 * A pak is a 12-byte header ("PACK", the directory's offset and length,
 * little-endian 32-bit) and a directory of 64-byte entries (a 56-byte
 * name, the file's offset and length). The engine reads the header and
 * the directory but not whether each file lies inside the pak, and with no
 * pak at all it fails much later on a missing gfx.wad. So before Host_Init
 * the port opens pak0.pak, pak1.pak, ... (the engine's order, stopping at
 * the first missing one) and checks every extent against the file's
 * length: a user who copied a truncated pak reads which file and by how
 * much, as DOOM's port does for WADs (ports/doom/wad_file.c).
 *
 * Context: main, before the engine starts.
 * See: docs/quake.md
 */
#include "pak_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PAK_MAGIC          "PACK"
#define PAK_MAGIC_LEN      4
#define PAK_HEADER_BYTES   12
#define PAK_ENTRY_BYTES    64
#define PAK_ENTRY_NAME_LEN 56
/* The engine's limit on files in one pak (MAX_FILES_IN_PACK, common.h). */
#define PAK_MAX_FILES      4096
/* The engine tries pak0.pak to pak99.pak... in practice a few exist. */
#define PAK_MAX_PAKS       100
#define PATH_BYTES         1024

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Checks one open pak of len bytes; 0, or -EINVAL/-EIO with msg filled. */
static int check_pak(FILE *f, const char *path, long len, char *msg,
                     size_t msg_len)
{
    unsigned char head[PAK_HEADER_BYTES];
    unsigned char entry[PAK_ENTRY_BYTES];

    if (fread(head, 1, sizeof head, f) != sizeof head ||
        memcmp(head, PAK_MAGIC, PAK_MAGIC_LEN) != 0) {
        snprintf(msg, msg_len, "%s is not a pak file (no PACK header)", path);
        return -EINVAL;
    }
    uint32_t dirofs = le32(head + PAK_MAGIC_LEN);
    uint32_t dirlen = le32(head + PAK_MAGIC_LEN + sizeof(uint32_t));
    uint64_t dirend = (uint64_t)dirofs + dirlen;

    if (dirlen % PAK_ENTRY_BYTES != 0 ||
        dirlen / PAK_ENTRY_BYTES > PAK_MAX_FILES) {
        snprintf(msg, msg_len,
                 "%s is damaged: its directory of %u bytes is not a whole "
                 "number of entries, or too many",
                 path, dirlen);
        return -EINVAL;
    }
    if (dirend > (uint64_t)len) {
        snprintf(msg, msg_len,
                 "%s is truncated or damaged: its directory of %u files at "
                 "byte %u ends at byte %llu, but the file has %ld bytes",
                 path, dirlen / PAK_ENTRY_BYTES, dirofs,
                 (unsigned long long)dirend, len);
        return -EINVAL;
    }
    if (fseek(f, (long)dirofs, SEEK_SET) != 0) {
        snprintf(msg, msg_len, "%s: can't seek to its directory", path);
        return -EIO;
    }
    for (uint32_t i = 0; i < dirlen / PAK_ENTRY_BYTES; i++) {
        if (fread(entry, 1, sizeof entry, f) != sizeof entry) {
            snprintf(msg, msg_len, "%s: can't read its directory", path);
            return -EIO;
        }
        uint32_t pos = le32(entry + PAK_ENTRY_NAME_LEN);
        uint32_t size = le32(entry + PAK_ENTRY_NAME_LEN + sizeof(uint32_t));
        uint64_t end = (uint64_t)pos + size;

        if (end > (uint64_t)len) {
            snprintf(msg, msg_len,
                     "%s is truncated or damaged: its file %.56s ends at "
                     "byte %llu, but the pak has %ld bytes",
                     path, (const char *)entry, (unsigned long long)end, len);
            return -EINVAL;
        }
    }
    return 0;
}

int pak_check_game(const char *basedir, const char *game, char *msg,
                   size_t msg_len)
{
    char path[PATH_BYTES];

    for (int n = 0; n < PAK_MAX_PAKS; n++) {
        snprintf(path, sizeof path, "%s/%s/pak%d.pak", basedir, game, n);
        FILE *f = fopen(path, "rb");

        if (f == NULL) {
            if (n > 0)
                return 0; /* the engine stops at the first gap too */
            snprintf(msg, msg_len,
                     "no game data: put Quake's pak0.pak (shareware or "
                     "full version) in %s/%s/",
                     basedir, game);
            return -ENOENT;
        }
        int err = -EIO;
        long len = -1;

        if (fseek(f, 0, SEEK_END) == 0)
            len = ftell(f);
        if (len < 0 || fseek(f, 0, SEEK_SET) != 0)
            snprintf(msg, msg_len, "%s: can't find its length", path);
        else
            err = check_pak(f, path, len, msg, msg_len);
        fclose(f);
        if (err < 0)
            return err;
    }
    return 0;
}
