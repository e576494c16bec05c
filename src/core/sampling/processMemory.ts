import { readFileSync } from 'node:fs';

/** OS-side memory of a process, in bytes. */
export interface OsMemory {
  rss: number;
  /** Virtual memory size (VmSize); null where the OS does not report it cheaply. */
  vms: number | null;
}

const hasProc = process.platform === 'linux';

/**
 * Reads a local process's memory from the OS without touching the debuggee.
 * Linux: `/proc/<pid>/status` (one small synchronous read, ~20 µs). Elsewhere: pidusage.
 * Returns null when the process does not exist (any more).
 */
export async function readProcessMemory(pid: number): Promise<OsMemory | null> {
  if (hasProc) return readProcStatus(pid);
  try {
    const { default: pidusage } = await import('pidusage');
    const stat = await pidusage(pid);
    return { rss: stat.memory, vms: null };
  } catch {
    return null; // the process is gone (or the platform's tools failed): documented as null
  }
}

/** Parses VmRSS and VmSize from `/proc/<pid>/status`. */
export function readProcStatus(pid: number): OsMemory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null; // the process is gone
  }
  return parseProcStatus(text);
}

/** Extracts VmRSS/VmSize (kB) from the text of a status file. */
function parseProcStatus(text: string): OsMemory | null {
  const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  if (!rss) return null; // zombie or kernel thread
  const vms = /^VmSize:\s+(\d+)\s+kB/m.exec(text);
  return { rss: Number(rss[1]) * 1024, vms: vms ? Number(vms[1]) * 1024 : null };
}

/** CPU time (user + system) a process has used so far, in milliseconds; null if unknown. */
export function readProcessCpuMs(pid: number): number | null {
  if (!hasProc) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return null; // the process is gone
  }
}

/** USER_HZ; 100 on every mainstream Linux. */
const CLOCK_TICKS = 100;

/** True when a process with this pid exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (hasProc) return readProcStatus(pid) !== null;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * CPU time the process's main thread (where JavaScript runs and allocates) has used, in nanoseconds, from
 * `/proc/<pid>/task/<pid>/schedstat`; null where unavailable.
 */
export function readMainThreadCpuNs(pid: number): number | null {
  if (!hasProc) return null;
  try {
    const n = Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'latin1').split(' ', 1)[0]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null; // the process is gone, or /proc hides its threads
  }
}
