package io.jobwatch.export.s3;

import io.jobwatch.core.export.ExportDestination;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@link ExportDestination} on S3. An object smaller than one part goes up in a single PUT; a larger one as a
 * multipart upload of {@code partSize} parts, sent while the export is still writing (memory: one part buffer per
 * open object). Nothing is visible under the key before {@code commit()}; a failed or abandoned object aborts its
 * multipart upload so no parts linger (the bucket should still have an abort-incomplete-uploads lifecycle rule).
 */
public final class S3ExportDestination implements ExportDestination {
    /** S3's smallest part (except the last one). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Uri target;
    private final Encryption encryption;
    private final int partSize;

    public S3ExportDestination(S3Client s3, S3Uri target, Encryption encryption) {
        this(s3, target, encryption, DEFAULT_PART_SIZE);
    }

    public S3ExportDestination(S3Client s3, S3Uri target, Encryption encryption, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("multipart part size " + partSize + " bytes is below S3's minimum of "
                    + MIN_PART_SIZE + " bytes (5 MiB)");
        }
        this.s3 = s3;
        this.target = target;
        this.encryption = encryption;
        this.partSize = partSize;
    }

    /**
     * An S3 client for the export: URL-connection HTTP client (small, quick to start). With {@code endpoint} set
     * (an S3-compatible server such as s3rver) it uses path-style addressing, no chunked encoding and checksums
     * only where S3 requires them — otherwise such servers store the chunk framing inside the object.
     *
     * @param endpoint null for AWS itself; region and credentials then come from the default provider chains
     */
    public static S3Client client(URI endpoint, Region region) {
        S3ClientBuilder b = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (region != null) {
            b.region(region);
        }
        if (endpoint != null) {
            b.endpointOverride(endpoint)
                    .forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    @Override
    public PendingObject open(String key) {
        return new Upload(target.key(key));
    }

    @Override
    public String describe(String key) {
        return "s3://" + target.bucket() + "/" + target.key(key);
    }

    private static String contentType(String key) {
        if (key.endsWith(".gz")) {
            return "application/gzip";
        }
        return key.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    /** One object on its way up: buffers a part, sends full parts as they fill. */
    private final class Upload extends OutputStream implements PendingObject {
        private final String key;
        private final byte[] buffer = new byte[partSize];
        private int filled;
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private boolean committed;
        private boolean closed;

        Upload(String key) {
            this.key = key;
        }

        @Override
        public OutputStream stream() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == buffer.length) {
                sendPart();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == buffer.length) {
                    sendPart();
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed && uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(target.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException e) {
                    throw new IOException("could not abort the multipart upload of s3://" + target.bucket() + "/"
                            + key + " (upload id " + uploadId + "): " + e.getMessage(), e);
                }
            }
        }

        @Override
        public void commit() throws IOException {
            if (committed || closed) {
                throw new IllegalStateException("s3://" + target.bucket() + "/" + key + " already committed or closed");
            }
            try {
                if (uploadId == null) {
                    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(target.bucket()).key(key)
                            .contentType(contentType(key));
                    applyEncryption(put);
                    s3.putObject(put.build(), body());
                } else {
                    if (filled > 0) {
                        sendPart();
                    }
                    s3.completeMultipartUpload(r -> r.bucket(target.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
                }
            } catch (SdkException e) {
                throw new IOException("could not write s3://" + target.bucket() + "/" + key + ": " + e.getMessage(), e);
            }
            committed = true;
        }

        private void sendPart() throws IOException {
            try {
                if (uploadId == null) {
                    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                            .bucket(target.bucket()).key(key).contentType(contentType(key));
                    applyEncryption(create);
                    uploadId = s3.createMultipartUpload(create.build()).uploadId();
                }
                int number = parts.size() + 1;
                String etag = s3.uploadPart(r -> r.bucket(target.bucket()).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) filled), body()).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                throw new IOException("could not upload part " + (parts.size() + 1) + " of s3://" + target.bucket()
                        + "/" + key + ": " + e.getMessage(), e);
            }
        }

        /** The buffered bytes without a copy; resettable, so the SDK can retry. */
        private RequestBody body() {
            return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, filled), filled);
        }
    }

    private void applyEncryption(PutObjectRequest.Builder b) {
        if (encryption instanceof Encryption.S3Managed) {
            b.serverSideEncryption(ServerSideEncryption.AES256);
        } else if (encryption instanceof Encryption.Kms kms) {
            b.serverSideEncryption(ServerSideEncryption.AWS_KMS);
            if (kms.keyId() != null) {
                b.ssekmsKeyId(kms.keyId());
            }
        }
    }

    private void applyEncryption(CreateMultipartUploadRequest.Builder b) {
        if (encryption instanceof Encryption.S3Managed) {
            b.serverSideEncryption(ServerSideEncryption.AES256);
        } else if (encryption instanceof Encryption.Kms kms) {
            b.serverSideEncryption(ServerSideEncryption.AWS_KMS);
            if (kms.keyId() != null) {
                b.ssekmsKeyId(kms.keyId());
            }
        }
    }
}
