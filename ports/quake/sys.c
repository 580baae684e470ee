/*
 * The engine's system calls (sys.h, platform.h): files, messages, errors,
 * quitting.
 *
 * Files go through stdio, which musl turns into Linux calls that Ember
 * implements on FAT32, so the same code runs on both systems. The engine
 * names open files by small integer handles; a fixed table maps them to
 * FILE pointers. Messages (everything the console prints, Con_Printf
 * included) go to stdout, which on Ember is the console and the serial
 * port: the tests read `viewpos` and the frame lines there. An error gives
 * the screen back before the message, so that the shell's console shows
 * it, and exits with status 1.
 *
 * Context: the game's one thread.
 * See: docs/quake.md
 */
#include "quakedef.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How many files the engine may hold open at once (it uses a few). */
#define SYS_MAX_HANDLES 32
#define SYS_MSG_BYTES   1024
#define SYS_DIR_MODE    0777

static struct {
    FILE *files[SYS_MAX_HANDLES]; /* handle -> file; NULL when free */
    int in_error;                 /* Sys_Error is running */
} sys;

static int new_handle(FILE *f)
{
    for (int i = 1; i < SYS_MAX_HANDLES; i++) {
        if (sys.files[i] == NULL) {
            sys.files[i] = f;
            return i;
        }
    }
    fclose(f);
    Sys_Error("Sys: more than %d files open", SYS_MAX_HANDLES - 1);
}

int Sys_FileOpenRead(const char *path, int *hndl)
{
    FILE *f = fopen(path, "rb");
    long len;

    *hndl = -1;
    if (f == NULL)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *hndl = new_handle(f);
    return (int)len;
}

int Sys_FileOpenWrite(const char *path)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        Sys_Error("Error opening %s: %s", path, strerror(errno));
    return new_handle(f);
}

void Sys_FileClose(int handle)
{
    if (handle <= 0 || handle >= SYS_MAX_HANDLES || !sys.files[handle])
        return;
    fclose(sys.files[handle]);
    sys.files[handle] = NULL;
}

void Sys_FileSeek(int handle, int position)
{
    fseek(sys.files[handle], position, SEEK_SET);
}

int Sys_FileRead(int handle, void *dest, int count)
{
    if (count <= 0)
        return 0;
    return (int)fread(dest, 1, (size_t)count, sys.files[handle]);
}

int Sys_FileWrite(int handle, const void *data, int count)
{
    if (count <= 0)
        return 0;
    return (int)fwrite(data, 1, (size_t)count, sys.files[handle]);
}

int Sys_FileType(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return FS_ENT_NONE;
    if (S_ISDIR(st.st_mode))
        return FS_ENT_DIRECTORY;
    return S_ISREG(st.st_mode) ? FS_ENT_FILE : FS_ENT_NONE;
}

void Sys_mkdir(const char *path)
{
    if (mkdir(path, SYS_DIR_MODE) != 0 && errno != EEXIST)
        Sys_Error("Unable to create directory %s: %s", path, strerror(errno));
}

void Sys_Printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

void Sys_Error(const char *error, ...)
{
    char msg[SYS_MSG_BYTES];
    va_list ap;

    va_start(ap, error);
    vsnprintf(msg, sizeof msg, error, ap);
    va_end(ap);
    fflush(stdout);
    /* An error while shutting down must not loop back here. */
    if (!sys.in_error) {
        sys.in_error = 1;
        VID_Shutdown();
    }
    fprintf(stderr, "quake: error: %s\n", msg);
    exit(1);
}

void Sys_Quit(void)
{
    Host_Shutdown();
    fflush(stdout);
    exit(0);
}

const char *Sys_ConsoleInput(void)
{
    /* Only a dedicated server reads commands from stdin; this port has none. */
    return NULL;
}

void Sys_SendKeyEvents(void)
{
    IN_SendKeyEvents();
}

/* There is no window icon, clipboard or dialog box on either system. */
void PL_SetWindowIcon(void)
{
}

void PL_VID_Shutdown(void)
{
}

char *PL_GetClipboardData(void)
{
    return NULL;
}

void PL_ErrorDialog(const char *text)
{
    (void)text;
}
