import { EmulatorError } from '../../src/emulator/emulator-error';
import { serviceStateMachine } from '../../src/emulator/virtual-host/service-state';

describe('WinRM service state of an emulated host', () => {
  it('logs every change with its reason', () => {
    const lines: string[] = [];
    const service = serviceStateMachine('win1', (line) => lines.push(line));
    service.transition('StopPending', 'restart requested');
    service.transition('Down', 'taken down');
    service.transition('Running', 'brought up');
    expect(lines).toEqual([
      'host win1: WinRM Running -> StopPending (restart requested)',
      'host win1: WinRM StopPending -> Down (taken down)',
      'host win1: WinRM Down -> Running (brought up)',
    ]);
  });

  it('refuses to restart a host that is down, with an EmulatorError', () => {
    const service = serviceStateMachine('win1', () => undefined);
    service.transition('Down');
    expect(() => service.transition('Restarting')).toThrow(EmulatorError);
    expect(() => service.transition('Restarting')).toThrow('WinRM service of win1: illegal transition Down -> Restarting');
    expect(service.state).toBe('Down');
  });
});
