/*
 * The seed's exclusive screen mode (calls 16 and 17), as the rest of the
 * kernel sees it: who holds it, and its release when the holder ends.
 *
 * Context: task.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdbool.h>

struct process;

/*
 * Gives up exclusive mode if p holds it: the console, which kept updating
 * its back buffer meanwhile, is drawn again. Called by exit (the seed's
 * exit cleanup), so a killed program leaves a working console.
 */
void seed_screen_release(struct process *p);

/* True while a process holds the screen. */
bool seed_screen_taken(void);
