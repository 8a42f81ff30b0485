import { describe, expect, it } from 'vitest';
import { nameFromPattern, uniqueName, validName } from '../../src/eligibility/names.js';

describe('nameFromPattern', () => {
  it('replaces <instance>, case-insensitively, everywhere', () => {
    expect(nameFromPattern('snet-apim-<instance>-outbound', 'contoso-apim', 'x')).toBe('snet-apim-contoso-apim-outbound');
    expect(nameFromPattern('<INSTANCE>-<Instance>', 'a1', 'x')).toBe('a1-a1');
  });
  it('keeps a pattern without the placeholder', () => {
    expect(nameFromPattern('apim-outbound', 'contoso-apim', 'x')).toBe('apim-outbound');
  });
  it('makes the result valid for ARM', () => {
    expect(nameFromPattern('snet apim/<instance>!', 'a', 'x')).toBe('snet-apim-a');
    expect(nameFromPattern('snet apim/<instance>', 'a', 'x')).toBe('snet-apim-a');
  });
  it('falls back when nothing valid is left', () => {
    expect(nameFromPattern('---', 'a', 'fallback')).toBe('fallback');
    expect(nameFromPattern('', 'a', '')).toBe('apim-outbound');
  });
});

describe('validName', () => {
  it.each([
    ['snet-a', 'snet-a'],
    ['  snet-a  ', 'snet-a'],
    ['-._snet', 'snet'],
    ['snet.-', 'snet'],
    ['snet_', 'snet_'],
    ['sn€t', 'sn-t'],
    ['...', null],
    ['', null],
  ])('%j -> %j', (text, expected) => expect(validName(text)).toBe(expected));
  it('cuts to 80 characters and re-trims the end', () => {
    expect(validName('a'.repeat(100))).toHaveLength(80);
    expect(validName(`${'a'.repeat(79)}-b`)).toBe('a'.repeat(79));
  });
});

describe('uniqueName', () => {
  it('keeps a free name', () => expect(uniqueName('snet', ['other'])).toBe('snet'));
  it('adds -2, -3 … compared case-insensitively', () => {
    expect(uniqueName('snet', ['SNET'])).toBe('snet-2');
    expect(uniqueName('snet', ['snet', 'snet-2', 'Snet-3'])).toBe('snet-4');
  });
  it('keeps within 80 characters', () => {
    const base = 'a'.repeat(80);
    const name = uniqueName(base, [base]);
    expect(name).toBe(`${'a'.repeat(78)}-2`);
    expect(name.length).toBeLessThanOrEqual(80);
  });
  it('accepts any iterable', () => expect(uniqueName('x', new Set(['x']))).toBe('x-2'));
});
