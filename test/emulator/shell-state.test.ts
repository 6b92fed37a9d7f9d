import { Shell, SHELL_TRANSITIONS } from '../../src/emulator/shells/shell';
import { EmulatorError } from '../../src/emulator/emulator-error';

function shell(log: string[] = []): Shell {
  return new Shell(
    {
      id: 'S1',
      kind: 'powershell',
      resourceUri: 'http://schemas.microsoft.com/powershell/Microsoft.PowerShell',
      owner: 'vagrant',
      clientIp: '127.0.0.1',
      idleTimeoutMs: 60000,
      inputStreams: 'stdin pr',
      outputStreams: 'stdout',
      environment: [],
      localCwd: '/',
      noProfile: false,
      locale: 'en-US',
      dataLocale: 'en-US',
    },
    () => undefined,
    (m) => log.push(m),
  );
}

describe('Shell state machine', () => {
  test('declared transitions: Opening -> Connected <-> Disconnected -> Closed, each logged', async () => {
    const log: string[] = [];
    const s = shell(log);
    expect(s.state).toBe('Opening');
    s.opened();
    s.disconnect(1000, 'Drop');
    expect(s.state).toBe('Disconnected');
    expect(s.idleTimeoutMs).toBe(1000);
    expect(s.bufferMode).toBe('Drop');
    s.reconnect('uuid:client', 'connect');
    expect(s.state).toBe('Connected');
    await s.close('deleted');
    expect(s.isClosed).toBe(true);
    expect(log).toEqual([
      'shell S1: Opening -> Connected (created)',
      'shell S1: Connected -> Disconnected (client disconnected)',
      'shell S1: Disconnected -> Connected (connect)',
      'shell S1: Connected -> Closed (deleted)',
    ]);
    expect(SHELL_TRANSITIONS.Closed).toEqual([]);
  });

  test("an undeclared transition is refused with the emulator's typed error and the state stays", async () => {
    const s = shell();
    s.opened();
    let refused: unknown;
    try {
      s.reconnect(undefined, 'reconnect');
    } catch (e: unknown) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(EmulatorError);
    expect(refused).toMatchObject({
      kind: 'illegal-transition',
      message: 'shell S1: illegal transition Connected -> Connected (reconnect)',
    });
    expect(s.state).toBe('Connected');
    await s.close('deleted');
    expect(() => s.disconnect(undefined, undefined)).toThrow(EmulatorError);
    expect(s.state).toBe('Closed');
  });
});
