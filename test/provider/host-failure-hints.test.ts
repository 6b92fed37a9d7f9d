/** The common mistakes get the likely fix, naming the setting; anything else gets no guess. */
import { hostFailureHint } from '../../src/provider/host-failure-hints';
import { WsmanAuthError, WsmanHttpError, WsmanTransportError } from '../../src/wsman';

const http = 'http://web1:5985/wsman';
const tlsError = (code: string, message = code) =>
  new WsmanTransportError(`TLS failure: ${message}`, 'tls', { cause: Object.assign(new Error(message), { code }) });

test.each<[string, unknown, string, RegExp]>([
  [
    'wrong password',
    new WsmanAuthError('HTTP 401: the host refused ntlm authentication; the host offers Negotiate', ['Negotiate']),
    http,
    /Check username and password .*HOST\\user or DOMAIN\\user/,
  ],
  ['503 through the retries', new WsmanHttpError('HTTP 503 from web1:5985', 503), http, /unavailable \(HTTP 503\) through every retry/],
  ['a wrong URL path', new WsmanHttpError('HTTP 404 from web1:5985', 404), 'http://web1:5985/wsmanx', /WinRM answers at \/wsman/],
  [
    'http to an https listener',
    new WsmanTransportError('connection reset by the host', 'reset'),
    'http://web1:5986/wsman',
    /use scheme = "https"/,
  ],
  [
    'TLS without ca_file',
    tlsError('SELF_SIGNED_CERT_IN_CHAIN'),
    'https://web1:5986/wsman',
    /give the CA \(PEM\) in ca_file, or set insecure_skip_verify/,
  ],
  [
    'a garbage certificate file',
    tlsError('ERR_OSSL_PEM_NO_START_LINE', 'error:0480006C:PEM routines::no start line'),
    'https://web1:5986/wsman',
    /must be PEM files/,
  ],
  ['nothing listening', new WsmanTransportError('connection refused', 'connect-refused'), http, /Nothing listens on this port/],
])('%s', (_what, error, endpoint, hint) => {
  expect(hostFailureHint(error, endpoint)).toMatch(hint);
});

test('no guess for other failures', () => {
  expect(hostFailureHint(new WsmanHttpError('HTTP 500 from web1', 500), http)).toBeUndefined();
  expect(hostFailureHint(new Error('boom'), http)).toBeUndefined();
});
