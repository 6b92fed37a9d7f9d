/**
 * The plugins of one host, keyed case-insensitively by Name as WinRM keys them, listed in the
 * case-insensitive alphabetical order of the registry keys that back them on Windows.
 */
import { parsePluginConfig, writePluginConfig, type PluginConfig } from '../../wsman/config';

export class PluginStore {
  private readonly byName = new Map<string, PluginConfig>();

  static fromXml(documents: readonly string[]): PluginStore {
    const store = new PluginStore();
    for (const xml of documents) {
      const cfg = parsePluginConfig(xml);
      store.set(cfg.name ?? '', cfg);
    }
    return store;
  }

  list(): PluginConfig[] {
    return [...this.byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }

  get(name: string): PluginConfig | undefined {
    return this.byName.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  set(name: string, cfg: PluginConfig): void {
    this.byName.set(name.toLowerCase(), cfg);
  }

  delete(name: string): boolean {
    return this.byName.delete(name.toLowerCase());
  }

  /** The plugin whose Resource serves this shell ResourceURI (case-insensitive, as WinRM matches URIs). */
  findByResourceUri(uri: string): PluginConfig | undefined {
    const want = uri.toLowerCase();
    return this.list().find((p) => p.resources.some((r) => r.resourceUri?.toLowerCase() === want));
  }

  toXml(): string[] {
    return this.list().map(writePluginConfig);
  }

  clone(): PluginStore {
    return PluginStore.fromXml(this.toXml());
  }
}
