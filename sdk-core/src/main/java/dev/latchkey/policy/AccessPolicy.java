package dev.latchkey.policy;

import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.internal.AwsSessionPolicyCompiler;
import dev.latchkey.policy.internal.PolicyDocumentReader;
import dev.latchkey.policy.internal.PolicyExplainer;
import dev.latchkey.policy.internal.PolicyIndex;
import dev.latchkey.policy.internal.SasScopeCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An access policy: roles made of rules, and bindings that grant roles to identities by name or by
 * attributes. It decides which identity may perform which action on which resource.
 *
 * <p>{@link #evaluate} decides one request:
 *
 * <ol>
 *   <li>a rule applies when a binding grants its role to the request's identity, the rule covers
 *       the action, one of its patterns matches the resource and all its conditions hold;
 *   <li>if any applying rule is a deny rule, the request is denied (explicit deny beats allow);
 *   <li>otherwise, if any applying rule is an allow rule, the request is allowed;
 *   <li>otherwise it is denied by default.
 * </ol>
 *
 * <p>A policy is built with {@link #builder()} or read from a JSON document with {@link
 * #fromJson(String)}; both produce the same model. Instances are immutable and thread-safe, and
 * {@link #evaluate} allocates nothing: rules are indexed by action and container when the policy is
 * built, and patterns are compiled then.
 */
public final class AccessPolicy {

  private final List<Role> roles;
  private final List<Binding> bindings;
  private final PolicyIndex index;

  private AccessPolicy(List<Role> roles, List<Binding> bindings) {
    this.roles = List.copyOf(roles);
    this.bindings = List.copyOf(bindings);
    this.index = PolicyIndex.build(this.roles, this.bindings);
  }

  /** Returns a builder with no roles and no bindings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a policy from a JSON document in the format of {@code docs/policy.md}.
   *
   * @throws PolicyDocumentException if the text is not JSON, has an unknown or missing field, or a
   *     value is invalid. The message gives the JSON pointer, line and column.
   */
  public static AccessPolicy fromJson(String json) {
    return PolicyDocumentReader.read(Objects.requireNonNull(json, "json"));
  }

  /**
   * Reads a policy from a UTF-8 JSON file.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws PolicyDocumentException if the document is invalid; see {@link #fromJson(String)}
   */
  public static AccessPolicy fromJson(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read policy file " + file, e);
    }
  }

  /** Returns the decision on a request. Allocates nothing. */
  public PolicyDecision evaluate(AccessRequest request) {
    Objects.requireNonNull(request, "request");
    return index.evaluate(request);
  }

  /**
   * Returns the decision on a request together with what every rule made of it: whether it
   * matched, or the first check it failed (binding, action, resource, condition). Meant for people
   * and tests; it is much slower than {@link #evaluate}.
   */
  public PolicyExplanation explain(AccessRequest request) {
    Objects.requireNonNull(request, "request");
    return PolicyExplainer.explain(roles, bindings, index.evaluate(request), request);
  }

  /**
   * Compiles the identity's S3 permissions into an AWS session policy for the {@code aws}
   * partition. See {@link #toAwsSessionPolicy(WorkloadIdentity, String)}.
   */
  public AwsSessionPolicy toAwsSessionPolicy(WorkloadIdentity identity) {
    return toAwsSessionPolicy(identity, "aws");
  }

  /**
   * Compiles the identity's S3 permissions into an AWS session policy of Allow statements, so that
   * credentials from STS {@code AssumeRole} can do no more than this policy allows.
   *
   * <p>Conditions on identity attributes are decided now, for this identity. Rules of other schemes
   * are left out. {@link Action#READ}, {@link Action#WRITE} and {@link Action#DELETE} become {@code
   * s3:GetObject}, {@code s3:PutObject} and {@code s3:DeleteObject} on object ARNs; {@link
   * Action#LIST} becomes {@code s3:ListBucket} with a {@code StringLike} condition on {@code
   * s3:prefix}. Key patterns must be a literal key, or a literal prefix followed by {@code **},
   * because IAM's {@code *} also matches {@code /}.
   *
   * @param partition the ARN partition, such as {@code aws}, {@code aws-cn} or {@code aws-us-gov}
   * @throws PolicyNotExpressibleException if an S3 allow rule has a condition on the request
   *     (time, resource or context attributes), a pattern has no exact IAM form, a deny rule may
   *     remove part of an allowed resource, nothing on S3 is allowed, or the document would exceed
   *     {@link AwsSessionPolicy#MAX_LENGTH} characters
   */
  public AwsSessionPolicy toAwsSessionPolicy(WorkloadIdentity identity, String partition) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(partition, "partition");
    return AwsSessionPolicyCompiler.compile(this, identity, partition);
  }

  /**
   * Compiles what the identity may do on an Azure blob, or on every blob of a container, into the
   * permissions of a service SAS. The Azure module turns the result into a signed SAS.
   *
   * <p>For a blob ({@code azure://account/container/blob}) an action is granted when an allow rule
   * matches the blob and no deny rule does. For a container ({@code azure://account/container/})
   * an action is granted only when an allow rule covers every blob ({@code **}); {@link
   * Action#LIST} is granted only for containers. See {@link SasScope} for the letters.
   *
   * @throws IllegalArgumentException if the target is not an {@code azure://} resource
   * @throws PolicyNotExpressibleException if a rule that decides an action has a condition on the
   *     request, a deny rule reaches into a container granted as a whole, or nothing is granted
   */
  public SasScope toSasScope(WorkloadIdentity identity, Resource target) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(target, "target");
    return SasScopeCompiler.compile(this, identity, target);
  }

  /** Returns the roles that some binding grants to the identity, in policy order. */
  public List<Role> rolesOf(WorkloadIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    Set<String> granted = new HashSet<>();
    for (Binding binding : bindings) {
      if (binding.appliesTo(identity)) {
        granted.addAll(binding.roles());
      }
    }
    return roles.stream().filter(role -> granted.contains(role.name())).toList();
  }

  /** Returns the roles in the order they were added. */
  public List<Role> roles() {
    return roles;
  }

  /** Returns the bindings in the order they were added. */
  public List<Binding> bindings() {
    return bindings;
  }

  @Override
  public String toString() {
    return "AccessPolicy[" + roles.size() + " roles, " + bindings.size() + " bindings]";
  }

  /** Collects roles and bindings. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, Binding> bindings = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a role.
     *
     * @throws IllegalArgumentException if a role with the same name was added
     */
    public Builder role(Role role) {
      Objects.requireNonNull(role, "role");
      if (roles.putIfAbsent(role.name(), role) != null) {
        throw new IllegalArgumentException(
            "Duplicate role name '" + role.name() + "': give each role its own name");
      }
      return this;
    }

    /**
     * Adds a binding.
     *
     * @throws IllegalArgumentException if a binding with the same id was added
     */
    public Builder binding(Binding binding) {
      Objects.requireNonNull(binding, "binding");
      if (bindings.putIfAbsent(binding.id(), binding) != null) {
        throw new IllegalArgumentException(
            "Duplicate binding id '" + binding.id() + "': give each binding its own id");
      }
      return this;
    }

    /**
     * Builds the policy and indexes its rules.
     *
     * @throws IllegalStateException if a binding grants a role that was not added
     */
    public AccessPolicy build() {
      for (Binding binding : bindings.values()) {
        for (String role : binding.roles()) {
          if (!roles.containsKey(role)) {
            throw new IllegalStateException("Binding '" + binding.id() + "' grants unknown role '"
                + role + "': add the role or correct the name; known roles: " + roles.keySet());
          }
        }
      }
      return new AccessPolicy(new ArrayList<>(roles.values()), new ArrayList<>(bindings.values()));
    }
  }
}
