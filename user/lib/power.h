/*
 * What poweroff and reboot share: check the arguments, sync, ask the kernel.
 *
 * See: docs/userland.md
 */
#pragma once

/*
 * The whole of poweroff's and reboot's main(): with no operands, syncs the
 * disk and calls reboot(how) (RB_POWER_OFF or RB_AUTOBOOT). Returns only
 * on failure: 1 after a usage line or the kernel's refusal on stderr.
 */
int power_main(int argc, char **argv, const char *prog, int how);
