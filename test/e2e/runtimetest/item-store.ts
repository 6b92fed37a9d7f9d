/** The fake backend of the runtimetest provider: one JSON file per item (its attributes) in a directory. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type StoredItem = Record<string, unknown>;

export class ItemStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }
  get(id: string): StoredItem | undefined {
    return existsSync(this.file(id)) ? (JSON.parse(readFileSync(this.file(id), 'utf8')) as StoredItem) : undefined;
  }
  put(id: string, item: StoredItem): void {
    writeFileSync(`${this.file(id)}.tmp`, JSON.stringify(item));
    renameSync(`${this.file(id)}.tmp`, this.file(id));
  }
  delete(id: string): void {
    rmSync(this.file(id), { force: true });
  }
  ids(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  }
}
