#!/bin/sh
# t24_collector_burst.sh: hundreds of joins and leaves sent back-to-back through prosody, held
# offline while the collector is dead and then live, land exactly (the collector writes what
# each pass of its event loop delivers in one transaction).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

collector_setup
ROOM_PREFIX=$(room_name | cut -c1-24)
export ROOM_PREFIX
run_sim collector_t24.py
T_N=$SIM_N
collector_alive
collector_dump t24
collector_forget
