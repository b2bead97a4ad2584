package dev.latchkey.policy;

/** Whether a rule grants or forbids what it matches. A matching deny rule beats every allow rule. */
public enum Effect {
  ALLOW,
  DENY
}
