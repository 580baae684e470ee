/*
 * The network drivers: the loopback driver only, for single player.
 *
 * net_main.c walks the table net_drivers[] that a platform supplies. The
 * engine's own tables (net_bsd.c) add the "Datagram" driver over UDP
 * sockets; Ember has no network stack yet, so the table holds only the
 * engine's loopback driver (net_loop.c), which passes messages between the
 * local client and the local server in memory. That is all a single player
 * game uses. net_dgrm.c and its LAN drivers are not built, so connecting
 * to a remote server finds no driver and the engine says so.
 *
 * See: docs/quake.md
 */
#include "q_stdinc.h"
#include "arch_def.h"
#include "net_sys.h"
#include "quakedef.h"
#include "net_defs.h"
#include "net_loop.h"

net_driver_t net_drivers[] = {
    {
        .name = "Loopback",
        .initialized = false,
        .Init = Loop_Init,
        .Listen = Loop_Listen,
        .SearchForHosts = Loop_SearchForHosts,
        .Connect = Loop_Connect,
        .CheckNewConnections = Loop_CheckNewConnections,
        .QGetMessage = Loop_GetMessage,
        .QSendMessage = Loop_SendMessage,
        .SendUnreliableMessage = Loop_SendUnreliableMessage,
        .CanSendMessage = Loop_CanSendMessage,
        .CanSendUnreliableMessage = Loop_CanSendUnreliableMessage,
        .Close = Loop_Close,
        .Shutdown = Loop_Shutdown,
    },
};

const int net_numdrivers = sizeof net_drivers / sizeof net_drivers[0];
