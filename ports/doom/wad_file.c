/*
 * WAD files read through stdio, in place of the engine's w_file_stdc.c,
 * with one addition: a WAD that is truncated or damaged is refused with a
 * clear error when it is opened.
 *
 * The engine's W_AddFile reads a WAD's directory without checking how many
 * bytes came back, so a WAD cut short (a failed copy, a full disk) is
 * parsed from whatever the buffer held and fails later with a misleading
 * message ("Unknown or invalid IWAD file", a Z_Malloc of garbage size) or
 * worse. Here the header, the directory and every lump's extent are checked
 * against the file's length first; a file the engine will treat as a WAD
 * (its name ends in "wad", as W_AddFile decides) that fails ends the game
 * through I_Error, naming the file and what is missing. Files with another
 * id than IWAD or PWAD are left for the engine, which says so itself.
 * Otherwise the class behaves as the engine's stdio one: the same name
 * (stdc_wad_file, which w_file.c's list of classes names), no mapping,
 * fseek + fread per read.
 *
 * See: docs/doom.md
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i_system.h"
#include "m_misc.h"
#include "w_file.h"
#include "z_zone.h"

/* A WAD header: "IWAD" or "PWAD", lump count, directory offset (LE). */
#define WAD_HEADER_SIZE   12
#define WAD_ID_SIZE       4
#define WAD_DIR_ENTRY     16 /* file position, size, 8-byte name */
#define WAD_LUMP_NAME_MAX 8
#define WAD_SUFFIX        "wad"
#define WAD_SUFFIX_LEN    3

typedef struct {
    wad_file_t wad;
    FILE *fstream;
} stdc_wad_file_t;

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Does W_AddFile read this file as a WAD (rather than as one lump)? */
static int named_as_wad(const char *path)
{
    size_t len = strlen(path);

    return len >= WAD_SUFFIX_LEN &&
           strcasecmp(path + len - WAD_SUFFIX_LEN, WAD_SUFFIX) == 0;
}

static int read_at(FILE *f, uint64_t offset, void *buf, size_t len)
{
    return fseek(f, (long)offset, SEEK_SET) == 0 &&
           fread(buf, 1, len, f) == len;
}

/* Ends the game (I_Error) if the WAD at path is cut short or damaged. */
static void check_wad(FILE *f, const char *path, uint64_t length)
{
    unsigned char header[WAD_HEADER_SIZE];

    if (!named_as_wad(path))
        return;
    if (length < WAD_HEADER_SIZE || !read_at(f, 0, header, sizeof header))
        I_Error("%s is not a usable WAD: it is %llu bytes long, shorter than "
                "a WAD's %d-byte header (truncated?)",
                path, (unsigned long long)length, WAD_HEADER_SIZE);
    if (memcmp(header, "IWAD", WAD_ID_SIZE) != 0 &&
        memcmp(header, "PWAD", WAD_ID_SIZE) != 0)
        return; /* the engine reports a missing id itself */

    uint64_t lumps = le32(header + WAD_ID_SIZE);
    uint64_t dir = le32(header + WAD_ID_SIZE + 4);
    uint64_t dir_end = dir + lumps * WAD_DIR_ENTRY;

    if (lumps > INT32_MAX || dir > INT32_MAX || dir_end > length)
        I_Error("%s is truncated or damaged: its directory of %llu lumps at "
                "byte %llu ends at byte %llu, but the file has %llu bytes",
                path, (unsigned long long)lumps, (unsigned long long)dir,
                (unsigned long long)dir_end, (unsigned long long)length);

    unsigned char *entries = malloc(lumps * WAD_DIR_ENTRY + 1);

    if (entries == NULL)
        I_Error("%s: no memory for its directory of %llu lumps", path,
                (unsigned long long)lumps);
    if (!read_at(f, dir, entries, lumps * WAD_DIR_ENTRY))
        I_Error("%s: cannot read its directory", path);
    for (uint64_t i = 0; i < lumps; i++) {
        const unsigned char *e = entries + i * WAD_DIR_ENTRY;
        uint64_t pos = le32(e), size = le32(e + 4);

        if (pos + size > length)
            I_Error("%s is truncated or damaged: lump %llu (%.*s) ends at "
                    "byte %llu, but the file has %llu bytes",
                    path, (unsigned long long)i, WAD_LUMP_NAME_MAX,
                    (const char *)e + 8, (unsigned long long)(pos + size),
                    (unsigned long long)length);
    }
    free(entries);
}

static wad_file_t *wad_open(const char *path)
{
    FILE *fstream = M_fopen(path, "rb");

    if (fstream == NULL)
        return NULL;

    uint64_t length = (uint64_t)M_FileLength(fstream);

    check_wad(fstream, path, length);

    stdc_wad_file_t *result = Z_Malloc(sizeof *result, PU_STATIC, 0);

    result->wad.file_class = &stdc_wad_file;
    result->wad.mapped = NULL;
    result->wad.length = (unsigned int)length;
    result->wad.path = M_StringDuplicate(path);
    result->fstream = fstream;
    return &result->wad;
}

static void wad_close(wad_file_t *wad)
{
    stdc_wad_file_t *stdc_wad = (stdc_wad_file_t *)wad;

    fclose(stdc_wad->fstream);
    Z_Free(stdc_wad);
}

/* Reads up to buffer_len bytes at offset; returns how many came. */
static size_t wad_read(wad_file_t *wad, unsigned int offset, void *buffer,
                       size_t buffer_len)
{
    stdc_wad_file_t *stdc_wad = (stdc_wad_file_t *)wad;

    if (fseek(stdc_wad->fstream, (long)offset, SEEK_SET) != 0)
        return 0;
    return fread(buffer, 1, buffer_len, stdc_wad->fstream);
}

wad_file_class_t stdc_wad_file = {
    wad_open,
    wad_close,
    wad_read,
};
