"""Who used this machine's cores during a time window, per scheduling group, read from /proc.

Like reading the electricity meters of every flat in a building at the start and at the end of an
evening: the difference of each meter is what that flat used, and the building's main meter minus
the sum of the flats is what flats that moved out during the evening used.

Linux CFS with autogroups (/proc/sys/kernel/sched_autogroup_enabled = 1) shares the cores fairly
between scheduling groups first (one autogroup per session: /proc/PID/autogroup) and then between
the threads inside a group; processes outside any autogroup (init, kernel threads: an empty
/proc/PID/autogroup) compete one by one. So CPU time is summed per group:

- every process alive at the end: utime + stime (fields 14 and 15 of /proc/PID/stat: all its
  threads, user and kernel, the kernel's precise runtime split in clock ticks) minus its value at
  the start (its whole value if it started within the window);
- processes that exited within the window are not in /proc any more, but their CPU time is in the
  machine's busy time (/proc/stat: all but idle, iowait and steal): the rest of the busy time is
  theirs. It is given to the groups whose processes reaped children within the window (cutime +
  cstime, fields 16 and 17), in proportion to what they reaped (at most what they reaped: a child
  reaped in the window may have started before it); what is left stays one group of its own.

The measuring job's own processes (its ranks) and the rest of its own group (its launcher, for
instance a test host) are reported apart from the other groups.

No third-party imports: the accounting is tested with fake /proc trees.
"""
import os
import time


def _read(path):
    with open(path) as f:
        return f.read()


def busy_ticks(root="/proc"):
    """Clock ticks all CPUs have been busy since boot: the first line of ROOT/stat
    (user nice system idle iowait irq softirq steal ...) less idle, iowait and steal."""
    v = [int(x) for x in _read(os.path.join(root, "stat")).split("\n", 1)[0].split()[1:9]]
    return sum(v) - v[3] - v[4] - v[7]


def process_group(root, pid):
    """The process's scheduling group: its autogroup ("/autogroup-282"), or "pid-N" for a process
    outside any autogroup (its autogroup file is empty or unreadable)."""
    try:
        words = _read(os.path.join(root, pid, "autogroup")).split()
    except OSError:
        words = []
    return words[0] if words else "pid-" + pid


def processes(root="/proc"):
    """{pid: (group, own ticks, reaped children's ticks)} for every process in ROOT."""
    out = {}
    for pid in os.listdir(root):
        if not pid.isdigit():
            continue
        try:
            fields = _read(os.path.join(root, pid, "stat")).rsplit(")", 1)[1].split()
            # fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14 to 17
            own, reaped = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
            group = process_group(root, pid)
        except (OSError, IndexError, ValueError):
            continue   # the process exited while being read
        out[int(pid)] = (group, own, reaped)
    return out


def snapshot(root="/proc", clock=time.perf_counter):
    """Every meter at once: (wall-clock seconds, busy ticks, processes)."""
    return clock(), busy_ticks(root), processes(root)


def window_ticks(before, after, job_pids, own_group):
    """Clock ticks used between two snapshots: {"seconds": window length, "job": the job's processes,
    "session": the rest of the job's own group, "groups": {group: ticks} for every other group, "left":
    busy ticks of exited processes that no reaping group accounts for}. Windows add up (add_ticks)."""
    t0, busy0, procs0 = before
    t1, busy1, procs1 = after
    seconds = t1 - t0
    if seconds <= 0:
        raise ValueError(f"the window must have a positive length, got {seconds} s")
    job = session = 0
    used, reaped = {}, {}
    for pid, (group, own, children) in procs1.items():
        start = procs0.get(pid)
        d_own, d_children = (own - start[1], children - start[2]) if start else (own, children)
        d_own, d_children = max(d_own, 0), max(d_children, 0)   # a reused pid reads as new
        if pid in job_pids:
            job += d_own
        elif group == own_group:
            session += d_own
        else:
            used[group] = used.get(group, 0) + d_own
        if d_children and pid not in job_pids:
            key = None if group == own_group else group
            reaped[key] = reaped.get(key, 0) + d_children
    exited = max(0, (busy1 - busy0) - job - session - sum(used.values()))
    total_reaped = sum(reaped.values())
    share = min(1.0, exited / total_reaped) if total_reaped else 0.0
    for key, ticks in reaped.items():
        if key is None:
            session += ticks * share
        else:
            used[key] = used.get(key, 0) + ticks * share
    return {"seconds": seconds, "job": job, "session": session, "groups": used, "left": max(0.0, exited - total_reaped * share)}


def add_ticks(a, b):
    """Two windows' ticks as one window as long as both together (the groups matched by name)."""
    groups = dict(a["groups"])
    for g, t in b["groups"].items():
        groups[g] = groups.get(g, 0) + t
    return {"seconds": a["seconds"] + b["seconds"], "job": a["job"] + b["job"], "session": a["session"] + b["session"],
            "groups": groups, "left": a["left"] + b["left"]}


def usage_of(ticks, ticks_per_second, cores):
    """Cores used on average over a window's ticks (window_ticks, or several added by add_ticks): {"seconds",
    "job", "session", "background": every other group's cores, largest first (groups below 0.01 core left out)}."""
    seconds = ticks["seconds"]

    def cores_of(t):
        return min(t / ticks_per_second / seconds, cores)

    background = [cores_of(t) for t in ticks["groups"].values()]
    if ticks["left"] > 0:
        background.append(cores_of(ticks["left"]))
    return {"seconds": seconds, "job": cores_of(ticks["job"]), "session": cores_of(ticks["session"]),
            "background": sorted((c for c in background if c >= 0.01), reverse=True)}


def window_usage(before, after, job_pids, own_group, ticks_per_second, cores):
    """Cores used on average between two snapshots (usage_of one window_ticks)."""
    return usage_of(window_ticks(before, after, job_pids, own_group), ticks_per_second, cores)


def own_group(root="/proc"):
    """This process's scheduling group."""
    return process_group(root, str(os.getpid()))
