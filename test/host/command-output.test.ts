import { readableStderr, decodeClixmlString, BoundedOutput } from '../../src/host/command-output';

// The stderr bytes of pywinrm's recorded `Write-Error "Error"` run, decoded from its base64 streams.
const recorded =
  '#< CLIXML\r\n' +
  '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Write-Error "Error" : Error_x000D__x000A_</S>' +
  '<S S="Error">    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorExcep _x000D__x000A_</S>' +
  '<S S="Error">   tion_x000D__x000A_</S><S S="Error">    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorExceptio _x000D__x000A_</S>' +
  '<S S="Error">   n_x000D__x000A_</S><S S="Error"> _x000D__x000A_</S></Objs>';

describe('readableStderr', () => {
  it('renders the error stream of a CLIXML document as text', () => {
    expect(readableStderr(recorded)).toBe(
      'Write-Error "Error" : Error\n    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorExcep \n   tion\n' +
        '    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorExceptio \n   n\n \n',
    );
  });

  it('prefixes warnings, drops progress records, and keeps plain text as it is', () => {
    const s =
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
      '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T></TN></Obj>' +
      '<S S="warning">careful_x000A_</S></Objs>';
    expect(readableStderr(s)).toBe('WARNING: careful\n');
    expect(readableStderr('plain error\r\n')).toBe('plain error\r\n');
  });

  it('shows a cut or hostile document as text instead of failing', () => {
    expect(readableStderr('#< CLIXML\r\n<Objs><S S="Error">half')).toContain('<Objs><S S="Error">half');
    expect(readableStderr('#< CLIXML\r\n<!DOCTYPE x [<!ENTITY a "b">]><Objs/>')).toContain('DOCTYPE');
  });

  it('decodes _xHHHH_ escapes', () => {
    expect(decodeClixmlString('a_x0009_b_x000A_')).toBe('a\tb\n');
  });
});

describe('BoundedOutput', () => {
  it('keeps everything under the budget, decoding UTF-8 split across chunks', () => {
    const out = new BoundedOutput(64);
    const bytes = Buffer.from('héllo wörld', 'utf8');
    for (const b of bytes) out.push(Buffer.from([b]));
    expect(out.text()).toBe('héllo wörld');
    expect(out.truncated).toBe(false);
  });

  it('keeps head and tail and names what was dropped', () => {
    const out = new BoundedOutput(10);
    out.push(Buffer.from('0123456789'));
    out.push(Buffer.from('abcdefghij'));
    expect(out.truncated).toBe(true);
    expect(out.totalBytes).toBe(20);
    expect(out.text()).toBe('01234\n[... 10 bytes of output truncated ...]\nfghij');
  });
});
