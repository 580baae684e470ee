"""demo1.dem: a scripted walk through the test map, written message by message.

A Quake demo is what a server sent one client: the line "-1\\n" (no CD
track), then records of a 32-bit length, the view angles as three floats
and that many bytes of server messages (the engine's cl_demo.c and
protocol.h, NetQuake protocol 15). The engine's `timedemo demo1` draws one
record per frame as fast as it can, which makes this file the benchmark of
the Quake port, so it is generated here rather than recorded: every
position and angle comes from integer arithmetic along WAYPOINTS, and the
bytes are the same on every build.

The records: first the sign-on (server info with the model list, the view
entity, the light style, the baselines of the player and the emblem, and
sign-on stages 1 to 3), then one record per frame with the server time,
the player's client data (health 100, on the ground) and an update of
both entities (an entity missing from a frame disappears), and last a
disconnect, which ends playback (the engine treats running off the end of
the file as an error).

See: docs/quake-testgame.md
"""
import struct

PROTOCOL_NETQUAKE = 15
SVC_DISCONNECT = 2
SVC_SETVIEW = 5
SVC_TIME = 7
SVC_SERVERINFO = 11
SVC_LIGHTSTYLE = 12
SVC_CLIENTDATA = 15
SVC_SPAWNBASELINE = 22
SVC_SIGNONNUM = 25
SVC_CDTRACK = 32
U_MOREBITS = 1 << 0
U_ORIGIN1, U_ORIGIN2, U_ORIGIN3 = 1 << 1, 1 << 2, 1 << 3
U_ANGLE2 = 1 << 4
U_SIGNAL = 1 << 7
U_ANGLE1, U_ANGLE3 = 1 << 8, 1 << 9
SU_ITEMS = 1 << 9
SU_ONGROUND = 1 << 10
SIGNON_STAGES = 3  # the fourth is the first entity update
GAME_COOP = 0
COORD_FRAC = 8     # coordinates travel as 1/8 units in a short
ANGLE_UNITS = 256  # angles travel as 1/256 turns in a byte
DEGREES = 360
HEALTH = 100

PLAYER_ENT = 1     # client 1 of 1
EMBLEM_ENT = 3     # world 0, player 1, info_player_start 2, emblem 3
MODEL_PLAYER = 2   # model 1 is the map itself
MODEL_EMBLEM = 3
EYE_Z = 24         # the player's origin stands this far above the floor
FRAME_MS = 50      # server time between records: 20 updates a second
EMBLEM_TURN = 16   # 1/256 turns of the emblem per 5 frames (90 deg/s)
EMBLEM_TURN_FRAMES = 5

# (frame, x, y, yaw, pitch): the walk, in 1/256 turns for the angles.
# Between waypoints position and angles move linearly; the floor height
# comes from the map (floor_at). Pitch below 0 looks up.
WAYPOINTS = [
    (0, 128, 256, 0, 0),        # spawn, looking at the stairs
    (40, 128, 256, 40, 0),      # turn left to the fence
    (80, 440, 256, 0, 0),       # walk to the foot of the stairs
    (130, 700, 256, 0, -8),     # up the stairs into room B
    (180, 720, 64, 32, -20),    # along the pool, looking up at the sky
    (230, 720, 64, 128, 0),     # turn round
    (300, 660, 256, 128, 10),   # back to the top of the stairs
]


