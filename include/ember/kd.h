/*
 * Ember's own console requests, shared by the kernel and `loadkeys`.
 *
 * They sit in Linux's KD* ioctl range at numbers Linux leaves unused, and
 * take the keyboard layout by name ("us", "uk", "de", "fr") in a char
 * buffer of EMBER_KEYMAP_NAME_MAX bytes, NUL-terminated. A header of its
 * own, so a user program can include it beside musl's <sys/ioctl.h>.
 *
 * See: docs/console.md
 */
#pragma once

#define EMBER_KDGETKEYMAP     0x4BE0
#define EMBER_KDSETKEYMAP     0x4BE1
#define EMBER_KEYMAP_NAME_MAX 8
