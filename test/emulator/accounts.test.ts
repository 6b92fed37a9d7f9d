/**
 * Emulated accounts with groups and SIDs, and the endpoint SDDL enforced at shell Create (real pwsh behind
 * the sessions that are let in: PSREMOTING_PWSH, PATH or .tools/pwsh).
 */
import { DEFAULT_USER, startEmulator, type EmulatorHandle } from '../../src/emulator';
import { HostAccounts, ADMINISTRATORS_SID } from '../../src/emulator/accounts/accounts';
import { executeAllowed } from '../../src/emulator/accounts/access-check';
import { parseUser } from '../../src/emulator/cli-args';
import { locatePwsh, PWSH_MISSING_MESSAGE } from '../../src/emulator/powershell/pwsh-locator';
import { PowerShellSession } from '../../src/host';
import { DEFAULT_REMOTE_SDDL } from '../../src/host/session-configuration/access-mode';
import { toPlain } from '../../src/psrp';
import { WsmanClient, WsmanFault } from '../../src/wsman';
import { registerEndpoint } from '../support/emulated-endpoint';

jest.setTimeout(120_000);

describe('accounts', () => {
  const win1 = new HostAccounts('win1', [
    { name: 'vagrant' },
    { name: 'alice', groups: ['JEA_Operators', 'Remote Management Users'] },
    { name: 'bob', groups: [] },
  ]);
  const win2 = new HostAccounts('win2', []);

  test('well-known names translate to their SIDs, others to deterministic domain-like SIDs', () => {
    expect(win1.sidOf('Administrators')).toBe(ADMINISTRATORS_SID);
    expect(win1.sidOf('BUILTIN\\Administrators')).toBe(ADMINISTRATORS_SID);
    expect(win1.sidOf('BA')).toBe(ADMINISTRATORS_SID);
    expect(win1.sidOf('Remote Management Users')).toBe('S-1-5-32-580');
    expect(win1.sidOf('NT AUTHORITY\\NETWORK')).toBe('S-1-5-2');
    expect(win1.sidOf('JEA_Operators')).toMatch(/^S-1-5-21-\d+-\d+-\d+-\d+$/);
    expect(win1.sidOf('WIN1\\jea_operators')).toBe(win1.sidOf('JEA_Operators'));
    expect(new HostAccounts('win1', []).sidOf('JEA_Operators')).toBe(win1.sidOf('JEA_Operators'));
    expect(win2.sidOf('JEA_Operators')).not.toBe(win1.sidOf('JEA_Operators'));
    // A domain's names are the same on every host.
    expect(win2.sidOf('CONTOSO\\JEA_Operators')).toBe(win1.sidOf('contoso\\jea_operators'));
    expect(win1.sidOf('CONTOSO\\JEA_Operators')).not.toBe(win1.sidOf('JEA_Operators'));
    expect(win1.sidOf('bad"name')).toBeUndefined();
    expect(win1.sidOf('BUILTIN\\NoSuchGroup')).toBeUndefined();
  });

  test('a user without groups is an administrator; groups are in the token with the network-logon SIDs', () => {
    expect(win1.account('vagrant')).toMatchObject({
      identity: 'WIN1\\vagrant',
      isAdministrator: true,
      groups: ['BUILTIN\\Administrators'],
    });
    const alice = win1.account('ALICE');
    expect(alice).toMatchObject({ identity: 'WIN1\\alice', isAdministrator: false });
    expect(alice.groups).toEqual(['WIN1\\JEA_Operators', 'BUILTIN\\Remote Management Users']);
    for (const sid of [alice.sid, win1.sidOf('JEA_Operators'), 'S-1-5-32-580', 'S-1-1-0', 'S-1-5-2', 'S-1-5-11', 'S-1-5-32-545'])
      expect(alice.tokenSids.has(sid!)).toBe(true);
    expect(win1.account('someone@contoso.com').identity).toBe('CONTOSO\\someone');
  });

  test('--user NAME:PASSWORD[:GROUP,GROUP]', () => {
    expect(parseUser('ops:pw')).toEqual({ name: 'ops', password: 'pw' });
    expect(parseUser('ops:pw:JEA_Operators, Remote Management Users')).toEqual({
      name: 'ops',
      password: 'pw',
      groups: ['JEA_Operators', 'Remote Management Users'],
    });
    expect(parseUser('ops:pw:')).toEqual({ name: 'ops', password: 'pw', groups: [] });
    expect(parseUser('ops:p:w:Administrators')).toEqual({ name: 'ops', password: 'p:w', groups: ['Administrators'] });
    expect(() => parseUser('nopassword')).toThrow('--user takes');
  });

  test('the DACL walk: first matching deny or allow for Execute decides, nothing matching denies, a NULL DACL allows', () => {
    const admin = win1.account('vagrant').tokenSids;
    const alice = win1.account('alice').tokenSids;
    const bob = win1.account('bob').tokenSids;
    expect(executeAllowed(DEFAULT_REMOTE_SDDL, admin)).toBe(true);
    expect(executeAllowed(DEFAULT_REMOTE_SDDL, alice)).toBe(true);
    expect(executeAllowed(DEFAULT_REMOTE_SDDL, bob)).toBe(false);
    // Local access mode: NETWORK denied first, so no WinRM logon gets in.
    expect(executeAllowed('O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)', admin)).toBe(false);
    expect(executeAllowed(`O:NSG:BAD:P(A;;GX;;;${win1.sidOf('JEA_Operators')!})`, alice)).toBe(true);
    expect(executeAllowed(`O:NSG:BAD:P(A;;GR;;;${win1.sidOf('JEA_Operators')!})`, alice)).toBe(false);
    expect(executeAllowed('O:NSG:BAD:P(A;;0x10000000;;;BU)', bob)).toBe(true);
    expect(executeAllowed('O:NSG:BA', bob)).toBe(true);
    expect(executeAllowed('O:NSG:BAD:P', admin)).toBe(false);
    expect(executeAllowed('not sddl', admin)).toBe(false);
  });
});

