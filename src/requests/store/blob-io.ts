/**
 * JSON documents in Azure Blob Storage with ETag conditions: read with the ETag, write only if the ETag still
 * matches (If-Match) or only if nothing exists yet (If-None-Match: *).
 */
import type { BlockBlobClient, BlobClient, ContainerClient, Metadata } from '@azure/storage-blob';

export type WriteCondition = { ifMatch: string } | { ifNoneMatch: '*' } | null;

export function statusOf(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

/** The write lost: the ETag no longer matches (412) or the blob exists already (409). */
export function isConditionFailure(error: unknown): boolean {
  const status = statusOf(error);
  return status === 412 || status === 409;
}

/** The blob's bytes as stored, with its ETag; null when there is no such blob. */
export async function readBlobBytes(blob: BlobClient): Promise<{ bytes: Buffer; etag: string } | null> {
  try {
    const response = await blob.download();
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return { bytes: Buffer.concat(chunks), etag: response.etag ?? '' };
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

export async function readBlobText(blob: BlobClient): Promise<{ text: string; etag: string } | null> {
  const read = await readBlobBytes(blob);
  return read && { text: read.bytes.toString('utf8'), etag: read.etag };
}

/** Uploads the document under `condition`; returns the new ETag. Throws (412/409) when the condition fails. */
export async function writeBlobJson(blob: BlockBlobClient, value: unknown, condition: WriteCondition, metadata?: Metadata): Promise<string> {
  const body = JSON.stringify(value);
  const response = await blob.upload(body, Buffer.byteLength(body), {
    ...(condition ? { conditions: condition } : {}),
    ...(metadata ? { metadata } : {}),
    blobHTTPHeaders: { blobContentType: 'application/json' },
  });
  return response.etag ?? '';
}

/** Names of the blobs under `prefix` with their metadata and last change. */
export async function listBlobs(container: ContainerClient, prefix: string): Promise<{ name: string; metadata: Metadata; lastModified: Date }[]> {
  const out: { name: string; metadata: Metadata; lastModified: Date }[] = [];
  for await (const item of container.listBlobsFlat({ prefix, includeMetadata: true })) {
    out.push({ name: item.name, metadata: item.metadata ?? {}, lastModified: item.properties.lastModified });
  }
  return out;
}
