package dev.latchkey.auth;

import dev.latchkey.auth.internal.Pem;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supplies a TLS client certificate and its private key from PEM files or a PKCS#12 file, for
 * {@link ClientAuthentication#tlsClientAuth mutual TLS} (RFC 8705).
 *
 * <p>The files are read again whenever one of them changes (modification time or size), so a
 * certificate renewed on disk is used for the next token request. The private key must match the
 * leaf certificate. If changed files cannot be read or do not match while an earlier certificate is
 * held, the earlier one is kept and the problem is logged, since a renewal may be half written.
 * Thread-safe.
 */
public final class ClientCertificateSource implements CredentialProvider<ClientCertificate> {

  private static final Logger log = LoggerFactory.getLogger(ClientCertificateSource.class);

  private final List<Path> files;
  private final char[] password;
  private volatile Loaded loaded;

  private ClientCertificateSource(List<Path> files, char[] password) {
    this.files = files;
    this.password = password;
  }

  /**
   * Reads the certificate chain (leaf first) from {@code certificateChain} and the unencrypted
   * PKCS#8 private key from {@code privateKey}; both may be the same file.
   */
  public static ClientCertificateSource fromPem(Path certificateChain, Path privateKey) {
    return new ClientCertificateSource(List.of(Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey")), null);
  }

  /**
   * Reads the first private key entry of a PKCS#12 file.
   *
   * @param password the password of the file and the key; copied, so the caller may clear its array
   */
  public static ClientCertificateSource fromPkcs12(Path file, char[] password) {
    Objects.requireNonNull(password, "password");
    return new ClientCertificateSource(List.of(Objects.requireNonNull(file, "file")), password.clone());
  }

  /**
   * Returns the current certificate, reading the files again if they changed.
   *
   * @throws CredentialNotConfiguredException if a file does not exist
   * @throws CredentialException if the files cannot be read, are malformed, or the key does not
   *     match the certificate, and no earlier certificate is held
   */
  @Override
  public ClientCertificate fetch() {
    List<Stamp> stamps = stamps();
    Loaded current = loaded;
    if (current != null && current.stamps().equals(stamps)) {
      return current.certificate();
    }
    return reload(stamps, current);
  }

  private synchronized ClientCertificate reload(List<Stamp> stamps, Loaded seen) {
    if (loaded != seen && loaded.stamps().equals(stamps)) {
      return loaded.certificate();
    }
    try {
      ClientCertificate certificate = password == null ? readPem() : readPkcs12();
      checkKeyMatches(certificate);
      loaded = new Loaded(certificate, stamps);
      log.info("Read TLS client certificate {} (subject {}, expires {}) from {}", certificate.id(),
          certificate.leaf().getSubjectX500Principal().getName(), certificate.expiresAt().orElseThrow(), files);
      return certificate;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return keepEarlier(seen, e);
    }
  }

  private ClientCertificate keepEarlier(Loaded earlier, Exception failure) {
    String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (earlier == null) {
      throw new CredentialException("Cannot read the TLS client certificate from " + files + ": " + reason, failure, false);
    }
    log.warn("Cannot read the TLS client certificate from {} ({}); keeping certificate {}", files, reason,
        earlier.certificate().id());
    return earlier.certificate();
  }

  private ClientCertificate readPem() throws IOException {
    List<X509Certificate> chain = Pem.readCertificates(Files.readString(files.get(0), StandardCharsets.US_ASCII),
        files.get(0).toString());
    PrivateKey key = Pem.readPrivateKey(Files.readString(files.get(1), StandardCharsets.US_ASCII), files.get(1).toString());
    return ClientCertificate.of(key, chain);
  }

  private ClientCertificate readPkcs12() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(files.get(0))) {
      store.load(in, password);
    }
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias) && store.getKey(alias, password) instanceof PrivateKey key) {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : store.getCertificateChain(alias)) {
          chain.add((X509Certificate) certificate);
        }
        return ClientCertificate.of(key, chain);
      }
    }
    throw new IllegalArgumentException("PKCS#12 file " + files.get(0) + " has no private key entry");
  }

  /** Signs a fixed message with the key and verifies it with the leaf's public key. */
  private static void checkKeyMatches(ClientCertificate certificate) throws GeneralSecurityException {
    String algorithm = certificate.privateKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] message = "latchkey key match check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(certificate.privateKey());
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.leaf().getPublicKey());
    verifier.update(message);
    if (!verifier.verify(signature)) {
      throw new IllegalArgumentException("the private key does not belong to the leaf certificate "
          + certificate.leaf().getSubjectX500Principal().getName());
    }
  }

  private List<Stamp> stamps() {
    List<Stamp> stamps = new ArrayList<>();
    for (Path file : files) {
      try {
        stamps.add(new Stamp(Files.getLastModifiedTime(file), Files.size(file)));
      } catch (NoSuchFileException e) {
        throw new CredentialNotConfiguredException("TLS client certificate file " + file + " does not exist");
      } catch (IOException e) {
        throw new CredentialException("Cannot read TLS client certificate file " + file + ": " + e.getMessage(), e, true);
      }
    }
    return stamps;
  }

  @Override
  public String name() {
    return "client-certificate:" + files.get(0);
  }

  @Override
  public String toString() {
    return "ClientCertificateSource[" + files + "]";
  }

  /** The modification time and size of one file, to notice when it changes. */
  private record Stamp(FileTime modified, long size) {}

  private record Loaded(ClientCertificate certificate, List<Stamp> stamps) {}
}
