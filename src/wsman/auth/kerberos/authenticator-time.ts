/**
 * The (ctime, cusec) of an authenticator. Acceptors and KDCs refuse a second authenticator with the same
 * client, ctime and cusec as a replay (RFC 4120 3.2.3), and a provider opens several connections to one
 * host in the same millisecond with the same ticket; so within this process every authenticator gets a
 * strictly later microsecond than the last, as MIT's krb5_us_timeofday does.
 */
let lastMicros = 0;

export function authenticatorTime(now: Date): { ctime: Date; cusec: number } {
  const micros = Math.max(now.getTime() * 1000, lastMicros + 1);
  lastMicros = micros;
  const seconds = Math.floor(micros / 1_000_000);
  return { ctime: new Date(seconds * 1000), cusec: micros - seconds * 1_000_000 };
}
