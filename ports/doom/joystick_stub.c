/*
 * The joystick (i_joystick.h), switched off: Ember has no joystick driver,
 * so the engine never sees a joystick event.
 *
 * See: docs/doom.md
 */
#include "i_joystick.h"

void I_InitJoystick(void)
{
}

void I_ShutdownJoystick(void)
{
}

void I_UpdateJoystick(void)
{
}

void I_BindJoystickVariables(void)
{
}
