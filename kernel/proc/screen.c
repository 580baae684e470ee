/*
 * The exclusive screen's owner: one pointer, and what changes hands with it.
 *
 * A program such as DOOM takes the whole framebuffer and the raw keys. The
 * holder is kept here and nowhere else; exit releases it (proc_exit()), so
 * the holder's death, however it comes, gives the console back. The layers
 * below keep only their own mode (the console's "draw nothing", the
 * keyboard's "keys skip the terminal", the terminal's "input dropped"),
 * set by the two functions below.
 *
 * Nothing may lock the machine, so two rules. Only a process of the
 * terminal's foreground group may take the screen: a background job (`doom
 * &`) is treated as a background write to a terminal with TOSTOP on Linux:
 * its group is stopped with SIGTTOU and the call returns -EINTR (the
 * caller asks again once `fg` has continued it in the foreground), or,
 * when it ignores or blocks SIGTTOU or its group is orphaned, -EIO. Its
 * keys, ^C included, stay with the shell meanwhile. And there is always a way
 * out: ctrl-alt-backspace, taken by the keyboard driver below any program and
 * handed by the terminal's thread to screen_escape(), kills the holder
 * with SIGKILL and gives the console back at once. On the serial line,
 * where nobody may see the screen, ^C still reaches the holder
 * (tty_set_paused()).
 *
 * Locking: one process runs the seed's calls at a time per holder, and the
 * owner is only compared against the caller, so no lock: the pointer is
 * written and read by tasks with interrupts on, on one CPU (the escape runs
 * in the terminal's thread, a task too).
 * Context: task.
 * See: docs/syscalls.md, docs/tty.md
 */
#include "proc/screen.h"

#include <ember/errno.h>
#include <ember/signal.h>

#include "drivers/console.h"
#include "drivers/fb.h"
#include "drivers/input.h"
#include "drivers/kbd.h"
#include "drivers/mouse.h"
#include "fs/tty.h"
#include "lib/log.h"
#include "proc/process.h"
#include "proc/signal.h"

static struct process *screen_owner; /* the exclusive holder, or NULL */

/* Kernel threads and a terminal nobody has claimed count as foreground. */
static bool in_foreground(const struct process *p)
{
    int fg = tty_foreground();
    return fg <= 0 || p->pgid == fg;
}

int screen_take(struct process *p)
{
    if (screen_owner && screen_owner != p)
        return -EBUSY;
    if (!fb_present())
        return -ENODEV;
    if (screen_owner != p && !in_foreground(p)) {
        int err = tty_job_check(SIGTTOU); /* p is the caller */
        return err ? err : -EIO; /* SIGTTOU ignored: refused all the same */
    }
    if (screen_owner != p)
        kbd_set_exclusive(true); /* keys now go only to calls 7 and 9 */
    screen_owner = p;
    console_set_exclusive(true);
    tty_set_paused(true); /* keys go to the program, not the terminal */
    fb_fill_rect(0, 0, fb_width(), fb_height(), 0);
    return 0;
}

bool screen_release(struct process *p)
{
    if (screen_owner != p || !p)
        return false;
    screen_owner = NULL;
    /*
     * What was typed for the program must not reach the shell: the seed's
     * queues, the mouse and the terminal's input are emptied, then the
     * console is redrawn from its back buffer.
     */
    kbd_set_exclusive(false);
    mouse_flush();
    tty_set_paused(false);
    input_flush();
    console_set_exclusive(false);
    return true;
}

bool screen_taken(void)
{
    return screen_owner != NULL;
}

/* The terminal's thread, on ctrl-alt-backspace. */
static void screen_escape(void)
{
    struct process *p = screen_owner;
    if (!p)
        return;
    klog(LOG_WARN,
         "screen: ctrl-alt-backspace: killing pid %d, which held "
         "the screen",
         p->pid);
    signal_post(p, SIGKILL);
    screen_release(p); /* at once: the console must not wait for the exit */
}

void screen_init(void)
{
    tty_set_escape_handler(screen_escape);
}
