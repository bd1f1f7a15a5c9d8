// S3 paths as the AWS CLI reads them: only a lower-case `s3://` prefix names S3; anything
// else (including `S3://x` and `-` for stdin/stdout) is a local path.

export interface S3Location {
  uri: string;
  bucket: string;
  key: string;
}

export function isS3Path(path: string): boolean {
  return path.startsWith('s3://');
}

/** Bucket and key of an `s3://` path; access-point ARNs keep the ARN as the bucket. */
export function parseS3Path(path: string): S3Location {
  const rest = path.slice('s3://'.length);
  let bucketEnd = rest.indexOf('/');
  if (rest.startsWith('arn:')) {
    // s3://arn:aws:s3:region:account:accesspoint/name/key: the bucket is the ARN up to the name.
    const marker = rest.search(/:(accesspoint|outpost)\//);
    if (marker !== -1) {
      const afterName = rest.indexOf('/', rest.indexOf('/', marker) + 1);
      bucketEnd = afterName;
    }
  }
  const bucket = bucketEnd === -1 ? rest : rest.slice(0, bucketEnd);
  const key = bucketEnd === -1 ? '' : rest.slice(bucketEnd + 1);
  return { uri: path, bucket, key };
}

/** The URI for a bucket and optional key given as s3api parameters. */
export function s3Uri(bucket: string, key: string | undefined): string {
  return key === undefined || key === '' ? `s3://${bucket}` : `s3://${bucket}/${key}`;
}
