import { PWSH_VERSION } from '../../src/emulator/powershell/pwsh-locator';

/** What test/interop/pywinrm-driver.py observes, and what a faithful emulator makes it observe. */
export interface Observed {
  echo: { stdout: string; stderr: string; code: number };
  fail: { stdout: string; stderr: string; code: number };
  get: string;
  enumerate: string;
  put: string;
  put_bad: string;
  run_ps: { stdout: string; stderr: string; code: number };
}

export function expectFaithful(o: Observed): void {
  expect(o.echo).toEqual({ stdout: 'hello from pywinrm\n', stderr: '', code: 0 });
  expect(o.fail).toEqual({ stdout: '', stderr: 'err\n', code: 4 });
  expect(o.get).toContain('Name="microsoft.powershell"');
  for (const name of ['Event Forwarding Plugin', 'microsoft.powershell32', 'WMI Provider', 'SEL Plugin'])
    expect(o.enumerate).toContain(`Name="${name}"`);
  expect(o.enumerate).toContain('EndOfSequence');
  expect(o.put).toContain('MaxShells="30"');
  expect(o.put_bad).toMatch(/^FAULT:WinRMError:.*'wsmanfault_code': '2150858817'/);
  // run_ps reaches real PowerShell (pwsh behind the emulator's powershell command lines).
  expect(o.run_ps).toEqual({ stdout: `${PWSH_VERSION}\n`, stderr: '', code: 3 });
}
