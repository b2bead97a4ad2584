package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.SigningBuffer;

/**
 * The response headers a SAS overrides ({@code rscc}, {@code rscd}, {@code rsce}, {@code rscl},
 * {@code rsct}). The string to sign has the values as they are, and the query has them
 * percent-encoded exactly once.
 */
record ResponseHeaders(
    String cacheControl, String contentDisposition, String contentEncoding, String contentLanguage,
    String contentType) {

  static Builder builder() {
    return new Builder();
  }

  /** Writes the five values as fields of a string to sign, each after a newline. */
  void writeFields(SigningBuffer buffer) {
    buffer.appendField(cacheControl).appendField(contentDisposition).appendField(contentEncoding)
        .appendField(contentLanguage).appendField(contentType);
  }

  /** Writes the values that are set as query parameters, each after {@code &}. */
  void writeQuery(SigningBuffer buffer) {
    buffer.appendQueryParameter("rscc", cacheControl).appendQueryParameter("rscd", contentDisposition)
        .appendQueryParameter("rsce", contentEncoding).appendQueryParameter("rscl", contentLanguage)
        .appendQueryParameter("rsct", contentType);
  }

  /** Builder for {@link ResponseHeaders}; not thread-safe. */
  static final class Builder {
    private String cacheControl;
    private String contentDisposition;
    private String contentEncoding;
    private String contentLanguage;
    private String contentType;

    void cacheControl(String value) {
      this.cacheControl = SasGrant.checkText("cacheControl", value);
    }

    void contentDisposition(String value) {
      this.contentDisposition = SasGrant.checkText("contentDisposition", value);
    }

    void contentEncoding(String value) {
      this.contentEncoding = SasGrant.checkText("contentEncoding", value);
    }

    void contentLanguage(String value) {
      this.contentLanguage = SasGrant.checkText("contentLanguage", value);
    }

    void contentType(String value) {
      this.contentType = SasGrant.checkText("contentType", value);
    }

    ResponseHeaders build() {
      return new ResponseHeaders(cacheControl, contentDisposition, contentEncoding, contentLanguage, contentType);
    }
  }
}
