/**
 * Runs work one piece after another. A connection's sealed exchanges must not interleave: NTLM seals
 * with one RC4 keystream per direction and Kerberos checks sequence numbers strictly.
 */
export class SerialTurns {
  private turn: Promise<void> = Promise.resolve();

  /** Runs `work` after every earlier piece has finished (failed or not). */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
