package dev.latchkey.policy;

import dev.latchkey.credentials.WorkloadIdentity;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One request to check against an {@link AccessPolicy}: who, what, on which resource, when, and
 * what else is known about the resource and the call.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AccessRequest {

  /** The value of {@link #size()} when the object's size is not known. */
  public static final long UNKNOWN_SIZE = -1;

  private final WorkloadIdentity identity;
  private final Action action;
  private final Resource resource;
  private final long size;
  private final String contentType;
  private final Map<String, String> tags;
  private final Map<String, String> context;
  private final Instant time;

  private AccessRequest(Builder builder) {
    this.identity = builder.identity;
    this.action = builder.action;
    this.resource = builder.resource;
    this.size = builder.size;
    this.contentType = builder.contentType;
    this.tags = sortedCopy(builder.tags);
    this.context = sortedCopy(builder.context);
    this.time = builder.time;
  }

  /** Returns an unmodifiable copy sorted by name. Most requests have no tags or context, and an empty map is not copied. */
  private static Map<String, String> sortedCopy(Map<String, String> map) {
    return map.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  /** Returns a builder with no settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns who acts. */
  public WorkloadIdentity identity() {
    return identity;
  }

  /** Returns what the request does. */
  public Action action() {
    return action;
  }

  /** Returns the object, or the listing prefix for {@link Action#LIST}. */
  public Resource resource() {
    return resource;
  }

  /** Returns the object's size in bytes (the upload size for a write), or {@link #UNKNOWN_SIZE}. */
  public long size() {
    return size;
  }

  /** Returns the object's media type, or {@code null} when not known. */
  public String contentType() {
    return contentType;
  }

  /** Returns the object's tags, where the caller knows them; empty otherwise. */
  public Map<String, String> tags() {
    return tags;
  }

  /** Returns the attributes the caller supplied, such as {@code job=nightly-export}. */
  public Map<String, String> context() {
    return context;
  }

  /** Returns the time of the request, which time conditions test. */
  public Instant time() {
    return time;
  }

  @Override
  public String toString() {
    return "AccessRequest[" + identity.name() + " " + action + " " + resource + " at " + time + "]";
  }

  /** Collects a request's settings. Not thread-safe. */
  public static final class Builder {
    private WorkloadIdentity identity;
    private Action action;
    private Resource resource;
    private long size = UNKNOWN_SIZE;
    private String contentType;
    private final Map<String, String> tags = new TreeMap<>();
    private final Map<String, String> context = new TreeMap<>();
    private Instant time;

    private Builder() {}

    /** Sets who acts. Required. */
    public Builder identity(WorkloadIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Sets what the request does. Required. */
    public Builder action(Action action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Sets the resource. Required (this or one of the other {@code resource} methods). */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** Sets the resource from its plain form; see {@link Resource#parse}. */
    public Builder resource(String resource) {
      return resource(Resource.parse(resource));
    }

    /** Sets the resource from a percent-encoded URI; see {@link Resource#of(URI)}. */
    public Builder resource(URI resource) {
      return resource(Resource.of(resource));
    }

    /**
     * Sets the object's size in bytes.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder size(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "Invalid object size " + bytes + ": use 0 or more bytes, or leave the size unset");
      }
      this.size = bytes;
      return this;
    }

    /** Sets the object's media type, such as {@code text/csv}. */
    public Builder contentType(String contentType) {
      this.contentType = Objects.requireNonNull(contentType, "contentType");
      return this;
    }

    /** Adds an object tag. */
    public Builder tag(String name, String value) {
      tags.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds a caller-supplied attribute, which conditions read as {@code context.NAME}. */
    public Builder context(String name, String value) {
      context.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds caller-supplied attributes. */
    public Builder context(Map<String, String> attributes) {
      attributes.forEach(this::context);
      return this;
    }

    /** Sets the time of the request, from the caller's {@link java.time.InstantSource}. Required. */
    public Builder time(Instant time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalStateException if the identity, action, resource or time is missing
     */
    public AccessRequest build() {
      requireSet(identity, "identity");
      requireSet(action, "action");
      requireSet(resource, "resource");
      requireSet(time, "time");
      return new AccessRequest(this);
    }

    private static void requireSet(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException(
            "Access request " + name + " is missing: call " + name + "(...) before build()");
      }
    }
  }
}
