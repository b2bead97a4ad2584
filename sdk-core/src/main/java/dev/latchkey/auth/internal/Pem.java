package dev.latchkey.auth.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PKCS#8 private keys and X.509 certificates from PEM text (RFC 7468). */
public final class Pem {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

  private Pem() {}

  /**
   * Reads the one unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of {@code pem}, RSA or EC.
   *
   * @param source where the text came from, such as a file name, for error messages
   * @throws IllegalArgumentException if there is no such block, or the key is in another format;
   *     the message explains how to convert it
   */
  public static PrivateKey readPrivateKey(String pem, String source) {
    byte[] der = null;
    for (Block block : blocks(pem)) {
      if (block.type().equals("PRIVATE KEY")) {
        der = block.der();
      } else if (block.type().endsWith("PRIVATE KEY")) {
        throw new IllegalArgumentException("Unsupported private key format '" + block.type() + "' in " + source
            + ": convert it to unencrypted PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
      }
    }
    if (der == null) {
      throw new IllegalArgumentException("No '-----BEGIN PRIVATE KEY-----' block in " + source);
    }
    return decodePkcs8(der, source);
  }

  /**
   * Reads every certificate ({@code BEGIN CERTIFICATE}) of {@code pem}, in order.
   *
   * @throws IllegalArgumentException if there is none or one is malformed
   */
  public static List<X509Certificate> readCertificates(String pem, String source) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(pem)) {
        if (block.type().equals("CERTIFICATE")) {
          certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("Invalid certificate in " + source + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("No '-----BEGIN CERTIFICATE-----' block in " + source);
    }
    return certificates;
  }

  private static PrivateKey decodePkcs8(byte[] der, String source) {
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Not this algorithm: a PKCS#8 key names its algorithm inside, so try the next one.
      }
    }
    throw new IllegalArgumentException("Invalid private key in " + source + ": it is not a PKCS#8 RSA or EC key");
  }

  private static List<Block> blocks(String pem) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      String base64 = matcher.group(2).replaceAll("\\s", "");
      try {
        blocks.add(new Block(matcher.group(1), Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid PEM block '" + matcher.group(1) + "': it is not base64", e);
      }
    }
    return blocks;
  }

  private record Block(String type, byte[] der) {}
}
