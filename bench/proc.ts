/**
 * CPU and memory of local processes from /proc while a measurement runs (Linux only; elsewhere
 * the figures are null).
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux we run on). */
const HZ = 100;

export interface ProcFigures {
  /** Average CPU over the window, in % of one core (200 % = both cores of this machine). */
  cpuPct: number | null;
  /** Highest resident set seen (MB). */
  rssPeakMb: number | null;
  rssEndMb: number | null;
}

function cpuTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state, field 3.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return null;
  }
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts sampling `pids` (summed: a server, or the database backends serving it) every
 * `intervalMs`; `stop()` returns the figures for the window.
 */
export function sampleProcesses(pids: number[], intervalMs = 250): { stop(): ProcFigures } {
  const ticks0 = new Map(pids.map((p) => [p, cpuTicks(p)]));
  const t0 = performance.now();
  let peak: number | null = null;
  const sample = () => {
    let sum: number | null = null;
    for (const p of pids) {
      const r = rssMb(p);
      if (r !== null) sum = (sum ?? 0) + r;
    }
    if (sum !== null) peak = Math.max(peak ?? 0, sum);
    return sum;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const end = sample();
      const seconds = (performance.now() - t0) / 1000;
      let used: number | null = null;
      for (const p of pids) {
        const a = ticks0.get(p);
        const b = cpuTicks(p);
        // A process that ended meanwhile (a pool connection closed) counts up to its last sample.
        if (a !== null && a !== undefined && b !== null) used = (used ?? 0) + (b - a);
      }
      return {
        cpuPct: used === null || seconds <= 0 ? null : Math.round((used / HZ / seconds) * 100),
        rssPeakMb: peak === null ? null : Math.round(peak),
        rssEndMb: end === null ? null : Math.round(end),
      };
    },
  };
}

/** CPU of this process over a window, in % of one core. */
export function sampleSelf(): { stop(): number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop() {
      const c = process.cpuUsage(c0);
      return Math.round(((c.user + c.system) / 1000 / (performance.now() - t0)) * 100);
    },
  };
}
