/** Drives test/support/gss-peer.py (MIT GSS-API through Debian's python3-gssapi) as a child process. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

const PYTHON = '/usr/bin/python3';

export class GssPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(env: NodeJS.ProcessEnv) {
    if (!fs.existsSync(PYTHON))
      throw new Error('/usr/bin/python3 is missing: the Kerberos interop tests need python3-gssapi (apt-get install python3-gssapi)');
    this.child = spawn(PYTHON, [path.join(__dirname, 'gss-peer.py')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async call<T extends Record<string, unknown>>(req: Record<string, unknown>): Promise<T> {
    this.child.stdin.write(JSON.stringify(req) + '\n');
    const next = await this.lines.next();
    if (next.done) throw new Error('gss-peer.py exited (is python3-gssapi installed? apt-get install python3-gssapi)');
    const answer = JSON.parse(next.value) as T & { ok: boolean; error?: string };
    if (!answer.ok) throw new Error(`MIT GSS-API ${String(req.op)}: ${answer.error}`);
    return answer;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

export const b64 = (b: Buffer): string => b.toString('base64');
export const unb64 = (s: unknown): Buffer => Buffer.from(typeof s === 'string' ? s : '', 'base64');
