package dev.latchkey.benchmarks.azure;

import com.azure.core.http.HttpHeaders;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Shared Key signing of one Put Blob request and generation of one read-only blob SAS, by Latchkey,
 * by the Azure SDK for Java ({@code StorageSharedKeyCredential.generateAuthorizationHeader}, and
 * {@code BlobServiceSasSignatureValues} with {@code BlobClient.generateSas}), and by a floor: one
 * HMAC-SHA256 of the same string to sign with a {@link Mac} already initialized with the decoded key.
 *
 * <p>{@code sasLatchkeyPrebuilt} signs with a {@link BlobSas} built once, the use its documentation
 * recommends, while {@code sasLatchkey} builds it on every call as {@code sasAzureSdk} must.
 *
 * <p>Inputs are identical: the same account, key, URL, headers, time, permissions and protocol, service
 * version 2025-11-05 for Shared Key and SAS version 2026-06-06, the one the Azure SDK writes. Setup checks that Latchkey and the Azure SDK produce the same
 * signature for both, so the libraries do the same work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AzureSigningBenchmark {

  private static final String ACCOUNT = "myaccount";
  private static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final String URL_TEXT = "https://myaccount.blob.core.windows.net/reports/2026/q1-report.csv";
  private static final Instant TIME = Instant.parse("2026-03-05T07:08:09Z");
  private static final String DATE = "Thu, 05 Mar 2026 07:08:09 GMT";
  private static final String VERSION = "2025-11-05";
  /** The SAS version azure-storage-blob 12.35.1 always writes, whatever the client's service version. */
  private static final String SAS_VERSION = "2026-06-06";
  private static final InstantSource CLOCK = InstantSource.fixed(TIME);
  private static final Instant SAS_START = Instant.parse("2026-03-05T07:03:09Z");
  private static final Instant SAS_EXPIRY = Instant.parse("2026-03-05T07:23:09Z");

  private SharedKeySigner latchkeySigner;
  private SharedKey latchkeyKey;
  private SignableRequest request;
  private StorageSharedKeyCredential azureCredential;
  private URL azureUrl;
  private HttpHeaders azureHeaders;
  private BlobClient azureBlob;
  private Mac floorMac;
  private String sharedKeyStringToSign;
  private String sasStringToSign;
  private BlobSas prebuiltSas;

  @Setup(Level.Trial)
  public void setUp() throws MalformedURLException, GeneralSecurityException {
    latchkeySigner = SharedKeySigner.create();
    latchkeyKey = SharedKey.of(ACCOUNT, SecretValue.of(KEY));
    request = SignableRequest.builder("PUT", URI.create(URL_TEXT))
        .addHeader("Content-Length", "1024")
        .addHeader("Content-Type", "text/csv")
        .addHeader("x-ms-blob-type", "BlockBlob")
        .addHeader("x-ms-client-request-id", "5f1c1a6e-3f51-4a2e-9b0c-2d3b0d6c9e41")
        .addHeader("x-ms-version", VERSION)
        .build();
    azureCredential = new StorageSharedKeyCredential(ACCOUNT, KEY);
    azureUrl = new URL(URL_TEXT);
    azureHeaders = new HttpHeaders()
        .set("Content-Length", "1024").set("Content-Type", "text/csv").set("x-ms-blob-type", "BlockBlob")
        .set("x-ms-client-request-id", "5f1c1a6e-3f51-4a2e-9b0c-2d3b0d6c9e41").set("x-ms-version", VERSION)
        .set("x-ms-date", DATE);
    azureBlob = new BlobClientBuilder().endpoint(URL_TEXT).credential(azureCredential)
        .serviceVersion(BlobServiceVersion.V2025_11_05).buildClient();
    floorMac = Mac.getInstance("HmacSHA256");
    floorMac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
    SignableRequest signed = latchkeySigner.sign(request, latchkeyKey, TIME);
    sharedKeyStringToSign = latchkeySigner.stringToSign(signed, ACCOUNT);
    sasStringToSign = String.join("\n", "r", "2026-03-05T07:03:09Z", "2026-03-05T07:23:09Z",
        "/blob/myaccount/reports/2026/q1-report.csv", "", "", "https", SAS_VERSION, "b", "", "", "", "", "", "", "");
    prebuiltSas = latchkeySasValues();
    checkSameResults(signed);
  }

  private void checkSameResults(SignableRequest signed) {
    String azureHeader = azureCredential.generateAuthorizationHeader(azureUrl, "PUT", azureHeaders, false);
    String latchkeyHeader = signed.firstHeader("Authorization").orElseThrow();
    if (!azureHeader.equals(latchkeyHeader)) {
      throw new IllegalStateException("Shared Key signatures differ: " + azureHeader + " vs " + latchkeyHeader);
    }
    String azureSas = azureSas();
    String latchkeySas = latchkeySas().token().reveal();
    String azureSig = azureSas.substring(azureSas.indexOf("sig=") + 4).split("&")[0];
    String latchkeySig = latchkeySas.substring(latchkeySas.indexOf("sig=") + 4).split("&")[0];
    if (!azureSig.equals(latchkeySig)) {
      throw new IllegalStateException("SAS signatures differ: " + azureSas + " vs " + latchkeySas);
    }
    if (!prebuiltSas.sign(latchkeyKey).token().reveal().equals(latchkeySas)) {
      throw new IllegalStateException("A SAS built once signs differently from one built for each call");
    }
    String floorSig = Base64.getEncoder().encodeToString(sasFloor());
    if (!java.net.URLDecoder.decode(latchkeySig, StandardCharsets.UTF_8).equals(floorSig)) {
      throw new IllegalStateException("The SAS floor signs a different string: " + floorSig);
    }
  }

  @Benchmark
  public SignableRequest sharedKeyLatchkey() {
    return latchkeySigner.sign(request, latchkeyKey, TIME);
  }

  @Benchmark
  public String sharedKeyAzureSdk() {
    return azureCredential.generateAuthorizationHeader(azureUrl, "PUT", azureHeaders, false);
  }

  @Benchmark
  public byte[] sharedKeyFloor() {
    return floorMac.doFinal(sharedKeyStringToSign.getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public SasToken sasLatchkey() {
    return latchkeySas();
  }

  /** Signs with a {@link BlobSas} built once, as its documentation recommends; the Azure SDK has no such form. */
  @Benchmark
  public SasToken sasLatchkeyPrebuilt() {
    return prebuiltSas.sign(latchkeyKey);
  }

  @Benchmark
  public String sasAzureSdk() {
    return azureSas();
  }

  @Benchmark
  public byte[] sasFloor() {
    return floorMac.doFinal(sasStringToSign.getBytes(StandardCharsets.UTF_8));
  }

  private SasToken latchkeySas() {
    return latchkeySasValues().sign(latchkeyKey);
  }

  private static BlobSas latchkeySasValues() {
    return BlobSas.builder().blob("reports", "2026/q1-report.csv").permissions("r").startsOn(SAS_START)
        .expiresOn(SAS_EXPIRY).version(SAS_VERSION).clock(CLOCK).build();
  }

  private String azureSas() {
    BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
        OffsetDateTime.ofInstant(SAS_EXPIRY, ZoneOffset.UTC),
        new com.azure.storage.blob.sas.BlobSasPermission().setReadPermission(true))
        .setStartTime(OffsetDateTime.ofInstant(SAS_START, ZoneOffset.UTC))
        .setProtocol(com.azure.storage.common.sas.SasProtocol.HTTPS_ONLY);
    return azureBlob.generateSas(values);
  }
}
