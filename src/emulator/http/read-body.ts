import type * as http from 'node:http';

/** A request's whole body, or undefined when it is larger than `maxBytes` or the connection ends first. */
export function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > maxBytes) {
        resolve(undefined);
        return;
      }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', () => resolve(undefined));
    // A connection closed mid-body (the request timeout, a client gone) may end neither way.
    req.on('close', () => resolve(undefined));
  });
}
