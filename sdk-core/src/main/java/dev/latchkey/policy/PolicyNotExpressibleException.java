package dev.latchkey.policy;

import dev.latchkey.LatchkeyException;

/**
 * The access an identity has under a policy cannot be written as a narrower credential, such as an
 * AWS session policy or an Azure SAS, without granting more than the policy allows. The message
 * names the rule and what the target format lacks. Not retryable: the policy or the target has to
 * change.
 */
public class PolicyNotExpressibleException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  public PolicyNotExpressibleException(String message) {
    super(message, false);
  }
}
