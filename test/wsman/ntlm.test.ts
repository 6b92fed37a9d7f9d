import {
  AV_ID,
  NTLM_FLAG,
  NtlmClientContext,
  NtlmError,
  NtlmServerContext,
  NtlmSession,
  avString,
  computeNtlmv2Response,
  decodeAuthenticate,
  decodeChallenge,
  decodeNegotiate,
  decodeNegotiateToken,
  encodeAvPairs,
  encodeChallenge,
  encodeNegTokenInit,
  encodeNegTokenResp,
  exchangeSessionKey,
  ntowfv2,
  splitUsername,
} from '../../src/wsman/auth/ntlm';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** MS-NLMP 4.2.1 / 4.2.4: the NTLMv2 example exchange. */
const V = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  serverChallenge: hex('0123456789abcdef'),
  clientChallenge: hex('aaaaaaaaaaaaaaaa'),
  randomSessionKey: Buffer.alloc(16, 0x55),
  time: Buffer.alloc(8),
  flags: 0xe28a8233,
  targetInfo: encodeAvPairs([
    { id: AV_ID.nbDomainName, value: avString('Domain') },
    { id: AV_ID.nbComputerName, value: avString('Server') },
  ]),
};

describe('NTLMv2 against MS-NLMP 4.2.4', () => {
  const key = ntowfv2(V.password, V.user, V.domain);
  const r = computeNtlmv2Response(key, V.serverChallenge, V.clientChallenge, V.time, V.targetInfo);

  it('derives NTOWFv2, the responses and the session base key', () => {
    expect(key.toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
    expect(r.lmChallengeResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(r.ntProofStr.toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(r.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(exchangeSessionKey(r.sessionBaseKey, V.randomSessionKey).toString('hex')).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
  });

  it('seals "Plaintext" and signs it as the specification shows', () => {
    const client = new NtlmSession('client', V.randomSessionKey, V.flags);
    const { sealed, signature } = client.seal(Buffer.from('Plaintext', 'utf16le'));
    expect(sealed.toString('hex')).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(signature.toString('hex')).toBe('010000007fb38ec5c55d497600000000');
  });

  it('unseals on the server side and rejects tampering and replays', () => {
    const client = new NtlmSession('client', V.randomSessionKey, V.flags);
    const server = new NtlmSession('server', V.randomSessionKey, V.flags);
    for (const text of ['first', 'second message', '']) {
      const m = client.seal(Buffer.from(text));
      expect(server.unseal(m.sealed, m.signature).toString()).toBe(text);
      const back = server.seal(Buffer.from(`re: ${text}`));
      expect(client.unseal(back.sealed, back.signature).toString()).toBe(`re: ${text}`);
    }
    const m = client.seal(Buffer.from('payload'));
    const tampered = Buffer.from(m.sealed);
    tampered[0]! ^= 1;
    expect(() => server.unseal(tampered, m.signature)).toThrow(NtlmError);
  });

  it('refuses sessions without extended session security', () => {
    expect(() => new NtlmSession('client', V.randomSessionKey, NTLM_FLAG.unicode)).toThrow(NtlmError);
  });
});

describe('NTLM handshake, client <-> server contexts', () => {
  const lookup = (user: string, domain: string): string | undefined => (user === 'alice' && domain === 'LAB' ? 's3cret' : undefined);

  function handshake(password: string) {
    const client = new NtlmClientContext({ username: 'LAB\\alice', password });
    const server = new NtlmServerContext({ computerName: 'WIN-HOST', domainName: 'LAB' });
    const negotiate = client.negotiate();
    const challenge = server.challenge(negotiate);
    const { token, session } = client.authenticate(challenge);
    return { server, token, session, negotiate, challenge };
  }

  it('authenticates with a MIC and yields matching sealing sessions', () => {
    const { server, token, session } = handshake('s3cret');
    const auth = decodeAuthenticate(token);
    expect(auth).toMatchObject({ user: 'alice', domain: 'LAB' });
    expect(auth.mic?.equals(Buffer.alloc(16))).toBe(false);
    expect(auth.lmChallengeResponse.equals(Buffer.alloc(24))).toBe(true);
    const accepted = server.accept(token, lookup);
    const m = session.seal(Buffer.from('<s:Envelope/>'));
    expect(accepted.session.unseal(m.sealed, m.signature).toString()).toBe('<s:Envelope/>');
  });

  it('rejects a wrong password and a modified MIC', () => {
    expect(() => handshake('wrong').server.accept(handshake('wrong').token, lookup)).toThrow(NtlmError);
    const { server, token } = handshake('s3cret');
    const bad = Buffer.from(token);
    bad[72]! ^= 0xff;
    expect(() => server.accept(bad, lookup)).toThrow('NTLM authentication failed');
  });

  it('decodes the messages it encodes', () => {
    const { negotiate, challenge } = handshake('s3cret');
    expect(decodeNegotiate(negotiate).flags & NTLM_FLAG.seal).toBe(NTLM_FLAG.seal);
    const c = decodeChallenge(challenge);
    expect(c.targetName).toBe('LAB');
    expect(c.targetInfo.map((p) => p.id)).toContain(AV_ID.timestamp);
  });

  it('refuses hostile tokens with NtlmError, never a crash', () => {
    expect(() => decodeChallenge(Buffer.from('NTLMSSP\0\x02\0\0\0', 'latin1'))).toThrow(NtlmError);
    const c = encodeChallenge({ flags: V.flags, serverChallenge: V.serverChallenge, targetInfo: [] });
    c.writeUInt32LE(0xfffffff0, 44); // target info offset far outside
    c.writeUInt16LE(10, 40);
    expect(() => decodeChallenge(c)).toThrow(NtlmError);
    expect(() => decodeNegotiateToken(Buffer.from([0x60, 0x85, 1, 2]))).toThrow(NtlmError);
    expect(() => decodeNegotiateToken(Buffer.from('garbage'))).toThrow(NtlmError);
  });

  it('splits DOMAIN\\user and keeps a UPN whole', () => {
    expect(splitUsername('LAB\\alice')).toEqual({ user: 'alice', domain: 'LAB' });
    expect(splitUsername('alice@lab.example')).toEqual({ user: 'alice@lab.example', domain: '' });
  });
});

describe('SPNEGO framing', () => {
  it('round-trips NTLM tokens through NegTokenInit and NegTokenResp', () => {
    const negotiate = new NtlmClientContext({ username: 'u', password: 'p' }).negotiate();
    expect(decodeNegotiateToken(negotiate)).toEqual({ ntlm: negotiate, spnego: false });
    expect(decodeNegotiateToken(encodeNegTokenInit(negotiate))).toEqual({ ntlm: negotiate, spnego: true });
    const big = Buffer.concat([negotiate, Buffer.alloc(300)]);
    expect(decodeNegotiateToken(encodeNegTokenResp('accept-incomplete', big, true))).toEqual({
      ntlm: big,
      spnego: true,
      negState: 'accept-incomplete',
    });
    expect(decodeNegotiateToken(encodeNegTokenResp('accept-completed'))).toEqual({
      ntlm: Buffer.alloc(0),
      spnego: true,
      negState: 'accept-completed',
    });
  });
});
