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

  /** No header overridden: the value of a new builder, shared so that a SAS without overrides allocates none. */
  static final ResponseHeaders NONE = new ResponseHeaders(null, null, null, null, null);

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

  ResponseHeaders withCacheControl(String value) {
    return new ResponseHeaders(SasGrant.checkText("cacheControl", value), contentDisposition, contentEncoding,
        contentLanguage, contentType);
  }

  ResponseHeaders withContentDisposition(String value) {
    return new ResponseHeaders(cacheControl, SasGrant.checkText("contentDisposition", value), contentEncoding,
        contentLanguage, contentType);
  }

  ResponseHeaders withContentEncoding(String value) {
    return new ResponseHeaders(cacheControl, contentDisposition, SasGrant.checkText("contentEncoding", value),
        contentLanguage, contentType);
  }

  ResponseHeaders withContentLanguage(String value) {
    return new ResponseHeaders(cacheControl, contentDisposition, contentEncoding,
        SasGrant.checkText("contentLanguage", value), contentType);
  }

  ResponseHeaders withContentType(String value) {
    return new ResponseHeaders(cacheControl, contentDisposition, contentEncoding, contentLanguage,
        SasGrant.checkText("contentType", value));
  }

  /** Returns whether each value is the same object as in {@code other}, the test of the per-thread memo of BlobSas. */
  boolean isSameAs(ResponseHeaders other) {
    return this == other || (cacheControl == other.cacheControl && contentDisposition == other.contentDisposition
        && contentEncoding == other.contentEncoding && contentLanguage == other.contentLanguage
        && contentType == other.contentType);
  }
}
