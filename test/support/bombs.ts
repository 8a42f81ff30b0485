/** Compressed bodies that expand far beyond the body limit (zeros compress about 1000:1). */
import { createDeflate, createGzip } from 'node:zlib';

const MB = 1024 * 1024;

export async function compressedZeros(decodedBytes: number, coding: 'gzip' | 'deflate' = 'gzip'): Promise<Buffer> {
  const zip = coding === 'gzip' ? createGzip({ level: 9 }) : createDeflate({ level: 9 });
  const out: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    zip.once('end', resolve);
    zip.once('error', reject);
  });
  const zeros = Buffer.alloc(MB);
  for (let left = decodedBytes; left > 0; left -= MB) {
    if (!zip.write(left >= MB ? zeros : zeros.subarray(0, left))) await new Promise((r) => zip.once('drain', r));
  }
  zip.end();
  await done;
  return Buffer.concat(out);
}
