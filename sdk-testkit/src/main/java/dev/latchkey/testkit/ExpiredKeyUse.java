package dev.latchkey.testkit;

import java.time.Instant;

/**
 * A request that reached S3Proxy with an access key that {@link TestSts} issued and that had expired.
 *
 * @param accessKeyId the expired access key id
 * @param bucket the bucket of the request; {@code null} for a request without one
 * @param key the object key of the request; {@code null} for bucket requests
 * @param time when S3Proxy asked about the key, by the test STS's clock
 * @param expiredFor how long before {@code time} the key expired
 */
public record ExpiredKeyUse(String accessKeyId, String bucket, String key, Instant time, java.time.Duration expiredFor) {}
