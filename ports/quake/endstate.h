/*
 * The end-state line of a timedemo, for comparing Linux and Ember.
 *
 * See: docs/quake.md
 */
#pragma once

/*
 * Called by the frame loop after every Host_Frame: when a timedemo starts
 * it clears the GL's drawing statistics; when one ends it prints the
 * `quake-end:` and `quake-stats:` lines on stdout.
 */
void endstate_frame(void);
