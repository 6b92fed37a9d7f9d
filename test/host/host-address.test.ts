import { HostError, resolveHost, hostProblem } from '../../src/host';

describe('resolveHost', () => {
  it('turns names and name:port into endpoints with the scheme default port', () => {
    expect(resolveHost('WEB1', 'http').endpoint).toBe('http://web1:5985/wsman');
    expect(resolveHost('web1.corp.example', 'https').endpoint).toBe('https://web1.corp.example:5986/wsman');
    expect(resolveHost('10.0.0.5:15985', 'http').endpoint).toBe('http://10.0.0.5:15985/wsman');
    expect(resolveHost('web1', 'http', 8080).endpoint).toBe('http://web1:8080/wsman');
    expect(resolveHost('web1', 'http').label).toBe('web1');
  });

  it('takes full URLs as they are, defaulting port and path', () => {
    expect(resolveHost('https://web1/wsman', 'http').endpoint).toBe('https://web1:5986/wsman');
    expect(resolveHost('http://127.0.0.1:47001', 'https').endpoint).toBe('http://127.0.0.1:47001/wsman');
  });

  it.each([
    ['', /must not be empty/],
    ['ftp://web1/wsman', /http or https/],
    ['http://user:pw@web1/wsman', /must not carry credentials/],
    ['web1:70000', /invalid port/],
    ['bad_name!', /invalid host name/],
    ['a b', /not a name/],
  ])('refuses %j', (spec, message) => {
    expect(hostProblem(spec)).toMatch(message);
  });

  it.each([
    'http://admin:S3cret@web1/wsman',
    'http://admin:S3c@ret@web1/wsman',
    'http://admin:S3/cret@web1/wsman',
    'admin:S3cret@web1',
    'admin:S3/cret@web1:5985',
  ])('never echoes a password from %j in its message', (spec) => {
    const problem = hostProblem(spec);
    expect(problem).toBeDefined();
    for (const piece of ['S3cret', 'ret', 'cret']) expect(problem).not.toContain(piece);
  });
});

describe('host address errors', () => {
  it("throw the host layer's HostError with the invalid-address kind", () => {
    expect(() => resolveHost('ftp://web1', 'http')).toThrow(expect.objectContaining({ kind: 'invalid-address' }));
    expect(() => resolveHost('', 'http')).toThrow(HostError);
  });
});
