/** DeclaredEndpoints: lookups by host spelling and endpoint name, in constant time per endpoint. */
import { hostKey, sameHost } from '../../src/provider/configuration/same-host';
import { DeclaredEndpoints } from '../../src/provider/declared-endpoints';

const key = (host: string): string => hostKey(host, 'http', undefined);

describe('host keys', () => {
  it('spell every way of writing one host alike, and keep what is no address as itself', () => {
    expect(new Set(['win1', 'WIN1:5985', 'http://win1:5985/wsman', ' win1 '].map(key)).size).toBe(1);
    expect(key('win1:5986')).not.toBe(key('win1'));
    expect(key('not a host')).toBe('not a host');
    expect(sameHost('win1', 'Win1:5985', 'http', undefined)).toBe(true);
    expect(sameHost('not a host', 'not a host', 'http', undefined)).toBe(true);
    expect(sameHost('not a host', 'win1', 'http', undefined)).toBe(false);
  });
});

describe('DeclaredEndpoints', () => {
  it('finds a declaration under any spelling of its host and any case of its name; a later plan replaces it', () => {
    const d = new DeclaredEndpoints(key);
    d.declare('win1', 'Ops.Restricted', 600);
    expect(d.find('http://WIN1:5985/wsman', 'ops.restricted')?.maxIdleTimeoutSec).toBe(600);
    expect(d.find('win2', 'Ops.Restricted')).toBeUndefined();
    d.declare('WIN1', 'OPS.RESTRICTED', null);
    expect(d.find('win1', 'Ops.Restricted')?.maxIdleTimeoutSec).toBe('unset');
  });

  it('remembers the endpoints state holds', () => {
    const d = new DeclaredEndpoints(key);
    d.hold('win1', 'fleet.0');
    expect(d.holds('Win1:5985', 'FLEET.0')).toBe(true);
    expect(d.holds('win1', 'fleet.1')).toBe(false);
    expect(d.holds('win2', 'fleet.0')).toBe(false);
  });

  it('keys each host once per call, however many endpoints share a name (a fleet of 4000)', () => {
    let calls = 0;
    const d = new DeclaredEndpoints((host) => {
      calls += 1;
      return key(host);
    });
    const n = 4000;
    for (let i = 0; i < n; i++) {
      d.declare(`win${i % 1000}`, `fleet.${Math.floor(i / 1000)}`, 60);
      d.hold(`win${i % 1000}`, `fleet.${Math.floor(i / 1000)}`);
    }
    for (let i = 0; i < n; i++) expect(d.holds(`win${i % 1000}`, `fleet.${Math.floor(i / 1000)}`)).toBe(true);
    expect(calls).toBe(3 * n);
  });
});
