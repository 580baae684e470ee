/*
 * Path resolution: from "/a/b/../c" to a directory entry.
 *
 * Components are looked up one at a time from the root. "." is skipped and
 * ".." pops back to the directory the walk came from, using a stack of the
 * entries walked through rather than the on-disk ".." entries: FAT has no
 * links, so the lexical parent is the real one, and the popped entry still
 * carries the place of its own directory entry (which stat and rename need).
 * Every component but the last must be a directory. The last one is looked
 * up in its parent and may be missing, so that the callers that create
 * (open with FAT_O_CREAT, mkdir, rename's target) share this walk.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define STACK_START 8

/* The stack of directories walked through; [0] is the root. */
struct walk {
    struct fat_entry *dirs;
    uint32_t depth;
    uint32_t cap;
};

static int push(struct walk *w, const struct fat_entry *e)
{
    if (w->depth + 1 == w->cap) {
        struct fat_entry *bigger = kmalloc(sizeof *bigger * w->cap * 2);
        if (bigger == NULL)
            return -ENOMEM;
        memcpy(bigger, w->dirs, sizeof *bigger * w->cap);
        kfree(w->dirs);
        w->dirs = bigger;
        w->cap *= 2;
    }
    w->dirs[++w->depth] = *e;
    return 0;
}

/* One component: a name to look up, or "." / "..". */
static int step(struct fat_volume *vol, struct walk *w, const char *name,
                size_t len, bool last, struct fat_path *out)
{
    if (fat_is_dot_name(name, len)) {
        if (len == 2 && w->depth > 0)
            w->depth--;
        return 0;
    }
    if (len >= FAT_NAME_BUF)
        return -ENAMETOOLONG;
    uint32_t dir;
    int err = fat_dir_cluster_of(vol, &w->dirs[w->depth], &dir);
    if (err < 0)
        return err;
    struct fat_entry e;
    err = fat_dir_lookup(vol, dir, name, len, &e);
    if (last) {
        if (err < 0 && err != -ENOENT)
            return err;
        out->parent = w->dirs[w->depth];
        out->found = err == 0;
        out->target = e;
        out->name = name;
        out->name_len = len;
        return 0;
    }
    if (err < 0)
        return err;
    if (!(e.de.attr & FAT_ATTR_DIRECTORY))
        return -ENOTDIR;
    return push(w, &e);
}

static int walk_all(struct fat_volume *vol, const char *path, struct walk *w,
                    struct fat_path *out)
{
    const char *p = path;
    while (*p == '/')
        p++;
    while (*p != '\0') {
        const char *name = p;
        while (*p != '\0' && *p != '/')
            p++;
        size_t len = (size_t)(p - name);
        while (*p == '/')
            p++;
        bool last = *p == '\0';
        out->name = NULL;
        int err = step(vol, w, name, len, last, out);
        if (err < 0)
            return err;
    }
    if (out->name == NULL) {
        /* "", "/", or a path ending in "." or "..": a directory itself. */
        out->found = true;
        out->target = w->dirs[w->depth];
        out->parent = w->dirs[w->depth > 0 ? w->depth - 1 : 0];
    }
    return 0;
}

int fat_path_walk(struct fat_volume *vol, const char *path,
                  struct fat_path *out)
{
    size_t plen = strnlen(path, FAT_PATH_MAX + 1);
    if (plen > FAT_PATH_MAX)
        return -ENAMETOOLONG;
    struct walk w = {.depth = 0, .cap = STACK_START};
    w.dirs = kmalloc(sizeof *w.dirs * w.cap);
    if (w.dirs == NULL)
        return -ENOMEM;
    fat_root_entry(vol, &w.dirs[0]);
    out->found = false;
    out->name = NULL;
    out->name_len = 0;
    out->trailing_slash = plen > 0 && path[plen - 1] == '/';
    int err = walk_all(vol, path, &w, out);
    kfree(w.dirs);
    if (err == 0 && out->found && out->trailing_slash &&
        !(out->target.de.attr & FAT_ATTR_DIRECTORY))
        err = -ENOTDIR;
    return err;
}
