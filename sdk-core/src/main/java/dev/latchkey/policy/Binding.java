package dev.latchkey.policy;

import dev.latchkey.credentials.WorkloadIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Grants roles to identities chosen by name, by attributes, or both.
 *
 * <p>A binding applies to an identity when its name is one of {@link #identities()} (or that set is
 * empty) and, for every entry of {@link #attributes()}, the identity has that attribute with one of
 * the listed values. A binding names at least one identity or one attribute, so that no binding
 * applies to every identity by accident.
 *
 * <p>Instances are immutable and thread-safe; {@link #appliesTo} allocates nothing.
 */
public final class Binding {

  private final String id;
  private final Set<String> identities;
  private final Map<String, Set<String>> attributes;
  private final List<String> roles;
  private final String[] attributeNames;
  private final Set<?>[] attributeValues;

  private Binding(Builder builder) {
    this.id = builder.id;
    this.identities = Set.copyOf(builder.identities);
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    builder.attributes.forEach((name, values) -> copy.put(name, Set.copyOf(values)));
    this.attributes = Collections.unmodifiableMap(copy);
    this.roles = List.copyOf(builder.roles);
    this.attributeNames = copy.keySet().toArray(new String[0]);
    this.attributeValues = copy.values().toArray(new Set<?>[0]);
  }

  /** Returns a builder with no settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the id, unique within the policy. */
  public String id() {
    return id;
  }

  /** Returns the identity names the binding applies to; empty when only attributes choose. */
  public Set<String> identities() {
    return identities;
  }

  /** Returns the attributes an identity must have, each with its allowed values. */
  public Map<String, Set<String>> attributes() {
    return attributes;
  }

  /** Returns the names of the roles granted. */
  public List<String> roles() {
    return roles;
  }

  /** Returns whether the binding applies to the identity. */
  public boolean appliesTo(WorkloadIdentity identity) {
    if (!identities.isEmpty() && !identities.contains(identity.name())) {
      return false;
    }
    for (int i = 0; i < attributeNames.length; i++) {
      String value = identity.attribute(attributeNames[i]);
      if (value == null || !attributeValues[i].contains(value)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Binding[" + id + ", identities=" + identities + ", attributes=" + attributes
        + ", roles=" + roles + "]";
  }

  /** Collects a binding's settings. Not thread-safe. */
  public static final class Builder {
    private String id;
    private final Set<String> identities = new LinkedHashSet<>();
    private final Map<String, Set<String>> attributes = new LinkedHashMap<>();
    private final Set<String> roles = new LinkedHashSet<>();

    private Builder() {}

    /** Sets the id: 1 to 128 ASCII letters, digits, {@code .}, {@code _}, {@code -} or {@code :}. */
    public Builder id(String id) {
      this.id = Names.check("binding id", id);
      return this;
    }

    /** Adds identity names, such as {@code billing-exporter}. */
    public Builder identities(String... names) {
      for (String name : names) {
        WorkloadIdentity.of(name);
        identities.add(name);
      }
      return this;
    }

    /**
     * Requires an identity attribute with one of the values; calling it again for the same
     * attribute adds values.
     *
     * @throws IllegalArgumentException if no value is given
     */
    public Builder attribute(String name, String... values) {
      Objects.requireNonNull(name, "name");
      if (values.length == 0) {
        throw new IllegalArgumentException(
            "Attribute '" + name + "' of binding '" + id + "' has no values: list at least one");
      }
      Set<String> allowed = attributes.computeIfAbsent(name, key -> new LinkedHashSet<>());
      for (String value : values) {
        allowed.add(Objects.requireNonNull(value, "value"));
      }
      return this;
    }

    /** Adds the names of roles to grant. */
    public Builder roles(String... roleNames) {
      for (String role : roleNames) {
        roles.add(Names.check("role name", role));
      }
      return this;
    }

    /**
     * Builds the binding.
     *
     * @throws IllegalStateException if the id or the roles are missing, or the binding names
     *     neither identities nor attributes
     */
    public Binding build() {
      if (id == null) {
        throw new IllegalStateException("Binding id is missing: call id(...)");
      }
      if (roles.isEmpty()) {
        throw new IllegalStateException("Binding '" + id + "' grants no roles: call roles(...)");
      }
      if (identities.isEmpty() && attributes.isEmpty()) {
        throw new IllegalStateException("Binding '" + id + "' names no identities and no attributes:"
            + " call identities(...) or attribute(...) so it does not apply to every identity");
      }
      return new Binding(this);
    }
  }
}
