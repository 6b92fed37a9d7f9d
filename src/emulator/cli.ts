/**
 * `psremoting-emulator`: starts the emulator and prints one JSON line describing it on stdout (nothing
 * else goes to stdout; logs go to stderr). Stops cleanly on SIGTERM/SIGINT.
 */
import { startEmulator } from './emulator';
import { parseCliArgs, USAGE } from './cli-args';
import { errorMessage } from '../common';

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`psremoting-emulator: ${errorMessage(e)}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  process.stdout.write(
    `${JSON.stringify({ hosts: emulator.hosts.map((h) => ({ name: h.name, endpoint: h.endpoint })), ca_file: emulator.caFile ?? null, control: emulator.control })}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`psremoting-emulator: ${errorMessage(e)}\n`);
  process.exit(1);
});