def floor_at(x, stair_x0, step_d, step_h, steps):
    """Floor height under x: room A 0, one step per step_d, room B on top."""
    if x < stair_x0:
        return 0
    return step_h * min(steps, (x - stair_x0) // step_d + 1)


def lerp(a, b, num, den):
    """a + (b - a) * num / den, rounded toward a (integers only)."""
    d = (b - a) * num
    return a + (d // den if d >= 0 else -((-d) // den))


def path():
    """Per frame: origin x, y in 1/8 units, yaw and pitch in 1/256 turns."""
    out = []
    for (f0, x0, y0, yaw0, p0), (f1, x1, y1, yaw1, p1) in zip(WAYPOINTS,
                                                             WAYPOINTS[1:]):
        for f in range(f0, f1):
            n, d = f - f0, f1 - f0
            out.append((lerp(x0 * COORD_FRAC, x1 * COORD_FRAC, n, d),
                        lerp(y0 * COORD_FRAC, y1 * COORD_FRAC, n, d),
                        lerp(yaw0, yaw1, n, d), lerp(p0, p1, n, d)))
    _, x, y, yaw, p = WAYPOINTS[-1]
    out.append((x * COORD_FRAC, y * COORD_FRAC, yaw, p))
    return out


def string(s):
    return s.encode() + b"\0"


def coord8(v):
    return struct.pack("<h", v)  # already in 1/8 units


def angle(units):
    return struct.pack("<B", units % ANGLE_UNITS)


def record(msg, pitch=0, yaw=0):
    """One demo record: length, view angles (degrees), messages."""
    deg = DEGREES / ANGLE_UNITS  # exact in binary: 1.40625
    return struct.pack("<i3f", len(msg), pitch * deg, yaw * deg, 0.0) + msg


def baseline(ent, model, origin8, yaw):
    msg = struct.pack("<BhBBBB", SVC_SPAWNBASELINE, ent, model, 0, 0, 0)
    for i in range(3):
        msg += coord8(origin8[i]) + angle(yaw if i == 1 else 0)
    return msg


def update(ent, origin8, pitch, yaw):
    bits = (U_SIGNAL | U_ORIGIN1 | U_ORIGIN2 | U_ORIGIN3 | U_ANGLE1 |
            U_ANGLE2 | U_ANGLE3 | U_MOREBITS)
    msg = struct.pack("<BBB", bits & 0xFF, bits >> 8, ent)
    return (msg + coord8(origin8[0]) + angle(pitch) + coord8(origin8[1]) +
            angle(yaw) + coord8(origin8[2]) + angle(0))


def clientdata():
    # no view height (the default, 22), no punch, no velocity; items,
    # health, current ammo, four ammo counts, active weapon always follow
    return struct.pack("<BHihBBBBBB", SVC_CLIENTDATA, SU_ITEMS | SU_ONGROUND,
                       0, HEALTH, 0, 0, 0, 0, 0, 0)


def build(title, models, emblem, stairs):
    """The whole .dem file. models: precache names after the map (index 1);
    emblem: its origin; stairs: (first step x, depth, height, count)."""
    out = bytearray(b"-1\n")
    frames = path()
    x, y, yaw, pitch = frames[0]
    z8 = (floor_at(x // COORD_FRAC, *stairs) + EYE_Z) * COORD_FRAC
    emblem8 = tuple(v * COORD_FRAC for v in emblem)
    msg = struct.pack("<BiBB", SVC_SERVERINFO, PROTOCOL_NETQUAKE, 1,
                      GAME_COOP) + string(title)
    msg += b"".join(string(m) for m in models) + string("") + string("")
    msg += struct.pack("<BBB", SVC_CDTRACK, 0, 0)
    msg += struct.pack("<Bh", SVC_SETVIEW, PLAYER_ENT)
    msg += struct.pack("<BB", SVC_SIGNONNUM, 1)
    out += record(msg, pitch, yaw)
    msg = struct.pack("<BB", SVC_LIGHTSTYLE, 0) + string("m")
    msg += baseline(PLAYER_ENT, MODEL_PLAYER, (x, y, z8), yaw)
    msg += baseline(EMBLEM_ENT, MODEL_EMBLEM, emblem8, 0)
    msg += struct.pack("<BB", SVC_SIGNONNUM, 2)
    out += record(msg, pitch, yaw)
    out += record(struct.pack("<BB", SVC_SIGNONNUM, SIGNON_STAGES), pitch,
                  yaw)
    for n, (x, y, yaw, pitch) in enumerate(frames):
        z8 = (floor_at(x // COORD_FRAC, *stairs) + EYE_Z) * COORD_FRAC
        msg = struct.pack("<Bf", SVC_TIME, n * FRAME_MS / 1000)
        msg += clientdata()
        msg += update(PLAYER_ENT, (x, y, z8), 0, yaw)
        msg += update(EMBLEM_ENT, emblem8, 0,
                      n * EMBLEM_TURN // EMBLEM_TURN_FRAMES)
        out += record(msg, pitch, yaw)
    out += record(struct.pack("<B", SVC_DISCONNECT), pitch, yaw)
    return bytes(out)
