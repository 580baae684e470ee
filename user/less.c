/*
 * less: a pager, the input shown a screen at a time (user/lib/pager.c).
 *
 * See: docs/userland.md
 */
#include "pager.h"

int main(int argc, char **argv)
{
    return pager_main(argc, argv, "less");
}
