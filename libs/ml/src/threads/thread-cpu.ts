import { readFileSync } from 'node:fs';

/** USER_HZ: /proc reports times in clock ticks, 100 a second on every Linux ABI Node supports. */
const TICKS_PER_S = 100;

/**
 * CPU seconds of the calling OS thread alone (utime + stime of /proc/thread-self/stat), so an
 * engine thread can tell its own work from the rest of the process. Threads that the engine's
 * native code starts (onnxruntime's pool, libvips) are their own OS threads and not counted.
 * Null without procfs (not Linux).
 */
export function threadCpuS(): number | null {
  try {
    // Fields after the command name's ")": utime and stime are the 14th and 15th of the line.
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return null;
  }
}
