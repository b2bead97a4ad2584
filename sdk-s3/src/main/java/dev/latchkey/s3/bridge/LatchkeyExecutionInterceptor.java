package dev.latchkey.s3.bridge;

import dev.latchkey.audit.AccessAuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.PolicyDecision;
import dev.latchkey.policy.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Applies a Latchkey {@link AccessPolicy} to the calls of an AWS SDK v2 {@code S3Client}, and writes
 * an audit event for each decision and each request.
 *
 * <p>Before anything is signed, each call is mapped to Latchkey actions: {@code GetObject} and {@code
 * HeadObject} to {@code READ}; {@code PutObject}, the multipart upload calls and the target of {@code
 * CopyObject} to {@code WRITE} (and the source of a copy to {@code READ}); {@code DeleteObject} and
 * every key of {@code DeleteObjects} to {@code DELETE}; {@code ListObjects} and {@code ListObjectsV2}
 * to {@code LIST} on the prefix. Any other S3 operation (bucket settings, ACLs, listing buckets) is
 * denied, because the policy cannot express it. A denied call throws {@link AccessDeniedException}
 * (the SDK may wrap it in an {@code SdkClientException}) and sends nothing.
 *
 * <pre>{@code
 * S3Client s3 = S3Client.builder()
 *     .credentialsProvider(LatchkeyCredentialsProvider.create(keys))
 *     .overrideConfiguration(c -> c.addExecutionInterceptor(LatchkeyExecutionInterceptor.builder()
 *         .identity(WorkloadIdentity.of("billing-exporter"))
 *         .policy(policy)
 *         .auditSink(sink)
 *         .build()))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LatchkeyExecutionInterceptor implements ExecutionInterceptor {

  private static final String CREDENTIAL_PREFIX = "Credential=";
  private static final ExecutionAttribute<Decided> DECIDED = new ExecutionAttribute<>("latchkey.decided");
  private static final ExecutionAttribute<Sent> SENT = new ExecutionAttribute<>("latchkey.sent");

  private final WorkloadIdentity identity;
  private final AccessPolicy policy;
  private final AuditSink auditSink;
  private final AuditStamper stamper;
  private final InstantSource clock;

  private LatchkeyExecutionInterceptor(Builder builder) {
    this.identity = builder.identity;
    this.policy = builder.policy;
    this.auditSink = builder.auditSink;
    this.clock = builder.clock;
    this.stamper = AuditStamper.create(builder.clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides the call, writes one access event per resource, and throws if any is denied.
   *
   * @throws AccessDeniedException if the policy denies the call or the operation is not covered
   */
  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    Instant now = clock.instant();
    List<Target> targets = targets(context.request());
    if (targets.isEmpty()) {
      denyUnsupported(context.request(), now);
    }

    String lastRule = null;
    for (Target target : targets) {
      AccessRequest request = AccessRequest.builder()
          .identity(identity).action(target.action()).resource(target.resource()).time(now).build();
      PolicyDecision decision = policy.evaluate(request);
      String rule = decision.rule().map(Object::toString).orElse(null);
      String resource = "s3://" + target.resource().container() + "/" + target.resource().key();
      if (!decision.isAllowed()) {
        auditSink.write(AccessAuditEvent.denied(
            stamper.next(), identity, target.action().name(), resource, rule, decision.reason()));
        throw new AccessDeniedException(request, decision);
      }
      auditSink.write(AccessAuditEvent.allowed(
          stamper.next(), identity, target.action().name(), resource, rule, decision.reason()));
      lastRule = rule;
    }
    attributes.putAttribute(DECIDED, new Decided(targets.get(0), lastRule, now));
  }

  /** Rejects an operation the policy has no action for, naming it as the resource key. */
  private void denyUnsupported(SdkRequest request, Instant now) {
    String operation = request.getClass().getSimpleName().replaceAll("Request$", "");
    String reason = "denied: the S3 operation " + operation + " has no access policy action";
    auditSink.write(AccessAuditEvent.denied(stamper.next(), identity, operation, "s3://", null, reason));
    AccessRequest described = AccessRequest.builder().identity(identity).action(Action.WRITE)
        .resource(Resource.s3("unsupported-operation", operation)).time(now).build();
    throw new AccessDeniedException(described, PolicyDecision.deniedByDefault(Action.WRITE));
  }

  /**
   * Records the access key id and the body length of the signed request, which the events after
   * the exchange report. A request that fails before it is signed has neither.
   */
  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attributes.putAttribute(SENT, new Sent(accessKeyId(context.httpRequest()), bodyLength(context.requestBody())));
  }

  /** Writes a successful {@code storage.request} event. */
  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Decided decided = attributes.getAttribute(DECIDED);
    if (decided == null) {
      return;
    }
    int status = context.httpResponse().statusCode();
    String requestId = context.httpResponse().firstMatchingHeader("x-amz-request-id").orElse(null);
    auditSink.write(event(decided, context.httpRequest(), attributes.getAttribute(SENT))
        .response(status, null, requestId)
        .outcome(EventOutcome.SUCCESS)
        .build());
  }

  /** Writes a failed {@code storage.request} event, with the S3 error code when S3 sent one. */
  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Decided decided = attributes.getAttribute(DECIDED);
    if (decided == null) {
      return;
    }
    int status = context.httpResponse().map(response -> response.statusCode()).orElse(0);
    String errorCode = context.exception() instanceof AwsServiceException service && service.awsErrorDetails() != null
        ? service.awsErrorDetails().errorCode() : null;
    String requestId = context.exception() instanceof AwsServiceException service ? service.requestId() : null;
    SdkHttpRequest httpRequest = context.httpRequest().orElse(null);
    auditSink.write(event(decided, httpRequest, attributes.getAttribute(SENT))
        .response(status, errorCode, requestId)
        .outcome(EventOutcome.FAILURE)
        .errorMessage(context.exception().getMessage())
        .build());
  }

  private StorageRequestEvent.Builder event(Decided decided, SdkHttpRequest httpRequest, Sent sent) {
    Resource resource = decided.target().resource();
    return StorageRequestEvent.builder()
        .stamp(stamper.next())
        .identity(identity)
        .target(decided.target().action().name(), "s3://" + resource.container() + "/" + resource.key())
        .request(httpRequest == null ? "UNKNOWN" : httpRequest.method().name(),
            httpRequest == null ? null : httpRequest.getUri().toString())
        .bytes(sent == null ? 0 : sent.bodyLength(), 0)
        .credential(sent == null ? null : sent.accessKeyId(), null)
        .duration(Duration.between(decided.start(), clock.instant()))
        .policyRule(decided.rule());
  }

  /**
   * Returns the length of the payload the caller passed, 0 without a body or when the length is
   * unknown. This is the object's size, not the bytes on the wire, which also count the aws-chunked
   * framing when the SDK streams the body with chunk signatures or a trailing checksum.
   */
  private static long bodyLength(Optional<RequestBody> body) {
    return body.flatMap(RequestBody::optionalContentLength).orElse(0L);
  }

  /**
   * Returns the access key id from the {@code Credential=} of a signed request's SigV4 {@code
   * Authorization} header, or {@code null} when the request is missing or not signed that way. Only
   * the part before the first {@code /} is taken, which is never secret.
   */
  static String accessKeyId(SdkHttpRequest httpRequest) {
    if (httpRequest == null) {
      return null;
    }
    String authorization = httpRequest.firstMatchingHeader("Authorization").orElse("");
    int start = authorization.indexOf(CREDENTIAL_PREFIX);
    if (start < 0) {
      return null;
    }
    start += CREDENTIAL_PREFIX.length();
    int end = authorization.indexOf('/', start);
    return end > start ? authorization.substring(start, end) : null;
  }

  /** Returns what the call touches, in the order the policy checks it; empty for other operations. */
  static List<Target> targets(SdkRequest request) {
    if (request instanceof GetObjectRequest get) {
      return List.of(Target.of(Action.READ, get.bucket(), get.key()));
    } else if (request instanceof HeadObjectRequest head) {
      return List.of(Target.of(Action.READ, head.bucket(), head.key()));
    } else if (request instanceof PutObjectRequest put) {
      return List.of(Target.of(Action.WRITE, put.bucket(), put.key()));
    } else if (request instanceof CreateMultipartUploadRequest create) {
      return List.of(Target.of(Action.WRITE, create.bucket(), create.key()));
    } else if (request instanceof UploadPartRequest part) {
      return List.of(Target.of(Action.WRITE, part.bucket(), part.key()));
    } else if (request instanceof CompleteMultipartUploadRequest complete) {
      return List.of(Target.of(Action.WRITE, complete.bucket(), complete.key()));
    } else if (request instanceof AbortMultipartUploadRequest abort) {
      return List.of(Target.of(Action.WRITE, abort.bucket(), abort.key()));
    } else if (request instanceof CopyObjectRequest copy) {
      return List.of(Target.of(Action.WRITE, copy.destinationBucket(), copy.destinationKey()),
          Target.of(Action.READ, copy.sourceBucket(), copy.sourceKey()));
    } else if (request instanceof DeleteObjectRequest delete) {
      return List.of(Target.of(Action.DELETE, delete.bucket(), delete.key()));
    } else if (request instanceof DeleteObjectsRequest deletes) {
      return deletes.delete().objects().stream()
          .map(object -> Target.of(Action.DELETE, deletes.bucket(), object.key())).toList();
    } else if (request instanceof ListObjectsV2Request list) {
      return List.of(Target.of(Action.LIST, list.bucket(), list.prefix()));
    } else if (request instanceof ListObjectsRequest list) {
      return List.of(Target.of(Action.LIST, list.bucket(), list.prefix()));
    }
    return List.of();
  }

  @Override
  public String toString() {
    return "LatchkeyExecutionInterceptor[identity=" + identity.name() + "]";
  }

  /** One action on one resource. */
  record Target(Action action, Resource resource) {
    static Target of(Action action, String bucket, String key) {
      return new Target(action, Resource.s3(bucket, key == null ? "" : key));
    }
  }

  private record Decided(Target target, String rule, Instant start) {}

  /** The access key id (or {@code null}) and the payload length of the signed request. */
  private record Sent(String accessKeyId, long bodyLength) {}

  /** Builder for {@link LatchkeyExecutionInterceptor}; not thread-safe. */
  public static final class Builder {
    private WorkloadIdentity identity;
    private AccessPolicy policy;
    private AuditSink auditSink = AuditSink.NONE;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /** Sets the workload that the client acts for; required. */
    public Builder identity(WorkloadIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Sets the policy every call is checked against; required. */
    public Builder policy(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets where access and request events go; default {@link AuditSink#NONE}. */
    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink");
      return this;
    }

    /** Sets the clock for decisions, event times and durations; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the interceptor.
     *
     * @throws IllegalStateException if the identity or the policy is missing
     */
    public LatchkeyExecutionInterceptor build() {
      if (identity == null) {
        throw new IllegalStateException("The interceptor needs the workload identity: call identity(...)");
      }
      if (policy == null) {
        throw new IllegalStateException("The interceptor needs an access policy: call policy(...)");
      }
      return new LatchkeyExecutionInterceptor(this);
    }
  }
}
