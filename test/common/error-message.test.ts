import * as vm from 'node:vm';
import { errorCode, errorMessage } from '../../src/common';

describe('errorMessage and errorCode read anything thrown', () => {
  it('reads an Error made in another realm, which is not instanceof this Error', () => {
    const foreign: unknown = vm.runInNewContext('(() => { const e = new Error("from elsewhere"); e.code = "ENOENT"; return e; })()');
    expect(foreign instanceof Error).toBe(false);
    expect(errorMessage(foreign)).toBe('from elsewhere');
    expect(errorCode(foreign)).toBe('ENOENT');
  });

  it('gives no code for errors without one', () => {
    expect(errorCode(new Error('x'))).toBeUndefined();
    expect(errorCode('ENOENT')).toBeUndefined();
  });
});
