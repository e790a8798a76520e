package dev.statusmessenger.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Session and task ids: what a valid id looks like, and unguessable new ones. */
public final class Ids {

  /** The shape of every session and task id. */
  public static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** A new id of 192 random bits, in the id alphabet (32 characters). */
  public static String mint() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
