/*
 * Sound effects and music (i_sound.h), switched off: every call is
 * accepted and nothing is heard.
 *
 * Ember has no sound driver yet. The engine's sound code (s_sound.c) still
 * runs and keeps its channels; here no sound ever plays, so a channel is
 * free again at once. The device variables are bound to the config file
 * as Chocolate Doom binds them, so a config written here is also valid for
 * it.
 *
 * See: docs/doom.md
 */
#include "i_sound.h"

#include <stddef.h>

#include "m_config.h"

/* Chocolate Doom's defaults (i_sound.c): SB sound effects, OPL music. */
int snd_sfxdevice = SNDDEVICE_SB;
int snd_musicdevice = SNDDEVICE_SB;
int snd_samplerate = 44100;
int snd_cachesize = 64 * 1024 * 1024;
int snd_maxslicetime_ms = 28;
char *snd_musiccmd = "";
int snd_pitchshift = -1;
char *snd_dmxoption = "";

void I_InitSound(boolean use_sfx_prefix)
{
    (void)use_sfx_prefix;
}

void I_ShutdownSound(void)
{
}

int I_GetSfxLumpNum(sfxinfo_t *sfxinfo)
{
    (void)sfxinfo;
    return 0;
}

void I_UpdateSound(void)
{
}

void I_UpdateSoundParams(int channel, int vol, int sep)
{
    (void)channel;
    (void)vol;
    (void)sep;
}

int I_StartSound(sfxinfo_t *sfxinfo, int channel, int vol, int sep, int pitch)
{
    (void)sfxinfo;
    (void)vol;
    (void)sep;
    (void)pitch;
    return channel;
}

void I_StopSound(int channel)
{
    (void)channel;
}

boolean I_SoundIsPlaying(int channel)
{
    (void)channel;
    return false;
}

void I_PrecacheSounds(sfxinfo_t *sounds, int num_sounds)
{
    (void)sounds;
    (void)num_sounds;
}

void I_InitMusic(void)
{
}

void I_ShutdownMusic(void)
{
}

void I_SetMusicVolume(int volume)
{
    (void)volume;
}

void I_PauseSong(void)
{
}

void I_ResumeSong(void)
{
}

void *I_RegisterSong(void *data, int len)
{
    (void)data;
    (void)len;
    return NULL;
}

void I_UnRegisterSong(void *handle)
{
    (void)handle;
}

void I_PlaySong(void *handle, boolean looping)
{
    (void)handle;
    (void)looping;
}

void I_StopSong(void)
{
}

boolean I_MusicIsPlaying(void)
{
    return false;
}

void I_SetOPLDriverVer(opl_driver_ver_t ver)
{
    (void)ver;
}

void I_OPL_DevMessages(char *result, size_t result_len)
{
    if (result_len > 0)
        result[0] = '\0';
}

void I_BindSoundVariables(void)
{
    M_BindIntVariable("snd_sfxdevice", &snd_sfxdevice);
    M_BindIntVariable("snd_musicdevice", &snd_musicdevice);
    M_BindIntVariable("snd_samplerate", &snd_samplerate);
    M_BindIntVariable("snd_cachesize", &snd_cachesize);
    M_BindIntVariable("snd_maxslicetime_ms", &snd_maxslicetime_ms);
    M_BindStringVariable("snd_musiccmd", &snd_musiccmd);
    M_BindStringVariable("snd_dmxoption", &snd_dmxoption);
    M_BindIntVariable("snd_pitchshift", &snd_pitchshift);
}
