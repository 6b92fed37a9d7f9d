import { PsrpError } from '../../src/psrp';

/** The kind of the PsrpError `run` throws, undefined when it returns; any other throw fails the test. */
export function kindOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof PsrpError) return e.kind;
    throw e;
  }
  return undefined;
}
