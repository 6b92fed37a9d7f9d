/** The drift of a restricted endpoint's view: what a refresh compares with the view verified after the last write. */
import { verifiedPrivate, viewDrift } from '../../src/provider/resources/session-configuration/endpoint-verification';

const verified = {
  pipeline: 'ran',
  language_mode: 'NoLanguage',
  visible_commands: 'Exit-PSSession, Get-Command, Get-Date, Restart-Service',
};

describe('viewDrift', () => {
  const priv = verifiedPrivate({ ...verified, idle_timeout_sec: '7200' });

  test('the private state keeps only what is watched', () => {
    expect(priv).toEqual({ verified_view: verified });
  });

  test('the same view (names compared without case) is no drift', () => {
    expect(viewDrift(priv, { ...verified, idle_timeout_sec: '60' })).toEqual([]);
    expect(viewDrift(priv, { ...verified, visible_commands: 'exit-pssession, get-command, get-date, restart-service' })).toEqual([]);
  });

  test('commands added and removed, the language mode and a refused session are named', () => {
    expect(viewDrift(priv, { ...verified, visible_commands: 'Exit-PSSession, Get-Command, Get-Date, Stop-Computer' })).toEqual([
      'now visible: Stop-Computer',
      'no longer visible: Restart-Service',
    ]);
    expect(viewDrift(priv, { ...verified, language_mode: 'FullLanguage' })).toEqual(['language mode FullLanguage (was NoLanguage)']);
    expect(viewDrift(priv, { pipeline: 'failed: access denied' })).toEqual([
      'the trivial pipeline: failed: access denied',
      'language mode not known (was NoLanguage)',
      'no longer visible: Exit-PSSession, Get-Command, Get-Date, Restart-Service',
    ]);
  });

  test('a full-language endpoint (no command list) or no verified view is not watched', () => {
    expect(verifiedPrivate({ pipeline: 'ran', language_mode: 'FullLanguage' })).toEqual({});
    expect(verifiedPrivate(null)).toEqual({});
    expect(viewDrift({}, { ...verified, language_mode: 'FullLanguage' })).toEqual([]);
    expect(viewDrift(priv, null)).toEqual([]);
  });
});
