/**
 * Leases: which process carries out an approved request. Pure. A lease is taken and renewed with the same
 * compare-and-set as every other change, so of two processes only one holds it; every write of the apply
 * checks that the lease is still its own.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { IntegrationRequest, Lease } from './request.js';

/** An owner id for this process: host, pid and a random part (a restarted process is a new owner). */
export function newOwnerId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

export function newLease(owner: string, now: Date, seconds: number): Lease {
  return { owner, takenAt: now.toISOString(), expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
}

export function renewLease(lease: Lease, now: Date, seconds: number): Lease {
  return { ...lease, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
}

export interface LeaseView {
  owner: string;
  now: Date;
  /** The store has one process only: another owner's lease is a dead process's. */
  exclusive: boolean;
}

/** May `view.owner` take (or keep) the request? */
export function mayHold(lease: Lease | null | undefined, view: LeaseView): boolean {
  if (!lease || lease.owner === view.owner) return true;
  if (view.exclusive) return true;
  return Date.parse(lease.expiresAt) <= view.now.getTime();
}

export function holds(request: Pick<IntegrationRequest, 'lease'>, owner: string): boolean {
  return request.lease?.owner === owner;
}
