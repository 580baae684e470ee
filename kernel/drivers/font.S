/*
 * The console font, embedded in the kernel image.
 *
 * The build unpacks a PSF font from Debian's console-setup-linux package into
 * build/ (kernel/kernel.mk names the file) and this file includes its bytes;
 * kernel/drivers/psf.c parses them at boot. No glyph table is typed by hand.
 *
 * See: docs/boot.md
 */
    .section .rodata
    .balign 16
    .globl console_font_start, console_font_end
console_font_start:
    .incbin EMBER_FONT_FILE
console_font_end:
