/*
 * The pager behind more and less: one screen of text at a time.
 *
 * See: docs/userland.md
 */
#pragma once

/*
 * The whole of more's and less's main(): pages the files named (or
 * standard input) on the terminal, reading keys from /dev/tty so that
 * `ls | less` works. When standard output is not a terminal it copies the
 * input unchanged, as both do. Returns the exit status.
 */
int pager_main(int argc, char **argv, const char *prog);
