package dev.latchkey.testkit.internal;

import dev.latchkey.testkit.IssuedCredentials;
import java.util.UUID;

/** Writes the STS Query API responses of the test STS, in the 2011-06-15 namespace. */
public final class StsXmlWriter {

  private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private StsXmlWriter() {}

  /** Returns the {@code ACTIONResponse} document for issued credentials. */
  public static String success(String action, IssuedCredentials credentials) {
    String sessionName = credentials.roleSessionName();
    String roleName = credentials.roleArn().substring(credentials.roleArn().lastIndexOf('/') + 1);
    String account = credentials.roleArn().split(":")[4];
    return "<" + action + "Response xmlns=\"" + NAMESPACE + "\">\n"
        + "  <" + action + "Result>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>" + escape(credentials.accessKeyId()) + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + escape(credentials.secretAccessKey()) + "</SecretAccessKey>\n"
        + "      <SessionToken>" + escape(credentials.sessionToken()) + "</SessionToken>\n"
        + "      <Expiration>" + credentials.expiresAt() + "</Expiration>\n"
        + "    </Credentials>\n"
        + "    <AssumedRoleUser>\n"
        + "      <Arn>arn:aws:sts::" + escape(account) + ":assumed-role/" + escape(roleName) + "/"
        + escape(sessionName) + "</Arn>\n"
        + "      <AssumedRoleId>AROATESTSTS:" + escape(sessionName) + "</AssumedRoleId>\n"
        + "    </AssumedRoleUser>\n"
        + "  </" + action + "Result>\n"
        + "  <ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>\n"
        + "</" + action + "Response>\n";
  }

  /** Returns an {@code ErrorResponse} document. */
  public static String error(String code, String message) {
    return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <Error><Type>Sender</Type><Code>" + escape(code) + "</Code><Message>" + escape(message)
        + "</Message></Error>\n"
        + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
        + "</ErrorResponse>\n";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
