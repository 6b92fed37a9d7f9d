/**
 * One JSON file per virtual host in the state directory holding its stored configuration: the
 * cfg:Config document and every plugin document, as XML text, and its registry values. Effective
 * configuration is not persisted: an emulator start is a host boot, where stored configuration becomes
 * effective.
 */
import * as path from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import type { RegistryData } from '../virtual-host/host-registry';
import { errorMessage } from '../../common';
import { EmulatorError } from '../emulator-error';

export interface PersistedHost {
  readonly version: 2;
  /** The cfg:Config document. */
  readonly config: string;
  /** PlugInConfiguration documents as XML text. */
  readonly plugins: readonly string[];
  readonly registry: RegistryData;
}

export class HostPersistence {
  readonly file: string;

  constructor(stateDir: string, hostName: string) {
    this.file = path.join(stateDir, `host-${hostName.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  }

  load(): PersistedHost | undefined {
    const text = readFileIfExists(this.file);
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new EmulatorError('state-file', `state file ${this.file} is not valid JSON: ${errorMessage(e)}`, { cause: e });
    }
    const p = parsed as Partial<PersistedHost>;
    if (
      p.version !== 2 ||
      typeof p.config !== 'string' ||
      !Array.isArray(p.plugins) ||
      typeof p.registry !== 'object' ||
      p.registry === null
    ) {
      throw new EmulatorError(
        'state-file',
        `state file ${this.file} does not hold emulator host state (version 2); an older emulator wrote it, start with a fresh state directory`,
      );
    }
    return p as PersistedHost;
  }

  save(state: PersistedHost): void {
    writeFileAtomic(this.file, JSON.stringify(state));
  }
}
