import { describe, expect, it } from 'vitest';
import { newRequestId, normalizeRequestId } from '../../src/requests/request-id.js';

describe('request ids', () => {
  it('are short, typeable and unambiguous', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newRequestId()));
    expect(ids.size).toBeGreaterThan(495);
    for (const id of ids) expect(id).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('read back however a person types them', () => {
    expect(normalizeRequestId('R-7K3QM')).toBe('R-7K3QM');
    expect(normalizeRequestId('r-7k3qm')).toBe('R-7K3QM');
    expect(normalizeRequestId('r7k3qm')).toBe('R-7K3QM');
    expect(normalizeRequestId(' R-7K3QO ')).toBe('R-7K3Q0');
    expect(normalizeRequestId('R-7K3QL')).toBe('R-7K3Q1');
    expect(normalizeRequestId('contoso-apim')).toBeNull();
    expect(normalizeRequestId('R-7K3Q')).toBeNull();
    expect(normalizeRequestId('R-7K3QMM')).toBeNull();
  });
});
