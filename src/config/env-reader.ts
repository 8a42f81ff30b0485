/** Reads settings from the environment by name, each problem one line for the start-up error. */
import { isGuid } from '../eligibility/resource-id.js';
import { SETTING_VALUES, type EnumSetting, type SettingName } from './settings.js';

/** Settings as the process environment holds them. */
export type Env = Record<string, string | undefined>;

export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  raw(name: SettingName): string | null {
    const value = this.env[name]?.trim();
    return value ? value : null;
  }

  string(name: SettingName, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: SettingName, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === null) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problems.push(`${name}=${value} is not a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  }

  number(name: SettingName, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === null) return fallback;
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max) {
      this.problems.push(`${name}=${value} is not a number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  }

  bool(name: SettingName, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name}=${value} is not true or false.`);
    return fallback;
  }

  oneOf<N extends EnumSetting>(name: N, fallback: (typeof SETTING_VALUES)[N][number]): (typeof SETTING_VALUES)[N][number] {
    type T = (typeof SETTING_VALUES)[N][number];
    const allowed: readonly T[] = SETTING_VALUES[name];
    const value = this.raw(name);
    if (value === null) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) this.problems.push(`${name}=${value} must be one of: ${allowed.join(', ')}.`);
    return match ?? fallback;
  }

  url(name: SettingName): string | null {
    const value = this.raw(name);
    if (value === null) return null;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      return value.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name}=${value} is not an http(s) URL.`);
      return null;
    }
  }

  guid(name: SettingName): string | null {
    const value = this.raw(name);
    if (value !== null && !isGuid(value)) {
      this.problems.push(`${name}=${value} is not an object id (a GUID).`);
      return null;
    }
    return value;
  }

  guidList(name: SettingName): string[] {
    const value = this.raw(name);
    if (value === null) return [];
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((i) => !isGuid(i));
    if (bad.length > 0) this.problems.push(`${name} has values that are not GUIDs: ${bad.join(', ')}.`);
    return items.filter(isGuid);
  }
}
