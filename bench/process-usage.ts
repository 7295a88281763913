import { readFileSync } from "node:fs";

const SAMPLE_EVERY_MS = 250;
/** Linux reports process CPU time in clock ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** Highest resident set sampled while the sampler ran (VmRSS every 250 ms), in MB. */
  peakMb: number | null;
  /** The last sample, in MB. */
  lastMb: number | null;
  /** CPU the process used while the sampler ran, in cores (this machine has 2). */
  cpuCores: number | null;
}

/** Samples a process's resident memory and CPU time until stopped. Linux only; nulls elsewhere. */
export function sampleUsage(pid: number): { stop(): ProcessUsage } {
  let peakKb: number | null = null;
  let lastKb: number | null = null;
  const sample = () => {
    const kb = residentKb(pid);
    if (kb === null) return;
    lastKb = kb;
    peakKb = Math.max(peakKb ?? 0, kb);
  };
  const startedAt = performance.now();
  const cpuBefore = cpuSeconds(pid);
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const cpuAfter = cpuSeconds(pid);
      const wall = (performance.now() - startedAt) / 1000;
      const cpuCores =
        cpuBefore === null || cpuAfter === null
          ? null
          : Math.round(((cpuAfter - cpuBefore) / wall) * 100) / 100;
      return { peakMb: megabytes(peakKb), lastMb: megabytes(lastKb), cpuCores };
    },
  };
}

function residentKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** User plus system time; the fields after the command name, which may itself hold spaces. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function megabytes(kb: number | null): number | null {
  return kb === null ? null : Math.round(kb / 102.4) / 10;
}
