/**
 * xs:duration as WS-Management uses it: OperationTimeout (`PT20S`), shell IdleTimeOut (`PT7200.000S`)
 * and ShellRunTime (`P0DT0H0M0S`). Years and months have no fixed length and never occur in WS-Man
 * timeouts, so they are refused rather than approximated.
 */

const DURATION = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an xs:duration, or undefined when the text is not a non-negative day-time duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const [, d, h, min, s] = m;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** `PT20S` / `PT0.5S`: the form clients send. */
export function formatDurationSeconds(ms: number): string {
  assertMs(ms);
  return `PT${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toString()}S`;
}

/** `PT7200.000S`: the form Windows echoes for shell timeouts. */
export function formatDurationMillis(ms: number): string {
  assertMs(ms);
  return `PT${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}S`;
}

/** `P0DT0H0M0S`: the form Windows uses for ShellRunTime and ShellInactivity (whole seconds). */
export function formatDurationDays(ms: number): string {
  assertMs(ms);
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return `P${days}DT${hours}H${minutes}M${total % 60}S`;
}

function assertMs(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RangeError(`a duration must be a non-negative whole number of milliseconds, got ${ms}`);
}
