/*
 * The sound device: none yet, so the game plays silent.
 *
 * The engine mixes sound itself (snd_dma.c, snd_mix.c) into a DMA buffer
 * that a platform's SNDDMA_* functions hand to the sound card. Ember has no
 * sound driver, so SNDDMA_Init says so and reports failure; the engine then
 * keeps sound_started at 0, never mixes, and every S_* call returns at
 * once. The other SNDDMA_* functions are never reached after a failed
 * init, but the engine links them, so they exist and do nothing.
 *
 * See: docs/quake.md
 */
#include "quakedef.h"

qboolean SNDDMA_Init(dma_t *dma)
{
    (void)dma;
    Con_Printf("sound: no sound device on this system; playing silent\n");
    return false;
}

int SNDDMA_GetDMAPos(void)
{
    return 0;
}

void SNDDMA_Shutdown(void)
{
}

void SNDDMA_LockBuffer(void)
{
}

void SNDDMA_Submit(void)
{
}

void SNDDMA_BlockSound(void)
{
}

void SNDDMA_UnblockSound(void)
{
}
