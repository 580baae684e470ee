/*
 * ENDOOM (i_endoom.h), switched off: the text screen DOS DOOM showed on
 * quit is not drawn, and the shell's console comes straight back.
 *
 * See: docs/doom.md
 */
/* i_endoom.h does not include the doomtype.h it needs. */
#include "doomtype.h"
#include "i_endoom.h"

void I_Endoom(byte *data)
{
    (void)data;
}
