// Times written for people: "12 s ago" in lists and banners, the full date and time where someone asks for it.

/** How long ago `then` was, as of `now` (both ms since the epoch): "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function ago(then: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The full local date and time to the second ("Dec 4, 2026, 10:32:05 PM"); empty for a value that is not a time. */
export function fullTime(value: string | number | undefined): string {
  if (value === undefined || value === "") return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit" });
}

/** Milliseconds since the epoch of an ISO time, or null. */
export function timeOf(value: string | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

const listeners = new Set<() => void>();
let timer: number | undefined;

/** Calls `listener` once a second (one shared timer for the page); returns the function that stops it. */
export function everySecond(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= window.setInterval(() => { for (const l of [...listeners]) l(); }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}
