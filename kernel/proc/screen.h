/*
 * The exclusive screen (the seed's calls 16 and 17): which process holds
 * it. This is the one owner of that state; the console, the keyboard and
 * the terminal are told when it changes hands.
 *
 * Context: task.
 * See: docs/syscalls.md, docs/tty.md
 */
#pragma once

#include <stdbool.h>

struct process;

/*
 * Gives p the screen: the console stops drawing, keys skip the terminal
 * and go to the seed's key calls, and the screen is cleared. 0 (also when
 * p holds it already), -EBUSY if another process holds it, -ENODEV with no
 * framebuffer, -EIO if p is not in the terminal's foreground group.
 */
int screen_take(struct process *p);

/*
 * Gives up the screen if p holds it: what was typed for p is dropped and
 * the console is drawn again. Returns true if p held it. Called by call 17
 * and by exit, so a killed program leaves a working console.
 */
bool screen_release(struct process *p);

/* True while a process holds the screen. */
bool screen_taken(void);

/* Registers the escape key combination's handler with the terminal. Boot. */
void screen_init(void);
