/*
 * Networking, switched off: the engine's 22 network functions and the
 * state it reads, for a single player on one machine.
 *
 * Ember has no network stack. With net_client_connected false and no
 * drone, the engine's loop (d_loop.c) runs the game locally, as Chocolate
 * Doom does when no -server or -connect is given. Those options, and the
 * LAN and master-server queries, end with a clear error instead.
 *
 * See: docs/doom.md
 */
#include "net_client.h"
#include "net_dedicated.h"
#include "net_gui.h"
#include "net_io.h"
#include "net_loop.h"
#include "net_query.h"
#include "net_sdl.h"
#include "net_server.h"

#include <stddef.h>

#include "i_system.h"

/* The client's state as the engine reads it: never connected. */
boolean net_client_connected = false;
boolean net_client_received_wait_data = false;
net_waitdata_t net_client_wait_data;
char *net_client_reject_reason = NULL;
boolean net_waiting_for_launch = false;
char *net_player_name = NULL;
boolean drone = false;

static void no_network(void)
{
    I_Error("net: networking is not supported by this port");
}

static boolean init_module(void)
{
    return false;
}

static void send_packet(net_addr_t *addr, net_packet_t *packet)
{
    (void)addr;
    (void)packet;
}

static boolean recv_packet(net_addr_t **addr, net_packet_t **packet)
{
    (void)addr;
    (void)packet;
    return false;
}

static void addr_to_string(net_addr_t *addr, char *buffer, int buffer_len)
{
    (void)addr;
    if (buffer_len > 0)
        buffer[0] = '\0';
}

static void free_address(net_addr_t *addr)
{
    (void)addr;
}

static net_addr_t *resolve_address(const char *addr)
{
    (void)addr;
    return NULL;
}

/* Modules that start nothing and resolve no address. */
net_module_t net_loop_client_module = {
    init_module,    init_module,  send_packet,     recv_packet,
    addr_to_string, free_address, resolve_address,
};
net_module_t net_loop_server_module = {
    init_module,    init_module,  send_packet,     recv_packet,
    addr_to_string, free_address, resolve_address,
};
net_module_t net_sdl_module = {
    init_module,    init_module,  send_packet,     recv_packet,
    addr_to_string, free_address, resolve_address,
};

void NET_Init(void)
{
}

void NET_BindVariables(void)
{
}

boolean NET_CL_Connect(net_addr_t *addr, net_connect_data_t *data)
{
    (void)addr;
    (void)data;
    net_client_reject_reason = "networking is not supported by this port";
    return false;
}

void NET_CL_Disconnect(void)
{
}

void NET_CL_Run(void)
{
}

void NET_CL_StartGame(net_gamesettings_t *settings)
{
    (void)settings;
}

void NET_CL_SendTiccmd(ticcmd_t *ticcmd, int maketic)
{
    (void)ticcmd;
    (void)maketic;
}

boolean NET_CL_GetSettings(net_gamesettings_t *settings)
{
    (void)settings;
    return false;
}

void NET_WaitForLaunch(void)
{
}

void NET_SV_Init(void)
{
    no_network();
}

void NET_SV_Run(void)
{
}

void NET_SV_Shutdown(void)
{
}

void NET_SV_AddModule(net_module_t *module)
{
    (void)module;
}

void NET_SV_RegisterWithMaster(void)
{
}

char *NET_AddrToString(net_addr_t *addr)
{
    (void)addr;
    return "(none)";
}

void NET_ReferenceAddress(net_addr_t *addr)
{
    (void)addr;
}

void NET_ReleaseAddress(net_addr_t *addr)
{
    (void)addr;
}

void NET_LANQuery(void)
{
    no_network();
}

void NET_MasterQuery(void)
{
    no_network();
}

void NET_QueryAddress(const char *addr)
{
    (void)addr;
    no_network();
}

net_addr_t *NET_FindLANServer(void)
{
    return NULL;
}

void NET_DedicatedServer(void)
{
    no_network();
}
