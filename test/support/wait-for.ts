/** Bounded polling for a condition: tests wait on what they need, never on a fixed delay. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
