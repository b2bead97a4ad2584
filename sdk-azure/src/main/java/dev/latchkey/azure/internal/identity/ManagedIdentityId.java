package dev.latchkey.azure.internal.identity;

import java.util.Objects;

/**
 * The user-assigned managed identity to request a token for, named by one of its three ids.
 *
 * @param type which id {@code value} is
 * @param value the client id, object id or Azure resource id
 */
public record ManagedIdentityId(Type type, String value) {

  /** The kinds of id and the query parameter each endpoint takes for it. */
  public enum Type {
    CLIENT_ID("client_id", "client_id"),
    OBJECT_ID("object_id", "principal_id"),
    RESOURCE_ID("msi_res_id", "mi_res_id");

    private final String imdsParameter;
    private final String appServiceParameter;

    Type(String imdsParameter, String appServiceParameter) {
      this.imdsParameter = imdsParameter;
      this.appServiceParameter = appServiceParameter;
    }

    /** Returns the query parameter of the VM Instance Metadata Service for this id. */
    public String imdsParameter() {
      return imdsParameter;
    }

    /** Returns the query parameter of the App Service and Functions endpoint for this id. */
    public String appServiceParameter() {
      return appServiceParameter;
    }
  }

  public ManagedIdentityId {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
