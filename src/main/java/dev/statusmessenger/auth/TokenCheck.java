package dev.statusmessenger.auth;

/** The outcome of checking a session token; only {@link #VALID} opens anything. */
public enum TokenCheck {
  VALID,
  MISSING,
  MALFORMED,
  WRONG_SESSION,
  BAD_SIGNATURE,
  EXPIRED
}
