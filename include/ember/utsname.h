/*
 * What uname fills in, and Ember's sysinfo struct, in Linux's layouts.
 *
 * Shared by the kernel (uname, sysinfo) and user programs. uname's fields are
 * fixed 65-byte NUL-terminated strings; sysinfo's sizes are in mem_unit
 * bytes (Ember sets mem_unit to 1).
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#define UTSNAME_FIELD_LEN 65

struct utsname {
    char sysname[UTSNAME_FIELD_LEN];  /* "Ember" */
    char nodename[UTSNAME_FIELD_LEN]; /* "ember" */
    char release[UTSNAME_FIELD_LEN];
    char version[UTSNAME_FIELD_LEN];
    char machine[UTSNAME_FIELD_LEN]; /* "x86_64" */
    char domainname[UTSNAME_FIELD_LEN];
};
_Static_assert(sizeof(struct utsname) == 390, "Linux utsname");

struct sysinfo {
    int64_t uptime; /* seconds since boot */
    uint64_t loads[3];
    uint64_t totalram;
    uint64_t freeram;
    uint64_t sharedram;
    uint64_t bufferram;
    uint64_t totalswap;
    uint64_t freeswap;
    uint16_t procs;
    uint16_t pad;
    uint64_t totalhigh;
    uint64_t freehigh;
    uint32_t mem_unit;
};
_Static_assert(sizeof(struct sysinfo) == 112, "Linux x86_64 sysinfo");
