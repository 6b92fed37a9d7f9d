/**
 * Reading and changing single values of a PluginConfig in place. Names are matched case-insensitively:
 * Windows versions disagree on quota casing, and PowerShell reads its initialization parameters
 * case-insensitively (`PSVersion` and `psversion` are the same parameter).
 */
import { emptyExtra } from './preserved-xml';
import type { PluginConfig, QuotaName } from './plugin-config';

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function getQuota(config: PluginConfig, name: QuotaName): string | undefined {
  return config.quotas?.entries.find((e) => same(e.name, name))?.value;
}

/** Sets a quota, keeping its position when present and appending it otherwise; creates Quotas if missing. */
export function setQuota(config: PluginConfig, name: QuotaName, value: string): void {
  config.quotas ??= { entries: [], extra: emptyExtra() };
  const entry = config.quotas.entries.find((e) => same(e.name, name));
  if (entry) {
    entry.name = name;
    entry.value = value;
  } else {
    config.quotas.entries.push({ name, value });
  }
}

export function getInitParam(config: PluginConfig, name: string): string | undefined {
  return config.initializationParameters.find((p) => same(p.name, name))?.value;
}

/** Sets an initialization parameter, keeping its position and original name casing when present. */
export function setInitParam(config: PluginConfig, name: string, value: string): void {
  const param = config.initializationParameters.find((p) => same(p.name, name));
  if (param) param.value = value;
  else config.initializationParameters.push({ name, value, extra: emptyExtra() });
}

export function removeInitParam(config: PluginConfig, name: string): void {
  config.initializationParameters = config.initializationParameters.filter((p) => !same(p.name, name));
}