describe('the endpoint SDDL at shell Create', () => {
  let emu: EmulatorHandle;
  const clients: WsmanClient[] = [];
  const client = (username: string, password: string): WsmanClient => {
    const c = new WsmanClient({
      endpoint: emu.hosts[0]!.endpoint,
      auth: { kind: 'basic', username, password, allowUnencrypted: true },
      operationTimeoutMs: 30_000,
      receiveTimeoutMs: 3_000,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    if (!locatePwsh()) throw new Error(PWSH_MISSING_MESSAGE);
    emu = await startEmulator({
      allowUnencrypted: true,
      restartMs: 100,
      users: [
        DEFAULT_USER,
        { name: 'alice', password: 'a-pass', groups: ['JEA_Operators'] },
        { name: 'bob', password: 'b-pass', groups: [] },
      ],
      log: () => undefined,
    });
    const operators = emu.virtualHosts[0]!.accounts.sidOf('JEA_Operators')!;
    await registerEndpoint(emu, 0, 'operators', {
      sddl: `O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;${operators})S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)`,
    });
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await emu?.stop();
  });

  test('a user the DACL does not allow is refused with Access is denied (5, w:AccessDenied)', async () => {
    const refused = await PowerShellSession.open(client('bob', 'b-pass')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(WsmanFault);
    expect(refused).toMatchObject({ code: 5, subcode: 'w:AccessDenied' });
    expect((refused as WsmanFault).message).toContain('Access is denied.');
    expect(emu.virtualHosts[0]!.shells.size).toBe(0);
  });

  test('a group the endpoint allows gets in where the default SDDL keeps it out', async () => {
    await expect(PowerShellSession.open(client('alice', 'a-pass'))).rejects.toMatchObject({ code: 5 });
    const session = await PowerShellSession.open(client('alice', 'a-pass'), { configurationName: 'operators' });
    try {
      const r = await session.runScript('$PSSenderInfo.UserInfo.Identity.Name; $PSSenderInfo.ConfigurationName');
      expect(r.output.map(toPlain)).toEqual(['WIN1\\alice', 'operators']);
    } finally {
      await session.close();
    }
  });
});
