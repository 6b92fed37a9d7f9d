import { chunkBytes, windowsPathProblem } from '../../../src/host/files';
import { HostError } from '../../../src/host';

describe('windowsPathProblem', () => {
  test.each(['C:\\ProgramData\\app\\settings.json', 'd:\\x', 'C:\\Program Files\\Ünïcödé 文件\\a b.ps1', 'C:\\a\\.hidden'])(
    'accepts %s',
    (p) => {
      expect(windowsPathProblem(p)).toBeUndefined();
    },
  );

  test.each([
    ['relative\\file.txt', /absolute path on a drive/],
    ['\\\\server\\share\\file', /absolute path on a drive/],
    ['C:/ProgramData/file', /backslashes/],
    ['C:\\', /names a drive/],
    ['C:\\folder\\', /not end with a backslash/],
    ['C:\\a\\\\b', /empty component/],
    ['C:\\a\\..\\b', /"\.\."/],
    ['C:\\a\\b?.txt', /reserved character/],
    ['C:\\a\\b\u0001', /control character/],
    ['C:\\a\\trailing.', /space or a dot/],
    ['C:\\a\\nul.txt', /reserved device name/],
    ['C:\\a\\COM1', /reserved device name/],
    [`C:\\${'x'.repeat(256)}`, /longer than 255/],
    [`C:\\${'x\\'.repeat(17_000)}y`, /longer than 32767/],
  ])('refuses %s', (p, why) => {
    expect(windowsPathProblem(p)).toMatch(why);
  });
});

describe('chunkBytes', () => {
  test('the base64 of a chunk and its overhead fit the fragment budget; chunks are whole base64 groups', () => {
    for (const budget of [2048, 112_704, 381_504]) {
      const chunk = chunkBytes(budget);
      expect(chunk % 3).toBe(0);
      expect((chunk / 3) * 4 + 1024).toBeLessThanOrEqual(budget);
      expect((chunk / 3 + 1) * 4 + 1024).toBeGreaterThan(budget - 4);
    }
  });

  test('a budget with no room is an invalid request', () => {
    expect(() => chunkBytes(1000)).toThrow(HostError);
  });
});
